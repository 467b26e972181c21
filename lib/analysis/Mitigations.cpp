// The mitigation plan: what to add to each integration, with C++ for its library.
#include "analysis/DocumentParts.h"
#include "catalog/MitigationSnippets.h"

#include <algorithm>
#include <map>
#include <cctype>
#include <cmath>
#include <tuple>

namespace im::analysis {
using model::CallSite;

namespace {

/// The C++ shown for each pattern: the catalog's for the call's library and
/// operation (written for the handle's real type), else advice in words.
struct Snippets {
  std::string Timeout, Retry, Breaker, Fallback, Health, Success;
};

Snippets snippetsFor(const CallSite &C, const model::Integration &I, const catalog::Catalog *Cat) {
  // Through a project wrapper the library call, and the handle a setting or a
  // retry needs, are inside the wrapper: the snippet is written there.
  bool Inside = !C.ImplHandleKey.empty();
  const std::string &Named = Inside ? C.ImplHandle : C.Handle;
  const std::string &Type = Inside ? C.ImplHandleType : C.HandleType;
  std::string H = Named.empty() ? "h" : Named;
  std::string BreakerName = glossaryKey(I.Id);
  BreakerName[0] = static_cast<char>(std::tolower(static_cast<unsigned char>(BreakerName[0])));
  BreakerName += "Breaker";
  catalog::MitigationSnippets M = Cat ? Cat->mitigationsFor(C.Library, C.Operation) : catalog::MitigationSnippets{};
  auto Expand = [&](const std::string &Text, std::string Otherwise) {
    return Text.empty() ? std::move(Otherwise) : catalog::expandSnippet(Text, H, Type);
  };
  Snippets S;
  S.Success = Expand(M.Success, "/* call succeeded */ true");
  S.Timeout = Expand(M.Timeout, "// set the library's timeout option on `" + H + "` before the call (5 s)");
  if (Inside && C.ImplLoc.valid() && !M.Timeout.empty())
    S.Timeout = "// in the wrapper, at its library call (" + C.ImplLoc.File + ":" +
                std::to_string(C.ImplLoc.Line) + "):\n" + S.Timeout;
  S.Retry = Expand(M.Retry, "// wrap the call in a loop of at most 3 attempts with a growing sleep");
  S.Health = Expand(M.Health, "// probe the dependency with a cheap request and a 1 s timeout");
  S.Fallback = Expand(M.Fallback, "");
  S.Breaker = "// One breaker per integration, shared by its call sites (see docs/scoring.md).\n"
              "static CircuitBreaker " + BreakerName +
              "{/*failure_threshold=*/5, /*open_for=*/std::chrono::seconds(30)};\n"
              "if (!" + BreakerName + ".allowRequest())\n"
              "  return failFast(); // cached value, queued job or a clear error\n"
              "bool ok = " + S.Success + ";\n" + BreakerName + ".record(ok);";
  if (S.Fallback.empty()) {
    if (I.Category == "payment")
      S.Fallback = "if (!ok) {\n"
                   "  outbox.enqueue(PendingCharge{orderId, amountCents}); // retried by a worker\n"
                   "  return ChargeResult::pending();\n"
                   "}";
    else if (C.Kind == "db")
      S.Fallback = "if (!ok)\n"
                   "  return readFromReplica(); // a read replica or the last known value";
    else
      S.Fallback = "if (!ok)\n"
                   "  deliveryQueue.push(request); // deliver later instead of failing the caller";
  }
  return S;
}

} // namespace

std::vector<model::Mitigation> planMitigations(std::vector<model::IntegrationRisk> &Risks,
                                               const std::vector<SiteView> &Views,
                                               const catalog::Catalog *Cat) {
  std::vector<model::Mitigation> Plan;
  auto PriorityRank = [](const std::string &P) {
    return P == "CRITICAL" ? 0 : P == "HIGH" ? 1 : P == "MEDIUM" ? 2 : 3;
  };
  for (size_t K = 0; K < Views.size(); ++K) {
    auto &X = Risks[K];
    const auto &I = *Views[K].I;
    if (Views[K].Sites.empty())
      continue;
    std::vector<PatternVerdict> Pv = {judgeTimeout(Views[K].Sites), judgeRetry(Views[K].Sites),
                                      judgeCircuitBreaker(Views[K].Sites),
                                      judgeFallback(Views[K].Sites), judgeHealthCheck(Views[K].Sites)};
    double Points = 0;
    for (const auto &P : Pv)
      Points += P.Points;
    int C = X.Criticality;
    auto Add = [&](const PatternVerdict &P, const CallSite &At, std::string Priority,
                   std::string Title, std::string Why, std::string Code, std::string Effort) {
      model::Mitigation M;
      // No mitigation is more urgent than a missing timeout at the same
      // criticality: an unbounded retry of a criticality-2 integration is MEDIUM.
      const char *Cap = C >= 7 ? "CRITICAL" : C >= 4 ? "HIGH" : "MEDIUM";
      if (PriorityRank(Priority) < PriorityRank(Cap))
        Priority = Cap;
      M.Priority = std::move(Priority);
      M.Integration = X.Id;
      M.Pattern = P.J.Pattern;
      M.Title = std::move(Title);
      M.Why = std::move(Why);
      M.Code = std::move(Code);
      M.At = refOf(At);
      M.Effort = std::move(Effort);
      M.RiskBefore = riskScore(C, X.Resilience);
      int After = std::clamp(static_cast<int>(std::lround(Points - P.Points + P.Max)), 1, 10);
      M.RiskAfter = riskScore(C, After);
      Plan.push_back(std::move(M));
    };
    auto Worst = [&](auto Pred) -> const CallSite & {
      for (const auto *S : Views[K].Sites)
        if (Pred(*S))
          return *S;
      return *Views[K].Sites.front();
    };
    const CallSite &Any = Worst([](const CallSite &) { return true; });
    Snippets S = snippetsFor(Any, I, Cat);
    if (Pv[0].Cell.Mark == "bad") {
      const CallSite &At = Worst([](const CallSite &S) { return timeoutMissing(S); });
      Snippets St = snippetsFor(At, I, Cat);
      Add(Pv[0], At, C >= 7 ? "CRITICAL" : C >= 4 ? "HIGH" : "MEDIUM",
          "Add a timeout to `" + At.Operation + "` in `" + shortFunctionName(At.Function) + "`",
          "the call can block its thread forever while " + X.Name + " hangs", St.Timeout, "15 min");
    } else if (Pv[0].Cell.Mark == "warn") {
      const CallSite &At = Worst([](const CallSite &S) { return !timeoutBounded(S); });
      Add(Pv[0], At, "MEDIUM", "Bound the run-time timeout of `" + At.Operation + "`",
          "the value comes from configuration; clamp it so 0 or a typo cannot mean 'forever'",
          snippetsFor(At, I, Cat).Timeout, "30 min");
    }
    if (Pv[1].Cell.Mark == "bad") {
      const CallSite &At = Worst([](const CallSite &S) { return !S.Retry.Present; });
      Add(Pv[1], At, C >= 7 ? "HIGH" : C >= 4 ? "MEDIUM" : "LOW",
          "Retry `" + At.Operation + "` in `" + shortFunctionName(At.Function) + "` with exponential backoff",
          "a transient network error fails the operation at once", snippetsFor(At, I, Cat).Retry,
          "2 hours");
    } else if (Pv[1].Cell.Mark == "warn" &&
               std::any_of(Views[K].Sites.begin(), Views[K].Sites.end(),
                           [](const CallSite *S) { return !S->Retry.Present; })) {
      const CallSite &At = Worst([](const CallSite &S) { return !S.Retry.Present; });
      Add(Pv[1], At, C >= 7 ? "HIGH" : C >= 4 ? "MEDIUM" : "LOW",
          "Retry `" + At.Operation + "` in `" + shortFunctionName(At.Function) + "` with exponential backoff",
          "other calls of this integration retry, this one fails at the first error",
          snippetsFor(At, I, Cat).Retry, "1 hour");
    } else if (Pv[1].Cell.Mark == "warn") {
      const CallSite &At = Worst([](const CallSite &S) { return !retryGood(S); });
      Add(Pv[1], At, Pv[1].Cell.Text == "unbounded" ? "HIGH" : "MEDIUM",
          "Bound the retry of `" + At.Operation + "` and add backoff",
          "retries without a limit or a growing delay hammer a recovering service",
          snippetsFor(At, I, Cat).Retry, "1 hour");
    }
    if (Pv[2].Cell.Mark != "ok")
      Add(Pv[2], Any, C >= 7 ? "HIGH" : C >= 4 ? "MEDIUM" : "LOW",
          "Add a circuit breaker around " + X.Name,
          "during an outage every request still waits for " + X.Name + " to fail", S.Breaker,
          "4 hours");
    if (Pv[3].Cell.Mark != "ok")
      Add(Pv[3], Any, C >= 9 ? "HIGH" : C >= 4 ? "MEDIUM" : "LOW",
          "Add a fallback for " + X.Name,
          X.Spof ? "single point of failure: no fallback and no alternative provider"
                 : "a failure reaches the user directly",
          S.Fallback, "1 day");
    if (Pv[4].Cell.Mark != "ok")
      Add(Pv[4], Any, C >= 7 ? "MEDIUM" : "LOW", "Add a health check for " + X.Name,
          "no early warning before requests start failing", S.Health, "2 hours");
  }
  std::stable_sort(Plan.begin(), Plan.end(), [&](const auto &A, const auto &B) {
    int PA = PriorityRank(A.Priority), PB = PriorityRank(B.Priority);
    if (PA != PB)
      return PA < PB;
    if (A.RiskBefore - A.RiskAfter != B.RiskBefore - B.RiskAfter)
      return A.RiskBefore - A.RiskAfter > B.RiskBefore - B.RiskAfter;
    return std::tie(A.Integration, A.At.File, A.At.Line) < std::tie(B.Integration, B.At.File, B.At.Line);
  });
  std::map<std::string, std::vector<model::IntegrationRisk *>> RisksById;
  for (auto &X : Risks)
    RisksById[X.Id].push_back(&X);
  for (size_t K = 0; K < Plan.size(); ++K) {
    Plan[K].Id = "M" + std::to_string(K + 1);
    for (auto *X : RisksById[Plan[K].Integration])
      X->Mitigations.push_back(Plan[K].Id);
  }
  return Plan;
}

} // namespace im::analysis
