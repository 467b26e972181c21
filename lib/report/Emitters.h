// Turning a resolved report into files. No Clang types here.
#pragma once

#include "catalog/Catalog.h"
#include "model/Facts.h"

#include <string>

namespace im::report {

/// Facts about the run that every output states.
struct RunInfo {
  std::string Version;
  std::string SourceRoot;  // paths in Markdown/SARIF are relative to it
  std::string CompileDb;   // the compile_commands.json that was read
  std::vector<std::string> ExtraArgs;
};

inline constexpr const char *SchemaVersion = "1.1";

std::string emitJson(const model::Report &R, const RunInfo &Run);
std::string emitMarkdown(const model::Report &R, const RunInfo &Run, const catalog::Catalog &Cat);

} // namespace im::report
