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

/// What the cache holds of one translation unit: its status (the facts' Unit,
/// with empty lists) and the digests of its facts' parts, one per file the
/// facts are located in, in file order.
struct CachedUnit {
  model::TUFacts Facts;
  std::vector<std::string> Parts;
};

/// One entry per translation unit, `<dir>/<key>.json`, where the key hashes
/// what is known before parsing: the tool (version and executable), the
/// catalog (built-in and the config's entries), the extraction options and the
/// unit's adjusted command line and directory. The entry records every file the
/// parse read with its size, modification time and the hash of its contents;
/// it is used only when each of them still has that content (FileStates: a
/// stat when size and time are unchanged, else the hash). An entry that cannot
/// be read, parsed or does not carry this key (corrupt, foreign, from another
/// version) is ignored, and the unit's new facts replace it.
///
/// The facts themselves are stored by file, each file's share of a unit's facts
/// in `<dir>/parts/<digest>.json`, named by the digest of its contents: a
/// header's facts, which every unit including it repeats, are stored, read and
/// merged once per distinct content rather than once per unit. A part that is
/// missing or does not match its name makes the units needing it parse again.
class FactsCache {
public:
  /// `Salt` identifies the tool, catalog and extraction options (see salt()).
  FactsCache(std::string Dir, std::string Salt);

  /// The stored status and parts of `C`, when every file its facts were
  /// extracted from is unchanged and every part is there.
  std::optional<CachedUnit> lookup(const compdb::Command &C, const std::vector<std::string> &Args);
  /// Stores the facts of `C` (ordered by file, model::orderByFile) and the files
  /// the parse read (absolute paths); returns the digests of its parts, or
  /// nothing when it was not stored. `Facts` is given back as it came. Failed
  /// units are not stored: what failed may be a file that does not exist yet.
  std::vector<std::string> store(const compdb::Command &C, const std::vector<std::string> &Args,
                                 model::TUFacts &Facts, const std::vector<std::string> &Inputs);

  /// Records the parts of the unit `Index` (into the run's units): those of a
  /// unit found in the cache (`Loaded` false: its facts are still to be
  /// assembled), or of one parsed in this run (`Loaded`: its facts are whole).
  void noteParts(size_t Index, std::vector<std::string> Parts, bool Loaded);
  /// Forgets what noteParts recorded of `Index` (a unit parsed again).
  void forget(size_t Index);
  /// Gives every unit noted as not loaded its facts: its parts, read on `Jobs`
  /// workers, except each part that a unit before it in the merge's order (by
  /// file) also has. The merge keeps the first fact of each key, so a repeated
  /// part would add nothing; the facts of such units are therefore not whole,
  /// only their union is. A unit once assembled is not changed by later calls
  /// (the prefilter's later rounds). Returns the units a part of which could
  /// not be read or does not match its digest (the part is deleted), and then
  /// assembles none: those must be parsed first.
  std::vector<size_t> assemble(std::vector<model::TUFacts> &Units, unsigned Jobs);
  /// Frees the parts read so far (once the run's units are all assembled).
  void releaseParts();

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
  /// Parts read, and parts of cached units not read because a unit before them
  /// in the merge's order has them: the run's summary says both.
  std::atomic<size_t> PartsRead{0}, PartsShared{0};

private:
  std::string entryPath(const std::string &Key) const;
  std::string partPath(const std::string &Digest) const;
  bool write(const std::string &Key, const compdb::Command &C, nlohmann::json Status,
             const std::vector<std::string> &Parts, const std::vector<std::string> &Inputs);
  std::string key(const compdb::Command &C, const std::vector<std::string> &Args) const;
  std::optional<model::TUFacts> readPart(const std::string &Digest);

  std::string Dir;
  std::string Salt;
  FileStates States;

  struct Noted {
    std::vector<std::string> Parts;
    bool Loaded = false;
    bool Assembled = false; // its parts were moved into its facts
  };
  std::mutex Lock; // guards NotedUnits
  std::map<size_t, Noted> NotedUnits;
  std::map<std::string, model::TUFacts> Read; // parts read in this run, by digest
};

/// The hex BLAKE3 digest (128 bits) of `Data`.
std::string digest(llvm::StringRef Data);
/// The digest of a list of fields, joined so that no two lists give the same text.
std::string digestFields(const std::vector<std::string> &Fields);

} // namespace im::cli
