// The facts cache: the facts of one translation unit, stored on disk and
// reused while nothing they were extracted from has changed.
#pragma once

#include "catalog/Catalog.h"
#include "compdb/CompileDb.h"
#include "config/Config.h"
#include "matchers/Driver.h"
#include "model/Facts.h"

#include <atomic>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

namespace im::cli {

/// One entry per translation unit, `<dir>/<key>.json`, where the key hashes
/// what is known before parsing: the tool (version and executable), the
/// catalog (built-in and the config's entries), the extraction options and the
/// unit's adjusted command line and directory. The entry records every file the
/// parse read with the hash of its contents; it is used only when each of them
/// still has that content. An entry that cannot be read, parsed or does not
/// carry this key (corrupt, foreign, from another version) is ignored, and the
/// unit's new facts replace it.
class FactsCache {
public:
  /// `Salt` identifies the tool, catalog and extraction options (see salt()).
  FactsCache(std::string Dir, std::string Salt);

  /// The stored facts of `C`, when every file they were extracted from is unchanged.
  std::optional<model::TUFacts> lookup(const compdb::Command &C,
                                       const std::vector<std::string> &Args);
  /// Stores the facts of `C` and the files the parse read (absolute paths).
  /// Failed units are not stored: what failed may be a file that does not exist yet.
  void store(const compdb::Command &C, const std::vector<std::string> &Args,
             const model::TUFacts &Facts, const std::vector<std::string> &Inputs);

  const std::string &dir() const { return Dir; }

  /// What identifies the extraction independently of the unit: the tool's
  /// version and executable, the catalog as loaded (built-in files, the
  /// config's inline entries and catalog files) and the extraction options.
  /// Without the executable (`WithExecutable` false), it identifies the
  /// extraction across builds of one version: what shards and merge compare.
  static std::string salt(const config::Config &Cfg, const matchers::DriverOptions &Opts,
                          bool WithExecutable = true);

  std::atomic<size_t> Hits{0}, Stored{0}, Rejected{0};

private:
  std::string entryPath(const std::string &Key) const;
  std::string key(const compdb::Command &C, const std::vector<std::string> &Args) const;
  /// The hash of a file's contents ("" when it cannot be read), once per run.
  std::string contentHash(const std::string &Path);

  std::string Dir;
  std::string Salt;
  std::mutex M;
  std::map<std::string, std::string> Hashes;
};

/// The hex BLAKE3 digest (128 bits) of `Data`.
std::string digest(llvm::StringRef Data);

} // namespace im::cli
