#include "matchers/FactOrder.h"

#include <algorithm>
#include <tuple>

namespace im::matchers {

void canonicalOrder(model::TUFacts &F) {
  auto ByLoc = [](const auto &A, const auto &B) { return A.Loc < B.Loc; };
  std::stable_sort(F.CallSites.begin(), F.CallSites.end(), [](const auto &A, const auto &B) {
    return std::tie(A.Loc, A.Operation) < std::tie(B.Loc, B.Operation);
  });
  F.CallSites.erase(std::unique(F.CallSites.begin(), F.CallSites.end(),
                                [](const auto &A, const auto &B) {
                                  return A.Loc == B.Loc && A.Operation == B.Operation;
                                }),
                    F.CallSites.end());
  std::stable_sort(F.Settings.begin(), F.Settings.end(), [](const auto &A, const auto &B) {
    return std::tie(A.Loc, A.Option, A.HandleKey, A.Concern) < std::tie(B.Loc, B.Option, B.HandleKey, B.Concern);
  });
  // One call may set several things under one option name (redisConnectWithTimeout:
  // the endpoint and the timeout): only a repeat of the same concern is a duplicate.
  F.Settings.erase(std::unique(F.Settings.begin(), F.Settings.end(),
                               [](const auto &A, const auto &B) {
                                 return A.Loc == B.Loc && A.Option == B.Option &&
                                        A.HandleKey == B.HandleKey && A.Concern == B.Concern;
                               }),
                   F.Settings.end());
  std::stable_sort(F.Flows.begin(), F.Flows.end(), ByLoc);
  F.Flows.erase(std::unique(F.Flows.begin(), F.Flows.end(),
                            [](const auto &A, const auto &B) {
                              return A.Loc == B.Loc && A.HandleKey == B.HandleKey &&
                                     A.ArgIndex == B.ArgIndex && A.CalleeKey == B.CalleeKey;
                            }),
                F.Flows.end());
  std::stable_sort(F.Calls.begin(), F.Calls.end(), ByLoc);
  F.Calls.erase(std::unique(F.Calls.begin(), F.Calls.end(),
                            [](const auto &A, const auto &B) {
                              return A.Loc == B.Loc && A.CalleeKey == B.CalleeKey &&
                                     A.CallerKey == B.CallerKey;
                            }),
                F.Calls.end());
  std::stable_sort(F.Constructions.begin(), F.Constructions.end(), ByLoc);
  std::stable_sort(F.CallableCalls.begin(), F.CallableCalls.end(), ByLoc);
  std::stable_sort(F.CallableBinds.begin(), F.CallableBinds.end(), ByLoc);
  std::stable_sort(F.Functions.begin(), F.Functions.end(),
                   [](const auto &A, const auto &B) { return A.Key < B.Key; });
  std::stable_sort(F.Loops.begin(), F.Loops.end(), ByLoc);
  F.Loops.erase(std::unique(F.Loops.begin(), F.Loops.end(),
                            [](const auto &A, const auto &B) {
                              return A.Id == B.Id && A.CallableParam == B.CallableParam;
                            }),
                F.Loops.end());
  std::stable_sort(F.EnvReads.begin(), F.EnvReads.end(), [](const auto &A, const auto &B) {
    return std::tie(A.Loc, A.Name) < std::tie(B.Loc, B.Name);
  });
  F.EnvReads.erase(std::unique(F.EnvReads.begin(), F.EnvReads.end(),
                               [](const auto &A, const auto &B) {
                                 return A.Loc == B.Loc && A.Name == B.Name;
                               }),
                   F.EnvReads.end());
}

} // namespace im::matchers
