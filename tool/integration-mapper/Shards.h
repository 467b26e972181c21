// Facts files: what a --shard run writes and `integration-mapper merge` reads.
#pragma once

#include "model/Facts.h"

#include "llvm/Support/Error.h"

#include <string>
#include <vector>

namespace im::cli {

struct FactsFile {
  std::string Path;      // where it was read from
  unsigned Index = 0;    // this shard, 1-based
  unsigned Count = 0;    // of how many
  bool Prefilter = true; // the shard analysed the prefilter's selection
  /// FactsCache::salt() of the shard: tool, catalog and extraction options.
  std::string Salt;
  std::string Database;             // absolute path of the compilation database
  std::vector<std::string> Sources; // the selected sources, absolute; empty: every file
  std::vector<model::TUFacts> Units;
};

llvm::Error writeFactsFile(const std::string &Path, const FactsFile &F);
llvm::Expected<FactsFile> readFactsFile(const std::string &Path);
/// The facts file `Text` read from `Path`; errors name `Path`.
llvm::Expected<FactsFile> parseFactsFile(const std::string &Path, const std::string &Text);

/// The shards of one run combined: every shard 1..N exactly once, all from the
/// same database, sources, tool, catalog and options. Errors name the files.
llvm::Expected<FactsFile> combineShards(std::vector<FactsFile> Files);

} // namespace im::cli
