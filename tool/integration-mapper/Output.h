// The outputs of a run: report files, the baseline, the shared glossary, the
// summary on stdout and the --fail-on gate.
#pragma once

#include "Options.h"
#include "Planning.h"

#include "analysis/Pipeline.h"

#include <set>
#include <string>

namespace im::cli {

/// Where the document goes: --output-dir, or <root>/.claude/memory/integrations
/// with --layout=claude.
std::string outputDir(const CliOptions &O, const Plan &P);

/// Before the analysis: the output directory, every report the run will write,
/// the --write-baseline file and the glossary must be writable (a symbolic
/// link counts by its target; a directory, device or read-only file does not)
/// and the glossary well-formed; else one line naming the path and ExitUsage,
/// with nothing analysed or written. Then the previous run's reports
/// (integration-report.json, INTEGRATION_RISK_ANALYSIS.md,
/// integration-report.sarif, whatever --format chose) are removed, so a run that
/// does not finish leaves none that look current. Returns 0 when the run may go on.
int prepareOutputs(const CliOptions &O, const Plan &P, const config::Config &Cfg);

/// The files the translation units saw, by whether the unit compiled. A
/// finding counts for --fail-on unless only units that failed saw its file: a
/// build failure (a missing generated header) is not a failure of the code, and
/// a verdict such as "no timeout" may only mean the compiler never saw it.
struct GateScope {
  std::set<std::string> Compiled; // absolute paths seen by an analysed unit
  std::set<std::string> Failed;   // absolute paths seen by a failed unit
  /// True when `F` may fail the gate (files in neither set, such as env files, do).
  bool counts(const model::Finding &F, const std::string &Root) const;
};
GateScope gateScope(const std::vector<model::TUFacts> &Units);

/// Renders every output of `Result`, then writes them, then prints the summary.
/// Nothing is written when one of them cannot be prepared (a malformed
/// glossary). `Baseline` holds the fingerprints of --baseline (empty without
/// it). Returns the exit code: ExitUsage when no translation unit was analysed
/// (the reports are still written and say why each one failed) or a file
/// cannot be written, ExitFindings when the --fail-on gate fails, else ExitOk.
int writeOutputs(const CliOptions &O, const Plan &P, const config::Config &Cfg,
                 const catalog::Catalog &Cat, analysis::PipelineResult &Result,
                 const std::set<std::string> &Baseline, const GateScope &Gate);

} // namespace im::cli
