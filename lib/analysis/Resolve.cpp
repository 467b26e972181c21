#include "analysis/Resolve.h"
#include "analysis/Callables.h"
#include "analysis/Wrappers.h"
#include "support/Secrets.h"

#include "analysis/Protections.h"
#include "analysis/Endpoints.h"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstdlib>
#include <cstring>
#include <set>
#include <sstream>

namespace im::analysis {
using model::CallSite;
using model::Evidence;
using model::Setting;
using model::Value;

std::optional<double> toSeconds(const Value &V, const std::string &Unit) {
  double X;
  if (V.K == Value::Kind::Int)
    X = static_cast<double>(V.Int);
  else if (V.K == Value::Kind::Float)
    X = V.Float;
  else if (V.K == Value::Kind::String) {
    char *End = nullptr;
    X = std::strtod(V.Str.c_str(), &End);
    if (End == V.Str.c_str())
      return std::nullopt;
  } else
    return std::nullopt;
  auto Scale = support::secondsPerUnit(Unit);
  return Scale ? std::optional<double>(X * *Scale) : std::nullopt;
}

namespace {

/// Settings reaching the handle of `C`: on the handle itself (before the call
/// for locals), on what it was derived from, in helpers it was passed to, and
/// in callers that passed it in as a parameter.
std::vector<Applied> settingsFor(const CallSite &C, const catalog::Operation *Op, const HandleGraph &G) {
  // A handle the call returns (an async token) is configured after the call by
  // construction (`auto tok = cli.publish(m); tok->wait_for(1s)`): no ordering.
  bool ResultHandle = Op && Op->Handle.K == catalog::HandleSpec::Kind::Result;
  std::vector<HandleGraph::Root> Roots{{C.HandleKey, ResultHandle ? model::Location{} : C.Loc}};
  for (const auto &K : C.ExtraHandleKeys) // catalog "extra_handles"
    Roots.push_back({K, C.ImplLoc.valid() ? C.ImplLoc : C.Loc});
  // A call through a project wrapper: what the wrapper sets on its own handle
  // before its library call holds for every caller.
  if (!C.ImplHandleKey.empty())
    Roots.push_back({C.ImplHandleKey, ResultHandle ? model::Location{} : C.ImplLoc});
  std::vector<Applied> Out = G.settingsReaching(Roots);
  // ... but not before it: a local reassigned by this call (`tok = cli.publish(m)`)
  // no longer holds the token an earlier `tok->wait_for(...)` bounded.
  if (ResultHandle && HandleGraph::sameFunctionLocal(C.HandleKey))
    Out.erase(std::remove_if(Out.begin(), Out.end(),
                             [&](const Applied &A) {
                               return A.S->HandleKey == C.HandleKey &&
                                      A.S->Loc.File == C.Loc.File && A.S->Loc < C.Loc;
                             }),
              Out.end());
  return Out;
}

void resolveEndpoint(CallSite &C, const std::vector<Applied> &All) {
  if (!C.Endpoint.empty()) {
    C.Endpoint = support::redactSecrets(C.Endpoint);
    return;
  }
  for (const auto &A : All)
    if (A.S->Concern == "endpoint") {
      if (A.S->Val.K == Value::Kind::String) {
        C.Endpoint = support::redactSecrets(A.S->Val.Str);
        C.EndpointSource = "literal";
      } else if (!A.S->Val.DependsOn.empty() && C.EndpointSource.empty()) {
        C.EndpointSource = A.S->Val.DependsOn;
      }
    }
  if (C.EndpointSource.empty())
    C.EndpointSource = "unknown";
}

} // namespace

void resolve(Merged &M, const catalog::Catalog &Cat,
             const std::vector<std::string> &BreakerClasses, bool WholeProgram) {
  bindCallables(M);
  addConfiguredBreakers(M, BreakerClasses);
  expandForwarders(M, Cat);
  inferWrappers(M);
  {
    HandleGraph G(M);
    EndpointFolder Folder(M); // conninfo strings built by project helpers
    std::set<const CallSite *> NotClients; // handles never connected (accepted server sockets)
    for (auto &C : M.CallSites) {
      const catalog::Library *Lib = Cat.library(C.Library);
      const catalog::Operation *Op = Cat.lookupOperation(C.Operation).second;
      std::vector<Applied> All = settingsFor(C, Op, G);
      // A stream handed in by a caller the analysis does not see (a public
      // function's parameter) may be a connected one: only a stream the analysed
      // code made without connecting it (an accepted socket) is a server's.
      const std::string &Root = C.RootHandleKey.empty() ? C.HandleKey : C.RootHandleKey;
      bool FromOutside = G.fromOutside(Root);
      if (Op && Op->OnlyIfConnected && !FromOutside &&
          std::none_of(All.begin(), All.end(), [](const Applied &A) { return A.S->Concern == "connect"; })) {
        NotClients.insert(&C);
        continue;
      }
      if (Op && Op->NotToPeer &&
          std::any_of(All.begin(), All.end(), [](const Applied &A) { return A.S->Concern == "peer"; })) {
        NotClients.insert(&C);
        continue;
      }
      resolveEndpoint(C, All);
      resolveTimeout(C, Lib, Op, All, G, WholeProgram, &Folder);
      resolveRetry(C, Lib, Op, All, M, G);
      resolveScopeGuard(C, M, G);
      resolveBreaker(C, M, G);
      resolveFallback(C, G, Cat);
      resolveInactive(C, Lib, M, G);
    }
    M.CallSites.erase(std::remove_if(M.CallSites.begin(), M.CallSites.end(),
                                     [&](const CallSite &C) { return NotClients.count(&C); }),
                      M.CallSites.end());
  }
  for (auto &C : M.CallSites) {
    std::sort(C.Timeout.Evidence.begin(), C.Timeout.Evidence.end());
    C.Timeout.Evidence.erase(std::unique(C.Timeout.Evidence.begin(), C.Timeout.Evidence.end()),
                             C.Timeout.Evidence.end());
    if (!C.CircuitBreaker.Present && C.CircuitBreaker.Reason.empty())
      C.CircuitBreaker.Reason = "no circuit breaker wraps or guards this call";
    if (!C.Fallback.Present && C.Fallback.Reason.empty())
      C.Fallback.Reason = "no fallback path was found for a failure of this call";
  }
}

} // namespace im::analysis
