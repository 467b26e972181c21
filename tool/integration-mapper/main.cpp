// integration-mapper: the command-line front end. Reads a compilation database,
// extracts facts from every translation unit in parallel, runs the engine
// (analysis/Pipeline.h) over them and writes the reports.
#include "Options.h"
#include "Output.h"
#include "Planning.h"

#include "analysis/Pipeline.h"
#include "report/Ci.h"
#include "support/Files.h"
#include "support/Secrets.h"

#include "llvm/Support/raw_ostream.h"

#include <exception>

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

int run(int argc, const char **argv) {
  CliOptions O;
  if (int Rc = parseCommandLine(argc, argv, O))
    return Rc;
  Plan P;
  if (int Rc = planRun(O, P))
    return Rc;
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

  std::vector<model::TUFacts> Facts =
      extractAll(P, *Cat, O.Jobs, O.IncludeGenerated, O.StackSizeMb);
  GateScope Gate = gateScope(Facts);

  analysis::PipelineOptions Engine;
  Engine.SourceRoot = P.Root;
  Engine.Read = readSource;
  Engine.Inventory = !O.NoInventory;
  Engine.IncludeTests = O.IncludeTests;
  for (const auto &Unit : P.Selected)
    Engine.AnalysedUnits.push_back(Unit.File);
  Engine.Walk.Skip.push_back(compdb::absolutePath(outputDir(O, P), currentDir()));
  analysis::PipelineResult Result = analysis::analyse(std::move(Facts), *Cat, Cfg, Engine);
  if (!O.Quiet)
    for (const auto &Problem : Result.Report.Inventory.Problems)
      llvm::errs() << "integration-mapper: warning: " << Problem.Loc.File << ":"
                   << Problem.Loc.Line << ": " << Problem.Message << " (skipped)\n";

  return writeOutputs(O, P, Cfg, *Cat, Result, Baseline, Gate);
}

} // namespace

int main(int argc, const char **argv) {
  // Every reader turns bad input into an error naming the file; this is the
  // last resort for anything they missed: one line and exit 2, never an abort.
  // Reports are only written at the very end, so none is left half-written.
  try {
    return run(argc, argv);
  } catch (const std::exception &E) {
    return fail("unexpected error: " + support::redactSecrets(E.what()));
  } catch (...) {
    return fail("unexpected error");
  }
}
