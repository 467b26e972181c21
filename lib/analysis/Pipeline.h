// The engine: from the facts of every translation unit to the analysed report.
// The command line, the clang-tidy plugin and the tests call analyse(); no other
// code wires the stages together, so every host gives the same verdicts.
#pragma once

#include "analysis/Resolve.h"
#include "catalog/Catalog.h"
#include "config/Config.h"
#include "inventory/Inventory.h"
#include "model/Facts.h"

#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace im::analysis {

/// Reads a source file (excerpts, NOLINT comments); nullopt when it cannot be read.
using FileReader = std::function<std::optional<std::string>(const std::string &Path)>;

struct PipelineOptions {
  /// Call-site ids and fingerprints are relative to it ("" keeps absolute paths).
  std::string SourceRoot;
  /// Reads sources for the risk document's excerpts and for NOLINT comments.
  /// Without it, neither excerpts nor NOLINT comments are read.
  FileReader Read;
  /// Read env files and build manifests under SourceRoot and cross-check them.
  bool Inventory = false;
  /// Directories the inventory walk does not enter (the output directory).
  inventory::WalkOptions Walk;
  /// Build the risk document (the rubric of docs/scoring.md).
  bool Assess = true;
  /// Keep call sites in test code (tests, mocks, fakes, examples) among the
  /// system's instead of listing them apart (analysis/TestCode.h).
  bool IncludeTests = false;
  /// Every translation unit of the run (absolute paths). Test folders are
  /// read below the deepest folder holding them all; when empty (the plugin
  /// sees one unit at a time), below the source root.
  std::vector<std::string> AnalysedUnits;
  /// Units built only into executables CTest runs (absolute path → target):
  /// test code whatever their folder (compdb::testOnlyFiles).
  std::map<std::string, std::string> TestOnlyUnits;
  /// Drop findings suppressed by NOLINT comments. The clang-tidy plugin leaves
  /// this to clang-tidy, which reads the same comments.
  bool Nolint = true;
  /// The units are the whole program: a function nobody analysed calls has no
  /// caller (a handle it takes as a parameter comes from outside the analysed
  /// code). False in the plugin, which sees one unit and says what others may do.
  bool WholeProgram = true;
};

struct PipelineResult {
  model::Report Report;
  /// The merged facts the report was resolved from (call sites moved into
  /// Report): what one translation unit saw, for the plugin's caveats.
  Merged Facts;
  /// Findings dropped by NOLINT comments.
  size_t NolintSuppressed = 0;
};

/// Merges the units, resolves every call site (with the config's circuit
/// breakers), gives call sites their ids, sets test code apart, groups integrations, evaluates the
/// rules and the security checks, optionally the inventory cross-checks, then
/// drops the findings the config suppresses, applies the config's names,
/// builds the risk document and honours NOLINT comments. Deterministic.
PipelineResult analyse(std::vector<model::TUFacts> Units, const catalog::Catalog &Cat,
                       const config::Config &Cfg, const PipelineOptions &Opts);

} // namespace im::analysis
