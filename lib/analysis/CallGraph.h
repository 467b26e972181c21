// The project call graph as the risk document sees it: who calls a client
// wrapper, which functions are entry points, which wrappers an entry reaches.
#pragma once

#include "model/Facts.h"

#include <map>
#include <set>
#include <string>
#include <vector>

namespace im::analysis {

/// A constructor or destructor (`ns::C::C`, `ns::C::~C`).
bool isStructor(const std::string &Name);
/// `Name` is `Wanted` or ends with `::Wanted` (entry points named in the config).
bool matchesEntry(const std::string &Name, const std::string &Wanted);

struct CallGraph {
  std::map<std::string, std::string> Names;              // key -> qualified name
  std::map<std::string, std::set<std::string>> Callers;  // callee -> callers
  std::map<std::string, std::set<std::string>> Callees;  // caller -> callees
  std::map<std::string, std::set<std::string>> ByScope;  // class scope -> member keys
  std::map<std::string, std::vector<std::string>> StructorsByScope; // class scope -> its structors

  explicit CallGraph(const model::Report &R);
  std::string name(const std::string &K) const;
  /// The functions whose callers use `K`: itself, and for a constructor (whose
  /// calls are object constructions, not call edges) every member of its class.
  std::set<std::string> users(const std::string &K) const;
  /// Every function from which one of `Start` is reachable (including them);
  /// paths through a function in `Skip` are not followed.
  std::set<std::string> ancestors(const std::set<std::string> &Start,
                                  const std::set<std::string> &Skip = {}) const;
  /// Every function reachable from `Start`, counting a call into a class as
  /// reaching its constructors (objects are built before use).
  std::set<std::string> descendants(const std::set<std::string> &Start) const;
};

/// The part of the call graph the report shows: the functions from which a
/// library call is reachable (`R.ClientFunctions` and every caller of them, up
/// to the entry points), and the calls between two of them.
struct ClientPaths {
  std::vector<const model::Function *> Functions;
  std::vector<const model::CallEdge *> Calls;
};
ClientPaths clientPaths(const model::Report &R);

} // namespace im::analysis
