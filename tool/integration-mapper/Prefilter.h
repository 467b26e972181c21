// The reachability prefilter: which translation units can reach a client
// library, decided from their include sets before anything is parsed.
#pragma once

#include "Cache.h"
#include "Options.h"
#include "Planning.h"

#include <memory>
#include <optional>
#include <set>
#include <string>
#include <vector>

namespace clang::tooling::dependencies {
class DependencyScanningService;
}

namespace im::cli {

class RealPaths;

/// The include set of every selected unit, from Clang's dependency scanner
/// (clang::tooling::dependencies, what clang-scan-deps runs: it lexes only
/// preprocessor directives and caches file contents across units).
class Prefilter {
public:
  Prefilter(const Plan &P, const catalog::Catalog &Cat);
  ~Prefilter();

  /// Why the prefilter cannot decide for this catalog ("" when it can): an
  /// entry that names no header.
  const std::string &unusable() const { return Unusable; }

  /// Scans every unit on --jobs workers, with progress on stderr. With a
  /// cache (may be null), a unit whose stored scan is still valid
  /// (ScanCache.h) is not scanned, and every new scan is stored.
  void scan(const CliOptions &O, FactsCache *Cache);

  /// Units scanned in this run, and units whose scan came from the cache.
  size_t scanned() const { return Scanned; }
  size_t fromCache() const { return FromCache; }

  /// The units that include a catalog entry's reach header, and those the
  /// prefilter cannot judge (not scanned, not existing: the parse reports why).
  std::vector<size_t> firstRound() const;
  /// The units not `Done` that include one of `Files` (absolute real paths).
  std::vector<size_t> including(const std::set<std::string> &Files,
                                const std::vector<bool> &Done) const;
  /// The units not `Done` whose main file spells one of `Names` as an
  /// identifier: where a function the facts need the definition of can be
  /// (over-inclusive: callers match too).
  std::vector<size_t> mentioning(const std::set<std::string> &Names,
                                 const std::vector<bool> &Done) const;

private:
  struct Unit {
    bool Scanned = false;
    bool IncludesReachHeader = false; // by the path as included or its real path
    std::vector<std::string> Files;   // absolute real paths
    std::string Error;
  };
  const Plan &P;
  std::vector<std::string> ReachHeaders; // path suffixes
  std::string Unusable;
  std::vector<Unit> Units;
  size_t Scanned = 0, FromCache = 0;

  bool isReachHeader(const std::string &Path) const;
  /// Runs the dependency scanner on unit `I`.
  void scanUnit(size_t I, const std::vector<std::string> &Args, const CliOptions &O,
                clang::tooling::dependencies::DependencyScanningService &Service,
                RealPaths &Real);
};

} // namespace im::cli
