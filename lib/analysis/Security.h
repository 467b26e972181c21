// Security posture of every integration: TLS verification, plaintext
// transport, hard-coded secrets and where credentials come from. Clang-free: works
// on merged facts, so the extractor only records generic observations.
#pragma once

#include "analysis/Resolve.h"
#include "catalog/Catalog.h"
#include "model/Facts.h"

#include <string>
#include <vector>

namespace im::analysis {

/// Fills `Security` on every call site (transport, TLS verification, credential
/// sources) and appends the security findings to `Findings` (kept sorted by
/// location then rule). Call sites must already carry their final ids and
/// integrations. `SourceRoot` makes fingerprints independent of the checkout.
void assessSecurity(const Merged &M, std::vector<model::CallSite> &Sites,
                    const catalog::Catalog &Cat, const std::string &SourceRoot,
                    std::vector<model::Finding> &Findings);

} // namespace im::analysis
