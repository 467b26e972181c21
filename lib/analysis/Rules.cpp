#include "analysis/Rules.h"

#include "support/Files.h"

#include <algorithm>
#include <map>
#include <set>

namespace im::analysis {

const std::vector<RuleInfo> &rules() {
  static const std::vector<RuleInfo> R = {
      {"integration-missing-timeout", "MissingTimeout",
       "Integration call without a timeout",
       "The call can block its thread forever when the remote side is slow or down: no timeout "
       "is set on the handle, client or context it uses, or it is set to a value the library "
       "treats as infinite.",
       "high", 7.5},
      {"integration-unverified-timeout", "UnverifiedTimeout",
       "Integration timeout depends on run-time configuration",
       "A timeout is set, but its value comes from a parameter, a default member initializer, "
       "the environment or a configuration file, so the code alone does not prove it bounds the "
       "call.",
       "low", 3.0},
      {"integration-unbounded-retry", "UnboundedRetry", "Retry loop without a limit",
       "The call is retried until it succeeds, with no attempt limit or deadline: an outage turns "
       "into a busy loop and a pile-up of requests.",
       "high", 7.0},
      {"integration-retry-without-backoff", "RetryWithoutBackoff",
       "Retry without exponential backoff",
       "The call is retried at a fixed pace (or immediately): during an outage every client "
       "hammers the recovering service at the same rate.",
       "medium", 5.0},
      {"integration-missing-retry", "MissingRetry", "Integration call never retried",
       "A transient failure of this call fails the operation at once: no loop, retry helper or "
       "library policy repeats it. Only retry operations that are idempotent.",
       "low", 3.0},
      // ---- inventory cross-checks (issue 8)
      {"integration-unused-client-library", "UnusedClientLibrary",
       "Client library linked but never called",
       "A build manifest pulls in a client library the analyzed code never calls: a dead "
       "dependency, or code the compile database does not cover (so its integrations are "
       "missing from this report).",
       "low", 2.0},
      {"integration-env-var-undefined", "EnvVarUndefined",
       "Environment variable read by the code but defined in no env file",
       "The code reads the variable with getenv, but none of the project's env files (.env, "
       ".env.example, ...) defines it: a deployment following them leaves it unset.",
       "medium", 4.0},
      {"integration-env-var-unused", "EnvVarUnused",
       "Endpoint or credential in an env file that the code never reads",
       "An env file defines an endpoint or credential variable that no getenv in the analyzed "
       "code reads: a stale setting, or a read the analysis cannot see (a computed name, a "
       "configuration library, another process).",
       "low", 2.0},
      {"integration-credential-from-literal", "CredentialFromLiteral",
       "Credential set from a literal although the environment provides one",
       "The client's credential is a string literal in the code while an env file defines a "
       "credential for the same integration: the code ignores the deployment's secret and "
       "ships its own.",
       "high", 8.0},
      {"integration-env-plaintext-url", "EnvPlaintextUrl",
       "Env file points an integration at an unencrypted remote URL",
       "An endpoint variable uses a plaintext scheme (http, ws, redis, amqp, ...) to a remote "
       "host: credentials and data cross the network in clear.",
       "medium", 5.5},
      // ---- end inventory cross-checks (issue 8)
      // ---- security (issue 5): decided in analysis/Security.cpp
      {"integration-tls-verification-disabled", "TlsVerificationDisabled",
       "TLS certificate verification disabled",
       "The client does not verify the server's certificate (a verify option set to 0, a "
       "verify-none constant, a verify callback that accepts everything, or a PostgreSQL "
       "sslmode that checks no certificate): anyone on the network path can impersonate the "
       "server and read or alter the traffic.",
       "high", 7.4},
      {"integration-plaintext-transport", "PlaintextTransport",
       "Integration traffic sent unencrypted to a remote host",
       "The endpoint uses a scheme without TLS (http://, redis:// or a bare host:port the "
       "client treats as such, SMTP without STARTTLS, an insecure gRPC channel) to a host that "
       "is not local: credentials and payloads cross the network in clear text.",
       "high", 7.0},
      {"integration-tls-downgrade-possible", "TlsDowngradePossible",
       "TLS only if the server offers it",
       "The client asks for TLS but goes on in clear text when the server (or an attacker in "
       "between) does not offer it, and checks no certificate: libpq sslmode prefer or allow "
       "(prefer is libpq's default), STARTTLS in try mode (CURLUSESSL_TRY). Require TLS and "
       "verify the server (sslmode=verify-full, CURLUSESSL_ALL).",
       "medium", 5.5},
      {"integration-hardcoded-secret", "HardcodedSecret", "Credential hard-coded in the source",
       "An API key, token or password is written in a string literal (recognised by a "
       "vendor's key prefix, `password=` in a connection string, or a literal passed to an "
       "authentication parameter). Everyone with the source or the binary has it, and "
       "rotating it needs a release. The report names the kind of secret, never its text.",
       "critical", 9.0},
      {"integration-webhook-signature-unverified", "WebhookSignatureUnverified",
       "Webhook received without checking its signature",
       "The code reads a webhook signature header (Stripe-Signature, X-Hub-Signature-256, ...) "
       "but neither it nor the functions it calls compute an HMAC over the payload: anyone who "
       "knows the URL can forge events.",
       "high", 7.5},
      {"integration-api-version-unpinned", "ApiVersionUnpinned", "API version not pinned",
       "The protocol lets the client pin the API version (Stripe-Version header) and the code "
       "never does: the account's default version applies, and changing it in the dashboard "
       "changes response shapes under the running code.",
       "low", 2.0},
  };
  return R;
}

const RuleInfo *rule(const std::string &Id) {
  for (const auto &R : rules())
    if (Id == R.Id)
      return &R;
  return nullptr;
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
  std::vector<model::Finding> Out;
  auto Add = [&](const model::CallSite &C, const char *RuleId, std::string Message) {
    model::Finding F;
    F.Rule = RuleId;
    F.Severity = rule(RuleId)->Severity;
    F.Loc = C.Loc;
    F.Message = std::move(Message);
    F.CallSiteId = C.Id;
    F.Integration = C.Integration;
    // Identity without line numbers: unrelated edits above must not change it.
    F.Fingerprint = support::relativeTo(C.Loc.File, SourceRoot) + "|" + F.Rule + "|" +
                    C.Function + "|" + C.Operation + "|" + C.Handle;
    Out.push_back(std::move(F));
  };
  for (const auto &C : Sites) {
    std::string Op = "`" + C.Operation + "`";
    std::string On = C.Handle.empty() ? "" : " on `" + C.Handle + "`";
    const catalog::Operation *Operation = Cat.lookupOperation(C.Operation).second;
    if (C.Timeout.Status == "absent")
      Add(C, "integration-missing-timeout", Op + On + " has no timeout: " + C.Timeout.Reason);
    else if (C.Timeout.Status == "conditional")
      Add(C, "integration-unverified-timeout",
          Op + On + ": timeout not proven by the code: " + C.Timeout.Reason);
    if (C.Retry.Present) {
      if (C.Retry.Bounded && !*C.Retry.Bounded)
        Add(C, "integration-unbounded-retry",
            Op + On + " is retried without an attempt limit or deadline");
      else if (C.Retry.Backoff && !*C.Retry.Backoff)
        Add(C, "integration-retry-without-backoff",
            Op + On + " is retried without a growing delay between attempts");
    } else if ((C.Kind == "http" || C.Kind == "rpc" || C.Kind == "queue" || C.Kind == "email" ||
                C.Kind == "cloud") &&
               !(Operation && Operation->CompletesPrevious)) {
      // Remote APIs fail transiently; a database statement or cache command is
      // usually retried at a higher level (the transaction, the request), so a
      // finding on each of them would be noise. The document still shows ❌.
      Add(C, "integration-missing-retry", Op + On + " is not retried: " + C.Retry.Reason);
    }
  }
  std::sort(Out.begin(), Out.end(), [](const auto &A, const auto &B) {
    return std::tie(A.Loc, A.Rule) < std::tie(B.Loc, B.Rule);
  });
  // Identical identities (two calls of one kind in one function) get an ordinal.
  std::map<std::string, int> Seen;
  for (auto &F : Out) {
    int N = Seen[F.Fingerprint]++;
    F.Fingerprint = support::fnv1a(F.Fingerprint + "|" + std::to_string(N));
  }
  return Out;
}

// ---- inventory cross-checks (issue 8) ----------------------------------------------
std::vector<model::Finding> evaluateInventoryRules(const model::Report &R,
                                                   const std::vector<model::Setting> &Settings,
                                                   const catalog::Catalog &Cat,
                                                   const std::string &SourceRoot) {
  const model::Inventory &Inv = R.Inventory;
  std::vector<model::Finding> Out;
  if (!Inv.Enabled)
    return Out;
  auto Rel = [&](const std::string &P) { return support::relativeTo(P, SourceRoot); };
  auto Add = [&](const model::Location &L, const char *RuleId, std::string Message,
                 const std::string &Key, const std::string &IntegrationId) {
    model::Finding F;
    F.Rule = RuleId;
    F.Severity = rule(RuleId)->Severity;
    F.Loc = L;
    F.Message = std::move(Message);
    F.Integration = IntegrationId;
    F.Fingerprint = support::fnv1a(Rel(L.File) + "|" + F.Rule + "|" + Key);
    Out.push_back(std::move(F));
  };
  size_t Analyzed = 0, NotAnalyzed = 0;
  for (const auto &U : R.Units)
    (U.Status == "analyzed" ? Analyzed : NotAnalyzed)++;
  if (Analyzed == 0)
    return Out; // nothing is known about the code: no cross-check can hold
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
    Add(First->Loc, "integration-unused-client-library",
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
      Add(Reads.front()->Loc, "integration-env-var-undefined",
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
      Add(V.Loc, "integration-env-var-unused",
          V.Class + " variable " + V.Name + " is defined here but no analyzed getenv(\"" +
              V.Name + "\") reads it" + Caveat,
          V.Name, V.Integration);
  // Plaintext URL to a remote host.
  for (const auto &V : Inv.Variables)
    if (V.Plaintext)
      Add(V.Loc, "integration-env-plaintext-url",
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
        Add(S.Loc, "integration-credential-from-literal",
            "`" + S.Option + "` is set from a string literal although " + V.Name +
                " is defined for this integration in " + Rel(V.Loc.File) + ":" +
                std::to_string(V.Loc.Line) + ": read the credential from the environment",
            S.Option + "|" + V.Name, V.Integration);
        break;
      }
  }
  std::sort(Out.begin(), Out.end(), [](const auto &A, const auto &B) {
    return std::tie(A.Loc, A.Rule, A.Message) < std::tie(B.Loc, B.Rule, B.Message);
  });
  return Out;
}
// ---- end inventory cross-checks (issue 8)

} // namespace im::analysis
