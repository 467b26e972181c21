#include "Output.h"

#include "report/Ci.h"
#include "report/Emitters.h"
#include "report/Glossary.h"
#include "support/Files.h"

#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/raw_ostream.h"

using namespace llvm;

namespace im::cli {

namespace {

/// The glossary goes beside the project's config (its root) unless --glossary
/// names it; with --layout=claude, at <root>/.claude/memory/glossary.json;
/// otherwise nothing is written into the user's tree. Returns the path written
/// ("" when none) or the error.
Expected<std::string> writeGlossary(const CliOptions &O, const Plan &P, const config::Config &Cfg,
                                    const model::Report &R) {
  if (O.NoGlossary || (O.GlossaryFile.empty() && Cfg.Path.empty() && O.Layout != "claude"))
    return "";
  std::string GPath = O.GlossaryFile;
  if (GPath.empty()) {
    SmallString<256> Dir(O.Layout == "claude" ? P.Root : sys::path::parent_path(Cfg.Path).str());
    sys::path::append(Dir, ".claude", "memory", "glossary.json");
    GPath = std::string(Dir);
  }
  if (auto E = report::updateGlossary(GPath, R))
    return std::move(E);
  return GPath;
}

struct Summary {
  std::vector<std::string> Written;
  std::string Glossary;
  size_t InBaseline = 0;
};

void printSummary(const CliOptions &O, const Plan &P, const analysis::PipelineResult &Result,
                  const Summary &S) {
  const model::Report &R = Result.Report;
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
  for (const auto &D : P.Db.Duplicates)
    outs() << "  note: " << D << " is listed more than once in " << P.Db.Path
           << "; analyzed once\n";
  for (const auto &W : S.Written)
    outs() << "report: " << W << "\n";
  if (!S.Glossary.empty())
    outs() << "glossary: " << S.Glossary << "\n";
  if (Result.NolintSuppressed)
    outs() << "  " << Result.NolintSuppressed << " findings suppressed by NOLINT comments\n";
  if (!O.BaselineFile.empty())
    outs() << "  " << S.InBaseline << " findings in baseline " << O.BaselineFile << ", "
           << R.Findings.size() << " new\n";
  if (!O.WriteBaselineFile.empty())
    outs() << "baseline: " << O.WriteBaselineFile << "\n";
}

} // namespace

std::string outputDir(const CliOptions &O, const Plan &P) {
  return O.Layout == "claude" ? P.Root + "/.claude/memory/integrations" : O.OutputDir;
}

int writeOutputs(const CliOptions &O, const Plan &P, const config::Config &Cfg,
                 const catalog::Catalog &Cat, analysis::PipelineResult &Result,
                 const std::set<std::string> &Baseline) {
  model::Report &R = Result.Report;
  report::RunInfo Run{IM_VERSION, P.Root, P.Db.Path, O.ExtraArgs};
  Summary S;
  if (!O.WriteBaselineFile.empty())
    if (auto E = support::writeFileAtomic(O.WriteBaselineFile, report::emitBaseline(R.Findings, Run)))
      return fail(toString(std::move(E)));
  // SARIF keeps the baselined findings, marked "unchanged": code scanning closes
  // alerts missing from an upload as fixed.
  std::vector<model::Finding> BeforeBaseline = R.Findings;
  if (!O.BaselineFile.empty())
    R.Findings = report::withoutBaseline(std::move(R.Findings), Baseline, &S.InBaseline);

  std::string OutDir = outputDir(O, P);
  if (std::error_code EC = sys::fs::create_directories(OutDir))
    return fail(OutDir + ": cannot create output directory: " + EC.message());
  auto Write = [&](const std::string &Name, const std::string &Content) -> bool {
    SmallString<256> Path(OutDir);
    sys::path::append(Path, Name);
    if (auto E = support::writeFileAtomic(std::string(Path), Content)) {
      errs() << "integration-mapper: error: " << toString(std::move(E)) << "\n";
      return false;
    }
    S.Written.push_back(std::string(Path));
    return true;
  };
  if (O.Formats.count("json") && !Write("integration-report.json", report::emitJson(R, Run)))
    return ExitUsage;
  if (O.Formats.count("md") &&
      !Write("INTEGRATION_RISK_ANALYSIS.md", report::emitMarkdown(R, Run, Cat)))
    return ExitUsage;
  if (O.Formats.count("sarif")) {
    model::Report All = R;
    All.Findings = BeforeBaseline;
    if (!Write("integration-report.sarif",
               report::emitSarif(All, Run, O.BaselineFile.empty() ? nullptr : &Baseline)))
      return ExitUsage;
  }
  if (O.Formats.count("diagnostics"))
    outs() << report::emitDiagnostics(R.Findings, currentDir());

  auto Glossary = writeGlossary(O, P, Cfg, R);
  if (!Glossary)
    return fail(toString(Glossary.takeError()));
  S.Glossary = *Glossary;

  if (!O.Quiet)
    printSummary(O, P, Result, S);
  if (report::failsGate(R.Findings, O.FailOn)) {
    if (!O.Quiet)
      outs() << "integration-mapper: findings at or above --fail-on=" << O.FailOn << " remain\n";
    return ExitFindings;
  }
  return ExitOk;
}

} // namespace im::cli
