#include "analysis/Reach.h"

#include <map>

namespace im::analysis {

std::set<std::string> reachingFiles(const std::vector<model::TUFacts> &Units) {
  std::set<std::string> Reaching; // function keys
  std::vector<std::string> Work;
  auto Mark = [&](const std::string &Key) {
    if (!Key.empty() && Reaching.insert(Key).second)
      Work.push_back(Key);
  };
  std::multimap<std::string, std::string> CallersOf, BasesOf;
  for (const auto &U : Units) {
    for (const auto &C : U.CallSites)
      Mark(C.FunctionKey);
    for (const auto &S : U.Settings)
      Mark(S.FunctionKey);
    for (const auto &F : U.Forwarders)
      Mark(F.FunctionKey);
    for (const auto &S : U.Security)
      Mark(S.FunctionKey);
    for (const auto &E : U.Calls)
      CallersOf.emplace(E.CalleeKey, E.CallerKey);
    for (const auto &O : U.Overrides)
      BasesOf.emplace(O.MethodKey, O.BaseKey);
  }
  while (!Work.empty()) {
    std::string Key = std::move(Work.back());
    Work.pop_back();
    for (auto [It, End] = CallersOf.equal_range(Key); It != End; ++It)
      Mark(It->second);
    for (auto [It, End] = BasesOf.equal_range(Key); It != End; ++It)
      Mark(It->second);
  }
  std::set<std::string> Files;
  for (const auto &U : Units) {
    for (const auto &F : U.Functions)
      if (Reaching.count(F.Key)) {
        Files.insert(F.Loc.File);
        if (!F.DeclFile.empty())
          Files.insert(F.DeclFile);
      }
    for (const auto &O : U.Overrides)
      if (Reaching.count(O.BaseKey) && !O.BaseFile.empty())
        Files.insert(O.BaseFile);
  }
  Files.erase("");
  return Files;
}

namespace {
void callsIn(const model::StrExpr &E, std::set<std::string> &Keys) {
  for (const auto &P : E) {
    if (P.Kind == "call")
      Keys.insert(P.Text);
    for (const auto &A : P.Args)
      callsIn(A, Keys);
  }
}

/// `ns::Class::name(int,const char *) const` -> `name`.
std::string unqualifiedName(const std::string &Key) {
  std::string Name = Key.substr(0, Key.find('('));
  if (size_t Colons = Name.rfind("::"); Colons != std::string::npos)
    Name = Name.substr(Colons + 2);
  return Name;
}
} // namespace

std::set<std::string> undefinedValueFunctions(const std::vector<model::TUFacts> &Units) {
  std::set<std::string> Used, Defined;
  for (const auto &U : Units) {
    for (const auto &C : U.CallSites)
      callsIn(C.EndpointExpr, Used);
    for (const auto &S : U.Settings)
      callsIn(S.Expr, Used);
    for (const auto &I : U.FieldInits)
      callsIn(I.Expr, Used);
    for (const auto &E : U.Calls)
      for (const auto &A : E.StrArgs)
        callsIn(A, Used);
    for (const auto &F : U.Functions) {
      Defined.insert(F.Key);
      for (const auto &R : F.Returns)
        callsIn(R, Used);
    }
  }
  std::set<std::string> Names;
  for (const auto &K : Used)
    if (!Defined.count(K) && K.rfind("lambda@", 0) != 0)
      if (std::string N = unqualifiedName(K); !N.empty())
        Names.insert(N);
  return Names;
}

} // namespace im::analysis
