// The shared agent glossary (.claude/memory/glossary.json): this tool adds or
// updates its integrations and keeps every entry other tools wrote.
#pragma once

#include "model/Facts.h"

#include "llvm/Support/Error.h"

#include <string>

namespace im::report {

/// The merged glossary text. `Existing` is the current file content (empty when
/// there is none); `Path` names the file in errors. A malformed file is an error.
llvm::Expected<std::string> mergeGlossary(const std::string &Existing, const std::string &Path,
                                          const model::Report &R);

/// A glossary ready to be written: its path and merged text.
struct GlossaryUpdate {
  std::string Path;
  std::string Text;
  bool Changed = false; // false: the file already says this
};

/// Reads `Path` (if present) and merges `R` into it, writing nothing; on a
/// malformed file the error names it.
llvm::Expected<GlossaryUpdate> prepareGlossary(const std::string &Path, const model::Report &R);

/// Writes a prepared glossary atomically (nothing when unchanged).
llvm::Error writeGlossary(const GlossaryUpdate &U);

/// prepareGlossary, then writeGlossary; on a malformed file the error names it
/// and the file is left untouched.
llvm::Error updateGlossary(const std::string &Path, const model::Report &R);

} // namespace im::report
