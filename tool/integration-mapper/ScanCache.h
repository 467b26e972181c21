// The include-scan cache: what the prefilter's scan found for one translation
// unit (every file it includes and whether one is a reach header), reused while
// the command and every one of those files are unchanged.
#pragma once

#include "FileStates.h"

#include "compdb/CompileDb.h"

#include <atomic>
#include <optional>
#include <string>
#include <vector>

namespace im::cli {

/// One entry per unit, `<dir>/<key>.scan`, where the key hashes the facts
/// cache's salt (tool, catalog, extraction options), the reach headers the
/// verdict was computed with, and the unit's directory, file and adjusted
/// command line. The entry lists every file the scan found (the main file
/// included) with its FileStamp; it is used only while each is unchanged
/// (FileStates::unchanged). An entry that cannot be read, is cut short, or does
/// not carry this key is ignored and the new scan replaces it.
///
/// Which of these files declare a wrapper is not part of an entry: the prefilter's
/// later rounds match the current run's facts against the cached file lists.
class ScanCache {
public:
  ScanCache(std::string Dir, const std::string &Salt, const std::vector<std::string> &ReachHeaders,
            FileStates &States);

  struct Result {
    std::vector<std::string> Files; // absolute real paths, sorted
    bool IncludesReachHeader = false;
  };

  /// The stored scan of `C`, when every file it lists is unchanged.
  std::optional<Result> lookup(const compdb::Command &C, const std::vector<std::string> &Args);
  /// Stores the scan of `C`. Nothing is stored when a file cannot be stamped
  /// (gone, unreadable, or modified during this run).
  void store(const compdb::Command &C, const std::vector<std::string> &Args, const Result &R);

  std::atomic<size_t> Hits{0}, Stored{0}, Rejected{0};

private:
  std::string key(const compdb::Command &C, const std::vector<std::string> &Args) const;
  std::string entryPath(const std::string &Key) const;

  std::string Dir;
  std::string Salt; // the facts salt and the reach headers, hashed
  FileStates &States;
};

} // namespace im::cli
