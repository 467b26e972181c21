#include "support/Files.h"

#include "llvm/Support/FileSystem.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/Process.h"
#include "llvm/Support/raw_ostream.h"

#include <cstdio>

namespace im::support {

llvm::Error writeFileAtomic(const std::string &Path, const std::string &Content) {
  llvm::SmallString<256> Dir(Path);
  llvm::sys::path::remove_filename(Dir);
  if (!Dir.empty())
    if (std::error_code EC = llvm::sys::fs::create_directories(Dir))
      return llvm::createStringError(EC, "%s: cannot create directory: %s", Dir.c_str(),
                                     EC.message().c_str());
  std::string Tmp = Path + ".tmp" + std::to_string(llvm::sys::Process::getProcessId());
  {
    std::error_code EC;
    llvm::raw_fd_ostream OS(Tmp, EC);
    if (EC)
      return llvm::createStringError(EC, "%s: cannot write: %s", Path.c_str(), EC.message().c_str());
    OS << Content;
    OS.close();
    if (OS.has_error()) {
      OS.clear_error();
      llvm::sys::fs::remove(Tmp);
      return llvm::createStringError(llvm::inconvertibleErrorCode(), "%s: write failed",
                                     Path.c_str());
    }
  }
  if (std::error_code EC = llvm::sys::fs::rename(Tmp, Path)) {
    llvm::sys::fs::remove(Tmp);
    return llvm::createStringError(EC, "%s: cannot replace: %s", Path.c_str(), EC.message().c_str());
  }
  return llvm::Error::success();
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
