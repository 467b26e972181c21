// The facts cache: the facts of one translation unit, stored on disk and
// reused while nothing they were extracted from has changed.
#pragma once

#include "catalog/Catalog.h"
#include "compdb/CompileDb.h"
#include "config/Config.h"
#include "matchers/Driver.h"
#include "model/Facts.h"

#include "FileStates.h"

#include <nlohmann/json_fwd.hpp>

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
/// parse read with its size, modification time and the hash of its contents;
/// it is used only when each of them still has that content (FileStates: a
/// stat when size and time are unchanged, else the hash). An entry that cannot be read, parsed or does not
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
  const std::string &salt() const { return Salt; }
  /// The files' states of this run, shared with the include-scan cache.
  FileStates &files() { return States; }

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
  void write(const std::string &Key, const compdb::Command &C, nlohmann::json Facts,
             const std::vector<std::string> &Inputs);
  std::string key(const compdb::Command &C, const std::vector<std::string> &Args) const;

  std::string Dir;
  std::string Salt;
  FileStates States;
};

/// The hex BLAKE3 digest (128 bits) of `Data`.
std::string digest(llvm::StringRef Data);
/// The digest of a list of fields, joined so that no two lists give the same text.
std::string digestFields(const std::vector<std::string> &Fields);

} // namespace im::cli
