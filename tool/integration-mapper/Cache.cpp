#include "Cache.h"

#include "Workers.h"

#include "model/FactsByFile.h"
#include "model/FactsText.h"
#include "support/Files.h"
#include "support/Utf8.h"

#include "llvm/Support/BLAKE3.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/raw_ostream.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cctype>
#include <set>

using nlohmann::json;

namespace im::cli {

namespace {
/// Changes whenever the layout of an entry changes.
constexpr const char *Format = "integration-mapper facts cache 3";

std::string hex(llvm::ArrayRef<uint8_t> Bytes) {
  static const char *Digits = "0123456789abcdef";
  std::string Out;
  for (uint8_t B : Bytes) {
    Out += Digits[B >> 4];
    Out += Digits[B & 15];
  }
  return Out;
}

/// Fields joined so that no two different lists give the same text.
void add(llvm::BLAKE3 &H, llvm::StringRef Field) {
  std::string Len = std::to_string(Field.size()) + ":";
  H.update(Len);
  H.update(Field);
}

std::string fileDigest(const std::string &Path) {
  auto Buf = llvm::MemoryBuffer::getFile(Path, /*IsText=*/false, /*RequiresNullTerminator=*/false);
  if (!Buf)
    return "";
  return digest((*Buf)->getBuffer());
}
} // namespace

std::string digest(llvm::StringRef Data) {
  auto Hash = llvm::BLAKE3::hash<16>(
      llvm::ArrayRef<uint8_t>(reinterpret_cast<const uint8_t *>(Data.data()), Data.size()));
  return hex(Hash);
}

FactsCache::FactsCache(std::string Dir, std::string Salt)
    : Dir(std::move(Dir)), Salt(std::move(Salt)) {}

std::string FactsCache::salt(const config::Config &Cfg, const matchers::DriverOptions &Opts,
                             bool WithExecutable) {
  llvm::BLAKE3 H;
  add(H, Format);
  add(H, IM_VERSION);
  // The executable itself: a rebuilt extractor may extract differently under
  // the same version number.
  if (WithExecutable) {
    static int Anchor;
    std::string Exe = llvm::sys::fs::getMainExecutable("integration-mapper", &Anchor);
    add(H, Exe.empty() ? std::string("?") : fileDigest(Exe));
  }
  for (const auto &F : catalog::embeddedCatalogFiles()) {
    add(H, F.Name);
    add(H, F.Text);
  }
  add(H, Cfg.CatalogJson);
  for (const auto &F : Cfg.CatalogFiles) {
    add(H, F);
    add(H, fileDigest(F));
  }
  add(H, Opts.Extract.IncludeGenerated ? "generated" : "no-generated");
  for (const auto &D : Opts.Extract.GeneratedDirs)
    add(H, D);
  return hex(H.final<16>());
}

std::string FactsCache::key(const compdb::Command &C, const std::vector<std::string> &Args) const {
  llvm::BLAKE3 H;
  add(H, Salt);
  add(H, C.Directory);
  add(H, C.File);
  for (const auto &A : Args)
    add(H, A);
  return hex(H.final<16>());
}

std::string FactsCache::entryPath(const std::string &Key) const {
  llvm::SmallString<256> P(Dir);
  llvm::sys::path::append(P, Key + ".json");
  return std::string(P);
}

std::string FactsCache::partPath(const std::string &Digest) const {
  llvm::SmallString<256> P(Dir);
  llvm::sys::path::append(P, "parts", Digest + ".json");
  return std::string(P);
}

std::string digestFields(const std::vector<std::string> &Fields) {
  llvm::BLAKE3 H;
  for (const auto &F : Fields)
    add(H, F);
  return hex(H.final<16>());
}

namespace {
/// An input of an entry: [path, hash, size, mtime].
json inputJson(const std::string &Path, const FileStamp &S) {
  return json::array({Path, S.Hash, S.Size, S.Mtime});
}
std::optional<std::pair<std::string, FileStamp>> inputFromJson(const json &In) {
  if (!In.is_array() || In.size() != 4 || !In[0].is_string() || !In[1].is_string() ||
      !In[2].is_number_unsigned() || !In[3].is_number_integer())
    return std::nullopt;
  FileStamp S;
  S.Hash = In[1].get<std::string>();
  S.Size = In[2].get<uint64_t>();
  S.Mtime = In[3].get<int64_t>();
  return std::make_pair(In[0].get<std::string>(), std::move(S));
}
} // namespace

namespace {
/// A digest as this cache writes them: 32 lowercase hex digits.
bool isDigest(const json &J) {
  if (!J.is_string())
    return false;
  const auto &S = J.get_ref<const std::string &>();
  return S.size() == 32 &&
         std::all_of(S.begin(), S.end(), [](char C) { return std::isxdigit(C) && !std::isupper(C); });
}
} // namespace

std::optional<CachedUnit> FactsCache::lookup(const compdb::Command &C,
                                             const std::vector<std::string> &Args) {
  std::string Key = key(C, Args);
  auto Buf = llvm::MemoryBuffer::getFile(entryPath(Key), /*IsText=*/false,
                                         /*RequiresNullTerminator=*/false);
  if (!Buf)
    return std::nullopt; // no entry yet
  // An entry is ours, a few dozen levels deep; anything deeper was not written
  // by this tool, and reading it would recurse once per level.
  if (support::tooDeeplyNested((*Buf)->getBuffer())) {
    ++Rejected;
    return std::nullopt;
  }
  json J = json::parse((*Buf)->getBuffer().begin(), (*Buf)->getBuffer().end(), nullptr,
                       /*allow_exceptions=*/false);
  auto Reject = [&] {
    ++Rejected;
    return std::nullopt;
  };
  auto Text = [&](const char *Field) {
    return J.contains(Field) && J[Field].is_string() ? J[Field].get<std::string>() : "";
  };
  if (!J.is_object() || Text("format") != Format || Text("key") != Key ||
      !J.contains("inputs") || !J["inputs"].is_array() || !J.contains("facts") ||
      !J.contains("parts") || !J["parts"].is_array())
    return Reject();
  CachedUnit Out;
  for (const auto &P : J["parts"]) {
    if (!isDigest(P))
      return Reject();
    Out.Parts.push_back(P.get<std::string>());
  }
  bool Restamp = false;
  std::vector<std::pair<std::string, FileStamp>> Inputs;
  for (const auto &In : J["inputs"]) {
    auto Input = inputFromJson(In);
    if (!Input)
      return Reject();
    if (!States.unchanged(Input->first, Input->second, Restamp))
      return std::nullopt; // a file changed or went away: parse again
    Inputs.push_back(std::move(*Input));
  }
  // A part another run's clean-up or a hand removed: parse again (and store it).
  for (const auto &P : Out.Parts)
    if (!llvm::sys::fs::exists(partPath(P)))
      return Reject();
  try {
    Out.Facts = model::tuFactsFromJson(J["facts"]);
    if (Out.Facts.Unit.File != C.File || Out.Facts.Unit.Status != "analyzed" ||
        !model::noFacts(Out.Facts))
      return Reject();
    ++Hits;
    if (Restamp) {
      // The same contents under new times: rewritten so the next run needs only a stat.
      std::vector<std::string> Paths;
      for (const auto &In : Inputs)
        Paths.push_back(In.first);
      write(Key, C, J["facts"], Out.Parts, Paths);
    }
    return Out;
  } catch (const std::exception &) {
    return Reject();
  }
}

std::vector<std::string> FactsCache::store(const compdb::Command &C,
                                           const std::vector<std::string> &Args,
                                           model::TUFacts &Facts,
                                           const std::vector<std::string> &Inputs) {
  if (Facts.Unit.Status != "analyzed" || Inputs.empty())
    return {};
  bool Dirs = !llvm::sys::fs::create_directories(llvm::sys::path::parent_path(partPath("x")));
  // Each file's share, written under the digest of its text unless a unit
  // already stored the same; then given back to `Facts` in the same order.
  std::vector<std::string> Parts;
  std::vector<model::TUFacts> Back;
  for (auto &[File, Part] : model::splitByFile(Facts)) {
    std::string Text = support::dumpJson(model::toJson(Part), -1);
    std::string Digest = digest(Text);
    std::string Path = partPath(Digest);
    if (Dirs && !llvm::sys::fs::exists(Path))
      if (auto E = support::writeFileAtomic(Path, Text)) {
        llvm::consumeError(std::move(E));
        Dirs = false;
      }
    Parts.push_back(std::move(Digest));
    Back.push_back(std::move(Part));
  }
  model::appendFacts(Facts, std::move(Back));
  model::TUFacts Status;
  Status.Unit = Facts.Unit;
  if (!Dirs || !write(key(C, Args), C, model::toJson(Status), Parts, Inputs))
    return {};
  return Parts;
}

bool FactsCache::write(const std::string &Key, const compdb::Command &C, json Status,
                       const std::vector<std::string> &Parts,
                       const std::vector<std::string> &Inputs) {
  json J;
  J["format"] = Format;
  J["key"] = Key;
  J["file"] = C.File;
  J["inputs"] = json::array();
  for (const auto &In : Inputs) {
    auto S = States.record(In);
    if (!S)
      return false; // gone, unreadable, or changed under the parse: nothing to validate against
    J["inputs"].push_back(inputJson(In, *S));
  }
  J["facts"] = std::move(Status);
  J["parts"] = Parts;
  if (llvm::sys::fs::create_directories(Dir))
    return false;
  // Written to a temporary file and renamed: a concurrent run never reads half an entry.
  if (auto E = support::writeFileAtomic(entryPath(Key), support::dumpJson(J, -1))) {
    llvm::consumeError(std::move(E));
    return false;
  }
  ++Stored;
  return true;
}

void FactsCache::noteParts(size_t Index, std::vector<std::string> Parts, bool Loaded) {
  std::lock_guard<std::mutex> G(Lock);
  NotedUnits[Index] = Noted{std::move(Parts), Loaded};
}

void FactsCache::forget(size_t Index) {
  std::lock_guard<std::mutex> G(Lock);
  NotedUnits.erase(Index);
}

std::optional<model::TUFacts> FactsCache::readPart(const std::string &Digest) {
  std::string Path = partPath(Digest);
  auto Buf = llvm::MemoryBuffer::getFile(Path, /*IsText=*/false, /*RequiresNullTerminator=*/false);
  if (!Buf)
    return std::nullopt;
  llvm::StringRef Text = (*Buf)->getBuffer();
  // Named by the digest of what was written: anything else is not that part.
  if (digest(Text) != Digest || support::tooDeeplyNested(Text)) {
    llvm::sys::fs::remove(Path);
    return std::nullopt;
  }
  try {
    return model::tuFactsFromText(Text);
  } catch (const std::exception &) {
  }
  llvm::sys::fs::remove(Path);
  return std::nullopt;
}

std::vector<size_t> FactsCache::assemble(std::vector<model::TUFacts> &Units, unsigned Jobs) {
  std::lock_guard<std::mutex> G(Lock);
  // The merge's order: by file.
  std::vector<size_t> Order;
  for (const auto &[I, N] : NotedUnits)
    if (I < Units.size())
      Order.push_back(I);
  std::stable_sort(Order.begin(), Order.end(),
                   [&](size_t A, size_t B) { return Units[A].Unit.File < Units[B].Unit.File; });
  // A unit assembled earlier (or parsed) keeps what it has: it holds each of its
  // parts, or a unit before it does. A unit still to assemble takes the parts
  // no unit before it has; a part is moved to the one unit that takes it.
  std::set<std::string> Seen;
  std::map<size_t, std::vector<std::string>> Wanted;
  std::vector<std::string> ToRead;
  size_t Shared = 0;
  for (size_t I : Order) {
    const Noted &N = NotedUnits[I];
    if (N.Loaded || N.Assembled) {
      Seen.insert(N.Parts.begin(), N.Parts.end());
      continue;
    }
    auto &Takes = Wanted[I];
    for (const auto &P : N.Parts) {
      if (!Seen.insert(P).second) {
        ++Shared;
        continue;
      }
      Takes.push_back(P);
      if (!Read.count(P))
        ToRead.push_back(P);
    }
  }
  std::vector<std::optional<model::TUFacts>> Got(ToRead.size());
  tool::forEachOnWorkers(Jobs, ToRead.size(), [&](size_t K) { Got[K] = readPart(ToRead[K]); });
  for (size_t K = 0; K < ToRead.size(); ++K)
    if (Got[K]) {
      Read.emplace(ToRead[K], std::move(*Got[K]));
      ++PartsRead;
    }
  // A unit a part of which is unreadable is parsed again, and then holds all
  // its parts; the units after it may not count on it until then.
  std::vector<size_t> Unreadable;
  for (const auto &[I, Takes] : Wanted)
    if (std::any_of(Takes.begin(), Takes.end(), [&](const auto &P) { return !Read.count(P); }))
      Unreadable.push_back(I);
  if (!Unreadable.empty())
    return Unreadable;
  for (auto &[I, Takes] : Wanted) {
    std::vector<model::TUFacts> Parts;
    for (const auto &P : Takes) {
      auto It = Read.find(P);
      Parts.push_back(std::move(It->second));
      Read.erase(It);
    }
    model::appendFacts(Units[I], std::move(Parts));
    NotedUnits[I].Assembled = true;
  }
  PartsShared += Shared;
  return {};
}

void FactsCache::releaseParts() {
  std::lock_guard<std::mutex> G(Lock);
  Read.clear();
}

} // namespace im::cli
