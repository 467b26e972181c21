// The integration risk document: the rubric of docs/scoring.md (Rubric.cpp),
// the mitigation plan (Mitigations.cpp), source excerpts (Excerpts.cpp) and the
// document's assembly from resolved call sites, the project call graph and the
// config (Document.cpp). Clang-free.
#pragma once

#include "config/Config.h"
#include "model/Facts.h"

#include <functional>
#include <optional>
#include <string>

namespace im::analysis {

/// Reads a source file for excerpts; nullopt when it cannot be read.
using SourceReader = std::function<std::optional<std::string>(const std::string &File)>;

/// Builds the whole risk document (R.Risk is not read). Deterministic.
/// `Cat` (optional) supplies each library's `timeout_fix` for the mitigation plan.
model::RiskDocument assess(const model::Report &R, const config::Config &Cfg,
                           const SourceReader &Read, const catalog::Catalog *Cat = nullptr);

/// Renames integrations the config names (ids stay: they are derived from the code).
void applyConfigNames(model::Report &R, const config::Config &Cfg);

// Rubric pieces, exposed for unit tests and documented in docs/scoring.md.
/// Base criticality from what the integration is (category, then kind).
int baseCriticality(const std::string &Kind, const std::string &Category);
/// CRITICAL 9-10, HIGH 7-8, MEDIUM 4-6, LOW 1-3.
std::string criticalityLevel(int Criticality);
/// Risk 1-10: criticality scaled by missing resilience.
int riskScore(int Criticality, int Resilience);
/// The default RTO target per criticality level, in seconds.
double defaultRtoSeconds(const std::string &Level);
/// POOR < 4 <= FAIR < 6 <= GOOD < 8 <= EXCELLENT.
std::string resilienceRating(double Score);
/// "$2,083" for USD, "2,083 EUR" otherwise.
std::string formatMoney(double Amount, const std::string &Currency);
/// "3.25", "7" : at most two decimals, no trailing zeros.
std::string formatScore(double S);
/// "StripePaymentGateway" for "stripe-payment-gateway": the glossary key (from the
/// integration id, so a display name from the config does not move the entry).
std::string glossaryKey(const std::string &Name);

/// Judges one protection across the call sites of an integration.
struct PatternVerdict {
  model::MatrixCell Cell;
  model::Judgement J;
  double Points = 0;
  double Max = 0;
};
PatternVerdict judgeTimeout(const std::vector<const model::CallSite *> &Sites);
PatternVerdict judgeRetry(const std::vector<const model::CallSite *> &Sites);
PatternVerdict judgeCircuitBreaker(const std::vector<const model::CallSite *> &Sites);
PatternVerdict judgeFallback(const std::vector<const model::CallSite *> &Sites);
PatternVerdict judgeHealthCheck(const std::vector<const model::CallSite *> &Sites);

} // namespace im::analysis
