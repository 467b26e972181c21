#include "analysis/CallGraph.h"

#include "support/Names.h"

#include <vector>

namespace im::analysis {
using support::lastName;
using support::scopeOf;

namespace {
std::string nameFromKey(const std::string &Key) {
  auto P = Key.find('(');
  return P == std::string::npos ? Key : Key.substr(0, P);
}
} // namespace

bool isStructor(const std::string &Name) {
  std::string S = scopeOf(Name), L = lastName(Name);
  return !S.empty() && (lastName(S) == L || L == "~" + lastName(S));
}

bool matchesEntry(const std::string &Name, const std::string &Wanted) {
  return Name == Wanted || (Name.size() > Wanted.size() + 2 &&
                            Name.compare(Name.size() - Wanted.size(), Wanted.size(), Wanted) == 0 &&
                            Name.compare(Name.size() - Wanted.size() - 2, 2, "::") == 0);
}

CallGraph::CallGraph(const model::Report &R) {
  for (const auto &F : R.Functions)
    Names[F.Key] = F.Name;
  for (const auto &E : R.Calls) {
    Callers[E.CalleeKey].insert(E.CallerKey);
    Callees[E.CallerKey].insert(E.CalleeKey);
    Names.emplace(E.CallerKey, nameFromKey(E.CallerKey));
    Names.emplace(E.CalleeKey, nameFromKey(E.CalleeKey));
  }
  // Virtual dispatch: a call to the base method may run each override, as if
  // the base called it.
  for (const auto &O : R.Overrides)
    if (Callers.count(O.BaseKey)) {
      Callers[O.MethodKey].insert(O.BaseKey);
      Callees[O.BaseKey].insert(O.MethodKey);
      Names.emplace(O.BaseKey, nameFromKey(O.BaseKey));
    }
  for (const auto &C : R.CallSites)
    Names.emplace(C.FunctionKey, C.Function);
  for (const auto &[K, N] : Names)
    if (std::string S = scopeOf(N); !S.empty()) {
      ByScope[S].insert(K);
      if (isStructor(N))
        StructorsByScope[S].push_back(K);
    }
}

std::string CallGraph::name(const std::string &K) const {
  auto It = Names.find(K);
  return It == Names.end() ? nameFromKey(K) : It->second;
}

std::set<std::string> CallGraph::users(const std::string &K) const {
  std::set<std::string> Out{K};
  std::string N = name(K);
  if (isStructor(N))
    if (auto It = ByScope.find(scopeOf(N)); It != ByScope.end())
      Out.insert(It->second.begin(), It->second.end());
  return Out;
}

std::set<std::string> CallGraph::ancestors(const std::set<std::string> &Start,
                                           const std::set<std::string> &Skip) const {
  std::set<std::string> Seen;
  std::vector<std::string> Work;
  for (const auto &S : Start)
    for (const auto &U : users(S))
      Work.push_back(U);
  while (!Work.empty()) {
    std::string K = Work.back();
    Work.pop_back();
    if (Skip.count(K) || !Seen.insert(K).second)
      continue;
    if (auto It = Callers.find(K); It != Callers.end())
      for (const auto &C : It->second)
        Work.push_back(C);
  }
  return Seen;
}

std::set<std::string> CallGraph::descendants(const std::set<std::string> &Start) const {
  std::set<std::string> Reach;
  std::vector<std::string> Work(Start.begin(), Start.end());
  while (!Work.empty()) {
    std::string Cur = Work.back();
    Work.pop_back();
    if (!Reach.insert(Cur).second)
      continue;
    for (const auto &U : users(Cur))
      if (U != Cur)
        Work.push_back(U);
    if (auto It = Callees.find(Cur); It != Callees.end())
      for (const auto &Ce : It->second) {
        Work.push_back(Ce);
        if (auto Sc = StructorsByScope.find(scopeOf(name(Ce))); Sc != StructorsByScope.end())
          for (const auto &Mb : Sc->second)
            Work.push_back(Mb);
      }
  }
  return Reach;
}

ClientPaths clientPaths(const model::Report &R) {
  CallGraph G(R);
  std::set<std::string> Keep =
      G.ancestors(std::set<std::string>(R.ClientFunctions.begin(), R.ClientFunctions.end()));
  ClientPaths Out;
  for (const auto &F : R.Functions)
    if (Keep.count(F.Key))
      Out.Functions.push_back(&F);
  for (const auto &E : R.Calls)
    if (Keep.count(E.CallerKey) && Keep.count(E.CalleeKey))
      Out.Calls.push_back(&E);
  return Out;
}

} // namespace im::analysis
