// Pieces shared by the files that build the risk document (Rubric.cpp,
// Mitigations.cpp, Excerpts.cpp, Document.cpp). Internal to lib/analysis.
#pragma once

#include "analysis/Scoring.h"
#include "catalog/Catalog.h"

#include <string>
#include <vector>

namespace im::analysis {

/// An integration with the call sites that make it.
struct SiteView {
  const model::Integration *I;
  std::vector<const model::CallSite *> Sites;
};

/// The call's timeout is proven and finite (set or by default).
bool timeoutBounded(const model::CallSite &C);
/// The call can block forever: no timeout, or only part of the call bounded.
bool timeoutMissing(const model::CallSite &C);
/// A bounded retry with backoff.
bool retryGood(const model::CallSite &C);
/// A reference to the call, noted with its operation unless `Note` is given.
model::CodeRef refOf(const model::CallSite &C, std::string Note = "");
/// "1 probe", "3 probes".
std::string plural(size_t N, const char *One, const char *Many);
std::string join(const std::vector<std::string> &V, const std::string &Sep = ", ");
/// "Class::method" for a qualified function name, the name itself otherwise.
std::string shortFunctionName(const std::string &Fn);

/// The current failure handling of the worst call of each integration (and of
/// the best when it differs), as a redacted source excerpt (Excerpts.cpp).
/// `Secrets`: where literals read as credentials start; the excerpt blanks them.
void addExcerpts(model::RiskDocument &D, const std::vector<SiteView> &Views, const SourceReader &Read,
                 const std::vector<model::Location> &Secrets);
/// "✅ GOOD: 5 s timeout; still no circuit breaker" (Excerpts.cpp).
std::string verdictOf(const model::CallSite &C, bool &Ok);

/// The mitigation plan: per integration, one step per missing pattern with
/// library-specific C++, sorted by priority then risk reduction (Mitigations.cpp).
std::vector<model::Mitigation> planMitigations(std::vector<model::IntegrationRisk> &Risks,
                                               const std::vector<SiteView> &Views,
                                               const catalog::Catalog *Cat);

} // namespace im::analysis
