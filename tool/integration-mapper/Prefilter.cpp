#include "Prefilter.h"
#include "matchers/Isolation.h"
#include "Progress.h"
#include "ScanCache.h"
#include "Workers.h"

#include "clang/Tooling/DependencyScanning/DependencyScanningService.h"
#include "clang/Tooling/DependencyScanning/DependencyScanningTool.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Path.h"

#include <algorithm>
#include <atomic>
#include <cctype>
#include <map>
#include <mutex>
#include <thread>

using namespace clang::tooling::dependencies;

namespace im::cli {

/// Absolute real paths, once per path (symbolic links resolved as the
/// extractor's locations are).
class RealPaths {
public:
  std::string get(const std::string &Path, const std::string &Dir) {
    llvm::SmallString<256> Abs(Path);
    if (!llvm::sys::path::is_absolute(Abs)) {
      Abs = Dir;
      llvm::sys::path::append(Abs, Path);
    }
    std::string Key(Abs);
    {
      std::lock_guard<std::mutex> L(M);
      if (auto It = Known.find(Key); It != Known.end())
        return It->second;
    }
    llvm::SmallString<256> Real;
    std::string Out = llvm::sys::fs::real_path(Abs, Real) ? Key : std::string(Real);
    std::lock_guard<std::mutex> L(M);
    return Known.emplace(Key, Out).first->second;
  }

private:
  std::mutex M;
  std::map<std::string, std::string> Known;
};

namespace {

bool endsWithPath(const std::string &Path, const std::string &Suffix) {
  if (Path.size() < Suffix.size() + 1)
    return Path == Suffix;
  return Path.compare(Path.size() - Suffix.size(), Suffix.size(), Suffix) == 0 &&
         Path[Path.size() - Suffix.size() - 1] == '/';
}

} // namespace

Prefilter::Prefilter(const Plan &P, const catalog::Catalog &Cat) : P(P) {
  for (const auto &L : Cat.libraries()) {
    const auto &Hs = L.ReachHeaders.empty() ? L.Headers : L.ReachHeaders;
    if (Hs.empty() && Unusable.empty())
      Unusable = "catalog entry '" + L.Id + "' names no header";
    ReachHeaders.insert(ReachHeaders.end(), Hs.begin(), Hs.end());
  }
  Units.resize(P.Selected.size());
}

Prefilter::~Prefilter() = default;

void Prefilter::scan(const CliOptions &O, FactsCache *Cache) {
  std::optional<ScanCache> Stored;
  if (Cache)
    Stored.emplace(Cache->dir() + "/scan", Cache->salt(), ReachHeaders, Cache->files());
  std::vector<std::vector<std::string>> Args(Units.size());
  std::vector<size_t> Todo;
  std::mutex M;
  // Stored scans first (a stat per file, a hash only of a file whose stat changed).
  tool::forEachOnWorkers(O.Jobs, Units.size(), [&](size_t I) {
    const compdb::Command &C = P.Selected[I];
    if (!C.Exists)
      return;
    Args[I] = matchers::adjustArguments(C, P.Driver);
    if (Stored)
      if (auto R = Stored->lookup(C, Args[I])) {
        Units[I].Files = std::move(R->Files);
        Units[I].IncludesReachHeader = R->IncludesReachHeader;
        Units[I].Scanned = true;
        return;
      }
    std::lock_guard<std::mutex> L(M);
    Todo.push_back(I);
  });
  std::sort(Todo.begin(), Todo.end());
  FromCache = Stored ? Stored->Hits.load() : 0;
  Scanned = Todo.size();

  DependencyScanningService Service(ScanningMode::DependencyDirectivesScan,
                                    ScanningOutputFormat::Full);
  RealPaths Real;
  Progress Shown("scanning includes", Todo.size(), O.Quiet);
  tool::forEachOnWorkers(O.Jobs, Todo.size(), [&](size_t K) {
    size_t I = Todo[K];
    scanUnit(I, Args[I], O, Service, Real);
    const Unit &U = Units[I];
    if (Stored && U.Scanned)
      Stored->store(P.Selected[I], Args[I], {U.Files, U.IncludesReachHeader});
    Shown.done(P.Selected[I].File);
  });
}

void Prefilter::scanUnit(size_t I, const std::vector<std::string> &Args, const CliOptions &O,
                         DependencyScanningService &Service, RealPaths &Real) {
  const compdb::Command &C = P.Selected[I];
  Unit &U = Units[I];
  // Isolated like a parse: a crash leaves the unit unscanned, so it is parsed.
  std::string Why = matchers::runIsolated(
      [&] {
        // One tool per unit: none is reused after a crash. The service's
        // file-system cache is what is shared across units.
        DependencyScanningTool Tool(Service);
        llvm::DenseSet<ModuleID> Seen;
        auto Deps = Tool.getTranslationUnitDependencies(
            Args, C.Directory, Seen, [](const ModuleID &, ModuleOutputKind) { return ""; });
        if (!Deps) {
          U.Error = llvm::toString(Deps.takeError());
          return;
        }
        std::vector<std::string> Files;
        bool Reaches = false;
        for (const auto &F : Deps->FileDeps) {
          Files.push_back(Real.get(F, C.Directory));
          // A symbolic link (/usr/include/mysql -> mariadb) may hide the
          // suffix in one of the two spellings.
          Reaches = Reaches || isReachHeader(F) || isReachHeader(Files.back());
        }
        U.IncludesReachHeader = Reaches;
        std::sort(Files.begin(), Files.end());
        Files.erase(std::unique(Files.begin(), Files.end()), Files.end());
        U.Files = std::move(Files);
        U.Scanned = true;
      },
      O.StackSizeMb);
  if (!Why.empty()) {
    U.Scanned = false;
    U.Files.clear();
    U.Error = Why;
  }
}

std::vector<size_t> Prefilter::firstRound() const {
  std::vector<size_t> Out;
  for (size_t I = 0; I < Units.size(); ++I) {
    const Unit &U = Units[I];
    if (!U.Scanned || U.IncludesReachHeader)
      Out.push_back(I);
  }
  return Out;
}

std::vector<size_t> Prefilter::mentioning(const std::set<std::string> &Names,
                                          const std::vector<bool> &Done) const {
  std::vector<size_t> Out;
  if (Names.empty())
    return Out;
  for (size_t I = 0; I < Units.size(); ++I) {
    if (Done[I] || !P.Selected[I].Exists)
      continue;
    auto Buf = llvm::MemoryBuffer::getFile(P.Selected[I].File);
    if (!Buf)
      continue;
    llvm::StringRef Text = (*Buf)->getBuffer();
    auto IsIdent = [](char C) { return std::isalnum(static_cast<unsigned char>(C)) || C == '_'; };
    bool Found = false;
    for (size_t Pos = 0; Pos < Text.size() && !Found;) {
      if (!IsIdent(Text[Pos])) {
        ++Pos;
        continue;
      }
      size_t End = Pos;
      while (End < Text.size() && IsIdent(Text[End]))
        ++End;
      Found = Names.count(Text.slice(Pos, End).str()) > 0;
      Pos = End;
    }
    if (Found)
      Out.push_back(I);
  }
  return Out;
}

bool Prefilter::isReachHeader(const std::string &Path) const {
  return std::any_of(ReachHeaders.begin(), ReachHeaders.end(),
                     [&](const std::string &H) { return endsWithPath(Path, H); });
}

std::vector<size_t> Prefilter::including(const std::set<std::string> &Files,
                                         const std::vector<bool> &Done) const {
  std::vector<size_t> Out;
  for (size_t I = 0; I < Units.size(); ++I)
    if (!Done[I] && std::any_of(Units[I].Files.begin(), Units[I].Files.end(),
                                [&](const std::string &F) { return Files.count(F) > 0; }))
      Out.push_back(I);
  return Out;
}

} // namespace im::cli
