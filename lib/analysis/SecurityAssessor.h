// The security assessment's shared state, internal to lib/analysis: one
// Assessor walks the merged facts once. Its parts live in Security.cpp (the
// handle walk, findings, test code), Transport.cpp (endpoints, TLS settings,
// conninfo TLS parameters) and Credentials.cpp (secrets, env-reader defaults,
// credential sources, webhooks, API versions).
#pragma once

#include "analysis/Resolve.h"
#include "analysis/Rules.h"
#include "catalog/Catalog.h"
#include "model/Facts.h"

#include <algorithm>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <tuple>
#include <vector>

namespace im::analysis::security {
using model::CallSite;
using model::Finding;
using model::Location;
using model::SecurityFact;
using model::Setting;
using model::Value;

/// The catalog option a setting was made through (a setter's option or a key
/// read out of a connection string), or null.
const catalog::Option *optionOf(const catalog::Catalog &Cat, const Setting &S);

/// A function key without its parameter list.
std::string shortFn(const std::string &Key);

class Assessor {
public:
  Assessor(const Merged &M, std::vector<CallSite> &Sites, const catalog::Catalog &Cat,
           const std::string &Root);

  void run(std::vector<Finding> &Findings);


private:
  /// Handle keys whose configuration applies to `Key` (as the resolver follows
  /// timeouts): what it was derived from, helper parameters it flows into, and,
  /// for a parameter, the callers' handles (then their helpers, never back up).
  std::set<std::string> reach(const std::string &Key);

  std::string functionName(const std::string &Key) const {
    auto It = FnNames.find(Key);
    return It != FnNames.end() ? It->second : shortFn(Key);
  }

  static void note(CallSite &C, const Location &L, std::string Note) {
    C.Security.Evidence.push_back({L.File, L.Line, std::move(Note)});
  }

  void add(const char *Rule, const Location &L, std::string Message, const CallSite *C,
           const std::string &FunctionKey, const std::string &Identity,
           std::string Severity = "");

  /// `C` is a call the finding's setting applies to (SARIF relatedLocations).
  static void affects(Finding &F, const CallSite &C) {
    model::Evidence E{C.Loc.File, C.Loc.Line, "affected call: `" + C.Operation + "`"};
    if (std::find(F.Related.begin(), F.Related.end(), E) == F.Related.end())
      F.Related.push_back(std::move(E));
  }

  /// A boolean setting's value: 0/1, or a string spelling one (librdkafka takes
  /// "false", "0", "no", "off"); nullopt when not constant.
  static std::optional<bool> flagOf(const Value &V);

  /// Where a verification setting is fixed: the literal that spells the value
  /// (a key inside a connection string or URI, a "false" passed to a key/value
  /// setter), else the setting itself.
  static Location verifyLocation(const Setting &S);

  /// Every call on the handle is known to go without TLS.
  bool onlyPlaintext(const std::string &HandleKey);

  /// Every call the handle configures goes to a local address (a test server,
  /// a sidecar): disabling verification there is noted, not flagged.
  bool onlyLocal(const std::string &HandleKey);

  /// Test sources, by the one rule of analysis/TestCode.h, read below the
  /// source root (outside it, the file name only).
  bool isTestFile(const std::string &File) const;

  /// In test code a test-mode key or a fixture password is expected; a live key is not.
  static bool expectedInTests(const std::string &Kind);

  CallSite *siteFor(const std::string &HandleKey) const {
    auto It = FirstSite.find(HandleKey);
    return It == FirstSite.end() ? nullptr : It->second;
  }

  // ---------------------------------------------------------------- transport
  /// Where the part of a value at `Offset` is written: inside the literal when
  /// the value was folded from literals, else where the value was defined, else
  /// the setting.
  static Location writtenAt(const Value &V, size_t Offset, const Location &Fallback) {
    if (Location L = V.at(Offset); L.valid())
      return L;
    return V.Origin.valid() ? V.Origin : Fallback;
  }

  /// What a `tls` setting's value selects: true TLS on, false TLS off,
  /// Opportunistic: TLS when the server offers it (nullopt: not known). The
  /// option's catalog `tls_values` name the values; without them 0 is off and
  /// any other constant on.
  struct TlsChoice {
    std::optional<bool> On;
    bool Opportunistic = false;
  };

  TlsChoice tlsChoice(const Setting &S) const;

  struct Endpoint {
    std::string Text;
    Location Loc;     // where the endpoint text is written
    const Value *Val; // null for a call site's own endpoint
    bool Conninfo;
    bool Proven;
    std::string From = ""; // where a value not written at the call comes from, for messages
  };

  void assessEndpoint(CallSite &C, const std::set<std::string> &Keys);

  /// TLS explicitly off (security.protocol=PLAINTEXT) on a handle whose endpoint
  /// the code does not show: the setting is the finding, wherever it connects.
  void plaintextByConfiguration(CallSite &C, const Setting &Off);

  void markLocal(CallSite &C, bool AnyLocal, bool AnyRemote) {
    if (AnyLocal && !AnyRemote)
      LocalOnly.insert(&C);
  }

  /// A connection string (libpq conninfo or URI): local, or what the
  /// catalog's transport.tls_parameter says its TLS key selects.
  void assessConninfo(CallSite &C, const Endpoint &E);

  // ---------------------------------------------------------------- TLS verification
  void tlsSettings();

  void securityFacts();

  // ---------------------------------------------------------------- env defaults
  /// Calls of the project's env readers (`env_or("X", "default")`): a literal
  /// default is code, not configuration. A credential default is a hard-coded
  /// secret at the literal; a plaintext URL to a remote host is plaintext
  /// transport at the literal whenever the variable is unset.
  void envDefaults();

  /// A call of an env reader with a literal default (`env_or("X", "http://...")`).
  struct EnvDefault {
    std::string CallKey; // the reader
    Location CallLoc;
    std::string Var;
    const Value *Default; // with the positions of its literal
  };
  /// Fills EnvDefaults; before the endpoints are assessed.
  void collectEnvDefaults();
  /// The literal default of `Var` that a folded endpoint holds, or null.
  const EnvDefault *envDefaultOf(const std::string &Var, const std::string &Folded) const;

  /// Where a field's literal initializer that starts a folded endpoint is
  /// written (`std::string url = "http://..."` in a config struct, or
  /// `cfg.url = "http://..."`), the longest one; invalid when none.
  Location fieldLiteralOf(const std::string &Folded) const;
  /// Where a construction of `Site`'s enclosing constructor passes the literal
  /// that `Site`'s folded endpoint starts with (`SessionCache cache("cache.internal")`
  /// for a connect in SessionCache's constructor); invalid when none does.
  Location constructionLiteralOf(const CallSite &Site) const;

  // ---------------------------------------------------------------- protocol hygiene
  static bool isStripe(const CallSite &C);

  /// Stripe-Version pinned anywhere in the analyzed code applies to every Stripe
  /// call (headers are usually built in one helper); none anywhere: one finding
  /// per Stripe integration, at its first call.
  void apiVersions();

  /// A function reading a webhook signature header must compute a MAC itself or
  /// in a function it calls (three levels deep).
  void webhooks();

  // ---------------------------------------------------------------- credentials
  model::CredentialSource origin(const std::string &O, int Depth = 0);

  void assessCredentials(CallSite &C, const std::set<std::string> &Keys);

  const Merged &M;
  std::vector<CallSite> &Sites;
  const catalog::Catalog &Cat;
  std::string Root;
  std::map<std::string, std::set<std::string>> Down, Up;
  std::map<std::string, std::string> FnNames;
  std::map<std::string, std::vector<const SecurityFact *>> Origins;
  std::map<std::string, CallSite *> FirstSite;
  std::map<std::string, std::vector<CallSite *>> SitesOf;
  std::set<const CallSite *> LocalOnly; // every constant endpoint of the call is local
  std::map<std::tuple<std::string, std::string, unsigned, std::string>, size_t> Emitted;
  std::vector<EnvDefault> EnvDefaults;
  FindingBuilder Builder{Root};
};

} // namespace im::analysis::security
