// Runs the extractor over one translation unit from a compile command.
#pragma once

#include "catalog/Catalog.h"
#include "compdb/CompileDb.h"
#include "matchers/Extractor.h"
#include "model/Facts.h"

namespace im::matchers {

struct DriverOptions {
  std::vector<std::string> ExtraArgs;
  std::vector<std::string> ExtraArgsBefore;
  ExtractOptions Extract;
};

/// The compile command as the in-process Clang will run it: syntax-only, GCC-only
/// flags Clang does not know removed (returned in `Dropped`), resource dir added.
std::vector<std::string> adjustArguments(const compdb::Command &C, const DriverOptions &Opts,
                                         std::vector<std::string> *Dropped = nullptr);

/// Parses and extracts one file. Never throws or aborts: a file that does not
/// compile is returned with status "failed" and the compiler's first error, and
/// with the facts Clang could still extract. `Inputs`, when given, receives the
/// absolute paths of every file the parse read (main file and headers), sorted.
model::TUFacts analyzeFile(const catalog::Catalog &Catalog, const compdb::Command &C,
                           const DriverOptions &Opts, std::vector<std::string> *Inputs = nullptr);

/// The Clang resource directory the tool passes to every parse.
const char *clangResourceDir();

} // namespace im::matchers
