// The command line of integration-mapper: its options, parsed and checked.
#pragma once

#include "Isolation.h"

#include <set>
#include <string>
#include <vector>

namespace im::cli {

constexpr int ExitOk = 0;
constexpr int ExitFindings = 1; // findings at or above --fail-on remain
constexpr int ExitUsage = 2;    // usage or input error

struct CliOptions {
  std::string BuildPath;
  std::vector<std::string> Sources;
  std::vector<std::string> ExtraArgs;
  std::vector<std::string> ExtraArgsBefore;
  unsigned Jobs = 0;
  unsigned StackSizeMb = DefaultUnitStackMb; // per translation unit
  std::set<std::string> Formats; // json, md, sarif, diagnostics
  std::string OutputDir;
  bool OutputDirGiven = false;
  std::string SourceRoot;
  bool IncludeGenerated = false;
  bool IncludeTests = false;
  std::string ConfigFile;
  std::string GlossaryFile;
  bool NoGlossary = false;
  bool Quiet = false;
  std::string Layout; // default | claude
  bool NoInventory = false;
  std::string BaselineFile;
  std::string WriteBaselineFile;
  std::string FailOn;
  // Scale: the facts cache, the prefilter, shards.
  std::string CacheDir;
  bool NoCache = false;
  bool NoPrefilter = false;
  unsigned ShardIndex = 0, ShardCount = 0; // --shard=i/N (1-based); 0/0 without
  std::string FactsOut;                    // --facts-out (shard runs)
  // `integration-mapper merge [options] FACTS...`
  bool Merge = false;
  std::vector<std::string> FactsFiles;
};

/// Parses the command line. Returns ExitOk and fills `Out`, or the exit code
/// after printing what is wrong (--help and --version exit inside). A first
/// argument `merge` selects the merge of shard facts: the positional arguments
/// are then facts files.
int parseCommandLine(int argc, const char **argv, CliOptions &Out);

/// Checks the values of --format, --fail-on and --layout before the (slow)
/// analysis; adds the diagnostics format when stdout is a terminal and --format
/// was not given. Returns ExitOk or the exit code after printing the error.
int checkOptions(CliOptions &O);

/// Prints "integration-mapper: error: <Message>" and returns ExitUsage.
int fail(const std::string &Message);

/// The process's working directory.
std::string currentDir();

} // namespace im::cli
