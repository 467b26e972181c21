// integration-mapper: the command-line front end. Reads a compilation database,
// extracts facts from every translation unit in parallel, merges and resolves
// them, and writes the reports.
#include "analysis/TestCode.h"
#include "analysis/Endpoints.h"
#include "analysis/Integrations.h"
#include "analysis/Resolve.h"
#include "analysis/Rules.h"
#include "analysis/Security.h"
#include "catalog/Catalog.h"
#include "compdb/CompileDb.h"
#include "config/Config.h"
#include "inventory/Inventory.h"
#include "analysis/Scoring.h"
#include "catalog/Catalog.h"
#include "compdb/CompileDb.h"
#include "config/Config.h"
#include "matchers/Driver.h"
#include "report/Emitters.h"
#include "report/Glossary.h"
#include "analysis/Nolint.h"
#include "report/Ci.h"
#include "support/Files.h"

#include "llvm/Support/CommandLine.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/Process.h"
#include "llvm/Support/raw_ostream.h"

#include <atomic>
#include <set>
#include <thread>

using namespace llvm;
using namespace im;

namespace {

cl::OptionCategory Category("integration-mapper options");

cl::opt<std::string> BuildPath("p", cl::desc("Build directory holding compile_commands.json, or "
                                             "the path of the file itself"),
                               cl::value_desc("path"), cl::cat(Category));
cl::list<std::string> Sources(cl::Positional,
                              cl::desc("[<source> ...]  (default: every file in the database)"),
                              cl::cat(Category));
cl::list<std::string> ExtraArgs("extra-arg",
                                cl::desc("Additional argument to append to the compiler command line"),
                                cl::cat(Category));
cl::list<std::string> ExtraArgsBefore(
    "extra-arg-before", cl::desc("Additional argument to prepend to the compiler command line"),
    cl::cat(Category));
cl::opt<unsigned> Jobs("j", cl::desc("Translation units analyzed in parallel (default: cores)"),
                       cl::init(0), cl::Prefix, cl::cat(Category));
cl::opt<std::string> Formats("format",
                             cl::desc("Comma-separated outputs: json, md, sarif, diagnostics "
                                      "(default: json,md; diagnostics,json,md when stdout is a "
                                      "terminal)"),
                             cl::init("json,md"), cl::cat(Category));
cl::opt<std::string> OutputDir("output-dir", cl::desc("Where reports are written"),
                               cl::init("integration-report"), cl::cat(Category));
cl::opt<std::string> SourceRoot("source-root",
                                cl::desc("Root that report paths are made relative to (default: "
                                         "the current directory when it holds every source)"),
                                cl::cat(Category));
cl::opt<bool> IncludeTests("include-tests",
                           cl::desc("Count call sites in test code (tests, mocks, fakes, examples) as the system's"),
                           cl::cat(Category));
cl::opt<bool> IncludeGenerated("include-generated",
                               cl::desc("Report call sites in generated code (*.pb.cc, files "
                                        "under the build directory)"),
                               cl::cat(Category));
// Issue 6: business facts and the shared glossary.
cl::opt<std::string> ConfigFile("config",
                                cl::desc("Configuration file (default: the nearest "
                                         ".integration-mapper.yaml above the first source)"),
                                cl::value_desc("file"), cl::cat(Category));
cl::opt<std::string> GlossaryFile(
    "glossary",
    cl::desc("Shared glossary to update (default: .claude/memory/glossary.json beside the config "
             "file; not written when there is neither)"),
    cl::value_desc("file"), cl::cat(Category));
cl::opt<bool> NoGlossary("no-glossary", cl::desc("Do not update the shared glossary"),
                         cl::cat(Category));
cl::opt<bool> Quiet("quiet", cl::desc("Print nothing but errors"), cl::cat(Category));
// ---- issue 8: inventory and playbook layout
cl::opt<std::string> Layout("layout",
                            cl::desc("Where the document goes: default (--output-dir) or claude "
                                     "(<source root>/.claude/memory/integrations/, the playbook's "
                                     "layout)"),
                            cl::init("default"), cl::cat(Category));
cl::opt<bool> NoInventory("no-inventory",
                          cl::desc("Do not read env files and build manifests under the source "
                                   "root"),
                          cl::cat(Category));
// ---- end issue 8

// ---- issue 7: CI options (SARIF/diagnostics formats above, baseline, gate) ----
cl::opt<std::string> BaselineFile("baseline",
                                  cl::desc("Report and gate only findings whose fingerprint is "
                                           "not in this baseline file"),
                                  cl::value_desc("file"), cl::cat(Category));
cl::opt<std::string> WriteBaselineFile("write-baseline",
                                       cl::desc("Write the fingerprints of the current findings "
                                                "(after NOLINT) to this file"),
                                       cl::value_desc("file"), cl::cat(Category));
cl::opt<std::string> FailOn("fail-on",
                            cl::desc("Exit 1 when a reported finding at or above this severity "
                                     "remains: critical|high|medium|low|none (default none)"),
                            cl::value_desc("severity"), cl::init("none"), cl::cat(Category));
constexpr int ExitFindings = 1;
// ---- end issue 7 ----

constexpr int ExitOk = 0;
constexpr int ExitUsage = 2;

int fail(const std::string &Message) {
  errs() << "integration-mapper: error: " << Message << "\n";
  return ExitUsage;
}

std::string currentDir() {
  SmallString<256> Cwd;
  sys::fs::current_path(Cwd);
  return std::string(Cwd);
}

std::string commonDir(const std::vector<std::string> &Files) {
  if (Files.empty())
    return currentDir();
  std::string Prefix = sys::path::parent_path(Files[0]).str();
  for (const auto &F : Files)
    while (!Prefix.empty() && F.rfind(Prefix + "/", 0) != 0)
      Prefix = sys::path::parent_path(Prefix).str();
  return Prefix.empty() ? "/" : Prefix;
}

} // namespace

int main(int argc, const char **argv) {
  cl::SetVersionPrinter([](raw_ostream &OS) {
    OS << "integration-mapper " << IM_VERSION << " (LLVM/Clang " << LLVM_VERSION_STRING << ")\n";
  });
  cl::HideUnrelatedOptions(Category);
  cl::SetVersionPrinter([](raw_ostream &OS) {
    OS << "integration-mapper " << IM_VERSION << " (LLVM/Clang " << LLVM_VERSION_STRING << ")\n";
  });
  std::string ParseErrors;
  raw_string_ostream ErrOS(ParseErrors);
  if (!cl::ParseCommandLineOptions(
          argc, argv,
          "integration-mapper: finds calls to external integrations and judges their "
          "resilience.\n\nExit codes: 0 analysis done, 1 findings at or above --fail-on, 2 usage "
          "or input error.\n",
          &ErrOS)) {
    ErrOS.flush();
    errs() << ParseErrors;
    return ExitUsage;
  }

  // ---------------------------------------------------------------- inputs
  std::string DbPath = BuildPath;
  if (DbPath.empty()) {
    // Like clang tools: look for compile_commands.json above the first source.
    std::string Dir = Sources.empty() ? currentDir()
                                      : sys::path::parent_path(compdb::absolutePath(
                                            Sources.front(), currentDir()))
                                            .str();
    for (; !Dir.empty(); Dir = sys::path::parent_path(Dir).str()) {
      SmallString<256> Candidate(Dir);
      sys::path::append(Candidate, "compile_commands.json");
      if (sys::fs::exists(Candidate)) {
        DbPath = std::string(Candidate);
        break;
      }
      if (Dir == "/")
        break;
    }
    if (DbPath.empty())
      return fail("no compilation database: pass -p <build dir or compile_commands.json>");
  }
  auto Db = compdb::load(DbPath);
  if (!Db)
    return fail(toString(Db.takeError()));

  std::vector<compdb::Command> Selected;
  if (Sources.empty()) {
    Selected = Db->Commands;
  } else {
    std::set<std::string> Wanted;
    for (const auto &S : Sources) {
      std::string Abs = compdb::absolutePath(S, currentDir());
      if (!sys::fs::exists(Abs))
        return fail(S + ": no such file");
      auto It = std::find_if(Db->Commands.begin(), Db->Commands.end(),
                             [&](const compdb::Command &C) { return C.File == Abs; });
      if (It == Db->Commands.end())
        return fail(S + ": not in the compilation database " + Db->Path);
      if (Wanted.insert(Abs).second)
        Selected.push_back(*It);
    }
  }
  for (const auto &C : Selected)
    if (C.Exists && !sys::fs::can_execute(C.File) && !sys::fs::exists(C.File))
      return fail(C.File + ": cannot read");
  for (const auto &C : Selected)
    if (C.Exists) {
      std::error_code EC;
      sys::fs::file_status St;
      if (auto E = sys::fs::status(C.File, St); E || !sys::fs::is_regular_file(St))
        return fail(C.File + ": not a regular file");
      int FD;
      if (auto E2 = sys::fs::openFileForRead(C.File, FD))
        return fail(C.File + ": cannot read: " + E2.message());
      sys::fs::closeFile(FD);
    }

  std::set<std::string> FormatSet;
  {
    SmallVector<StringRef, 4> Parts;
    StringRef(Formats).split(Parts, ',', -1, false);
    for (StringRef P : Parts) {
      P = P.trim();
      if (P != "json" && P != "md" && P != "sarif" && P != "diagnostics")
        return fail("--format: unknown format '" + P.str() +
                    "' (expected json, md, sarif, diagnostics)");
      FormatSet.insert(P.str());
    }
    if (FormatSet.empty())
      return fail("--format: no format given");
    // issue 7: on a terminal, findings are also printed like compiler warnings.
    if (!Formats.getNumOccurrences() && sys::Process::StandardOutIsDisplayed())
      FormatSet.insert("diagnostics");
  }

  // ---- issue 7: validate the CI options before the (slow) analysis ----
  if (!report::isFailOnLevel(FailOn))
    return fail("--fail-on: unknown severity '" + FailOn +
                "' (expected critical, high, medium, low, none)");
  std::set<std::string> Baseline;
  if (!BaselineFile.empty()) {
    auto B = report::loadBaseline(BaselineFile);
    if (!B)
      return fail(toString(B.takeError()));
    Baseline = std::move(*B);
  }
  // ---- end issue 7 ----
  if (Layout != "default" && Layout != "claude") // issue 8
    return fail("--layout: unknown layout '" + Layout + "' (expected default, claude)");
  if (Layout == "claude" && OutputDir.getNumOccurrences())
    return fail("--layout=claude writes under <source root>/.claude/memory/integrations: do not "
                "combine it with --output-dir");

  auto Cat = catalog::Catalog::loadBuiltin();
  if (!Cat)
    return fail(toString(Cat.takeError()));

  // ---------------------------------------------------------------- config
  config::Config Cfg;
  {
    std::string CfgPath = ConfigFile;
    if (CfgPath.empty() && !Selected.empty())
      CfgPath = config::findConfig(sys::path::parent_path(Selected.front().File).str());
    if (!CfgPath.empty()) {
      auto Loaded = config::loadConfig(CfgPath);
      if (!Loaded)
        return fail(toString(Loaded.takeError()));
      Cfg = std::move(*Loaded);
    }
    // The project's own clients and wrappers (docs/catalog.md, "Your own clients").
    if (auto E = config::extendCatalog(Cfg, *Cat))
      return fail(toString(std::move(E)));
  }

  // ---------------------------------------------------------------- extract
  matchers::DriverOptions Opts;
  Opts.ExtraArgs = ExtraArgs;
  Opts.ExtraArgsBefore = ExtraArgsBefore;
  Opts.Extract.IncludeGenerated = IncludeGenerated;
  {
    SmallString<256> Dir(Db->Path);
    sys::path::remove_filename(Dir);
    std::string DbDir = compdb::absolutePath(std::string(Dir.empty() ? "." : Dir.str()), currentDir());
    // A database inside a build tree (build/compile_commands.json): sources under it are generated.
    bool DbIsBuildDir = sys::fs::exists(DbDir + "/CMakeCache.txt") ||
                        sys::fs::exists(DbDir + "/build.ninja") ||
                        sys::fs::exists(DbDir + "/Makefile");
    if (DbIsBuildDir)
      Opts.Extract.GeneratedDirs.push_back(DbDir);
  }
  unsigned N = Jobs ? Jobs : std::max(1u, std::thread::hardware_concurrency());
  N = std::min<unsigned>(N, std::max<size_t>(1, Selected.size()));
  std::vector<model::TUFacts> Results(Selected.size());
  std::atomic<size_t> Next{0};
  auto Worker = [&] {
    for (size_t I; (I = Next++) < Selected.size();) {
      if (!Selected[I].Exists || !matchers::isGeneratedFile(Selected[I].File, Opts.Extract.GeneratedDirs) ||
          IncludeGenerated) {
        Results[I] = matchers::analyzeFile(*Cat, Selected[I], Opts);
      } else {
        Results[I].Unit.File = Selected[I].File;
        Results[I].Unit.Status = "skipped";
        Results[I].Unit.Error = "generated code (use --include-generated to analyze it)";
      }
    }
  };
  std::vector<std::thread> Threads;
  for (unsigned T = 1; T < N; ++T)
    Threads.emplace_back(Worker);
  Worker();
  for (auto &T : Threads)
    T.join();

  // ---------------------------------------------------------------- analyze
  std::vector<std::string> Files;
  for (const auto &C : Selected)
    Files.push_back(C.File);
  std::string Root = SourceRoot.empty() ? "" : compdb::absolutePath(SourceRoot, currentDir());
  if (Root.empty()) {
    std::string Cwd = currentDir();
    bool AllInside = std::all_of(Files.begin(), Files.end(),
                                 [&](const std::string &F) { return F.rfind(Cwd + "/", 0) == 0; });
    Root = AllInside ? Cwd : commonDir(Files);
  }
  std::vector<model::EnvRead> EnvReads = inventory::collectEnvReads(Results); // issue 8
  analysis::Merged M = analysis::merge(std::move(Results));
  // Env vars read through the project's own helpers (`env_or("X", ...)`) are reads too.
  for (auto &E : analysis::EndpointFolder(M).helperEnvReads())
    EnvReads.push_back(std::move(E));
  std::sort(EnvReads.begin(), EnvReads.end(), [](const auto &A, const auto &B) {
    return std::tie(A.Loc, A.Name) < std::tie(B.Loc, B.Name);
  });
  EnvReads.erase(std::unique(EnvReads.begin(), EnvReads.end(),
                             [](const auto &A, const auto &B) { return A.Loc == B.Loc && A.Name == B.Name; }),
                 EnvReads.end());
  analysis::resolve(M, *Cat, Cfg.CircuitBreakers);
  model::Report R;
  R.Units = M.Units;
  R.CallSites = std::move(M.CallSites);
  for (auto &C : R.CallSites)
    C.Id = im::support::relativeTo(C.Loc.File, Root) + ":" + std::to_string(C.Loc.Line) + ":" +
           std::to_string(C.Loc.Column);
  if (!IncludeTests)
  {
    std::vector<std::string> UnitFiles;
    for (const auto &U : R.Units)
      UnitFiles.push_back(U.File);
    R.TestCallSites =
        analysis::separateTestCode(R.CallSites, Root, {Cfg.TestCode, Cfg.NotTestCode}, UnitFiles);
  }
  R.Integrations = analysis::groupIntegrations(R.CallSites, *Cat);
  R.Findings = analysis::evaluateRules(R.CallSites, *Cat, Root);
  analysis::assessSecurity(M, R.CallSites, *Cat, Root, R.Findings);

  // ---------------------------------------------------------------- inventory (issue 8)
  std::string OutDir = Layout == "claude" ? Root + "/.claude/memory/integrations"
                                          : std::string(OutputDir);
  if (!NoInventory) {
    inventory::WalkOptions Walk;
    Walk.Skip.push_back(compdb::absolutePath(OutDir, currentDir()));
    R.Inventory = inventory::collect(Root, *Cat, Walk);
    R.Inventory.EnvReads = std::move(EnvReads);
    inventory::crossReference(R, *Cat);
    for (auto &F : analysis::evaluateInventoryRules(R, M.Settings, *Cat, Root))
      R.Findings.push_back(std::move(F));
    std::stable_sort(R.Findings.begin(), R.Findings.end(), [](const auto &A, const auto &B) {
      return std::tie(A.Loc, A.Rule) < std::tie(B.Loc, B.Rule);
    });
    for (const auto &P : R.Inventory.Problems)
      if (!Quiet)
        errs() << "integration-mapper: warning: " << P.Loc.File << ":" << P.Loc.Line << ": "
               << P.Message << " (skipped)\n";
  }
  // With --layout=claude the glossary (issue 6) belongs at <root>/.claude/memory/glossary.json.
  // ---------------------------------------------------------------- end inventory (issue 8)
  // Issue 6: suppressions, the call graph and the risk document.
  R.Findings.erase(std::remove_if(R.Findings.begin(), R.Findings.end(),
                                  [&](const model::Finding &F) {
                                    return Cfg.suppressed(
                                        F.Rule, im::support::relativeTo(F.Loc.File, Root),
                                        F.Integration);
                                  }),
                   R.Findings.end());
  R.Calls = M.Calls;
  R.Functions = M.Functions;
  analysis::applyConfigNames(R, Cfg);
  R.Risk = analysis::assess(R, Cfg, [](const std::string &File) -> std::optional<std::string> {
    auto Text = im::support::readFile(File);
    if (!Text) {
      consumeError(Text.takeError());
      return std::nullopt;
    }
    return *Text;
  }, &*Cat);

  // ---- issue 7: NOLINT comments, baseline ----
  size_t Suppressed = 0, InBaseline = 0;
  R.Findings = analysis::dropSuppressed(
      std::move(R.Findings),
      [](const std::string &Path) -> std::optional<std::string> {
        auto T = im::support::readFile(Path);
        if (!T) {
          consumeError(T.takeError());
          return std::nullopt;
        }
        return std::move(*T);
      },
      &Suppressed);
  report::RunInfo CiRun{IM_VERSION, Root, Db->Path, ExtraArgs};
  if (!WriteBaselineFile.empty())
    if (auto E = im::support::writeFileAtomic(WriteBaselineFile,
                                              report::emitBaseline(R.Findings, CiRun)))
      return fail(toString(std::move(E)));
  // SARIF keeps the baselined findings, marked "unchanged": code scanning closes
  // alerts missing from an upload as fixed.
  std::vector<model::Finding> BeforeBaseline = R.Findings;
  if (!BaselineFile.empty())
    R.Findings = report::withoutBaseline(std::move(R.Findings), Baseline, &InBaseline);
  // ---- end issue 7 ----

  // ---------------------------------------------------------------- emit
  report::RunInfo Run{IM_VERSION, Root, Db->Path, ExtraArgs};
  std::vector<std::string> Written;
  if (std::error_code EC = sys::fs::create_directories(OutDir))
    return fail(OutDir + ": cannot create output directory: " + EC.message());
  auto Write = [&](const std::string &Name, const std::string &Content) -> bool {
    SmallString<256> P(OutDir);
    sys::path::append(P, Name);
    if (auto E = im::support::writeFileAtomic(std::string(P), Content)) {
      errs() << "integration-mapper: error: " << toString(std::move(E)) << "\n";
      return false;
    }
    Written.push_back(std::string(P));
    return true;
  };
  if (FormatSet.count("json") && !Write("integration-report.json", report::emitJson(R, Run)))
    return ExitUsage;
  if (FormatSet.count("md") &&
      !Write("INTEGRATION_RISK_ANALYSIS.md", report::emitMarkdown(R, Run, *Cat)))
    return ExitUsage;
  // ---- issue 7 ----
  if (FormatSet.count("sarif")) {
    model::Report All = R;
    All.Findings = BeforeBaseline;
    if (!Write("integration-report.sarif",
               report::emitSarif(All, Run, BaselineFile.empty() ? nullptr : &Baseline)))
      return ExitUsage;
  }
  if (FormatSet.count("diagnostics"))
    outs() << report::emitDiagnostics(R.Findings, currentDir());
  // ---- end issue 7 ----

  std::string GlossaryOut;
  // The glossary goes beside the project's config (its root) unless --glossary
  // names it; without either, nothing is written into the user's tree.
  if (!NoGlossary && (!GlossaryFile.empty() || !Cfg.Path.empty() || Layout == "claude")) {
    std::string GPath = GlossaryFile;
    if (GPath.empty()) {
      // --layout=claude: the playbook's place, <root>/.claude/memory/glossary.json.
      SmallString<256> P(Layout == "claude" ? Root : sys::path::parent_path(Cfg.Path).str());
      sys::path::append(P, ".claude", "memory", "glossary.json");
      GPath = std::string(P);
    }
    if (auto E = report::updateGlossary(GPath, R))
      return fail(toString(std::move(E)));
    GlossaryOut = GPath;
  }

  if (!Quiet) {
    size_t Failed = 0, Skipped = 0;
    for (const auto &U : R.Units) {
      Failed += U.Status == "failed";
      Skipped += U.Status == "skipped";
    }
    outs() << "integration-mapper: " << R.Units.size() << " translation units (" << Failed
           << " failed, " << Skipped << " skipped), " << R.CallSites.size() << " call sites, "
           << R.Integrations.size() << " integrations, " << R.Findings.size() << " findings\n";
    for (const auto &U : R.Units)
      if (U.Status != "analyzed")
        outs() << "  " << U.Status << ": " << U.File << ": " << U.Error << "\n";
    for (const auto &D : Db->Duplicates)
      outs() << "  note: " << D << " is listed more than once in " << Db->Path
             << "; analyzed once\n";
    for (const auto &W : Written)
      outs() << "report: " << W << "\n";
    if (!GlossaryOut.empty())
      outs() << "glossary: " << GlossaryOut << "\n";
    // ---- issue 7 ----
    if (Suppressed)
      outs() << "  " << Suppressed << " findings suppressed by NOLINT comments\n";
    if (!BaselineFile.empty())
      outs() << "  " << InBaseline << " findings in baseline " << BaselineFile << ", "
             << R.Findings.size() << " new\n";
    if (!WriteBaselineFile.empty())
      outs() << "baseline: " << WriteBaselineFile << "\n";
    // ---- end issue 7 ----
  }
  if (report::failsGate(R.Findings, FailOn)) { // issue 7
    if (!Quiet)
      outs() << "integration-mapper: findings at or above --fail-on=" << FailOn << " remain\n";
    return ExitFindings;
  }
  return ExitOk;
}
