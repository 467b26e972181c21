// The rubric of docs/scoring.md: criticality, risk and resilience scores, and
// the judgement of each protection across the call sites of an integration.
#include "analysis/DocumentParts.h"
#include "analysis/Resolve.h"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstdio>
#include <set>
#include <tuple>

namespace im::analysis {
using model::CallSite;
using model::CodeRef;
using model::Judgement;
using model::MatrixCell;

int baseCriticality(const std::string &Kind, const std::string &Category) {
  static const std::map<std::string, int> ByCategory = {
      {"payment", 9}, {"db", 8},   {"queue", 6}, {"storage", 6}, {"rpc", 6}, {"cloud", 5},
      {"cache", 5},   {"http", 5}, {"email", 4}, {"sms", 4},     {"vcs", 3}, {"chat", 3}};
  if (auto It = ByCategory.find(Category); It != ByCategory.end())
    return It->second;
  if (auto It = ByCategory.find(Kind); It != ByCategory.end())
    return It->second;
  return 5;
}

std::string criticalityLevel(int C) {
  return C >= 9 ? "CRITICAL" : C >= 7 ? "HIGH" : C >= 4 ? "MEDIUM" : "LOW";
}

int riskScore(int Criticality, int Resilience) {
  int R = static_cast<int>(std::lround(Criticality * (11.0 - Resilience) / 10.0));
  return std::clamp(R, 1, 10);
}

double defaultRtoSeconds(const std::string &Level) {
  if (Level == "CRITICAL")
    return 5 * 60;
  if (Level == "HIGH")
    return 15 * 60;
  if (Level == "MEDIUM")
    return 60 * 60;
  return 4 * 3600;
}

std::string resilienceRating(double S) {
  return S < 4 ? "POOR" : S < 6 ? "FAIR" : S < 8 ? "GOOD" : "EXCELLENT";
}

std::string formatMoney(double Amount, const std::string &Currency) {
  long long V = std::llround(Amount);
  std::string Digits = std::to_string(V < 0 ? -V : V);
  std::string Grouped;
  for (size_t I = 0; I < Digits.size(); ++I) {
    if (I && (Digits.size() - I) % 3 == 0)
      Grouped += ',';
    Grouped += Digits[I];
  }
  if (V < 0)
    Grouped = "-" + Grouped;
  if (Currency == "USD")
    return "$" + Grouped;
  if (Currency == "EUR")
    return "€" + Grouped;
  if (Currency == "GBP")
    return "£" + Grouped;
  return Grouped + " " + Currency;
}

std::string formatScore(double S) {
  char Buf[32];
  std::snprintf(Buf, sizeof Buf, "%.2f", S);
  std::string O = Buf;
  while (O.find('.') != std::string::npos && (O.back() == '0' || O.back() == '.')) {
    bool Dot = O.back() == '.';
    O.pop_back();
    if (Dot)
      break;
  }
  return O;
}

std::string glossaryKey(const std::string &Name) {
  std::string Out;
  bool Up = true;
  for (char C : Name) {
    if (std::isalnum(static_cast<unsigned char>(C))) {
      Out += Up ? static_cast<char>(std::toupper(static_cast<unsigned char>(C))) : C;
      Up = false;
    } else {
      Up = true;
    }
  }
  return Out;
}


std::string plural(size_t N, const char *One, const char *Many) {
  return std::to_string(N) + " " + (N == 1 ? One : Many);
}
CodeRef refOf(const CallSite &C, std::string Note) {
  return {C.Loc.File, C.Loc.Line, Note.empty() ? "`" + C.Operation + "`" : std::move(Note)};
}
bool timeoutBounded(const CallSite &C) {
  return (C.Timeout.Status == "present" || C.Timeout.Status == "default") && !C.Timeout.Unbounded &&
         C.Timeout.Seconds;
}
bool timeoutMissing(const CallSite &C) {
  return C.Timeout.Status == "absent" || C.Timeout.Unbounded ||
         ((C.Timeout.Status == "present" || C.Timeout.Status == "default") && !C.Timeout.Seconds);
}
bool retryGood(const CallSite &C) {
  return C.Retry.Present && C.Retry.Bounded.value_or(false) && C.Retry.Backoff.value_or(false);
}

namespace {
/// Call sites sharing a handle share its evidence: list each line once.
void dedupe(std::vector<CodeRef> &Refs) {
  std::vector<CodeRef> Out;
  std::set<std::tuple<std::string, unsigned, std::string>> Seen;
  for (auto &R : Refs)
    if (Seen.emplace(R.File, R.Line, R.Note).second)
      Out.push_back(std::move(R));
  Refs = std::move(Out);
}
} // namespace

PatternVerdict judgeTimeout(const std::vector<const CallSite *> &Sites) {
  PatternVerdict V;
  V.Max = 3;
  V.J.Pattern = "timeout";
  if (Sites.empty()) {
    // Named only by env files or build manifests: nothing in the code to judge.
    V.Cell = {"warn", "no call site"};
    V.J.Mark = "warn";
    V.J.Title = "Not analysed";
    V.J.Detail = "no call of this integration in the analysed code (named by env files or build "
                 "manifests only)";
    return V;
  }
  std::vector<const CallSite *> Missing, Runtime, Default;
  double Worst = 0;
  for (const auto *C : Sites) {
    if (timeoutMissing(*C))
      Missing.push_back(C);
    else if (C->Timeout.Status == "conditional")
      Runtime.push_back(C);
    else {
      if (C->Timeout.Status == "default")
        Default.push_back(C);
      Worst = std::max(Worst, *C->Timeout.Seconds);
    }
  }
  if (!Missing.empty()) {
    V.Cell = {"bad", "none (" + std::to_string(Missing.size()) + "/" + std::to_string(Sites.size()) +
                         " calls)"};
    V.J.Mark = "bad";
    V.J.Title = "No timeout";
    V.J.Detail = plural(Missing.size(), "call", "calls") + " of " + std::to_string(Sites.size()) +
                 " can hang indefinitely";
    for (const auto *C : Missing)
      V.J.Refs.push_back(refOf(*C, C->Timeout.Reason));
  } else if (!Runtime.empty() || !Default.empty()) {
    V.Points = 1.5;
    V.Cell = {"warn", Runtime.empty() ? formatSeconds(Worst) + " (library default)" : "run-time value"};
    V.J.Mark = "warn";
    V.J.Title = Runtime.empty() ? "Library default timeout" : "Timeout from run-time configuration";
    V.J.Detail = Runtime.empty() ? "only the library default (" + formatSeconds(Worst) + ") bounds the call"
                                 : "the code does not prove the value bounds the call";
    for (const auto *C : Runtime.empty() ? Default : Runtime)
      V.J.Refs.push_back(refOf(*C, C->Timeout.Reason));
  } else {
    V.Points = 3;
    V.Cell = {"ok", formatSeconds(Worst)};
    V.J.Mark = "ok";
    V.J.Title = "Timeout on every call";
    V.J.Detail = "worst case " + formatSeconds(Worst) + " per attempt";
    for (const auto *C : Sites)
      for (const auto &E : C->Timeout.Evidence)
        V.J.Refs.push_back({E.File, E.Line, E.Note});
  }
  dedupe(V.J.Refs);
  return V;
}

PatternVerdict judgeRetry(const std::vector<const CallSite *> &Sites) {
  PatternVerdict V;
  V.Max = 2;
  V.J.Pattern = "retry";
  size_t Good = 0, Any = 0;
  bool Unbounded = false;
  std::optional<int> Attempts;
  for (const auto *C : Sites) {
    Any += C->Retry.Present;
    Good += retryGood(*C);
    Unbounded |= C->Retry.Present && C->Retry.Bounded && !*C->Retry.Bounded;
    if (C->Retry.MaxAttempts)
      Attempts = std::max(Attempts.value_or(0), *C->Retry.MaxAttempts);
  }
  if (Any == 0) {
    V.Cell = {"bad", "none"};
    V.J = {"bad", "retry", "No retry logic", "transient failures fail the operation at once", 0, {}};
    for (const auto *C : Sites)
      V.J.Refs.push_back(refOf(*C, C->Retry.Reason));
  } else if (Good == Sites.size()) {
    V.Points = 2;
    V.Cell = {"ok", (Attempts ? std::to_string(*Attempts) + "× " : std::string()) + "backoff"};
    V.J = {"ok", "retry", "Bounded retry with backoff", "on every call", 2, {}};
  } else {
    V.Points = 1;
    V.Cell = {"warn", Unbounded ? "unbounded" : Good ? std::to_string(Good) + "/" +
                                                           std::to_string(Sites.size()) + " calls"
                                                     : "no backoff"};
    V.J = {"warn", "retry", "Partial retry",
           Unbounded ? "a retry loop has no attempt limit"
                     : std::to_string(Any) + " of " + std::to_string(Sites.size()) +
                           " calls retried" + (Good < Any ? ", not all with backoff" : ""),
           1,
           {}};
  }
  if (V.J.Mark != "bad")
    for (const auto *C : Sites)
      for (const auto &E : C->Retry.Evidence)
        V.J.Refs.push_back({E.File, E.Line, E.Note});
  dedupe(V.J.Refs);
  return V;
}

static PatternVerdict judgePresence(const std::vector<const CallSite *> &Sites,
                                    model::Protection CallSite::*P, const char *Pattern,
                                    const char *Name, const char *Missing, double Max) {
  PatternVerdict V;
  V.Max = Max;
  V.J.Pattern = Pattern;
  size_t N = 0;
  for (const auto *C : Sites)
    N += (C->*P).Present;
  if (N == 0) {
    V.Cell = {"bad", "none"};
    V.J = {"bad", Pattern, std::string("No ") + Name, Missing, 0, {}};
  } else if (N == Sites.size()) {
    V.Points = Max;
    V.Cell = {"ok", "every call"};
    std::string Title = Name;
    Title[0] = static_cast<char>(std::toupper(static_cast<unsigned char>(Title[0])));
    V.J = {"ok", Pattern, Title, "on every call", static_cast<int>(Max), {}};
  } else {
    V.Points = Max / 2;
    V.Cell = {"warn", std::to_string(N) + "/" + std::to_string(Sites.size()) + " calls"};
    V.J = {"warn", Pattern, std::string("Partial ") + Name,
           std::to_string(N) + " of " + std::to_string(Sites.size()) + " calls", 1, {}};
  }
  for (const auto *C : Sites)
    for (const auto &E : (C->*P).Evidence)
      V.J.Refs.push_back({E.File, E.Line, E.Note});
  dedupe(V.J.Refs);
  return V;
}

PatternVerdict judgeCircuitBreaker(const std::vector<const CallSite *> &Sites) {
  return judgePresence(Sites, &CallSite::CircuitBreaker, "circuit_breaker", "circuit breaker",
                       "will keep calling a failing service during an outage", 2);
}
PatternVerdict judgeFallback(const std::vector<const CallSite *> &Sites) {
  return judgePresence(Sites, &CallSite::Fallback, "fallback", "fallback",
                       "a failure reaches the caller with no alternative path", 2);
}
PatternVerdict judgeHealthCheck(const std::vector<const CallSite *> &Sites) {
  // A health check is a call of the integration that is a cheap probe
  // (SELECT 1, PING, GET /health), recognised by the extractor.
  PatternVerdict V;
  V.Max = 1;
  for (const auto *C : Sites)
    if (C->HealthProbe)
      V.J.Refs.push_back(refOf(*C, C->ProbeNote));
  if (V.J.Refs.empty()) {
    V.Cell = {"bad", "none found"};
    V.J = {"bad", "health_check", "No health check found",
           "no probe of this dependency was recognised in the analyzed code", 0, {}};
    return V;
  }
  V.Points = 1;
  V.Cell = {"ok", "probe"};
  V.J.Mark = "ok";
  V.J.Pattern = "health_check";
  V.J.Title = "Health check";
  V.J.Detail = plural(V.J.Refs.size(), "probe", "probes") + " of this dependency";
  V.J.Points = 1;
  return V;
}

} // namespace im::analysis
