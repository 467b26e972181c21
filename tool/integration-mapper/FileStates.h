// The state of the files a cache entry was made from, and whether they still
// have it: size and modification time first (a stat), the contents' hash only
// when those differ.
#pragma once

#include <cstdint>
#include <map>
#include <mutex>
#include <optional>
#include <string>

namespace im::cli {

/// What an entry records of one file it was made from.
struct FileStamp {
  std::string Hash;   // BLAKE3 of the contents (hex)
  uint64_t Size = 0;
  int64_t Mtime = 0;  // nanoseconds since the epoch; 0: too recent to trust, hash it
};

/// One per run, shared by the caches: each path is stat'ed at most once and
/// hashed at most once per run. Thread-safe.
///
/// A stamp recorded for a file modified shortly before the run started has no
/// modification time (0): an edit later within the same timestamp tick would
/// leave size and time equal, so such a file is checked by its hash. A file
/// stamped at or after the run's start (modified during the parse or scan that
/// read it, or within the same clock tick before it) gets no stamp at all: what
/// was read may not be what is there now.
class FileStates {
public:
  FileStates();

  /// The stamp to record for `Path` now; none when it cannot be read or changed
  /// during this run.
  std::optional<FileStamp> record(const std::string &Path);

  /// Whether `Path` still has the contents of `S`. Equal size and modification
  /// time say yes without reading it; otherwise its hash decides. `Restamp` is
  /// set when the contents are the same but the stamp's size or time are not
  /// (the entry is worth rewriting so the next run needs only a stat).
  bool unchanged(const std::string &Path, const FileStamp &S, bool &Restamp);

  /// The hash of the contents of `Path` ("" when it cannot be read), once per run.
  std::string hash(const std::string &Path);

private:
  struct Known {
    bool Exists = false;
    uint64_t Size = 0;
    int64_t Mtime = 0;
    std::optional<std::string> Hash;
  };
  Known stat(const std::string &Path);

  int64_t RunStart; // nanoseconds since the epoch, on the file system's clock
  std::mutex M;
  std::map<std::string, Known> Files;
};

} // namespace im::cli
