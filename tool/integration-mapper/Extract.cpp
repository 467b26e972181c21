#include "Extract.h"
#include "matchers/Isolation.h"
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

model::TUFacts extractOne(const Plan &P, const catalog::Catalog &Cat, const CliOptions &O,
                          FactsCache *Cache, const compdb::Command &C, bool &Parsed) {
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
    if (auto Hit = Cache->lookup(C, Args))
      return std::move(*Hit);
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
  if (Cache && C.Exists)
    Cache->store(C, Args, Facts, Inputs);
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
    const compdb::Command &C = P.Selected[Which[K]];
    bool WasParsed = false;
    Results[Which[K]] = extractOne(P, Cat, O, Cache, C, WasParsed);
    Parsed += WasParsed;
    Shown.done(C.File);
  });
  Shown.finish();
  FromCache = Cache ? Cache->Hits.load() - HitsBefore : 0;
  Stats.Parsed += Parsed;
  Stats.FromCache += FromCache;
}

} // namespace im::cli
