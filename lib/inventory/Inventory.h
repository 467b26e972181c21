// Inventory beyond the AST: environment files and build manifests found under
// the source root, and their cross-references with what the code calls.
// Clang-free. Values of environment variables never leave parseEnvFile: only
// names, locations, a classification and, for URL values, scheme and host.
#pragma once

#include "catalog/Catalog.h"
#include "model/Facts.h"

#include <string>
#include <vector>

namespace im::inventory {

// ---------------------------------------------------------------- discovery
struct WalkOptions {
  unsigned MaxDepth = 8;          // directories below the root
  unsigned MaxEntries = 50000;    // directory entries visited in all
  std::vector<std::string> Skip;  // absolute directories not to enter (output, build dir)
};

struct Discovered {
  std::vector<std::string> EnvFiles;  // absolute, sorted
  std::vector<std::string> Manifests; // absolute, sorted
  bool Truncated = false;
};

/// Walks `Root` for `.env`, `.env.*`, CMakeLists.txt, vcpkg.json, conanfile.txt,
/// conanfile.py and meson.build. Skips hidden directories (.git, .claude, ...),
/// node_modules, build trees (build*, cmake-build-*, any directory holding
/// CMakeCache.txt), vendored code (third_party, 3rdparty, vendor, external, _deps)
/// and directories holding a `.integration-mapper-ignore` file.
Discovered discover(const std::string &Root, const WalkOptions &Opts = {});

/// `.env`, `.env.local`, `.env.production`, ...
bool isEnvFileName(const std::string &FileName);
/// cmake | vcpkg | conan | meson, or "" when not a manifest.
std::string manifestKind(const std::string &FileName);

// ---------------------------------------------------------------- parsers
/// endpoint | credential | "" from the variable's name alone.
std::string classifyEnvName(const std::string &Name);

struct EnvParse {
  std::vector<model::EnvVariable> Variables;
  std::vector<model::InventoryProblem> Problems;
};
/// dotenv syntax: `NAME=value`, `export NAME=value`, single/double/backtick
/// quotes (double and single quotes may span lines), `#` comments, empty values.
/// A malformed line is reported and skipped.
EnvParse parseEnvFile(const std::string &Path, const std::string &Text);

struct ManifestParse {
  std::vector<model::ManifestLibrary> Libraries;
  std::vector<model::InventoryProblem> Problems;
};
/// `Kind` as returned by manifestKind; `FileName` decides conanfile.txt vs .py.
ManifestParse parseManifest(const std::string &Path, const std::string &Text,
                            const catalog::Catalog &Cat);
ManifestParse parseCMake(const std::string &Path, const std::string &Text,
                            const catalog::Catalog &Cat);
ManifestParse parseVcpkg(const std::string &Path, const std::string &Text,
                            const catalog::Catalog &Cat);
ManifestParse parseConanTxt(const std::string &Path, const std::string &Text,
                            const catalog::Catalog &Cat);
ManifestParse parseConanPy(const std::string &Path, const std::string &Text,
                            const catalog::Catalog &Cat);
ManifestParse parseMeson(const std::string &Path, const std::string &Text,
                            const catalog::Catalog &Cat);

/// The catalog library id a manifest name stands for (CURL::libcurl -> libcurl,
/// pqxx -> libpqxx, redis++ -> redis-plus-plus), or "" when it is not a client
/// library the catalog knows: case, version constraints and a linkage suffix
/// (_static, -shared) are ignored, then the entries' manifest_names and
/// manifest_prefixes decide.
std::string libraryForManifestName(const catalog::Catalog &Cat, const std::string &Name);

// ---------------------------------------------------------------- the run
/// Discovers and parses every env file and manifest under `Root`. A file that
/// cannot be read is a problem on line 0; the run goes on.
model::Inventory collect(const std::string &Root, const catalog::Catalog &Cat,
                         const WalkOptions &Opts = {});

/// getenv("X") reads of every translation unit, deduplicated and sorted.
std::vector<model::EnvRead> collectEnvReads(const std::vector<model::TUFacts> &Units);

/// Cross-references the inventory with the code: marks variables read by the
/// code and libraries called, ties variables and manifest lines to the
/// integrations found in code (same canonical name), and adds an integration
/// for a vendor or remote endpoint that only the environment names.
/// Libraries are matched through the catalog (a library counts as called when
/// one built on it is).
void crossReference(model::Report &R, const catalog::Catalog &Cat);

} // namespace im::inventory
