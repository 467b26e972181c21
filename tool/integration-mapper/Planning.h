// What to analyse and how: the compilation database, the selected sources, the
// generated-file filter, the catalog and config, and the parallel extraction.
#pragma once

#include "Options.h"

#include "catalog/Catalog.h"
#include "compdb/CompileDb.h"
#include "config/Config.h"
#include "matchers/Driver.h"
#include "model/Facts.h"

#include <optional>
#include <vector>

namespace im::cli {

struct Plan {
  compdb::Database Db;
  std::vector<compdb::Command> Selected; // the translation units to analyse
  matchers::DriverOptions Driver;        // extra arguments, generated directories
  std::string Root;                      // report paths are relative to it
};

/// Finds and loads the compilation database (-p, else the nearest
/// compile_commands.json above the first source or the working directory),
/// selects the sources named on the command line (default: all), checks that
/// they can be read, and decides the source root and the generated directories.
/// Returns ExitOk and fills `Out`, or the exit code after printing the error.
int planRun(const CliOptions &O, Plan &Out);

/// The built-in catalog extended with the project's own clients, and the config
/// (--config, else the nearest .integration-mapper.yaml above the first source).
/// Returns ExitOk, or the exit code after printing the error.
int loadCatalogAndConfig(const CliOptions &O, const Plan &P,
                         std::optional<catalog::Catalog> &Cat, config::Config &Cfg);

} // namespace im::cli
