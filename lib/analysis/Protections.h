// The resolve stages, one file each: given the settings that reach a call's
// handle (HandleGraph) they decide one protection of the call site.
// Internal to lib/analysis; Resolve.cpp runs them in order.
#pragma once

#include "analysis/HandleGraph.h"
#include "catalog/Catalog.h"

#include <string>
#include <vector>

namespace im::analysis {

// Forwarders.cpp: settings made through project functions that pass their
// parameters to a catalog setter, added to M.Settings (run before the graph).
void expandForwarders(Merged &M, const catalog::Catalog &Cat);

// Timeouts.cpp: settings, the library default, deadline guards in scope, and
// timeout settings in inactive preprocessor branches.
void resolveTimeout(model::CallSite &C, const catalog::Library *Lib, const catalog::Operation *Op,
                    const std::vector<Applied> &All, const HandleGraph &G);
void resolveScopeGuard(model::CallSite &C, const Merged &M, const HandleGraph &G);
void resolveInactive(model::CallSite &C, const catalog::Library *Lib, const Merged &M,
                     const HandleGraph &G);

// Retries.cpp: a library retry policy, a retry loop around the call, a retry
// helper, a retrying caller, a re-queue, or the library's default.
void resolveRetry(model::CallSite &C, const catalog::Library *Lib, const catalog::Operation *Op,
                  const std::vector<Applied> &All, const Merged &M, const HandleGraph &G);

// Breakers.cpp: a breaker class (by shape, name or config) guarding or wrapping
// the call or one of its callers.
void addConfiguredBreakers(Merged &M, const std::vector<std::string> &BreakerClasses);
void resolveBreaker(model::CallSite &C, const Merged &M, const HandleGraph &G);

// Fallbacks.cpp: a failure handler that serves another source, and whether a
// guard function fails open or closed.
void resolveFallback(model::CallSite &C, const HandleGraph &G, const catalog::Catalog &Cat);

} // namespace im::analysis
