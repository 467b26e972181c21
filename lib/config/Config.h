// .integration-mapper.yaml: the business facts the code cannot know (revenue,
// RTO targets, names, criticality overrides, entry points, suppressions).
#pragma once

#include "catalog/Catalog.h"

#include "llvm/ADT/StringRef.h"
#include "llvm/Support/Error.h"

#include <optional>
#include <string>
#include <vector>

namespace im::config {

/// Overrides for one integration, matched by its id ("stripe-payment-gateway")
/// or by its generated name.
struct IntegrationOverride {
  std::string Match;
  std::optional<std::string> Name;
  std::optional<int> Criticality;       // 1-10
  std::optional<std::string> RtoTarget; // "5m", "30s", "1h" as written
  std::optional<double> RtoTargetSeconds;
  std::optional<double> TrafficShare;   // 0-1: share of the revenue through it
  std::optional<std::string> FailureImpact;
};

/// A finding the user decided to accept: every given field must match.
struct Suppression {
  std::string Rule;        // rule id, empty = any
  std::string Path;        // path prefix relative to the source root, empty = any
  std::string Integration; // integration id, empty = any
  std::string Reason;
};

struct Config {
  std::string Path; // the file read; empty when no config was found
  std::optional<double> DailyRevenue;
  std::string Currency = "USD";
  std::vector<std::string> EntryPoints; // function names (qualified or not)
  std::vector<IntegrationOverride> Integrations;
  std::vector<Suppression> Suppressions;
  /// Project classes that are circuit breakers (qualified or plain names), for
  /// breakers the shape rules do not recognise.
  std::vector<std::string> CircuitBreakers;
  /// User catalog entries written inline under `catalog:` (the JSON entry schema of
  /// docs/catalog.md, in YAML), converted to a JSON array; empty when none.
  std::string CatalogJson;
  /// `catalog_files:`, resolved against the config file's folder.
  std::vector<std::string> CatalogFiles;
  /// `test_code:` / `not_test_code:` path prefixes (relative to the source root)
  /// that are, or are not, test code whatever their names say.
  std::vector<std::string> TestCode;
  std::vector<std::string> NotTestCode;

  /// The override for an integration id or name, or nullptr.
  const IntegrationOverride *overrideFor(const std::string &Id, const std::string &Name) const;
  /// True when a suppression covers this finding.
  bool suppressed(const std::string &Rule, const std::string &RelPath,
                  const std::string &Integration) const;
};

inline constexpr const char *ConfigFileName = ".integration-mapper.yaml";

/// Parses config text; errors read "<path>:<line>:<col>: <message>" and name the field.
llvm::Expected<Config> parseConfig(llvm::StringRef Text, const std::string &Path);
/// Reads and parses a config file.
llvm::Expected<Config> loadConfig(const std::string &Path);
/// Adds the config's catalog entries (inline and files) to `Cat`. Errors name the
/// file, the entry and the field.
llvm::Error extendCatalog(const Config &C, catalog::Catalog &Cat);
/// The nearest .integration-mapper.yaml in `Dir` or a parent, or "" (like .clang-tidy).
std::string findConfig(const std::string &Dir);
/// "90s", "5m", "1h", "2d" or a bare number of seconds; nullopt if malformed.
std::optional<double> parseDuration(llvm::StringRef S);

} // namespace im::config
