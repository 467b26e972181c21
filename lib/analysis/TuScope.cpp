#include "analysis/TuScope.h"
#include "analysis/HandleGraph.h"

#include "analysis/Endpoints.h"
#include "analysis/Rules.h"

#include <set>

namespace im::analysis {

namespace {
constexpr const char *WholeProgram = "; run integration-mapper for a whole-program answer)";

/// Does the handle `Key` reach a function this TU has no body for?
bool reachesUnseenHelper(const Merged &M, const std::string &Key, const model::Location &Before,
                         std::set<std::string> &Visited, int Depth) {
  if (Key.empty() || Depth > 6 || !Visited.insert(Key).second)
    return false;
  bool Ordered = Key.rfind("var:", 0) == 0 && Before.valid();
  for (const auto &F : M.Flows) {
    if (F.HandleKey != Key)
      continue;
    if (Ordered && F.Loc.File == Before.File && !(F.Loc < Before))
      continue; // passed on after the call: cannot configure it
    bool Defined = false;
    for (const auto &Fn : M.Functions)
      Defined |= Fn.Key == F.CalleeKey;
    if (!Defined)
      return true;
    if (reachesUnseenHelper(M, HandleGraph::paramKey(F.CalleeKey, F.ArgIndex), {},
                            Visited, Depth + 1))
      return true;
  }
  return false;
}
/// Is `C` the library call inside a project wrapper: its address (the endpoint
/// argument, or the endpoint set on its handle) comes from its function's
/// parameters? With every caller in other translation units, the whole program
/// puts the call site at those callers.
bool insideWrapper(const Merged &M, const model::CallSite &C) {
  if (!C.EndpointExpr.empty())
    return EndpointFolder::addressFromParams(C.EndpointExpr, C.FunctionKey);
  for (const auto &S : M.Settings)
    if (S.Concern == "endpoint" && S.HandleKey == C.HandleKey && !S.Expr.empty() &&
        EndpointFolder::addressFromParams(S.Expr, C.FunctionKey))
      return true;
  return false;
}
/// The caveat of one rule: what another translation unit may change about it.
std::string ruleCaveat(const Merged &M, const model::CallSite &C, const std::string &Rule) {
  if (Rule == ruleid::MissingTimeout) {
    std::set<std::string> Visited;
    if (reachesUnseenHelper(M, C.HandleKey, C.Loc, Visited, 0))
      return std::string("(a helper in another translation unit may set it") + WholeProgram;
    if (C.HandleKey.rfind("param:", 0) == 0)
      return std::string("(a caller in another translation unit may set it") + WholeProgram;
    if (C.HandleKey.rfind("field:", 0) == 0)
      return std::string("(code in another translation unit may set it on the member") +
             WholeProgram;
    return "";
  }
  // A timeout whose value is a parameter of the function that sets it: the
  // callers decide it, and callers in other translation units are not seen.
  if (Rule == ruleid::UnverifiedTimeout && C.Timeout.Status == "conditional")
    for (const auto &S : M.Settings) {
      if (S.Val.ParamKey.empty())
        continue;
      for (const auto &E : C.Timeout.Evidence)
        if (E.File == S.Loc.File && E.Line == S.Loc.Line)
          return std::string("(a caller in another translation unit may pass a constant for it") +
                 WholeProgram;
    }
  if (Rule == ruleid::MissingRetry && C.Function != "main")
    return std::string("(a caller in another translation unit may retry it") + WholeProgram;
  return "";
}
} // namespace

std::string singleTuCaveat(const Merged &M, const model::CallSite &C, const std::string &Rule) {
  return ruleCaveat(M, C, Rule);
}

std::string wrapperCaveat(const Merged &M, const model::CallSite &C) {
  if (!insideWrapper(M, C))
    return "";
  return std::string("(a caller in another translation unit may be the call site: the endpoint "
                     "is a parameter of `") +
         C.Function + "`" + WholeProgram;
}

} // namespace im::analysis
