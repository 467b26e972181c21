#include "Run.h"
#include "Console.h"
#include "Prefilter.h"

#include "analysis/Reach.h"

#include "llvm/Support/raw_ostream.h"

#include <algorithm>

namespace im::cli {

namespace {

/// The i-th of N parts: every N-th unit, so each part gets a like mix.
std::vector<size_t> shareOf(const std::vector<size_t> &Units, unsigned I, unsigned N) {
  std::vector<size_t> Out;
  for (size_t K = 0; K < Units.size(); ++K)
    if (K % N == I - 1)
      Out.push_back(Units[K]);
  return Out;
}

model::TUFacts unreached(const compdb::Command &C) {
  model::TUFacts F;
  F.Unit.File = C.File;
  F.Unit.Status = UnreachedStatus;
  F.Unit.Error = "includes no client library header and no header of a function that reaches "
                 "one: not parsed (--no-prefilter analyses it)";
  return F;
}

} // namespace

void analyseUnits(const Plan &P, const catalog::Catalog &Cat, const CliOptions &O,
                  FactsCache *Cache, std::vector<model::TUFacts> &Results,
                  std::vector<bool> Known, ExtractStats &Stats,
                  std::vector<size_t> *ShardUnits) {
  std::vector<bool> &Done = Known;
  const bool Sharded = O.ShardCount > 0;
  auto Extract = [&](const std::vector<size_t> &Which) {
    std::vector<size_t> Todo;
    for (size_t I : Which)
      if (!Done[I]) {
        Todo.push_back(I);
        Done[I] = true;
      }
    if (ShardUnits)
      ShardUnits->insert(ShardUnits->end(), Todo.begin(), Todo.end());
    extractUnits(P, Cat, O, Cache, Todo, Results, Stats);
  };

  bool UsePrefilter = !O.NoPrefilter;
  std::optional<Prefilter> Pre;
  if (UsePrefilter) {
    Pre.emplace(P, Cat);
    if (!Pre->unusable().empty()) {
      if (!O.Quiet)
        err() << "integration-mapper: note: every translation unit is analysed: "
                     << Pre->unusable() << " (catalog \"headers\" or \"reach_headers\")\n";
      UsePrefilter = false;
    }
  }
  if (!UsePrefilter) {
    std::vector<size_t> All(P.Selected.size());
    for (size_t I = 0; I < All.size(); ++I)
      All[I] = I;
    Extract(Sharded ? shareOf(All, O.ShardIndex, O.ShardCount) : All);
    return;
  }

  Pre->scan(O, Cache);
  Stats.Prefiltered = true;
  Stats.Scanned = Pre->scanned();
  Stats.ScansFromCache = Pre->fromCache();
  std::vector<size_t> First = Pre->firstRound();
  if (Sharded) {
    // The later rounds need every shard's facts: `merge` runs them.
    Extract(shareOf(First, O.ShardIndex, O.ShardCount));
    return;
  }
  Extract(First);
  for (;;) {
    std::vector<size_t> Next = Pre->including(analysis::reachingFiles(Results), Done);
    for (size_t I : Pre->mentioning(analysis::undefinedValueFunctions(Results), Done))
      if (std::find(Next.begin(), Next.end(), I) == Next.end())
        Next.push_back(I);
    std::sort(Next.begin(), Next.end());
    if (Next.empty())
      break;
    Extract(Next);
  }
  for (size_t I = 0; I < Results.size(); ++I)
    if (!Done[I])
      Results[I] = unreached(P.Selected[I]);
}

} // namespace im::cli
