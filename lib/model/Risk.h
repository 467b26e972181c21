// The integration risk document as plain data: what scoring computes and what
// every emitter (Markdown, JSON, glossary) prints. No Clang types, no logic.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <vector>

namespace im::model {

/// A place in the code a statement of the document rests on.
struct CodeRef {
  std::string File; // absolute; emitters make it relative
  unsigned Line = 0;
  std::string Note;
};

/// One ✅/⚠️/❌ line of a resilience or security list.
struct Judgement {
  std::string Mark;    // ok | warn | bad
  std::string Pattern; // timeout | retry | circuit_breaker | fallback | health_check | transport | credentials | instances
  std::string Title;   // "No timeout"
  std::string Detail;  // "can hang indefinitely"
  int Points = 0;      // contribution to the score (rubric in docs/scoring.md)
  std::vector<CodeRef> Refs;
};

/// A cell of the resilience quality matrix.
struct MatrixCell {
  std::string Mark; // ok | warn | bad
  std::string Text; // "5 s", "3× backoff", "none"
};

struct Mitigation {
  std::string Id;          // "M1": order in the plan
  std::string Priority;    // CRITICAL | HIGH | MEDIUM | LOW
  std::string Integration; // integration id
  std::string Pattern;     // timeout | retry | circuit_breaker | fallback | health_check | redundancy
  std::string Title;
  std::string Why;
  std::string Code;        // concrete C++ for the library
  CodeRef At;              // the call or handle it applies to
  std::string Effort;      // "15 min", "2 hours", "1 day"
  int RiskBefore = 0;      // criticality-weighted risk 1-10 before and after
  int RiskAfter = 0;
};

struct Excerpt {
  std::string File;
  unsigned FirstLine = 0;
  unsigned CallLine = 0;
  std::string Text;      // the source lines, verbatim
  std::string Verdict;   // "⚠️ PROBLEM: ..." or "✅ GOOD: ..." as a comment
  bool Ok = false;
};

struct Rto {
  std::string Target;          // "5 min"
  double TargetSeconds = 0;
  std::string TargetSource;    // config | default
  std::optional<double> WorstCaseSeconds; // per request, what the code allows
  bool Unbounded = false;
  std::string Actual;          // "unbounded", "10.2 s", "depends on run-time configuration"
  std::string Computation;     // how Actual was derived
  std::string Verdict;         // meets | exceeds | unknown
};

struct Cost {
  bool Configured = false;
  std::optional<double> PerHour;
  std::string Currency;
  std::string Text;  // "$2,083/hour" or "not configured"
  std::string Basis; // "daily_revenue 50000 × traffic_share 1.0 / 24"
};

struct IntegrationRisk {
  std::string Id;
  std::string Name;
  std::string Type;          // "External API (Payment Processing)"
  std::string GlossaryType;  // external-api | database | cache | queue | email | internal-api
  std::string Layer;         // external | data
  int Criticality = 1;
  std::string Level;         // CRITICAL | HIGH | MEDIUM | LOW
  std::string CriticalitySource; // rubric | config
  std::vector<std::string> CriticalityReasons;
  std::vector<std::string> UsedBy;   // entry points reaching it
  std::vector<std::string> Wrappers; // project functions that make the client calls
  std::vector<std::string> Callers;  // project functions calling the wrappers
  std::vector<std::string> GroupedBy; // why these call sites are one integration
  std::string Pattern;       // integration pattern
  bool RequestPath = false;
  std::vector<Judgement> FailureImpact; // immediate, user, revenue, cascading
  std::string FailureSummary;           // for the glossary: "Cannot process payments"
  std::vector<std::string> Cascades;    // ids of integrations on the same paths
  std::vector<Excerpt> Excerpts;
  int Resilience = 1;
  std::vector<Judgement> ResilienceEvidence;
  MatrixCell CircuitBreaker, Retry, Timeout, Fallback, HealthCheck;
  std::vector<Judgement> Security;
  Rto Recovery;
  bool Spof = false;
  std::vector<std::string> SpofReasons;
  Cost Downtime;
  std::optional<double> TrafficShare;
  std::vector<std::string> Mitigations; // Mitigation ids
};

struct PatternAssessment {
  std::string Pattern; // circuit_breaker | retry | timeout | fallback | health_check
  std::string Title;   // "Circuit Breaker"
  int Quality = 1;
  std::string Summary; // "mostly absent"
  std::vector<Judgement> Where; // one per integration (Pattern = integration name)
  std::string Why;
  std::string GoodExample; // C++
  std::string Recommendation;
};

struct FailureBranch {
  std::string Integration;
  std::vector<std::string> Breaks;   // entry points
  std::vector<std::string> Cascades; // other integrations on the same paths
  std::string Degrades;              // when it is off the request path
};

struct AgentExample {
  CodeRef At;
  std::string Integration;
  std::string Text;
};

/// The architecture diagram draws at most this many entry points.
inline constexpr size_t MaxDrawnEntryPoints = 25;

struct RiskDocument {
  std::string ConfigPath; // empty: no config, defaults only
  std::vector<std::string> EntryPoints;
  std::vector<std::string> EntryPointWhy; // parallel: "named in the config", "program entry", ...
  std::vector<IntegrationRisk> Integrations;
  int Critical = 0, High = 0, Medium = 0, Low = 0; // by criticality level
  double OverallResilience = 0;
  std::string OverallRating; // POOR | FAIR | GOOD | EXCELLENT
  std::vector<std::string> CriticalSpofs; // integration ids
  Cost Downtime;                           // worst single-integration cost
  std::vector<Judgement> KeyRisks;
  std::vector<PatternAssessment> Patterns;
  std::vector<Mitigation> Plan; // sorted by priority, then risk
  std::vector<FailureBranch> Dependencies;
  /// Per entry point, for the first MaxDrawnEntryPoints: the client wrappers it
  /// reaches (sorted), drawn by the architecture diagram.
  std::vector<std::vector<std::string>> ReachedWrappers;
  std::vector<std::string> CriticalPaths; // "handleCheckout → Redis → PostgreSQL → Stripe"
  std::vector<AgentExample> BestExamples, WorstExamples;
  std::vector<std::string> Dos, Donts, PathProtection; // "For AI Agents"
  std::vector<std::string> Limitations;
};

} // namespace im::model
