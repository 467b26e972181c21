// Which translation units a run parses, in what rounds: everything
// (--no-prefilter), or the prefilter's selection to a fixed point; the whole
// selection, or one shard of it.
#pragma once

#include "Extract.h"

#include <vector>

namespace im::cli {

/// Status of a unit the prefilter found cannot reach a client (not parsed).
inline constexpr const char *UnreachedStatus = "unreached";

/// Fills `Results` (sized like P.Selected) for every selected unit that
/// `Known` does not mark as already there (the facts of merged shards):
///  - without the prefilter, every unit is extracted;
///  - with it, the units including a catalog entry's reach header first, then
///    those including a file that declares a function reaching a client in the
///    facts so far, and those that may define a function whose result the
///    facts use as a value (analysis/Reach.h), until no unit is added; the
///    others get status "unreached".
/// With --shard=i/N only the i-th part of the first set (of every unit without
/// the prefilter) is extracted, and `ShardUnits` receives their indices.
void analyseUnits(const Plan &P, const catalog::Catalog &Cat, const CliOptions &O,
                  FactsCache *Cache, std::vector<model::TUFacts> &Results,
                  std::vector<bool> Known, ExtractStats &Stats,
                  std::vector<size_t> *ShardUnits = nullptr);

} // namespace im::cli
