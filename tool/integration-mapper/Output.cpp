#include "Output.h"
#include "Console.h"

#include "report/Ci.h"
#include "report/Emitters.h"
#include "report/Glossary.h"
#include "support/Files.h"

#include "compdb/CompileDb.h"

#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/raw_ostream.h"

#include <optional>

using namespace llvm;

namespace im::cli {

namespace {

/// The glossary goes beside the project's config (its root) unless --glossary
/// names it; with --layout=claude, at <root>/.claude/memory/glossary.json;
/// otherwise nothing is written into the user's tree. Returns the path ("" when
/// none).
std::string glossaryPath(const CliOptions &O, const Plan &P, const config::Config &Cfg) {
  if (O.NoGlossary || (O.GlossaryFile.empty() && Cfg.Path.empty() && O.Layout != "claude"))
    return "";
  if (!O.GlossaryFile.empty())
    return O.GlossaryFile;
  SmallString<256> Dir(O.Layout == "claude" ? P.Root : sys::path::parent_path(Cfg.Path).str());
  sys::path::append(Dir, ".claude", "memory", "glossary.json");
  return std::string(Dir);
}

struct Summary {
  std::vector<std::string> Written;
  std::string Glossary;
  size_t InBaseline = 0;
  size_t Analysed = 0, Failed = 0, Skipped = 0;
  size_t Unreached = 0; // the prefilter found they cannot reach a client
  size_t NotGated = 0; // findings only units that failed to compile saw
};

void printSummary(const CliOptions &O, const Plan &P, const analysis::PipelineResult &Result,
                  const Summary &S) {
  const model::Report &R = Result.Report;
  out() << "integration-mapper: " << R.Units.size() << " translation units (" << S.Failed
         << " failed, " << S.Skipped << " skipped"
         << (S.Unreached ? ", " + std::to_string(S.Unreached) + " reach no client" : "") << "), "
         << R.CallSites.size() << " call sites, "
         << R.Integrations.size() << " integrations, " << R.Findings.size() << " findings\n";
  for (const auto &U : R.Units)
    if (U.Status != "analyzed" && U.Status != "unreached")
      out() << "  " << U.Status << ": " << U.File << ": " << U.Error << "\n";
  for (const auto &D : P.Db.Duplicates)
    out() << "  note: " << D << " is listed more than once in " << P.Db.Path
           << "; analyzed once\n";
  if (S.NotGated)
    out() << "  " << S.NotGated
           << " findings are in files only translation units that failed to compile saw: not "
              "counted for --fail-on\n";
  for (const auto &W : S.Written)
    out() << "report: " << W << "\n";
  if (!S.Glossary.empty())
    out() << "glossary: " << S.Glossary << "\n";
  if (Result.NolintSuppressed)
    out() << "  " << Result.NolintSuppressed << " findings suppressed by NOLINT comments\n";
  if (!O.BaselineFile.empty())
    out() << "  " << S.InBaseline << " findings in baseline " << O.BaselineFile << ", "
           << R.Findings.size() << " new\n";
  if (!O.WriteBaselineFile.empty() && S.Analysed)
    out() << "baseline: " << O.WriteBaselineFile << "\n";
}

/// Every file of the run, rendered in memory before any is written.
struct Rendered {
  std::vector<std::pair<std::string, std::string>> Files; // path, content (in write order)
  std::optional<report::GlossaryUpdate> Glossary;
  std::string Diagnostics;
};

std::string absoluteIn(const std::string &File, const std::string &Root) {
  return sys::path::is_absolute(File) ? File : compdb::absolutePath(File, Root);
}

} // namespace

bool GateScope::counts(const model::Finding &F, const std::string &Root) const {
  std::string File = absoluteIn(F.Loc.File, Root);
  return Compiled.count(File) || !Failed.count(File);
}

GateScope gateScope(const std::vector<model::TUFacts> &Units) {
  GateScope G;
  for (const auto &U : Units) {
    if (U.Unit.Status == "skipped" || U.Unit.Status == "unreached")
      continue;
    auto &Seen = U.Unit.Status == "analyzed" ? G.Compiled : G.Failed;
    Seen.insert(U.Unit.File);
    for (const auto &C : U.CallSites)
      Seen.insert(C.Loc.File);
    for (const auto &S : U.Security)
      Seen.insert(S.Loc.File);
  }
  return G;
}

std::string outputDir(const CliOptions &O, const Plan &P) {
  return O.Layout == "claude" ? P.Root + "/.claude/memory/integrations" : O.OutputDir;
}

namespace {
const char *const ReportNames[] = {"integration-report.json", "INTEGRATION_RISK_ANALYSIS.md",
                                   "integration-report.sarif"};
} // namespace

int prepareOutputs(const CliOptions &O, const Plan &P, const config::Config &Cfg) {
  std::string OutDir = outputDir(O, P);
  if (sys::fs::exists(OutDir) && !sys::fs::is_directory(OutDir))
    return fail(OutDir + ": output directory is not a directory");
  std::vector<std::string> Paths;
  for (const char *Name : ReportNames) {
    SmallString<256> Path(OutDir);
    sys::path::append(Path, Name);
    bool Chosen = (O.Formats.count("json") && Name == ReportNames[0]) ||
                  (O.Formats.count("md") && Name == ReportNames[1]) ||
                  (O.Formats.count("sarif") && Name == ReportNames[2]);
    if (Chosen)
      Paths.push_back(std::string(Path));
  }
  if (!O.WriteBaselineFile.empty())
    Paths.push_back(O.WriteBaselineFile);
  std::string G = glossaryPath(O, P, Cfg);
  if (!G.empty())
    Paths.push_back(G);
  for (const auto &Path : Paths)
    if (std::string Why = support::whyNotWritable(Path); !Why.empty())
      return fail(Path + ": " + Why + "; nothing was analysed or written");
  if (!G.empty()) {
    // A malformed glossary is reported now, not after the analysis; it is read
    // again (under its lock) when the run ends.
    auto U = report::prepareGlossary(G, model::Report{});
    if (!U)
      return fail(toString(U.takeError()));
  }
  // The previous run's reports go before the analysis starts: a run that stops
  // on the way (killed, out of memory) leaves no report that looks like its own.
  for (const char *Name : ReportNames) {
    SmallString<256> Path(OutDir);
    sys::path::append(Path, Name);
    sys::fs::file_status St;
    if (!sys::fs::status(Path, St, /*follow=*/false) && sys::fs::is_regular_file(St))
      if (std::error_code EC = sys::fs::remove(Path))
        return fail(std::string(Path) + ": cannot remove the previous run's report: " + EC.message());
  }
  return 0;
}

int writeOutputs(const CliOptions &O, const Plan &P, const config::Config &Cfg,
                 const catalog::Catalog &Cat, analysis::PipelineResult &Result,
                 const std::set<std::string> &Baseline, const GateScope &Gate) {
  model::Report &R = Result.Report;
  report::RunInfo Run{IM_VERSION, P.Root, P.Db.Path, O.ExtraArgs};
  Summary S;
  for (const auto &U : R.Units) {
    S.Analysed += U.Status == "analyzed";
    S.Failed += U.Status == "failed";
    S.Skipped += U.Status == "skipped";
    S.Unreached += U.Status == "unreached";
  }
  std::string OutDir = outputDir(O, P);
  auto InOut = [&](const char *Name) {
    SmallString<256> Path(OutDir);
    sys::path::append(Path, Name);
    return std::string(Path);
  };

  // Everything is rendered first: a problem with one output writes none.
  Rendered Out;
  // A run that analysed nothing has no findings to baseline and nothing to add
  // to the shared glossary.
  if (!O.WriteBaselineFile.empty() && S.Analysed)
    Out.Files.emplace_back(O.WriteBaselineFile, report::emitBaseline(R.Findings, Run));
  // SARIF keeps the baselined findings, marked "unchanged": code scanning closes
  // alerts missing from an upload as fixed.
  std::vector<model::Finding> BeforeBaseline = R.Findings;
  if (!O.BaselineFile.empty())
    R.Findings = report::withoutBaseline(std::move(R.Findings), Baseline, &S.InBaseline);
  if (O.Formats.count("json"))
    Out.Files.emplace_back(InOut("integration-report.json"), report::emitJson(R, Run));
  if (O.Formats.count("md"))
    Out.Files.emplace_back(InOut("INTEGRATION_RISK_ANALYSIS.md"), report::emitMarkdown(R, Run, Cat));
  if (O.Formats.count("sarif")) {
    model::Report All = R;
    All.Findings = BeforeBaseline;
    Out.Files.emplace_back(InOut("integration-report.sarif"),
                           report::emitSarif(All, Run, O.BaselineFile.empty() ? nullptr : &Baseline));
  }
  if (O.Formats.count("diagnostics"))
    Out.Diagnostics = report::emitDiagnostics(R.Findings, currentDir());
  // Runs that update one glossary take turns from reading it to replacing it,
  // so neither loses the other's entries.
  std::optional<support::FileLock> GlossaryLock;
  if (std::string G = glossaryPath(O, P, Cfg); !G.empty() && S.Analysed) {
    auto L = support::FileLock::acquire(G);
    if (!L)
      return fail(toString(L.takeError()));
    GlossaryLock.emplace(std::move(*L));
    auto U = report::prepareGlossary(G, R);
    if (!U)
      return fail(toString(U.takeError()));
    Out.Glossary = std::move(*U);
  }

  if (std::error_code EC = sys::fs::create_directories(OutDir))
    return fail(OutDir + ": cannot create output directory: " + EC.message());
  // Runs writing one output directory write their reports one after the other:
  // the directory holds one run's set, never a mix.
  auto DirLock = support::FileLock::acquireDirectory(OutDir);
  if (!DirLock)
    return fail(toString(DirLock.takeError()));
  for (const auto &[Path, Content] : Out.Files) {
    if (auto E = support::writeFileAtomic(Path, Content))
      return fail(toString(std::move(E)));
    if (Path != O.WriteBaselineFile)
      S.Written.push_back(Path);
  }
  out() << Out.Diagnostics;
  if (Out.Glossary) {
    if (auto E = report::writeGlossary(*Out.Glossary))
      return fail(toString(std::move(E)));
    S.Glossary = Out.Glossary->Path;
  }

  std::vector<model::Finding> Gated;
  for (const auto &F : R.Findings)
    if (Gate.counts(F, P.Root))
      Gated.push_back(F);
  S.NotGated = R.Findings.size() - Gated.size();
  if (!O.Quiet)
    printSummary(O, P, Result, S);
  // Units that reach no client were decided, not left out: a project with no
  // client passes.
  if (!S.Analysed && !S.Unreached)
    return fail("no translation unit was analysed (" + std::to_string(S.Failed) + " failed, " +
                std::to_string(S.Skipped) + " skipped): the reports list why; nothing was "
                "checked, so this run cannot pass a gate");
  if (report::failsGate(Gated, O.FailOn)) {
    if (!O.Quiet)
      out() << "integration-mapper: findings at or above --fail-on=" << O.FailOn << " remain\n";
    return ExitFindings;
  }
  return ExitOk;
}

} // namespace im::cli
