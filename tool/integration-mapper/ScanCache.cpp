#include "ScanCache.h"
#include "Cache.h"

#include "support/Files.h"

#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Path.h"

namespace im::cli {

namespace {
/// The first line of every entry; changes whenever the layout does.
constexpr const char *Format = "integration-mapper include scan 1";

/// An entry is lines of text (a scan of a unit lists hundreds of files; this
/// reads much faster than JSON):
///   integration-mapper include scan 1
///   key <hex>
///   reaches 0|1
///   file <size> <mtime> <hash> <absolute path>     (one per file)
///   end
/// Paths are the rest of their line; a path with a line break is never stored.
bool parseEntry(llvm::StringRef Text, const std::string &Key, ScanCache::Result &R,
                std::vector<std::pair<std::string, FileStamp>> &Stamps) {
  llvm::SmallVector<llvm::StringRef, 0> Lines;
  Text.split(Lines, '\n', /*MaxSplit=*/-1, /*KeepEmpty=*/false);
  if (Lines.size() < 4 || Lines[0] != Format || Lines[1] != ("key " + Key) ||
      Lines.back() != "end")
    return false;
  if (Lines[2] == "reaches 1")
    R.IncludesReachHeader = true;
  else if (Lines[2] != "reaches 0")
    return false;
  for (size_t I = 3; I + 1 < Lines.size(); ++I) {
    llvm::StringRef L = Lines[I];
    if (!L.consume_front("file "))
      return false;
    auto [SizeText, Rest1] = L.split(' ');
    auto [MtimeText, Rest2] = Rest1.split(' ');
    auto [HashText, Path] = Rest2.split(' ');
    FileStamp S;
    if (SizeText.getAsInteger(10, S.Size) || MtimeText.getAsInteger(10, S.Mtime) ||
        HashText.size() != 32 || !Path.starts_with("/"))
      return false;
    S.Hash = HashText.str();
    R.Files.push_back(Path.str());
    Stamps.emplace_back(Path.str(), std::move(S));
  }
  return !R.Files.empty();
}
} // namespace

ScanCache::ScanCache(std::string Dir, const std::string &FactsSalt,
                     const std::vector<std::string> &ReachHeaders, FileStates &States)
    : Dir(std::move(Dir)), States(States) {
  std::vector<std::string> Fields{Format, FactsSalt};
  Fields.insert(Fields.end(), ReachHeaders.begin(), ReachHeaders.end());
  Salt = digestFields(Fields);
}

std::string ScanCache::key(const compdb::Command &C, const std::vector<std::string> &Args) const {
  std::vector<std::string> Fields{Salt, C.Directory, C.File};
  Fields.insert(Fields.end(), Args.begin(), Args.end());
  return digestFields(Fields);
}

std::string ScanCache::entryPath(const std::string &Key) const {
  llvm::SmallString<256> P(Dir);
  llvm::sys::path::append(P, Key + ".scan");
  return std::string(P);
}

std::optional<ScanCache::Result> ScanCache::lookup(const compdb::Command &C,
                                                   const std::vector<std::string> &Args) {
  std::string Key = key(C, Args);
  auto Buf = llvm::MemoryBuffer::getFile(entryPath(Key), /*IsText=*/false,
                                         /*RequiresNullTerminator=*/false);
  if (!Buf)
    return std::nullopt; // no entry yet
  Result R;
  std::vector<std::pair<std::string, FileStamp>> Stamps;
  if (!parseEntry((*Buf)->getBuffer(), Key, R, Stamps)) {
    ++Rejected;
    return std::nullopt;
  }
  bool Restamp = false;
  for (const auto &[Path, S] : Stamps)
    if (!States.unchanged(Path, S, Restamp))
      return std::nullopt; // a file changed or went away: scan again
  ++Hits;
  if (Restamp)
    store(C, Args, R); // the same contents under new times: stat-only next run
  return R;
}

void ScanCache::store(const compdb::Command &C, const std::vector<std::string> &Args,
                      const Result &R) {
  if (R.Files.empty())
    return;
  std::string Key = key(C, Args);
  std::string Text = std::string(Format) + "\nkey " + Key + "\nreaches " +
                     (R.IncludesReachHeader ? "1" : "0") + "\n";
  for (const auto &F : R.Files) {
    if (F.find('\n') != std::string::npos || F.empty() || F[0] != '/')
      return;
    auto S = States.record(F);
    if (!S)
      return; // nothing to validate against, or it changed under the scan
    Text += "file " + std::to_string(S->Size) + " " + std::to_string(S->Mtime) + " " + S->Hash +
            " " + F + "\n";
  }
  Text += "end\n";
  // Written to a temporary file and renamed: a concurrent run never reads half an entry.
  if (auto E = support::writeFileAtomic(entryPath(Key), Text))
    llvm::consumeError(std::move(E));
  else
    ++Stored;
}

} // namespace im::cli
