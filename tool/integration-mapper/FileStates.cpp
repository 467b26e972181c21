#include "FileStates.h"
#include "Cache.h"

#include "llvm/Support/FileSystem.h"
#include "llvm/Support/MemoryBuffer.h"

#include <chrono>
#include <ctime>

namespace im::cli {

namespace {
using Nanos = std::chrono::nanoseconds;

/// A file modified less than this before the run started is checked by its
/// hash next time: file systems stamp with a coarse clock (a few milliseconds
/// on Linux, two seconds on FAT), so a later edit could keep the same time.
constexpr int64_t Recent = 2'000'000'000;

/// The time the file system would stamp a file modified now. Linux stamps with
/// the coarse clock, which lags the precise one by up to a tick: a file
/// modified after this point has a time at or after it.
int64_t fileClockNow() {
#ifdef CLOCK_REALTIME_COARSE
  timespec T;
  if (clock_gettime(CLOCK_REALTIME_COARSE, &T) == 0)
    return int64_t(T.tv_sec) * 1'000'000'000 + T.tv_nsec;
#endif
  // Elsewhere, a margin wider than a coarse tick.
  return std::chrono::duration_cast<Nanos>(std::chrono::system_clock::now().time_since_epoch())
             .count() -
         20'000'000;
}
} // namespace

FileStates::FileStates() : RunStart(fileClockNow()) {}

FileStates::Known FileStates::stat(const std::string &Path) {
  {
    std::lock_guard<std::mutex> L(M);
    if (auto It = Files.find(Path); It != Files.end())
      return It->second;
  }
  Known K;
  llvm::sys::fs::file_status St;
  if (!llvm::sys::fs::status(Path, St) && llvm::sys::fs::is_regular_file(St)) {
    K.Exists = true;
    K.Size = St.getSize();
    K.Mtime = std::chrono::duration_cast<Nanos>(St.getLastModificationTime().time_since_epoch())
                  .count();
  }
  std::lock_guard<std::mutex> L(M);
  return Files.emplace(Path, K).first->second;
}

std::string FileStates::hash(const std::string &Path) {
  {
    std::lock_guard<std::mutex> L(M);
    if (auto It = Files.find(Path); It != Files.end() && It->second.Hash)
      return *It->second.Hash;
  }
  auto Buf = llvm::MemoryBuffer::getFile(Path, /*IsText=*/false,
                                         /*RequiresNullTerminator=*/false);
  std::string H = Buf ? digest((*Buf)->getBuffer()) : "";
  stat(Path); // the entry exists before the hash is set
  std::lock_guard<std::mutex> L(M);
  Files[Path].Hash = H;
  return H;
}

std::optional<FileStamp> FileStates::record(const std::string &Path) {
  Known K = stat(Path);
  if (!K.Exists || K.Mtime >= RunStart)
    return std::nullopt;
  FileStamp S;
  S.Hash = hash(Path);
  if (S.Hash.empty())
    return std::nullopt;
  S.Size = K.Size;
  S.Mtime = K.Mtime >= RunStart - Recent ? 0 : K.Mtime;
  return S;
}

bool FileStates::unchanged(const std::string &Path, const FileStamp &S, bool &Restamp) {
  Known K = stat(Path);
  if (!K.Exists || K.Size != S.Size)
    return false;
  if (S.Mtime != 0 && K.Mtime == S.Mtime && K.Size == S.Size)
    return true;
  if (hash(Path) != S.Hash)
    return false;
  // Same contents, another stamp (touched, copied, or recorded as too recent).
  if (K.Mtime < RunStart - Recent)
    Restamp = true;
  return true;
}

} // namespace im::cli
