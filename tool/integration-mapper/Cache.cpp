#include "Cache.h"

#include "support/Files.h"
#include "support/Utf8.h"

#include "llvm/Support/BLAKE3.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/raw_ostream.h"

#include <nlohmann/json.hpp>

using nlohmann::json;

namespace im::cli {

namespace {
/// Changes whenever the layout of an entry changes.
constexpr const char *Format = "integration-mapper facts cache 2";

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

std::optional<model::TUFacts> FactsCache::lookup(const compdb::Command &C,
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
      !J.contains("inputs") || !J["inputs"].is_array() || !J.contains("facts"))
    return Reject();
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
  try {
    model::TUFacts F = model::tuFactsFromJson(J["facts"]);
    if (F.Unit.File != C.File)
      return Reject();
    ++Hits;
    if (Restamp) {
      // The same contents under new times: rewritten so the next run needs only a stat.
      std::vector<std::string> Paths;
      for (const auto &In : Inputs)
        Paths.push_back(In.first);
      write(Key, C, J["facts"], Paths);
    }
    return F;
  } catch (const std::exception &) {
    return Reject();
  }
}

void FactsCache::store(const compdb::Command &C, const std::vector<std::string> &Args,
                       const model::TUFacts &Facts, const std::vector<std::string> &Inputs) {
  if (Facts.Unit.Status != "analyzed" || Inputs.empty())
    return;
  write(key(C, Args), C, model::toJson(Facts), Inputs);
}

void FactsCache::write(const std::string &Key, const compdb::Command &C, json Facts,
                       const std::vector<std::string> &Inputs) {
  json J;
  J["format"] = Format;
  J["key"] = Key;
  J["file"] = C.File;
  J["inputs"] = json::array();
  for (const auto &In : Inputs) {
    auto S = States.record(In);
    if (!S)
      return; // gone, unreadable, or changed under the parse: nothing to validate against
    J["inputs"].push_back(inputJson(In, *S));
  }
  // Moved, not copied: a large unit's facts are tens of megabytes as a DOM.
  J["facts"] = std::move(Facts);
  if (llvm::sys::fs::create_directories(Dir))
    return;
  // Written to a temporary file and renamed: a concurrent run never reads half an entry.
  if (auto E = support::writeFileAtomic(entryPath(Key), support::dumpJson(J, -1)))
    llvm::consumeError(std::move(E));
  else
    ++Stored;
}

} // namespace im::cli
