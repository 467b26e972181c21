#include "analysis/Rules.h"

#include "support/Files.h"

#include <algorithm>
#include <map>

namespace im::analysis {

const std::vector<RuleInfo> &rules() {
  static const std::vector<RuleInfo> R = {
      {"integration-missing-timeout", "MissingTimeout",
       "Integration call without a timeout",
       "The call can block its thread forever when the remote side is slow or down: no timeout "
       "is set on the handle, client or context it uses, or it is set to a value the library "
       "treats as infinite.",
       "high", 7.5},
      {"integration-unverified-timeout", "UnverifiedTimeout",
       "Integration timeout depends on run-time configuration",
       "A timeout is set, but its value comes from a parameter, a default member initializer, "
       "the environment or a configuration file, so the code alone does not prove it bounds the "
       "call.",
       "low", 3.0},
      {"integration-unbounded-retry", "UnboundedRetry", "Retry loop without a limit",
       "The call is retried until it succeeds, with no attempt limit or deadline: an outage turns "
       "into a busy loop and a pile-up of requests.",
       "high", 7.0},
      {"integration-retry-without-backoff", "RetryWithoutBackoff",
       "Retry without exponential backoff",
       "The call is retried at a fixed pace (or immediately): during an outage every client "
       "hammers the recovering service at the same rate.",
       "medium", 5.0},
      {"integration-missing-retry", "MissingRetry", "Integration call never retried",
       "A transient failure of this call fails the operation at once: no loop, retry helper or "
       "library policy repeats it. Only retry operations that are idempotent.",
       "low", 3.0},
  };
  return R;
}

const RuleInfo *rule(const std::string &Id) {
  for (const auto &R : rules())
    if (Id == R.Id)
      return &R;
  return nullptr;
}

int severityRank(const std::string &S) {
  if (S == "critical")
    return 4;
  if (S == "high")
    return 3;
  if (S == "medium")
    return 2;
  if (S == "low")
    return 1;
  return 0;
}

std::vector<model::Finding> evaluateRules(const std::vector<model::CallSite> &Sites,
                                          const catalog::Catalog &Cat,
                                          const std::string &SourceRoot) {
  std::vector<model::Finding> Out;
  auto Add = [&](const model::CallSite &C, const char *RuleId, std::string Message) {
    model::Finding F;
    F.Rule = RuleId;
    F.Severity = rule(RuleId)->Severity;
    F.Loc = C.Loc;
    F.Message = std::move(Message);
    F.CallSiteId = C.Id;
    F.Integration = C.Integration;
    // Identity without line numbers: unrelated edits above must not change it.
    F.Fingerprint = support::relativeTo(C.Loc.File, SourceRoot) + "|" + F.Rule + "|" +
                    C.Function + "|" + C.Operation + "|" + C.Handle;
    Out.push_back(std::move(F));
  };
  for (const auto &C : Sites) {
    std::string Op = "`" + C.Operation + "`";
    std::string On = C.Handle.empty() ? "" : " on `" + C.Handle + "`";
    const catalog::Library *Lib = Cat.library(C.Library);
    (void)Lib;
    if (C.Timeout.Status == "absent")
      Add(C, "integration-missing-timeout", Op + On + " has no timeout: " + C.Timeout.Reason);
    else if (C.Timeout.Status == "conditional")
      Add(C, "integration-unverified-timeout",
          Op + On + ": timeout not proven by the code: " + C.Timeout.Reason);
    if (C.Retry.Present) {
      if (C.Retry.Bounded && !*C.Retry.Bounded)
        Add(C, "integration-unbounded-retry",
            Op + On + " is retried without an attempt limit or deadline");
      else if (C.Retry.Backoff && !*C.Retry.Backoff)
        Add(C, "integration-retry-without-backoff",
            Op + On + " is retried without a growing delay between attempts");
    } else if (C.Kind == "http" || C.Kind == "rpc" || C.Kind == "queue" || C.Kind == "email" ||
               C.Kind == "cloud") {
      // Remote APIs fail transiently; a database statement or cache command is
      // usually retried at a higher level (the transaction, the request), so a
      // finding on each of them would be noise. The document still shows ❌.
      Add(C, "integration-missing-retry", Op + On + " is not retried: " + C.Retry.Reason);
    }
  }
  std::sort(Out.begin(), Out.end(), [](const auto &A, const auto &B) {
    return std::tie(A.Loc, A.Rule) < std::tie(B.Loc, B.Rule);
  });
  // Identical identities (two calls of one kind in one function) get an ordinal.
  std::map<std::string, int> Seen;
  for (auto &F : Out) {
    int N = Seen[F.Fingerprint]++;
    F.Fingerprint = support::fnv1a(F.Fingerprint + "|" + std::to_string(N));
  }
  return Out;
}

} // namespace im::analysis
