#pragma once
#include "llvm/Support/Error.h"
#include <string>

namespace im::support {
/// Writes `Content` to a temporary file beside `Path`, then renames it over
/// `Path`: readers see the old file or the whole new one, never a half. A
/// symbolic link is written through: its final target is replaced and the link
/// stays. An existing file keeps its mode (and its owner and group where the
/// process may set them); one that is not a regular file or not writable is
/// left untouched and the error says why.
llvm::Error writeFileAtomic(const std::string &Path, const std::string &Content);
/// Where writing `Path` lands: the final target of a chain of symbolic links
/// (a relative link read from its own folder), else `Path` itself.
std::string writeTarget(const std::string &Path);
/// Why `Path` cannot be written by writeFileAtomic ("is not a regular file",
/// "is read-only", "cannot be created: ..."), or "" when it can. Touches nothing.
/// A file without any write permission bit is read-only also for root.
std::string whyNotWritable(const std::string &Path);
/// An advisory lock (flock) on `<target of Path>.lock`, held until destroyed:
/// processes that update one file through it take turns. The lock file stays.
class FileLock {
public:
  static llvm::Expected<FileLock> acquire(const std::string &Path);
  /// The same lock taken on an existing directory itself: no file is left in it.
  static llvm::Expected<FileLock> acquireDirectory(const std::string &Dir);
  FileLock(FileLock &&O) noexcept : Fd(O.Fd) { O.Fd = -1; }
  FileLock &operator=(FileLock &&) = delete;
  ~FileLock();

private:
  explicit FileLock(int Fd) : Fd(Fd) {}
  /// Takes an exclusive flock on open `Fd` (retrying on EINTR); closes it and
  /// names `Path` on failure.
  static llvm::Expected<FileLock> lockOpened(int Fd, const std::string &Path);
  int Fd = -1;
};
/// Reads a whole file; the error names the file.
llvm::Expected<std::string> readFile(const std::string &Path);
/// `Path` relative to `Root` when inside it, else unchanged.
std::string relativeTo(const std::string &Path, const std::string &Root);
/// 64-bit FNV-1a as 16 hex digits.
std::string fnv1a(const std::string &S);
} // namespace im::support
