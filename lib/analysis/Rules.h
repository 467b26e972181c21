// Findings: one rule violated at one place, with a stable identity.
#pragma once

#include "catalog/Catalog.h"
#include "model/Facts.h"

namespace im::analysis {

struct RuleInfo {
  const char *Id;
  const char *Name;
  const char *ShortDescription;
  const char *FullDescription;
  const char *Severity; // default: critical | high | medium | low
  double SecuritySeverity; // 0-10, for SARIF's security-severity
};

const std::vector<RuleInfo> &rules();
const RuleInfo *rule(const std::string &Id);

/// Evaluates every rule on the resolved call sites. `SourceRoot` makes
/// fingerprints independent of the checkout location.
std::vector<model::Finding> evaluateRules(const std::vector<model::CallSite> &Sites,
                                          const catalog::Catalog &Cat,
                                          const std::string &SourceRoot);

/// Issue 8: cross-checks of the inventory (env files, build manifests) against the
/// code. `Settings` are the merged settings (for literal credentials). Sorted by
/// location; fingerprints already final.
std::vector<model::Finding> evaluateInventoryRules(const model::Report &R,
                                                   const std::vector<model::Setting> &Settings,
                                                   const catalog::Catalog &Cat,
                                                   const std::string &SourceRoot);

/// Severity order: critical 4 > high 3 > medium 2 > low 1; unknown 0.
int severityRank(const std::string &S);

} // namespace im::analysis
