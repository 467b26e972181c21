#include "Extract.h"
#include "matchers/Isolation.h"
#include "model/FactsByFile.h"
#include "Progress.h"
#include "Workers.h"

#include "llvm/Support/Path.h"

#include <algorithm>
#include <atomic>
#include <thread>

namespace im::cli {

std::unique_ptr<FactsCache> openCache(const CliOptions &O, const Plan &P,
                                      const config::Config &Cfg) {
  if (O.NoCache)
    return nullptr;
  std::string Dir = O.CacheDir;
  if (Dir.empty()) {
    llvm::SmallString<256> D(compdb::absolutePath(P.Db.Path, currentDir()));
    llvm::sys::path::remove_filename(D);
    llvm::sys::path::append(D, ".integration-mapper-cache");
    Dir = std::string(D);
  } else {
    Dir = compdb::absolutePath(Dir, currentDir());
  }
  return std::make_unique<FactsCache>(Dir, FactsCache::salt(Cfg, P.Driver));
}

namespace {

/// The facts of unit `Index`: from the cache when `Lookup` and it has them
/// (their parts are assembled later), else parsed (and stored).
model::TUFacts extractOne(const Plan &P, const catalog::Catalog &Cat, const CliOptions &O,
                          FactsCache *Cache, size_t Index, bool Lookup, bool &Parsed) {
  const compdb::Command &C = P.Selected[Index];
  Parsed = false;
  model::TUFacts Facts;
  if (C.Exists && !O.IncludeGenerated &&
      matchers::isGeneratedFile(C.File, P.Driver.Extract.GeneratedDirs)) {
    Facts.Unit.File = C.File;
    Facts.Unit.Status = "skipped";
    Facts.Unit.Error = "generated code (use --include-generated to analyze it)";
    return Facts;
  }
  std::vector<std::string> Args;
  if (Cache && C.Exists) {
    Args = matchers::adjustArguments(C, P.Driver);
    if (Lookup)
      if (auto Hit = Cache->lookup(C, Args)) {
        Cache->noteParts(Index, std::move(Hit->Parts), /*Loaded=*/false);
        return std::move(Hit->Facts);
      }
  }
  Parsed = C.Exists;
  std::vector<std::string> Inputs;
  std::string Why = matchers::runIsolated(
      [&] { Facts = matchers::analyzeFile(Cat, C, P.Driver, Cache ? &Inputs : nullptr); },
      O.StackSizeMb);
  if (!Why.empty()) {
    // Whatever the crashed parse left behind is not trusted.
    Facts = model::TUFacts();
    Facts.Unit.File = C.File;
    Facts.Unit.Status = "failed";
    Facts.Unit.Error = C.File + ": " + Why;
    return Facts;
  }
  // The order in which the cache gives facts back: a run with the cache and
  // one without merge the same lists.
  model::orderByFile(Facts);
  if (Cache && C.Exists) {
    auto Parts = Cache->store(C, Args, Facts, Inputs);
    if (!Parts.empty())
      Cache->noteParts(Index, std::move(Parts), /*Loaded=*/true);
  }
  return Facts;
}

} // namespace

void extractUnits(const Plan &P, const catalog::Catalog &Cat, const CliOptions &O,
                  FactsCache *Cache, const std::vector<size_t> &Which,
                  std::vector<model::TUFacts> &Results, ExtractStats &Stats) {
  std::atomic<size_t> Parsed{0}, FromCache{0};
  size_t HitsBefore = Cache ? Cache->Hits.load() : 0;
  Progress Shown("analysing", Which.size(), O.Quiet);
  tool::forEachOnWorkers(O.Jobs, Which.size(), [&](size_t K) {
    bool WasParsed = false;
    Results[Which[K]] = extractOne(P, Cat, O, Cache, Which[K], /*Lookup=*/true, WasParsed);
    Parsed += WasParsed;
    Shown.done(P.Selected[Which[K]].File);
  });
  Shown.finish();
  FromCache = Cache ? Cache->Hits.load() - HitsBefore : 0;
  // The cached units' facts, from their parts; a unit a part of which is gone
  // or damaged is parsed after all (once: a parsed unit's facts are whole).
  if (Cache) {
    std::vector<size_t> Again = Cache->assemble(Results, O.Jobs);
    if (!Again.empty()) {
      for (size_t I : Again)
        Cache->forget(I);
      tool::forEachOnWorkers(O.Jobs, Again.size(), [&](size_t K) {
        bool WasParsed = false;
        Results[Again[K]] = extractOne(P, Cat, O, Cache, Again[K], /*Lookup=*/false, WasParsed);
        Parsed += WasParsed;
      });
      FromCache -= Again.size();
      Cache->assemble(Results, O.Jobs);
    }
  }
  Stats.Parsed += Parsed;
  Stats.FromCache += FromCache;
}

} // namespace im::cli
