// The handle graph: how a client handle travels between variables, members,
// parameters and derived handles, across functions and translation units.
// Every stage that asks "what configures this handle?" walks it here.
//
// Handle keys (built by matchers/, see model::CallSite::HandleKey):
//   var:<name>@<location>   a local (or static local), configured in program order
//   param:<function>#<i>    parameter i of a function
//   field:<class>::<name>   a member, configured anywhere (a constructor, an init function)
//   global:<name>           a namespace-scope variable
//   lambda:<lambda id>      a lambda passed as an argument
//   return:<function>       what a function returns (a "derive" setting names the handle)
// Edges:
//   flow      a handle passed to parameter i of a project function (model::HandleFlow)
//   derive    a handle made from another (a transaction from its connection, a
//             variable from the handle a helper returned): a "derive" or "connect"
//             setting whose value depends on the other key
//   callable  a handle passed to a std::function/template parameter: whatever
//             lambda the callers pass there receives it
//   opaque    a handle passed to a callable held in a member (`presetup_(h)`),
//             which the analysis does not follow: it reaches the call as a
//             setting of concern "opaque" (cannot tell)
#pragma once

#include "analysis/Merge.h"

#include <functional>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

namespace im::analysis {

/// A setting as it applies to one call, with the path that brought it there.
struct Applied {
  const model::Setting *S;
  std::vector<model::Evidence> Path; // helper calls that carried the handle to the setting
};

class HandleGraph {
public:
  explicit HandleGraph(const Merged &M);

  /// Settings reaching `Key` as seen from a call at `Before`: on the handle
  /// itself (before the call for locals), on what it was derived from, in
  /// helpers it was passed to before the call, and in callers that passed it in
  /// as a parameter. An invalid `Before` means "no ordering".
  std::vector<Applied> settingsReaching(const std::string &Key, const model::Location &Before) const;

  /// A handle and the call its settings must precede.
  struct Root {
    std::string Key;
    model::Location Before;
  };
  /// The settings reaching any of `Roots`, each handle visited once across all of them.
  std::vector<Applied> settingsReaching(const std::vector<Root> &Roots) const;

  /// Walks the calls that reach `Fn` from its callers, up to four levels up,
  /// each function once. `Visit` gets the edge and the path to it; returning
  /// true skips the edge's remaining siblings and the callers above it (the
  /// walk goes on with the other branches higher up).
  using CallerVisit = std::function<bool(const model::CallEdge &, const std::vector<model::Evidence> &)>;
  void walkCallers(const std::string &Fn, const CallerVisit &Visit) const;

  const std::vector<const model::HandleFlow *> &flowsFrom(const std::string &Key) const;
  /// Handles callers pass to parameter `ParamKey`.
  const std::vector<const model::HandleFlow *> &flowsInto(const std::string &ParamKey) const;
  /// Settings made on `Key` itself, in source order of the facts.
  const std::vector<const model::Setting *> &settingsOn(const std::string &Key) const;
  /// Member assignments and default constructions of option object `Key`
  /// (Merged::ObjectSettings).
  const std::vector<const model::Setting *> &objectSettingsOn(const std::string &Key) const;
  const std::vector<const model::CallEdge *> &callersOf(const std::string &Fn) const;
  const std::vector<const model::CallEdge *> &calleesOf(const std::string &Fn) const;
  const std::vector<const model::ArgValue *> &argsOf(const std::string &ParamKey) const;
  const std::vector<const model::CallSite *> &sitesIn(const std::string &Fn) const;
  const model::Function *function(const std::string &Key) const;

  /// Locals and parameters are configured in program order within one function;
  /// fields and globals may be configured anywhere.
  static bool sameFunctionLocal(const std::string &Key);
  /// The key of parameter `Index` of function `Fn`.
  static std::string paramKey(const std::string &Fn, unsigned Index);
  /// The function and index of a parameter key (paramKey's inverse); nothing
  /// for any other key.
  static std::optional<std::pair<std::string, unsigned>> paramOf(const std::string &Key);
  /// The function of a parameter key; "" for any other key.
  static std::string functionOfParam(const std::string &Key);
  /// Whether `Key` is a parameter no analysed call passes a handle to: the
  /// handle comes from code the analysis does not see (a public function's
  /// caller, a framework invoking a callback).
  bool fromOutside(const std::string &Key) const;
  /// "ns::f()" for a function key "ns::f(int)", for evidence notes.
  static std::string shortName(const std::string &FnKey);
  /// A handle key as the code names it: `h` for var:h@a.cpp:3, `h_` for
  /// field:Client::h_, "parameter 0 of fetch()" for param:fetch(CURL *)#0.
  static std::string handleName(const std::string &Key);

private:
  void collect(const std::string &Key, const model::Location &Before, std::vector<model::Evidence> Path,
               std::vector<Applied> &Out, std::set<std::string> &Visited, int Depth,
               bool Descended = false) const;
  void callersUp(const std::string &Fn, int Depth, const std::vector<model::Evidence> &Path,
                 const CallerVisit &Visit, std::set<std::string> &Seen) const;

  std::map<std::string, std::vector<const model::Setting *>> ByHandle;
  std::map<std::string, std::vector<const model::Setting *>> ObjectByHandle;
  std::map<std::string, std::vector<std::string>> DerivedFrom;
  std::map<std::string, std::vector<const model::HandleFlow *>> FlowsFrom;
  std::map<std::string, std::vector<const model::HandleFlow *>> FlowsInto;
  std::map<std::string, std::vector<const model::CallEdge *>> CallersOf;
  std::map<std::string, std::vector<const model::CallEdge *>> CalleesOf;
  std::map<std::pair<model::Location, std::string>, const model::CallEdge *> EdgeAt;
  std::map<std::string, std::vector<const model::ArgValue *>> ArgsOf;
  std::map<std::string, const model::Function *> FunctionsByKey;
  std::map<std::string, std::vector<const model::CallSite *>> SitesIn;
  /// A setting of concern "opaque" per flow into a callable held in a member
  /// (made once here; map nodes keep their addresses for Applied::S).
  std::map<const model::HandleFlow *, model::Setting> Opaque;
};

} // namespace im::analysis
