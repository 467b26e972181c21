// The rule registry and the findings of the per-call and inventory rules.
// Each rule is one row of rules(): SARIF, scoring, the clang-tidy plugin's check
// list and docs/rules.md (checked by a unit test) all read that row.
#pragma once

#include "catalog/Catalog.h"
#include "model/Facts.h"

#include <map>
#include <string>
#include <vector>

namespace im::analysis {

/// Rule ids, as findings, SARIF, NOLINT comments and clang-tidy name them.
namespace ruleid {
inline constexpr const char MissingTimeout[] = "integration-missing-timeout";
inline constexpr const char UnverifiedTimeout[] = "integration-unverified-timeout";
inline constexpr const char UnboundedRetry[] = "integration-unbounded-retry";
inline constexpr const char RetryWithoutBackoff[] = "integration-retry-without-backoff";
inline constexpr const char MissingRetry[] = "integration-missing-retry";
inline constexpr const char UnusedClientLibrary[] = "integration-unused-client-library";
inline constexpr const char EnvVarUndefined[] = "integration-env-var-undefined";
inline constexpr const char EnvVarUnused[] = "integration-env-var-unused";
inline constexpr const char CredentialFromLiteral[] = "integration-credential-from-literal";
inline constexpr const char EnvPlaintextUrl[] = "integration-env-plaintext-url";
inline constexpr const char TlsVerificationDisabled[] = "integration-tls-verification-disabled";
inline constexpr const char PlaintextTransport[] = "integration-plaintext-transport";
inline constexpr const char TlsDowngradePossible[] = "integration-tls-downgrade-possible";
inline constexpr const char HardcodedSecret[] = "integration-hardcoded-secret";
inline constexpr const char WebhookSignatureUnverified[] =
    "integration-webhook-signature-unverified";
inline constexpr const char ApiVersionUnpinned[] = "integration-api-version-unpinned";
} // namespace ruleid

enum class Category {
  Resilience, // timeouts and retries of each call (this file)
  Inventory,  // env files and build manifests against the code (this file)
  Security,   // TLS, transport, credentials, webhooks (analysis/Security.cpp)
};

/// Which of a call site's protections holds the lines that justify a finding
/// (the plugin shows them as notes).
enum class EvidenceNotes { None, Timeout, Retry };

/// A mechanical fix the plugin can offer.
enum class FixIt {
  None,
  /// The call's catalog operation `fix_it` statement (libcurl: `curl_easy_setopt(h,
  /// CURLOPT_TIMEOUT_MS, N)`) on a handle with no timeout setting at all.
  InsertTimeout,
};

struct RuleInfo {
  const char *Id;
  const char *Name;
  const char *ShortDescription;
  const char *FullDescription;
  const char *Severity;    // default: critical | high | medium | low
  double SecuritySeverity; // 0-10, for SARIF's security-severity
  Category Cat;
  const char *Protection; // what the rule concerns: timeout, retry, transport, credential, ...
  bool SingleTu;          // one translation unit can decide it (a clang-tidy check)
  const char *Remedy;     // how to fix, for SARIF's help; nullptr: the description says it
  EvidenceNotes Notes;
  FixIt Fix;
};

const std::vector<RuleInfo> &rules();
const RuleInfo *rule(const std::string &Id);
/// "resilience", "inventory", "security".
const char *categoryName(Category C);

/// Builds findings and owns their fingerprints: a fingerprint is the hash of
/// the file (relative to the source root), the rule and an identity without
/// line numbers, so unrelated edits above do not change it. With ordinals,
/// findings sharing an identity (two calls of one kind in one function) are
/// told apart by their order of location.
class FindingBuilder {
public:
  explicit FindingBuilder(std::string SourceRoot) : Root(std::move(SourceRoot)) {}

  /// A finding of `Rule` (default severity from the registry) at `L`.
  model::Finding &add(const char *Rule, const model::Location &L, std::string Message,
                      const std::string &Identity);

  /// The findings added so far, in order of addition (before take()).
  size_t size() const { return Out.size(); }
  model::Finding &at(size_t I) { return Out.at(I); }

  /// The findings sorted by location, rule and message, with final fingerprints.
  std::vector<model::Finding> take(bool Ordinals);

private:
  std::string Root;
  std::vector<model::Finding> Out;
};

/// Evaluates every rule on the resolved call sites. `SourceRoot` makes
/// fingerprints independent of the checkout location.
std::vector<model::Finding> evaluateRules(const std::vector<model::CallSite> &Sites,
                                          const catalog::Catalog &Cat,
                                          const std::string &SourceRoot);

/// Cross-checks of the inventory (env files, build manifests) against the
/// code. `Settings` are the merged settings (for literal credentials). Sorted by
/// location; fingerprints already final.
std::vector<model::Finding> evaluateInventoryRules(const model::Report &R,
                                                   const std::vector<model::Setting> &Settings,
                                                   const catalog::Catalog &Cat,
                                                   const std::string &SourceRoot);

/// Severity order: critical 4 > high 3 > medium 2 > low 1; unknown 0.
int severityRank(const std::string &S);

} // namespace im::analysis
