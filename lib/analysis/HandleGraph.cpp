#include "analysis/HandleGraph.h"
#include "support/Names.h"

namespace im::analysis {
using model::Evidence;

namespace {
template <typename T>
const std::vector<const T *> &at(const std::map<std::string, std::vector<const T *>> &Index,
                                 const std::string &Key) {
  static const std::vector<const T *> None;
  auto It = Index.find(Key);
  return It == Index.end() ? None : It->second;
}
} // namespace

HandleGraph::HandleGraph(const Merged &M) {
  for (const auto &S : M.Settings)
    ByHandle[S.HandleKey].push_back(&S);
  for (const auto &S : M.ObjectSettings)
    ObjectByHandle[S.HandleKey].push_back(&S);
  for (const auto &S : M.Settings)
    if ((S.Concern == "derive" || S.Concern == "connect") && !S.Val.DependsOn.empty())
      DerivedFrom[S.HandleKey].push_back(S.Val.DependsOn);
  for (const auto &F : M.Flows) {
    FlowsFrom[F.HandleKey].push_back(&F);
    if (F.CalleeKey.rfind("opaque:", 0) == 0) {
      model::Setting &S = Opaque[&F];
      S.HandleKey = F.HandleKey;
      S.Concern = "opaque";
      S.Option = "`" + F.CalleeKey.substr(7) + "`, a callable held in a member";
      S.Loc = F.Loc;
      S.FunctionKey = F.FunctionKey;
    }
  }
  for (const auto &F : M.Flows)
    FlowsInto[paramKey(F.CalleeKey, F.ArgIndex)].push_back(&F);
  for (const auto &E : M.Calls) {
    CallersOf[E.CalleeKey].push_back(&E);
    CalleesOf[E.CallerKey].push_back(&E);
    EdgeAt[{E.Loc, E.CalleeKey}] = &E;
  }
  // A call through a base-class method may reach every override.
  for (const auto &O : M.Overrides)
    if (auto It = CallersOf.find(O.BaseKey); It != CallersOf.end())
      for (const model::CallEdge *E : std::vector<const model::CallEdge *>(It->second))
        if (E->CalleeKey == O.BaseKey)
          CallersOf[O.MethodKey].push_back(E);
  for (const auto &A : M.ArgValues)
    ArgsOf[paramKey(A.CalleeKey, A.Index)].push_back(&A);
  for (const auto &F : M.Functions)
    FunctionsByKey[F.Key] = &F;
  for (const auto &C : M.CallSites)
    SitesIn[C.FunctionKey].push_back(&C);
}

bool HandleGraph::sameFunctionLocal(const std::string &Key) {
  return Key.rfind("var:", 0) == 0 || Key.rfind("param:", 0) == 0;
}

std::string HandleGraph::paramKey(const std::string &Fn, unsigned Index) {
  return "param:" + Fn + "#" + std::to_string(Index);
}

std::optional<std::pair<std::string, unsigned>> HandleGraph::paramOf(const std::string &Key) {
  size_t Hash = Key.rfind('#');
  if (Key.rfind("param:", 0) != 0 || Hash == std::string::npos || Hash < 6 || Hash + 1 == Key.size())
    return std::nullopt;
  unsigned Index = 0;
  for (size_t I = Hash + 1; I < Key.size(); ++I) {
    if (Key[I] < '0' || Key[I] > '9' || Index > 100000)
      return std::nullopt;
    Index = Index * 10 + static_cast<unsigned>(Key[I] - '0');
  }
  return std::make_pair(Key.substr(6, Hash - 6), Index);
}

std::string HandleGraph::functionOfParam(const std::string &Key) {
  auto P = paramOf(Key);
  return P ? P->first : "";
}

bool HandleGraph::fromOutside(const std::string &Key) const {
  return paramOf(Key) && flowsInto(Key).empty();
}

std::string HandleGraph::shortName(const std::string &FnKey) {
  return support::functionNameOfKey(FnKey) + "()";
}

std::string HandleGraph::handleName(const std::string &Key) {
  std::string N = Key.substr(0, Key.find('@'));
  auto Colon = N.find(':');
  std::string Kind = Colon == std::string::npos ? "" : N.substr(0, Colon);
  N = N.substr(Colon == std::string::npos ? 0 : Colon + 1);
  if (Kind == "param") {
    auto Hash = N.rfind('#');
    return Hash == std::string::npos ? N : "parameter " + N.substr(Hash + 1) + " of " + shortName(N.substr(0, Hash));
  }
  if (Kind == "field" || Kind == "global")
    if (auto Scope = N.rfind("::"); Scope != std::string::npos)
      return N.substr(Scope + 2);
  return N;
}

const std::vector<const model::HandleFlow *> &HandleGraph::flowsFrom(const std::string &Key) const {
  return at(FlowsFrom, Key);
}
const std::vector<const model::HandleFlow *> &HandleGraph::flowsInto(const std::string &ParamKey) const {
  return at(FlowsInto, ParamKey);
}
const std::vector<const model::Setting *> &HandleGraph::settingsOn(const std::string &Key) const {
  return at(ByHandle, Key);
}
const std::vector<const model::Setting *> &HandleGraph::objectSettingsOn(const std::string &Key) const {
  return at(ObjectByHandle, Key);
}
const std::vector<const model::CallEdge *> &HandleGraph::callersOf(const std::string &Fn) const {
  return at(CallersOf, Fn);
}
const std::vector<const model::CallEdge *> &HandleGraph::calleesOf(const std::string &Fn) const {
  return at(CalleesOf, Fn);
}
const std::vector<const model::ArgValue *> &HandleGraph::argsOf(const std::string &ParamKey) const {
  return at(ArgsOf, ParamKey);
}
const std::vector<const model::CallSite *> &HandleGraph::sitesIn(const std::string &Fn) const {
  return at(SitesIn, Fn);
}
const model::Function *HandleGraph::function(const std::string &Key) const {
  auto It = FunctionsByKey.find(Key);
  return It == FunctionsByKey.end() ? nullptr : It->second;
}

std::vector<Applied> HandleGraph::settingsReaching(const std::string &Key,
                                                   const model::Location &Before) const {
  return settingsReaching(std::vector<Root>{{Key, Before}});
}

std::vector<Applied> HandleGraph::settingsReaching(const std::vector<Root> &Roots) const {
  std::vector<Applied> Out;
  std::set<std::string> Visited;
  for (const auto &R : Roots)
    collect(R.Key, R.Before, {}, Out, Visited, 0);
  return Out;
}

void HandleGraph::collect(const std::string &Key, const model::Location &Before, std::vector<Evidence> Path,
                          std::vector<Applied> &Out, std::set<std::string> &Visited, int Depth,
                          bool Descended) const {
  if (Key.empty() || Depth > 6 || !Visited.insert(Key).second)
    return;
  bool Ordered = sameFunctionLocal(Key) && Before.valid();
  for (const model::Setting *S : at(ByHandle, Key)) {
    // Set after the call: does not protect it. A setting at the call's own
    // location is made by the call itself (PQconnectdb's conninfo).
    if (Ordered && S->Loc.File == Before.File && Before < S->Loc)
      continue;
    Out.push_back({S, Path});
  }
  // The handle was derived from another (a transaction from its connection).
  if (auto It = DerivedFrom.find(Key); It != DerivedFrom.end())
    for (const auto &From : It->second)
      collect(From, {}, Path, Out, Visited, Depth + 1, Descended);
  // Helpers that received this handle before the call.
  for (const model::HandleFlow *F : at(FlowsFrom, Key)) {
    if (Ordered && F->Loc.File == Before.File && !(F->Loc < Before))
      continue;
    if (F->CalleeKey.rfind("callable:", 0) == 0) {
      // Handed to a std::function/template parameter: whatever lambda the
      // callers pass there configures it.
      for (const model::HandleFlow *L : at(FlowsInto, "param:" + F->CalleeKey.substr(9)))
        if (L->HandleKey.rfind("lambda:", 0) == 0) {
          auto P = Path;
          P.push_back({F->Loc.File, F->Loc.Line, "passes the handle to a callback"});
          P.push_back({L->Loc.File, L->Loc.Line, "callback supplied here"});
          collect(paramKey(L->HandleKey.substr(7), F->ArgIndex), {}, P, Out, Visited, Depth + 1, true);
        }
      continue;
    }
    if (auto It = Opaque.find(F); It != Opaque.end()) {
      Out.push_back({&It->second, Path});
      continue;
    }
    auto P = Path;
    P.push_back({F->Loc.File, F->Loc.Line, "passes the handle to " + shortName(F->CalleeKey)});
    collect(paramKey(F->CalleeKey, F->ArgIndex), {}, P, Out, Visited, Depth + 1, true);
  }
  // A parameter: what callers configured before passing it in. Only for the
  // handle the walk started from (or reached by going up): a helper's parameter
  // reached by passing this handle down receives other callers' handles too,
  // and their settings are not this handle's.
  if (Key.rfind("param:", 0) == 0 && !Descended)
    for (const model::HandleFlow *F : at(FlowsInto, Key)) {
      auto P = Path;
      P.push_back({F->Loc.File, F->Loc.Line,
                   (F->FunctionKey.empty() ? std::string("a caller") : shortName(F->FunctionKey)) +
                       " passes its handle `" + handleName(F->HandleKey) + "` in"});
      collect(F->HandleKey, F->Loc, P, Out, Visited, Depth + 1);
    }
}

void HandleGraph::walkCallers(const std::string &Fn, const CallerVisit &Visit) const {
  std::set<std::string> Seen;
  callersUp(Fn, 0, {}, Visit, Seen);
}

void HandleGraph::callersUp(const std::string &Fn, int Depth, const std::vector<Evidence> &Path,
                            const CallerVisit &Visit, std::set<std::string> &Seen) const {
  if (Depth > 3 || !Seen.insert(Fn).second)
    return;
  // A lambda runs where it is passed: its path goes through the call that hands
  // it to a helper (`with_retry(policy, [&] { ... })`) and on up from the
  // function making that call, not through every other user of the helper.
  if (Fn.rfind("lambda@", 0) == 0 && !at(FlowsFrom, "lambda:" + Fn).empty()) {
    for (const model::CallEdge *E : at(CallersOf, Fn)) { // the helper's invocation of it
      auto P = Path;
      P.push_back({E->Loc.File, E->Loc.Line, "invoked by " + shortName(E->CallerKey)});
      if (Visit(*E, P))
        return;
    }
    for (const model::HandleFlow *F : at(FlowsFrom, "lambda:" + Fn)) {
      auto P = Path;
      P.push_back({F->Loc.File, F->Loc.Line,
                   "runs in a lambda passed to " + shortName(F->CalleeKey) + " in " + shortName(F->FunctionKey)});
      if (auto It = EdgeAt.find({F->Loc, F->CalleeKey}); It != EdgeAt.end() && Visit(*It->second, P))
        return;
      callersUp(F->FunctionKey, Depth + 1, P, Visit, Seen);
    }
    return;
  }
  for (const model::CallEdge *E : at(CallersOf, Fn)) {
    auto P = Path;
    P.push_back({E->Loc.File, E->Loc.Line, "called from " + shortName(E->CallerKey)});
    if (Visit(*E, P))
      return;
    callersUp(E->CallerKey, Depth + 1, P, Visit, Seen);
  }
}

} // namespace im::analysis
