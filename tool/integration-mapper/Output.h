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

/// Writes every output of `Result` and prints the summary. `Baseline` holds
/// the fingerprints of --baseline (empty without it). Returns the exit code:
/// ExitFindings when the --fail-on gate fails, ExitUsage when a file cannot be
/// written, else ExitOk.
int writeOutputs(const CliOptions &O, const Plan &P, const config::Config &Cfg,
                 const catalog::Catalog &Cat, analysis::PipelineResult &Result,
                 const std::set<std::string> &Baseline);

} // namespace im::cli
