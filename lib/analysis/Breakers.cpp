#include "analysis/Protections.h"

namespace im::analysis {
using model::CallSite;
using model::Evidence;

namespace {
const auto &shortName = HandleGraph::shortName;

std::string classOf(const std::string &MethodKey) {
  std::string K = MethodKey.substr(0, MethodKey.find('('));
  auto P = K.rfind("::");
  return P == std::string::npos ? "" : K.substr(0, P);
}

const model::ClassFact *breakerClass(const Merged &M, const std::string &MethodKey) {
  std::string Cls = classOf(MethodKey);
  auto It = M.Classes.find(Cls);
  if (It == M.Classes.end()) // a plain name from the config
    It = M.Classes.find(Cls.substr(Cls.rfind("::") == std::string::npos ? 0 : Cls.rfind("::") + 2));
  return It == M.Classes.end() ? nullptr : &It->second;
}

bool breakerGuard(const Merged &M, const std::vector<model::GuardFact> &Guards,
                  const std::vector<Evidence> &Path, model::Protection &B) {
  for (const auto &G : Guards)
    if (const model::ClassFact *Cls = breakerClass(M, G.CalleeKey)) {
      B.Present = true;
      B.Status = "present";
      B.Kind = Cls->BreakerShape ? "guard (recognised by shape)" : "guard (recognised by name)";
      for (auto &E : Path)
        B.Evidence.push_back(E);
      B.Evidence.push_back({G.Loc.File, G.Loc.Line,
                            (G.EarlyExit ? "returns early unless " : "runs only if ") + G.Method +
                                "()"});
      for (const auto &E : Cls->Evidence)
        if (!E.File.empty())
          B.Evidence.push_back(E);
      if (Cls->Loc.File.empty())
        B.Kind += ", named in the config";
      return true;
    }
  return false;
}

bool breakerLambda(const Merged &M, const HandleGraph &G, const std::string &FnKey,
                   const std::vector<Evidence> &Path, model::Protection &B) {
  if (FnKey.rfind("lambda@", 0) != 0)
    return false;
  for (const model::HandleFlow *F : G.flowsFrom("lambda:" + FnKey))
    if (const model::ClassFact *Cls = breakerClass(M, F->CalleeKey)) {
      B.Present = true;
      B.Status = "present";
      B.Kind = Cls->BreakerShape ? "wraps the call (recognised by shape)"
                                 : "wraps the call (recognised by name)";
      for (auto &E : Path)
        B.Evidence.push_back(E);
      B.Evidence.push_back({F->Loc.File, F->Loc.Line, "the call runs inside " + shortName(F->CalleeKey)});
      for (const auto &E : Cls->Evidence)
        if (!E.File.empty())
          B.Evidence.push_back(E);
      if (Cls->Loc.File.empty())
        B.Kind += ", named in the config";
      return true;
    }
  return false;
}

} // namespace

/// Classes the user names as breakers (config `circuit_breakers`) join those
/// recognised by shape or name; a name matches a class by its last components.
void addConfiguredBreakers(Merged &M, const std::vector<std::string> &BreakerClasses) {
  for (const auto &Name : BreakerClasses) {
    std::string N = catalog::normalizeName(Name);
    bool Found = false;
    for (auto &[Q, C] : M.Classes)
      if (Q == N ||
          (Q.size() >= N.size() + 2 && Q.compare(Q.size() - N.size() - 2, N.size() + 2, "::" + N) == 0)) {
        C.BreakerName = true;
        C.Evidence.push_back({C.Loc.File, C.Loc.Line, "circuit breaker named in the config (circuit_breakers)"});
        Found = true;
      }
    if (!Found)
      M.Classes[N] = model::ClassFact{N, {}, false, true,
                                      {{"", 0, "circuit breaker named in the config (circuit_breakers)"}}};
  }
}

void resolveBreaker(CallSite &C, const Merged &M, const HandleGraph &G) {
  model::Protection &B = C.CircuitBreaker;
  if (breakerGuard(M, C.Guards, {}, B) || breakerLambda(M, G, C.FunctionKey, {}, B))
    return;
  G.walkCallers(C.FunctionKey, [&](const model::CallEdge &E, const std::vector<Evidence> &P) {
    return breakerGuard(M, E.Guards, P, B) || breakerLambda(M, G, E.CallerKey, P, B);
  });
  if (!B.Present) {
    B.Status = "absent";
    B.Reason = "no circuit breaker wraps or guards this call or its callers (a breaker is "
               "recognised by its shape: open/closed state, failure count and reset timer, or by "
               "a class name containing \"Breaker\")";
  }
}

} // namespace im::analysis
