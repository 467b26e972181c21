// integration-mapper: the command-line front end. Reads a compilation database,
// extracts facts from every translation unit in parallel, runs the engine
// (analysis/Pipeline.h) over them and writes the reports.
#include "Console.h"
#include "Extract.h"
#include "Options.h"
#include "Output.h"
#include "Planning.h"
#include "Run.h"
#include "Shards.h"

#include "analysis/Pipeline.h"
#include "report/Ci.h"
#include "support/Files.h"
#include "support/Secrets.h"

#include "llvm/Support/raw_ostream.h"

#include <exception>
#include <map>

using namespace im;
using namespace im::cli;

namespace {

std::optional<std::string> readSource(const std::string &Path) {
  auto Text = support::readFile(Path);
  if (!Text) {
    llvm::consumeError(Text.takeError());
    return std::nullopt;
  }
  return std::move(*Text);
}

void printExtractStats(const ExtractStats &S, const FactsCache *Cache) {
  if (S.Prefiltered) {
    err() << "integration-mapper: includes scanned in " << S.Scanned
                 << " translation units";
    if (Cache)
      err() << ", " << S.ScansFromCache << " from the cache";
    err() << "\n";
  }
  err() << "integration-mapper: " << S.Parsed << " translation units parsed";
  if (Cache)
    err() << ", " << S.FromCache << " from the cache (" << Cache->dir() << ")";
  err() << "\n";
  // What the facts stored by file saved: a part several units list is read once.
  if (Cache && (Cache->PartsRead || Cache->PartsShared))
    err() << "integration-mapper: cached facts: " << Cache->PartsRead << " parts read, "
          << Cache->PartsShared << " repeats skipped\n";
}

/// `merge`: the shards' facts, checked against this run's database.
int loadShards(CliOptions &O, FactsFile &Shards) {
  std::vector<FactsFile> Files;
  for (const auto &Path : O.FactsFiles) {
    auto F = readFactsFile(Path);
    if (!F)
      return fail(llvm::toString(F.takeError()));
    Files.push_back(std::move(*F));
  }
  auto All = combineShards(std::move(Files));
  if (!All)
    return fail("merge: " + llvm::toString(All.takeError()));
  Shards = std::move(*All);
  // The same selection as the shards had.
  O.Sources = Shards.Sources;
  O.NoPrefilter = !Shards.Prefilter;
  return ExitOk;
}

/// Places the shards' facts at their units; marks them known.
int placeShards(FactsFile &Shards, const Plan &P, std::vector<model::TUFacts> &Facts,
                std::vector<bool> &Known) {
  std::map<std::string, size_t> Index;
  for (size_t I = 0; I < P.Selected.size(); ++I)
    Index.emplace(P.Selected[I].File, I);
  for (auto &U : Shards.Units) {
    auto It = Index.find(U.Unit.File);
    if (It == Index.end())
      return fail("merge: " + U.Unit.File + " is not in the compilation database " + P.Db.Path);
    Known[It->second] = true;
    Facts[It->second] = std::move(U);
  }
  return ExitOk;
}

int writeShard(const CliOptions &O, const Plan &P, const config::Config &Cfg,
               std::vector<model::TUFacts> &Facts, const std::vector<size_t> &Mine) {
  FactsFile F;
  F.Index = O.ShardIndex;
  F.Count = O.ShardCount;
  F.Prefilter = !O.NoPrefilter;
  F.Salt = FactsCache::salt(Cfg, P.Driver, /*WithExecutable=*/false);
  F.Database = compdb::absolutePath(P.Db.Path, currentDir());
  for (const auto &S : O.Sources)
    F.Sources.push_back(compdb::absolutePath(S, currentDir()));
  for (size_t I : Mine)
    F.Units.push_back(std::move(Facts[I]));
  std::string Path = O.FactsOut;
  if (Path.empty())
    Path = O.OutputDir + "/facts-" + std::to_string(O.ShardIndex) + "-of-" +
           std::to_string(O.ShardCount) + ".json";
  if (auto E = writeFactsFile(Path, F))
    return fail(llvm::toString(std::move(E)));
  if (!O.Quiet)
    out() << "integration-mapper: shard " << O.ShardIndex << "/" << O.ShardCount << ": "
                 << Mine.size() << " translation units\nfacts: " << Path << "\n";
  return ExitOk;
}

int run(int argc, const char **argv) {
  CliOptions O;
  if (int Rc = parseCommandLine(argc, argv, O))
    return Rc;
  FactsFile Shards;
  if (O.Merge)
    if (int Rc = loadShards(O, Shards))
      return Rc;
  Plan P;
  if (int Rc = planRun(O, P))
    return Rc;
  if (O.Merge && compdb::absolutePath(P.Db.Path, currentDir()) != Shards.Database)
    return fail("merge: the shards read " + Shards.Database + ", not " + P.Db.Path +
                ": pass the shards' -p");
  if (int Rc = checkOptions(O))
    return Rc;
  std::set<std::string> Baseline;
  if (!O.BaselineFile.empty()) {
    auto B = report::loadBaseline(O.BaselineFile);
    if (!B)
      return fail(llvm::toString(B.takeError()));
    Baseline = std::move(*B);
  }
  std::optional<catalog::Catalog> Cat;
  config::Config Cfg;
  if (int Rc = loadCatalogAndConfig(O, P, Cat, Cfg))
    return Rc;
  if (O.Merge && Shards.Salt != FactsCache::salt(Cfg, P.Driver, /*WithExecutable=*/false))
    return fail("merge: the shards were analysed with another version, catalog, config catalog "
                "or extraction options (--include-generated) than this run's");
  // A shard run writes its shard only; every other run checks its outputs now.
  if (!O.ShardCount)
    if (int Rc = prepareOutputs(O, P, Cfg))
      return Rc;

  std::unique_ptr<FactsCache> Cache = openCache(O, P, Cfg);
  std::vector<model::TUFacts> Facts(P.Selected.size());
  std::vector<bool> Known(P.Selected.size(), false);
  if (O.Merge)
    if (int Rc = placeShards(Shards, P, Facts, Known))
      return Rc;
  ExtractStats Stats;
  std::vector<size_t> Mine;
  analyseUnits(P, *Cat, O, Cache.get(), Facts, std::move(Known), Stats,
               O.ShardCount ? &Mine : nullptr);
  if (Cache)
    Cache->releaseParts();
  if (!O.Quiet)
    printExtractStats(Stats, Cache.get());
  if (O.ShardCount)
    return writeShard(O, P, Cfg, Facts, Mine);
  GateScope Gate = gateScope(Facts);

  analysis::PipelineOptions Engine;
  Engine.SourceRoot = P.Root;
  Engine.Read = readSource;
  Engine.Inventory = !O.NoInventory;
  Engine.IncludeTests = O.IncludeTests;
  // Named sources are part of a program: their callers may be in the rest.
  Engine.WholeProgram = O.Sources.empty();
  for (const auto &Unit : P.Selected)
    Engine.AnalysedUnits.push_back(Unit.File);
  Engine.TestOnlyUnits = compdb::testOnlyFiles(P.Db);
  Engine.Walk.Skip.push_back(compdb::absolutePath(outputDir(O, P), currentDir()));
  if (Cache)
    Engine.Walk.Skip.push_back(Cache->dir());
  analysis::PipelineResult Result = analysis::analyse(std::move(Facts), *Cat, Cfg, Engine);
  if (!O.Quiet)
    for (const auto &Problem : Result.Report.Inventory.Problems)
      err() << "integration-mapper: warning: " << Problem.Loc.File << ":"
                   << Problem.Loc.Line << ": " << Problem.Message << " (skipped)\n";

  return writeOutputs(O, P, Cfg, *Cat, Result, Baseline, Gate);
}

} // namespace

int main(int argc, const char **argv) {
  // Every reader turns bad input into an error naming the file; this is the
  // last resort for anything they missed: one line and exit 2, never an abort.
  // Reports are only written at the very end, so none is left half-written;
  // the previous run's were removed before the analysis (prepareOutputs).
  try {
    return run(argc, argv);
  } catch (const std::exception &E) {
    return fail("unexpected error: " + support::redactSecrets(E.what()));
  } catch (...) {
    return fail("unexpected error");
  }
}
