// Extraction of the selected translation units: in parallel, each isolated
// (matchers/Isolation.h), through the facts cache (Cache.h), with progress on stderr.
#pragma once

#include "Cache.h"
#include "Options.h"
#include "Planning.h"

#include <memory>
#include <vector>

namespace im::cli {

/// The cache of this run: --cache-dir, else .integration-mapper-cache beside
/// the compilation database (in the build directory); null with --no-cache.
std::unique_ptr<FactsCache> openCache(const CliOptions &O, const Plan &P,
                                      const config::Config &Cfg);

/// Counts of one run's extraction, for the summary.
struct ExtractStats {
  size_t Parsed = 0;    // units parsed in this run
  size_t FromCache = 0; // units whose facts came from the cache
  bool Prefiltered = false;  // the prefilter ran
  size_t Scanned = 0;        // units whose includes the prefilter scanned in this run
  size_t ScansFromCache = 0; // units whose include scan came from the cache
};

/// Extracts the units `Which` (indices into `P.Selected`) into `Results[I]`
/// (sized like P.Selected) on --jobs workers (0: one per core). A unit found in
/// `Cache` (may be null) is not parsed; one that is parsed is stored in it.
/// Each parse runs on a thread of its own with a --stack-size-mb stack under
/// crash recovery: a unit that crashes or overflows its stack is "failed" and
/// the others go on. Generated files are "skipped" unless --include-generated.
void extractUnits(const Plan &P, const catalog::Catalog &Cat, const CliOptions &O,
                  FactsCache *Cache, const std::vector<size_t> &Which,
                  std::vector<model::TUFacts> &Results, ExtractStats &Stats);

} // namespace im::cli
