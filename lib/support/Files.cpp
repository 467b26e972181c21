#include "support/Files.h"

#include "llvm/Support/FileSystem.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/Process.h"
#include "llvm/Support/raw_ostream.h"

#include <cerrno>
#include <climits>
#include <cstdio>
#include <cstring>
#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>
#include <vector>

namespace im::support {

std::string writeTarget(const std::string &Path) {
  std::string Cur = Path;
  for (int Hops = 0; Hops < 40; ++Hops) {
    struct stat St;
    if (::lstat(Cur.c_str(), &St) != 0 || !S_ISLNK(St.st_mode))
      return Cur;
    std::vector<char> Buf(St.st_size > 0 ? St.st_size + 1 : PATH_MAX);
    ssize_t N = ::readlink(Cur.c_str(), Buf.data(), Buf.size());
    if (N < 0)
      return Cur;
    std::string Link(Buf.data(), static_cast<size_t>(N));
    if (llvm::sys::path::is_absolute(Link)) {
      Cur = Link;
    } else {
      llvm::SmallString<256> Next(Cur);
      llvm::sys::path::remove_filename(Next);
      llvm::sys::path::append(Next, Link);
      Cur = std::string(Next);
    }
  }
  return Cur; // a loop of links: writing fails and says so
}

namespace {

/// The nearest existing folder at or above the folder of `Path`.
std::string existingParent(const std::string &Path) {
  llvm::SmallString<256> Dir(Path);
  llvm::sys::path::remove_filename(Dir);
  if (Dir.empty())
    Dir = ".";
  // A relative path's folders that do not exist yet are created in the
  // current folder.
  std::string D(Dir);
  while (!llvm::sys::fs::exists(D))
    D = llvm::sys::path::has_parent_path(D) ? llvm::sys::path::parent_path(D).str()
                                            : std::string(".");
  return D;
}

} // namespace

std::string whyNotWritable(const std::string &Path) {
  std::string T = writeTarget(Path);
  struct stat St;
  if (::stat(T.c_str(), &St) == 0) {
    if (!S_ISREG(St.st_mode))
      return T == Path ? "is not a regular file" : "links to " + T + ", which is not a regular file";
    // A file nobody may write is left alone, also by root (who may write anything).
    bool ReadOnly = (St.st_mode & 0222) == 0 || ::access(T.c_str(), W_OK) != 0;
    if (ReadOnly)
      return (T == Path ? "" : "links to " + T + ", which ") + std::string("is read-only");
  } else if (errno != ENOENT) {
    return std::string("cannot be read: ") + std::strerror(errno);
  }
  // The new file is written beside the target and renamed over it.
  std::string Dir = existingParent(T);
  struct stat DirSt;
  if (::stat(Dir.c_str(), &DirSt) != 0 || !S_ISDIR(DirSt.st_mode))
    return "cannot be created: " + Dir + " is not a directory";
  if (::access(Dir.c_str(), W_OK | X_OK) != 0)
    return "cannot be written: folder " + Dir + " is not writable (" + std::strerror(errno) + ")";
  return "";
}

llvm::Error writeFileAtomic(const std::string &Path, const std::string &Content) {
  if (std::string Why = whyNotWritable(Path); !Why.empty())
    return llvm::createStringError(std::errc::permission_denied, "%s: %s, left untouched",
                                   Path.c_str(), Why.c_str());
  std::string Target = writeTarget(Path);
  llvm::SmallString<256> Dir(Target);
  llvm::sys::path::remove_filename(Dir);
  if (!Dir.empty())
    if (std::error_code EC = llvm::sys::fs::create_directories(Dir))
      return llvm::createStringError(EC, "%s: cannot create directory: %s", Dir.c_str(),
                                     EC.message().c_str());
  struct stat Old;
  bool Existed = ::stat(Target.c_str(), &Old) == 0;
  std::string Tmp = Target + ".tmp" + std::to_string(llvm::sys::Process::getProcessId());
  {
    int Fd = ::open(Tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0666);
    if (Fd < 0)
      return llvm::createStringError(std::error_code(errno, std::generic_category()),
                                     "%s: cannot write: %s", Path.c_str(), std::strerror(errno));
    if (Existed) {
      // Keep the file's mode, owner and group: a shared 0660 file stays shared,
      // a 0600 one stays private. Changing the owner needs privileges; the
      // group may still be kept.
      (void)::fchmod(Fd, Old.st_mode & 07777);
      if (::fchown(Fd, Old.st_uid, Old.st_gid) != 0)
        (void)::fchown(Fd, static_cast<uid_t>(-1), Old.st_gid);
    }
    llvm::raw_fd_ostream OS(Fd, /*shouldClose=*/true);
    OS << Content;
    OS.close();
    if (OS.has_error()) {
      OS.clear_error();
      llvm::sys::fs::remove(Tmp);
      return llvm::createStringError(llvm::inconvertibleErrorCode(), "%s: write failed",
                                     Path.c_str());
    }
  }
  if (std::error_code EC = llvm::sys::fs::rename(Tmp, Target)) {
    llvm::sys::fs::remove(Tmp);
    return llvm::createStringError(EC, "%s: cannot replace: %s", Path.c_str(), EC.message().c_str());
  }
  return llvm::Error::success();
}

llvm::Expected<FileLock> FileLock::lockOpened(int Fd, const std::string &Path) {
  while (::flock(Fd, LOCK_EX) != 0)
    if (errno != EINTR) {
      int E = errno;
      ::close(Fd);
      return llvm::createStringError(std::errc::permission_denied, "%s: cannot lock: %s",
                                     Path.c_str(), std::strerror(E));
    }
  return FileLock(Fd);
}

llvm::Expected<FileLock> FileLock::acquire(const std::string &Path) {
  std::string Lock = writeTarget(Path) + ".lock";
  // The glossary's folder may not exist yet: it is created as writing would.
  llvm::SmallString<256> Dir(Lock);
  llvm::sys::path::remove_filename(Dir);
  if (!Dir.empty())
    if (std::error_code EC = llvm::sys::fs::create_directories(Dir))
      return llvm::createStringError(EC, "%s: cannot create directory: %s", Dir.c_str(),
                                     EC.message().c_str());
  int Fd = ::open(Lock.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0666);
  if (Fd < 0)
    return llvm::createStringError(std::errc::permission_denied, "%s: cannot open lock file: %s",
                                   Lock.c_str(), std::strerror(errno));
  return lockOpened(Fd, Lock);
}

llvm::Expected<FileLock> FileLock::acquireDirectory(const std::string &Dir) {
  int Fd = ::open(Dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (Fd < 0)
    return llvm::createStringError(std::errc::permission_denied, "%s: cannot open directory: %s",
                                   Dir.c_str(), std::strerror(errno));
  return lockOpened(Fd, Dir);
}

FileLock::~FileLock() {
  if (Fd >= 0)
    ::close(Fd); // releases the lock
}

llvm::Expected<std::string> readFile(const std::string &Path) {
  auto Buf = llvm::MemoryBuffer::getFile(Path, /*IsText=*/true);
  if (!Buf)
    return llvm::createStringError(Buf.getError(), "%s: cannot read: %s", Path.c_str(),
                                   Buf.getError().message().c_str());
  return (*Buf)->getBuffer().str();
}

std::string relativeTo(const std::string &Path, const std::string &Root) {
  if (Root.empty())
    return Path;
  std::string R = Root;
  if (R.back() != '/')
    R += '/';
  if (Path.rfind(R, 0) == 0)
    return Path.substr(R.size());
  return Path;
}

std::string fnv1a(const std::string &S) {
  uint64_t H = 1469598103934665603ULL;
  for (unsigned char C : S) {
    H ^= C;
    H *= 1099511628211ULL;
  }
  char Buf[17];
  std::snprintf(Buf, sizeof(Buf), "%016llx", static_cast<unsigned long long>(H));
  return Buf;
}

} // namespace im::support
