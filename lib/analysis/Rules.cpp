#include "analysis/Rules.h"

#include "support/Files.h"

#include <algorithm>
#include <map>
#include <set>

namespace im::analysis {

namespace {

// What to do about a finding (SARIF `help`, after the full description).
constexpr const char *MissingTimeoutRemedy =
    "Set a total timeout on the handle, client or context before the call (libcurl: "
    "CURLOPT_TIMEOUT_MS, plus CURLOPT_CONNECTTIMEOUT_MS; hiredis: redisConnectWithTimeout / "
    "redisSetTimeout; libpq: connect_timeout and statement_timeout). Choose a value below "
    "the caller's own deadline.";
constexpr const char *UnverifiedTimeoutRemedy =
    "Make the bound visible in the code: validate the configured value (reject 0 and "
    "negative values, clamp to a maximum) next to where it is applied, or fall back to a "
    "constant.";
constexpr const char *UnboundedRetryRemedy =
    "Limit the attempts (a counter or a deadline) and give up with an error after the last "
    "one; combine with exponential backoff and jitter.";
constexpr const char *BackoffRemedy =
    "Sleep between attempts with a delay that grows (doubling, capped) and add random "
    "jitter so that clients do not retry in lockstep.";
constexpr const char *MissingRetryRemedy =
    "If the operation is idempotent, retry transient failures a bounded number of times "
    "with exponential backoff (a loop, a retry helper, or the client's retry policy). Do not "
    "retry non-idempotent writes without an idempotency key.";

} // namespace

const std::vector<RuleInfo> &rules() {
  static const std::vector<RuleInfo> R = {
      {ruleid::MissingTimeout, "MissingTimeout",
       "Integration call without a timeout",
       "The call can block its thread forever when the remote side is slow or down: no timeout "
       "is set on the handle, client or context it uses, or it is set to a value the library "
       "treats as infinite.",
       "high", 7.5,
       Category::Resilience, "timeout", true, MissingTimeoutRemedy, EvidenceNotes::Timeout, FixIt::InsertTimeout},
      {ruleid::UnverifiedTimeout, "UnverifiedTimeout",
       "Integration timeout depends on run-time configuration",
       "A timeout is set, but its value comes from a parameter, a default member initializer, "
       "the environment or a configuration file, so the code alone does not prove it bounds the "
       "call.",
       "low", 3.0,
       Category::Resilience, "timeout", true, UnverifiedTimeoutRemedy, EvidenceNotes::Timeout, FixIt::None},
      {ruleid::UnboundedRetry, "UnboundedRetry", "Retry loop without a limit",
       "The call is retried until it succeeds, with no attempt limit or deadline: an outage turns "
       "into a busy loop and a pile-up of requests.",
       "high", 7.0,
       Category::Resilience, "retry", true, UnboundedRetryRemedy, EvidenceNotes::Retry, FixIt::None},
      {ruleid::RetryWithoutBackoff, "RetryWithoutBackoff",
       "Retry without exponential backoff",
       "The call is retried at a fixed pace (or immediately): during an outage every client "
       "hammers the recovering service at the same rate.",
       "medium", 5.0,
       Category::Resilience, "retry", true, BackoffRemedy, EvidenceNotes::Retry, FixIt::None},
      {ruleid::MissingRetry, "MissingRetry", "Integration call never retried",
       "A transient failure of this call fails the operation at once: no loop, retry helper or "
       "library policy repeats it. Only retry operations that are idempotent.",
       "low", 3.0,
       Category::Resilience, "retry", true, MissingRetryRemedy, EvidenceNotes::None, FixIt::None},
      // Inventory cross-checks: env files and build manifests against the code.
      {ruleid::UnusedClientLibrary, "UnusedClientLibrary",
       "Client library linked but never called",
       "A build manifest pulls in a client library the analyzed code never calls: a dead "
       "dependency, or code the compile database does not cover (so its integrations are "
       "missing from this report).",
       "low", 2.0,
       Category::Inventory, "dependency", false, nullptr, EvidenceNotes::None, FixIt::None},
      {ruleid::EnvVarUndefined, "EnvVarUndefined",
       "Environment variable read by the code but defined in no env file",
       "The code reads the variable with getenv, but none of the project's env files (.env, "
       ".env.example, ...) defines it: a deployment following them leaves it unset.",
       "medium", 4.0,
       Category::Inventory, "configuration", false, nullptr, EvidenceNotes::None, FixIt::None},
      {ruleid::EnvVarUnused, "EnvVarUnused",
       "Endpoint or credential in an env file that the code never reads",
       "An env file defines an endpoint or credential variable that no getenv in the analyzed "
       "code reads: a stale setting, or a read the analysis cannot see (a computed name, a "
       "configuration library, another process).",
       "low", 2.0,
       Category::Inventory, "configuration", false, nullptr, EvidenceNotes::None, FixIt::None},
      {ruleid::CredentialFromLiteral, "CredentialFromLiteral",
       "Credential set from a literal although the environment provides one",
       "The client's credential is a string literal in the code while an env file defines a "
       "credential for the same integration: the code ignores the deployment's secret and "
       "ships its own.",
       "high", 8.0,
       Category::Inventory, "credential", false, nullptr, EvidenceNotes::None, FixIt::None},
      {ruleid::EnvPlaintextUrl, "EnvPlaintextUrl",
       "Env file points an integration at an unencrypted remote URL",
       "An endpoint variable uses a plaintext scheme (http, ws, redis, amqp, ...) to a remote "
       "host: credentials and data cross the network in clear.",
       "medium", 5.5,
       Category::Inventory, "transport", false, nullptr, EvidenceNotes::None, FixIt::None},
      // Security: decided in analysis/Security.cpp.
      {ruleid::TlsVerificationDisabled, "TlsVerificationDisabled",
       "TLS certificate verification disabled",
       "The client does not verify the server's certificate (a verify option set to 0, a "
       "verify-none constant, a verify callback that accepts everything, or a PostgreSQL "
       "sslmode that checks no certificate): anyone on the network path can impersonate the "
       "server and read or alter the traffic.",
       "high", 7.4,
       Category::Security, "tls-verification", true, nullptr, EvidenceNotes::None, FixIt::None},
      {ruleid::PlaintextTransport, "PlaintextTransport",
       "Integration traffic sent unencrypted to a remote host",
       "The endpoint uses a scheme without TLS (http://, redis:// or a bare host:port the "
       "client treats as such, SMTP without STARTTLS, an insecure gRPC channel) to a host that "
       "is not local: credentials and payloads cross the network in clear text.",
       "high", 7.0,
       Category::Security, "transport", true, nullptr, EvidenceNotes::None, FixIt::None},
      {ruleid::TlsDowngradePossible, "TlsDowngradePossible",
       "TLS only if the server offers it",
       "The client asks for TLS but goes on in clear text when the server (or an attacker in "
       "between) does not offer it, and checks no certificate: libpq sslmode prefer or allow "
       "(prefer is libpq's default), STARTTLS in try mode (CURLUSESSL_TRY). Require TLS and "
       "verify the server (sslmode=verify-full, CURLUSESSL_ALL).",
       "medium", 5.5,
       Category::Security, "transport", true, nullptr, EvidenceNotes::None, FixIt::None},
      {ruleid::HardcodedSecret, "HardcodedSecret", "Credential hard-coded in the source",
       "An API key, token or password is written in a string literal (recognised by a "
       "vendor's key prefix, `password=` in a connection string, or a literal passed to an "
       "authentication parameter). Everyone with the source or the binary has it, and "
       "rotating it needs a release. The report names the kind of secret, never its text.",
       "critical", 9.0,
       Category::Security, "credential", true, nullptr, EvidenceNotes::None, FixIt::None},
      {ruleid::WebhookSignatureUnverified, "WebhookSignatureUnverified",
       "Webhook received without checking its signature",
       "The code reads a webhook signature header (Stripe-Signature, X-Hub-Signature-256, ...) "
       "but neither it nor the functions it calls compute an HMAC over the payload: anyone who "
       "knows the URL can forge events.",
       "high", 7.5,
       Category::Security, "webhook-signature", true, nullptr, EvidenceNotes::None, FixIt::None},
      {ruleid::ApiVersionUnpinned, "ApiVersionUnpinned", "API version not pinned",
       "The protocol lets the client pin the API version (Stripe-Version header) and the code "
       "never does: the account's default version applies, and changing it in the dashboard "
       "changes response shapes under the running code.",
       "low", 2.0,
       Category::Security, "api-version", true, nullptr, EvidenceNotes::None, FixIt::None},
  };
  return R;
}

const RuleInfo *rule(const std::string &Id) {
  for (const auto &R : rules())
    if (Id == R.Id)
      return &R;
  return nullptr;
}

const char *categoryName(Category C) {
  switch (C) {
  case Category::Resilience:
    return "resilience";
  case Category::Inventory:
    return "inventory";
  case Category::Security:
    return "security";
  }
  return "";
}

model::Finding &FindingBuilder::add(const char *Rule, const model::Location &L,
                                    std::string Message, const std::string &Identity) {
  model::Finding F;
  F.Rule = Rule;
  const RuleInfo *Info = rule(Rule);
  F.Severity = Info ? Info->Severity : "";
  F.Loc = L;
  F.Message = std::move(Message);
  F.Fingerprint = support::relativeTo(L.File, Root) + "|" + F.Rule + "|" + Identity;
  Out.push_back(std::move(F));
  return Out.back();
}

std::vector<model::Finding> FindingBuilder::take(bool Ordinals) {
  std::sort(Out.begin(), Out.end(), [](const model::Finding &A, const model::Finding &B) {
    return std::tie(A.Loc, A.Rule, A.Message) < std::tie(B.Loc, B.Rule, B.Message);
  });
  std::map<std::string, int> Seen;
  for (auto &F : Out)
    F.Fingerprint = Ordinals ? support::fnv1a(F.Fingerprint + "|" +
                                              std::to_string(Seen[F.Fingerprint]++))
                             : support::fnv1a(F.Fingerprint);
  return std::move(Out);
}

int severityRank(const std::string &S) {
  if (S == "critical")
    return 4;
  if (S == "high")
    return 3;
  if (S == "medium")
    return 2;
  if (S == "low")
    return 1;
  return 0;
}

std::vector<model::Finding> evaluateRules(const std::vector<model::CallSite> &Sites,
                                          const catalog::Catalog &Cat,
                                          const std::string &SourceRoot) {
  FindingBuilder Builder(SourceRoot);
  auto Add = [&](const model::CallSite &C, const char *RuleId, std::string Message) {
    model::Finding &F =
        Builder.add(RuleId, C.Loc, std::move(Message), C.Function + "|" + C.Operation + "|" + C.Handle);
    F.CallSiteId = C.Id;
    F.Integration = C.Integration;
  };
  for (const auto &C : Sites) {
    std::string Op = "`" + C.Operation + "`";
    std::string On = C.Handle.empty() ? "" : " on `" + C.Handle + "`";
    const catalog::Operation *Operation = Cat.lookupOperation(C.Operation).second;
    if (C.Timeout.Status == "absent")
      Add(C, ruleid::MissingTimeout, Op + On + " has no timeout: " + C.Timeout.Reason);
    else if (C.Timeout.Status == "conditional")
      Add(C, ruleid::UnverifiedTimeout,
          Op + On + ": timeout not proven by the code: " + C.Timeout.Reason);
    if (C.Retry.Present) {
      if (C.Retry.Bounded && !*C.Retry.Bounded)
        Add(C, ruleid::UnboundedRetry,
            Op + On + " is retried without an attempt limit or deadline");
      else if (C.Retry.Backoff && !*C.Retry.Backoff)
        Add(C, ruleid::RetryWithoutBackoff,
            Op + On + " is retried without a growing delay between attempts");
    } else if ((C.Kind == "http" || C.Kind == "rpc" || C.Kind == "queue" || C.Kind == "email" ||
                C.Kind == "cloud") &&
               !(Operation && Operation->CompletesPrevious)) {
      // Remote APIs fail transiently; a database statement or cache command is
      // usually retried at a higher level (the transaction, the request), so a
      // finding on each of them would be noise. The document still shows ❌.
      Add(C, ruleid::MissingRetry, Op + On + " is not retried: " + C.Retry.Reason);
    }
  }
  return Builder.take(/*Ordinals=*/true);
}

std::vector<model::Finding> evaluateInventoryRules(const model::Report &R,
                                                   const std::vector<model::Setting> &Settings,
                                                   const catalog::Catalog &Cat,
                                                   const std::string &SourceRoot) {
  const model::Inventory &Inv = R.Inventory;
  if (!Inv.Enabled)
    return {};
  auto Rel = [&](const std::string &P) { return support::relativeTo(P, SourceRoot); };
  FindingBuilder Builder(SourceRoot);
  auto Add = [&](const model::Location &L, const char *RuleId, std::string Message,
                 const std::string &Key, const std::string &IntegrationId) {
    Builder.add(RuleId, L, std::move(Message), Key).Integration = IntegrationId;
  };
  size_t Analyzed = 0, NotAnalyzed = 0;
  for (const auto &U : R.Units)
    // "unreached": the prefilter proved it cannot call a client, which is what
    // these cross-checks ask.
    if (U.Status != "unreached")
      (U.Status == "analyzed" ? Analyzed : NotAnalyzed)++;
  if (Analyzed == 0)
    return {}; // nothing is known about the code: no cross-check can hold
  std::string Caveat = NotAnalyzed ? " (" + std::to_string(NotAnalyzed) +
                                         " translation units were not analyzed)"
                                   : "";

  // A client library the build links and no call site uses (only libraries the
  // catalog knows: for the others, no call could have been recognised).
  std::map<std::string, std::vector<const model::ManifestLibrary *>> Unused;
  for (const auto &L : Inv.Libraries)
    if (!L.Called && Cat.library(L.Library))
      Unused[L.Library].push_back(&L);
  for (const auto &[Lib, Entries] : Unused) {
    const auto *First = Entries.front();
    std::string Also;
    for (size_t I = 1; I < Entries.size() && I < 4; ++I)
      Also += (I == 1 ? "; also " : ", ") + Rel(Entries[I]->Loc.File) + ":" +
              std::to_string(Entries[I]->Loc.Line);
    Add(First->Loc, ruleid::UnusedClientLibrary,
        "the build links " + Lib + " (`" + First->Name + "` in " + First->Manifest +
            ") but no analyzed call uses it: a dead dependency, or code the compile database "
            "misses" + Caveat + Also,
        Lib, "");
  }

  std::map<std::string, const model::EnvVariable *> Defined;
  for (const auto &V : Inv.Variables)
    Defined.emplace(V.Name, &V);
  // Read by the code, defined in no env file (only when the project has env files).
  static const std::set<std::string> System = {
      "HOME", "PATH", "USER", "LOGNAME", "SHELL", "PWD", "TMPDIR", "TMP", "TEMP", "LANG",
      "LC_ALL", "LC_CTYPE", "TZ", "TERM", "HOSTNAME", "DISPLAY", "EDITOR", "XDG_RUNTIME_DIR",
      "XDG_CONFIG_HOME", "XDG_CACHE_HOME", "XDG_DATA_HOME", "SSL_CERT_FILE", "SSL_CERT_DIR"};
  if (!Inv.EnvFiles.empty()) {
    std::map<std::string, std::vector<const model::EnvRead *>> Undefined;
    for (const auto &E : Inv.EnvReads)
      if (!Defined.count(E.Name) && !System.count(E.Name))
        Undefined[E.Name].push_back(&E);
    for (const auto &[Name, Reads] : Undefined)
      Add(Reads.front()->Loc, ruleid::EnvVarUndefined,
          "the code reads " + Name + " but no env file defines it (" +
              std::to_string(Inv.EnvFiles.size()) + " env files searched" +
              (Reads.size() > 1 ? "; read at " + std::to_string(Reads.size()) + " places" : "") +
              ")",
          Name, "");
  }
  // Defined (an endpoint or credential), read nowhere.
  std::set<std::string> Reported;
  for (const auto &V : Inv.Variables)
    if (!V.Class.empty() && !V.ReadByCode && Reported.insert(V.Name).second)
      Add(V.Loc, ruleid::EnvVarUnused,
          V.Class + " variable " + V.Name + " is defined here but no analyzed getenv(\"" +
              V.Name + "\") reads it" + Caveat,
          V.Name, V.Integration);
  // Plaintext URL to a remote host.
  for (const auto &V : Inv.Variables)
    if (V.Plaintext)
      Add(V.Loc, ruleid::EnvPlaintextUrl,
          V.Name + " points at " + V.Scheme + "://" + V.Host + " without encryption", V.Name,
          V.Integration);
  // A literal credential on a client whose integration has a credential in the env files.
  std::map<std::string, std::set<std::string>> IntegrationsByHandle;
  for (const auto &C : R.CallSites)
    if (!C.HandleKey.empty() && !C.Integration.empty())
      IntegrationsByHandle[C.HandleKey].insert(C.Integration);
  for (const auto &S : Settings) {
    if (S.Concern != "credential" || S.Val.DependsOn != "literal")
      continue;
    auto It = IntegrationsByHandle.find(S.HandleKey);
    if (It == IntegrationsByHandle.end())
      continue;
    for (const auto &V : Inv.Variables)
      if (V.Class == "credential" && It->second.count(V.Integration)) {
        Add(S.Loc, ruleid::CredentialFromLiteral,
            "`" + S.Option + "` is set from a string literal although " + V.Name +
                " is defined for this integration in " + Rel(V.Loc.File) + ":" +
                std::to_string(V.Loc.Line) + ": read the credential from the environment",
            S.Option + "|" + V.Name, V.Integration);
        break;
      }
  }
  return Builder.take(/*Ordinals=*/false);
}

} // namespace im::analysis
