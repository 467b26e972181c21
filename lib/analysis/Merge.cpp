#include "analysis/Merge.h"
#include "model/FactKeys.h"

#include <algorithm>
#include <set>
#include <tuple>

namespace im::analysis {

Merged merge(std::vector<model::TUFacts> Units) {
  Merged M;
  std::set<std::pair<model::Location, std::string>> SeenCalls;
  std::set<std::tuple<model::Location, std::string, std::string, std::string>> SeenSettings;
  std::set<std::tuple<model::Location, std::string, std::string, std::string>> SeenObjectSettings;
  std::set<model::FlowKey> SeenFlows;
  std::set<model::EdgeKey> SeenEdges;
  std::set<std::string> SeenFns;
  std::set<std::pair<model::Location, std::string>> SeenGuards;
  std::set<model::ArgKey> SeenArgs;
  std::set<std::pair<std::string, std::string>> SeenOverrides;
  std::set<std::tuple<model::Location, std::string, std::string>> SeenForwarders;
  std::set<model::Location> SeenInactive;
  std::set<std::pair<model::Location, std::string>> SeenFieldInits;
  std::set<std::tuple<model::Location, std::string, std::string>> SeenConstructions;
  std::set<std::tuple<model::Location, std::string, std::string, std::string>> SeenSecurity;
  std::set<std::tuple<model::Location, std::string, std::string>> SeenCallable, SeenBinds;
  std::sort(Units.begin(), Units.end(),
            [](const auto &A, const auto &B) { return A.Unit.File < B.Unit.File; });
  for (auto &U : Units) {
    M.Units.push_back(U.Unit);
    for (auto &C : U.CallSites)
      if (SeenCalls.insert({C.Loc, C.Operation}).second)
        M.CallSites.push_back(std::move(C));
    for (auto &S : U.Settings)
      // One call may make several settings on a handle (mysql_real_connect: the
      // endpoint and the password), told apart by their concern.
      if (SeenSettings.insert({S.Loc, S.Option, S.HandleKey, S.Concern}).second)
        M.Settings.push_back(std::move(S));
    for (auto &S : U.ObjectSettings)
      if (SeenObjectSettings.insert({S.Loc, S.Option, S.HandleKey, S.Concern}).second)
        M.ObjectSettings.push_back(std::move(S));
    for (auto &F : U.Flows)
      if (SeenFlows.insert(model::keyOf(F)).second)
        M.Flows.push_back(std::move(F));
    for (auto &E : U.Calls)
      if (SeenEdges.insert(model::keyOf(E)).second)
        M.Calls.push_back(std::move(E));
    for (auto &F : U.Functions)
      if (SeenFns.insert(F.Key).second)
        M.Functions.push_back(std::move(F));
    for (auto &L : U.Loops) {
      std::string Key = L.Id + "#" + std::to_string(L.CallableParam);
      M.Loops.emplace(Key, std::move(L));
    }
    for (auto &C : U.Classes)
      M.Classes.emplace(C.Name, std::move(C));
    for (auto &G : U.ScopeGuards)
      if (SeenGuards.insert({G.Loc, G.Var}).second)
        M.ScopeGuards.push_back(std::move(G));
    for (auto &A : U.ArgValues)
      if (SeenArgs.insert(model::keyOf(A)).second)
        M.ArgValues.push_back(std::move(A));
    for (auto &W : U.Forwarders)
      if (SeenForwarders.insert({W.Loc, W.FunctionKey, W.Setter}).second)
        M.Forwarders.push_back(std::move(W));
    for (auto &O : U.Overrides)
      if (SeenOverrides.insert({O.MethodKey, O.BaseKey}).second)
        M.Overrides.push_back(std::move(O));
    for (auto &I : U.Inactive)
      if (SeenInactive.insert(I.Loc).second)
        M.Inactive.push_back(std::move(I));
    // Security facts: headers repeat them across units.
    for (auto &I : U.FieldInits)
      if (SeenFieldInits.insert({I.Loc, I.FieldKey}).second)
        M.FieldInits.push_back(std::move(I));
    for (auto &E : U.Constructions)
      if (SeenConstructions.insert({E.Loc, E.CallerKey, E.CalleeKey}).second)
        M.Constructions.push_back(std::move(E));
    for (auto &E : U.CallableCalls)
      if (SeenCallable.insert({E.Loc, E.CallerKey, E.CalleeKey}).second)
        M.CallableCalls.push_back(std::move(E));
    for (auto &B : U.CallableBinds)
      if (SeenBinds.insert({B.Loc, B.Slot, B.Value}).second)
        M.CallableBinds.push_back(std::move(B));
    for (auto &S : U.Security)
      if (SeenSecurity.insert({S.Loc, S.Type, S.Kind, S.Callee}).second)
        M.Security.push_back(std::move(S));
  }
  std::sort(M.CallSites.begin(), M.CallSites.end(), [](const auto &A, const auto &B) {
    return std::tie(A.Loc, A.Operation) < std::tie(B.Loc, B.Operation);
  });
  std::sort(M.Settings.begin(), M.Settings.end(),
            [](const auto &A, const auto &B) { return A.Loc < B.Loc; });
  std::sort(M.ObjectSettings.begin(), M.ObjectSettings.end(),
            [](const auto &A, const auto &B) { return A.Loc < B.Loc; });
  std::sort(M.Functions.begin(), M.Functions.end(),
            [](const auto &A, const auto &B) { return A.Key < B.Key; });
  return M;
}

} // namespace im::analysis
