// Outputs for CI pipelines and terminals: SARIF 2.1.0, clang-style diagnostics,
// baselines and the --fail-on gate. No Clang types here.
#pragma once

#include "model/Facts.h"
#include "report/Emitters.h"

#include "llvm/Support/Error.h"

#include <set>
#include <string>
#include <vector>

namespace im::report {

/// SARIF 2.1.0 as GitHub code scanning accepts it: every rule of
/// analysis::rules() with descriptions, help and `security-severity`; one result
/// per finding of `R`, located relative to `Run.SourceRoot` (uriBaseId
/// %SRCROOT%), with `partialFingerprints.primaryLocationLineHash` from the
/// line-independent finding fingerprint. With a `Baseline`, every result gets
/// `baselineState`: "unchanged" when its fingerprint is in it, else "new".
std::string emitSarif(const model::Report &R, const RunInfo &Run,
                      const std::set<std::string> *Baseline = nullptr);

/// One `file:line:col: warning: message [rule-id]` line per finding, like clang.
/// Paths are relative to `Cwd` when inside it, else absolute.
std::string emitDiagnostics(const std::vector<model::Finding> &Findings, const std::string &Cwd);

/// A baseline file: the fingerprints of `Findings` (with rule, file and message
/// for people reading it).
std::string emitBaseline(const std::vector<model::Finding> &Findings, const RunInfo &Run);

/// The fingerprints of a baseline file; the error names the file.
llvm::Expected<std::set<std::string>> loadBaseline(const std::string &Path);

/// `Findings` whose fingerprint is not in `Baseline`; `Matched` counts the others.
std::vector<model::Finding> withoutBaseline(std::vector<model::Finding> Findings,
                                            const std::set<std::string> &Baseline,
                                            size_t *Matched = nullptr);

/// `--fail-on` values: critical | high | medium | low | none.
bool isFailOnLevel(const std::string &Level);
/// True when a finding at or above `Level` remains (never for "none").
bool failsGate(const std::vector<model::Finding> &Findings, const std::string &Level);

/// SARIF level for a severity: critical/high error, medium warning, low note.
const char *sarifLevel(const std::string &Severity);

} // namespace im::report
