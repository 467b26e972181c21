#include "analysis/Security.h"
#include "analysis/TestCode.h"

#include "analysis/Integrations.h"
#include "analysis/Rules.h"
#include "support/Endpoint.h"
#include "support/Files.h"
#include "support/Text.h"

#include <algorithm>
#include <cctype>
#include <cstring>
#include <deque>
#include <map>
#include <set>

namespace im::analysis {
using model::CallSite;
using model::Finding;
using model::Location;
using model::SecurityFact;
using model::Setting;
using model::Value;

namespace {
using support::isLocalHost;
using support::isPlaintextScheme;
using support::lower;
using support::parseConninfo;
} // namespace

// ------------------------------------------------------------------ assessment
namespace {

/// Scheme a client uses for an endpoint written without one (catalog
/// transport.default_scheme, or the scheme its host-name prefix selects).
std::string defaultScheme(const catalog::Catalog &Cat, const std::string &Library,
                          const std::string &Host) {
  const catalog::Library *Lib = Cat.library(Library);
  if (!Lib)
    return "";
  for (const auto &[Prefix, Scheme] : Lib->Transport.SchemeByHostPrefix)
    if (support::startsWith(Host, Prefix))
      return Scheme;
  return Lib->Transport.DefaultScheme;
}

/// With TLS, the library verifies the peer unless an option turns it off
/// (catalog transport.verifies_by_default).
bool verifiesByDefault(const catalog::Catalog &Cat, const std::string &Library) {
  const catalog::Library *Lib = Cat.library(Library);
  return Lib && Lib->Transport.VerifiesByDefault;
}

const catalog::Option *optionOf(const catalog::Catalog &Cat, const Setting &S) {
  const catalog::Library *Lib = Cat.library(S.Library);
  if (!Lib)
    return nullptr;
  for (const auto &St : Lib->Setters)
    for (const auto &O : St.Options) {
      if (O.Concern != S.Concern)
        continue;
      if (O.Name == S.Option || (O.Name.empty() && catalog::normalizeName(St.Name) == S.Option))
        return &O;
    }
  // A key read out of a connection string (value semantics "uri_options").
  if (const catalog::Option *O = Lib->uriOption(S.Option); O && O->Concern == S.Concern)
    return O;
  return nullptr;
}

bool libraryUsesConninfo(const catalog::Catalog &Cat, const std::string &Library) {
  if (const catalog::Library *Lib = Cat.library(Library))
    for (const auto &St : Lib->Setters)
      for (const auto &O : St.Options)
        if (O.Semantics == "conninfo")
          return true;
  return false;
}

std::string shortFn(const std::string &Key) {
  auto Paren = Key.find('(');
  return Key.substr(0, Paren);
}

class Assessor {
public:
  Assessor(const Merged &M, std::vector<CallSite> &Sites, const catalog::Catalog &Cat,
           const std::string &Root)
      : M(M), Sites(Sites), Cat(Cat), Root(Root) {
    for (const auto &S : M.Settings)
      if ((S.Concern == "derive" || S.Concern == "connect") && !S.Val.DependsOn.empty())
        Down[S.HandleKey].insert(S.Val.DependsOn);
    for (const auto &F : M.Flows) {
      std::string Param = "param:" + F.CalleeKey + "#" + std::to_string(F.ArgIndex);
      Down[F.HandleKey].insert(Param);
      Up[Param].insert(F.HandleKey);
    }
    for (const auto &Fn : M.Functions)
      FnNames[Fn.Key] = Fn.Name;
    for (const auto &S : M.Security)
      if (S.Type == "value_origin")
        Origins[S.HandleKey].push_back(&S);
  }

  void run(std::vector<Finding> &Findings) {
    for (auto &C : Sites) {
      C.Security = {};
      std::set<std::string> Keys = reach(C.HandleKey);
      for (const auto &X : C.ExtraHandleKeys) // catalog "extra_handles"
        for (const auto &K : reach(X))
          Keys.insert(K);
      if (!C.ImplHandleKey.empty()) // a call through a project wrapper
        for (const auto &K : reach(C.ImplHandleKey))
          Keys.insert(K);
      for (const auto &K : Keys) {
        FirstSite.emplace(K, &C);
        SitesOf[K].push_back(&C);
      }
      assessEndpoint(C, Keys);
      assessCredentials(C, Keys);
    }
    tlsSettings();
    securityFacts();
    apiVersions();
    webhooks();
    for (auto &C : Sites) {
      if (C.Security.Transport == "tls" && C.Security.TlsVerification == "unknown" &&
          verifiesByDefault(Cat, C.Library)) {
        C.Security.TlsVerification = "verified";
        note(C, C.Loc, C.Library + " verifies the server certificate unless told otherwise");
      }
      std::sort(C.Security.Evidence.begin(), C.Security.Evidence.end());
      C.Security.Evidence.erase(std::unique(C.Security.Evidence.begin(), C.Security.Evidence.end()),
                                C.Security.Evidence.end());
    }
    std::vector<Finding> Out = Builder.take(/*Ordinals=*/true);
    Findings.insert(Findings.end(), Out.begin(), Out.end());
    std::stable_sort(Findings.begin(), Findings.end(), [](const Finding &A, const Finding &B) {
      return std::tie(A.Loc, A.Rule) < std::tie(B.Loc, B.Rule);
    });
  }

private:
  /// Handle keys whose configuration applies to `Key` (as the resolver follows
  /// timeouts): what it was derived from, helper parameters it flows into, and,
  /// for a parameter, the callers' handles (then their helpers, never back up).
  std::set<std::string> reach(const std::string &Key) {
    std::set<std::string> Seen;
    if (Key.empty())
      return Seen;
    struct Item {
      std::string K;
      int Depth;
      bool WentDown;
    };
    std::deque<Item> Work{{Key, 0, false}};
    std::set<std::pair<std::string, bool>> Visited;
    while (!Work.empty()) {
      Item I = Work.front();
      Work.pop_front();
      if (I.Depth > 6 || !Visited.insert({I.K, I.WentDown}).second)
        continue;
      Seen.insert(I.K);
      if (auto It = Down.find(I.K); It != Down.end())
        for (const auto &N : It->second)
          Work.push_back({N, I.Depth + 1, true});
      if (!I.WentDown)
        if (auto It = Up.find(I.K); It != Up.end())
          for (const auto &N : It->second)
            Work.push_back({N, I.Depth + 1, false});
    }
    return Seen;
  }

  std::string functionName(const std::string &Key) const {
    auto It = FnNames.find(Key);
    return It != FnNames.end() ? It->second : shortFn(Key);
  }

  static void note(CallSite &C, const Location &L, std::string Note) {
    C.Security.Evidence.push_back({L.File, L.Line, std::move(Note)});
  }

  void add(const char *Rule, const Location &L, std::string Message, const CallSite *C,
           const std::string &FunctionKey, const std::string &Identity,
           std::string Severity = "") {
    if (!Emitted.insert({Rule, L.File, L.Line, Identity}).second)
      return;
    std::string Fn = C ? C->Function : functionName(FunctionKey);
    Finding &F = Builder.add(Rule, L, std::move(Message), Fn + "|" + Identity);
    if (!Severity.empty())
      F.Severity = Severity;
    if (C) {
      F.CallSiteId = C->Id;
      F.Integration = C->Integration;
    }
  }

  /// Every call the handle configures goes to a local address (a test server,
  /// a sidecar): disabling verification there is noted, not flagged.
  bool onlyLocal(const std::string &HandleKey) {
    auto It = SitesOf.find(HandleKey);
    if (It == SitesOf.end() || It->second.empty())
      return false;
    return std::all_of(It->second.begin(), It->second.end(),
                       [&](const CallSite *C) { return LocalOnly.count(C) != 0; });
  }

  /// Test sources, by the one rule of analysis/TestCode.h, read below the
  /// source root (outside it, the file name only).
  bool isTestFile(const std::string &File) const {
    std::string Path = support::relativeTo(File, Root);
    if (Path == File && !Path.empty() && Path[0] == '/')
      Path = Path.substr(Path.rfind('/') + 1);
    return !testCodeReason(Path).empty();
  }

  /// In test code a test-mode key or a fixture password is expected; a live key is not.
  static bool expectedInTests(const std::string &Kind) {
    return Kind.find("test") != std::string::npos || Kind.find("password") != std::string::npos ||
           Kind == "credential";
  }

  CallSite *siteFor(const std::string &HandleKey) const {
    auto It = FirstSite.find(HandleKey);
    return It == FirstSite.end() ? nullptr : It->second;
  }

  // ---------------------------------------------------------------- transport
  void assessEndpoint(CallSite &C, const std::set<std::string> &Keys) {
    struct Candidate {
      std::string Text;
      Location Loc;
      bool Conninfo;
      bool Proven;
    };
    std::vector<Candidate> Cands;
    bool LibConninfo = libraryUsesConninfo(Cat, C.Library);
    bool TlsOn = false, TlsOff = false;
    Location TlsLoc;
    for (const auto &S : M.Settings) {
      if (!Keys.count(S.HandleKey))
        continue;
      if (S.Concern == "endpoint" && S.Val.K == Value::Kind::String) {
        const catalog::Option *O = optionOf(Cat, S);
        Cands.push_back({S.Val.Str, S.Loc, O && O->Semantics == "conninfo", S.Val.Proven});
      }
      if (S.Concern == "tls") {
        bool Off = S.Val.K == Value::Kind::Int && S.Val.Int == 0;
        (Off ? TlsOff : TlsOn) = true;
        TlsLoc = S.Loc;
        note(C, S.Loc, std::string(Off ? "TLS not requested: " : "TLS requested: ") + S.Option);
      }
    }
    if (Cands.empty() && C.EndpointSource == "literal" && !C.Endpoint.empty())
      Cands.push_back({C.Endpoint, C.Loc, LibConninfo, true});
    if (Cands.empty()) {
      if (C.EndpointSource != "literal" && C.EndpointSource != "unknown" &&
          !C.EndpointSource.empty())
        note(C, C.Loc, "endpoint from " + C.EndpointSource + ": transport decided at run time");
      return;
    }
    bool AnyLocal = false, AnyRemote = false;
    for (const auto &E : Cands) {
      if (E.Conninfo) {
        assessConninfo(C, E.Text, E.Loc);
        (C.Security.Transport == "local" ? AnyLocal : AnyRemote) = true;
        continue;
      }
      ParsedEndpoint P = parseEndpoint(E.Text);
      (isLocalHost(P.Host) ? AnyLocal : AnyRemote) = true;
      std::string Scheme = P.Scheme;
      if (Scheme.empty())
        Scheme = defaultScheme(Cat, C.Library, P.Host);
      auto Plain = isPlaintextScheme(Scheme);
      std::string Shown = Scheme + "://" + P.Host + (P.Port.empty() ? "" : ":" + P.Port);
      if (!Plain) {
        note(C, E.Loc, "endpoint " + Shown + ": transport not recognised");
        continue;
      }
      if (*Plain && TlsOn && !TlsOff)
        Plain = false; // STARTTLS or TLS initiated on the handle
      if (!*Plain) {
        C.Security.Transport = "tls";
        note(C, E.Loc, "encrypted transport: " + Shown);
        continue;
      }
      if (isLocalHost(P.Host)) {
        if (C.Security.Transport == "unknown")
          C.Security.Transport = "local";
        note(C, E.Loc, "plaintext to a local address (not flagged): " + Shown);
        continue;
      }
      if (P.Host.empty())
        continue;
      C.Security.Transport = "plaintext";
      note(C, E.Loc, "plaintext transport: " + Shown);
      std::string Why = P.Scheme.empty() ? " (no scheme: " + C.Library + " uses " + Scheme + ")"
                                         : "";
      add("integration-plaintext-transport", E.Loc,
          "`" + C.Operation + "` talks to " + P.Host + " over unencrypted " + Scheme + Why +
              ": credentials and payloads cross the network in clear text" +
              (TlsOff ? " (TLS explicitly not requested at " + model::str(TlsLoc) + ")" : ""),
          &C, C.FunctionKey, Scheme + "|" + P.Host, E.Proven ? "" : "medium");
    }
    markLocal(C, AnyLocal, AnyRemote);
  }

  void markLocal(CallSite &C, bool AnyLocal, bool AnyRemote) {
    if (AnyLocal && !AnyRemote)
      LocalOnly.insert(&C);
  }

  void assessConninfo(CallSite &C, const std::string &Text, const Location &L) {
    auto KV = parseConninfo(Text);
    std::string Host = KV.count("host") ? KV["host"] : (KV.count("hostaddr") ? KV["hostaddr"] : "");
    std::vector<std::string> Hosts;
    for (size_t B = 0; B <= Host.size();) {
      size_t E = Host.find(',', B);
      if (E == std::string::npos)
        E = Host.size();
      Hosts.push_back(Host.substr(B, E - B));
      B = E + 1;
    }
    std::string Remote;
    for (const auto &H : Hosts)
      if (!H.empty() && !isLocalHost(H))
        Remote = H;
    std::string Mode = KV.count("sslmode") ? lower(KV["sslmode"]) : "";
    if (Remote.empty()) {
      C.Security.Transport = "local";
      C.Security.TlsVerification = "not_applicable";
      note(C, L, Host.empty() ? "PostgreSQL over the default unix socket (local, not flagged)"
                              : "PostgreSQL on a local address (not flagged): " + Host);
      return;
    }
    if (Mode == "verify-full" || Mode == "verify-ca") {
      C.Security.Transport = "tls";
      C.Security.TlsVerification = "verified";
      note(C, L, "sslmode=" + Mode + ": the server certificate is verified");
      return;
    }
    if (Mode == "require") {
      C.Security.Transport = "tls";
      note(C, L, "sslmode=require: encrypted; the certificate is verified only when a root "
                 "certificate file is installed");
      return;
    }
    C.Security.TlsVerification = "disabled";
    C.Security.Transport = Mode == "disable" ? "plaintext" : "unknown";
    std::string What =
        Mode.empty() ? "no sslmode: libpq's default `prefer` checks no certificate and falls back "
                       "to plaintext when the server offers no TLS (unless PGSSLMODE is set)"
        : Mode == "disable" ? "sslmode=disable: no TLS at all, queries and credentials travel in "
                              "clear text"
                            : "sslmode=" + Mode + ": checks no certificate and may fall back to "
                                                  "plaintext";
    note(C, L, What);
    add("integration-tls-verification-disabled", L,
        "PostgreSQL connection to " + Remote + ": " + What, &C, C.FunctionKey,
        "sslmode=" + (Mode.empty() ? std::string("(default)") : Mode));
  }

  // ---------------------------------------------------------------- TLS verification
  void tlsSettings() {
    for (const auto &S : M.Settings) {
      if (S.Concern != "tls_verify")
        continue;
      const catalog::Option *O = optionOf(Cat, S);
      std::string Sem = O ? O->Semantics : "zero_disables";
      std::optional<bool> Disabled;
      if (S.Val.K == Value::Kind::Int && (Sem == "zero_disables" || Sem == "true_enables"))
        Disabled = S.Val.Int == 0;
      if (S.Val.K == Value::Kind::Int && Sem == "true_disables")
        Disabled = S.Val.Int != 0; // tlsAllowInvalidCertificates=true
      if (Disabled && !*Disabled && Sem == "true_disables")
        continue; // `...AllowInvalid...=false` asks for nothing beyond the default
      CallSite *C = siteFor(S.HandleKey);
      if (!Disabled) {
        if (C)
          note(*C, S.Loc, S.Option + " set from " +
                              (S.Val.DependsOn.empty() ? S.Val.Text : S.Val.DependsOn) +
                              ": verification decided at run time");
        continue;
      }
      if (!*Disabled) {
        if (C) {
          if (C->Security.TlsVerification == "unknown")
            C->Security.TlsVerification = "verified";
          note(*C, S.Loc, "verification requested: " + S.Option);
        }
        continue;
      }
      if (onlyLocal(S.HandleKey)) {
        for (CallSite *L : SitesOf[S.HandleKey])
          note(*L, S.Loc, "verification disabled for a local address (not flagged): " + S.Option);
        continue;
      }
      if (isTestFile(S.Loc.File))
        continue; // test code may talk to a self-signed test server

      if (C) {
        C->Security.TlsVerification = "disabled";
        note(*C, S.Loc, "verification disabled: " + S.Option + " = " + S.Val.Text);
      }
      std::string Msg = S.Option + " = " + S.Val.Text + " turns off certificate verification";
      if (!S.Val.Proven && !S.Val.DependsOn.empty())
        Msg += " by default (" + S.Val.DependsOn + ")";
      Msg += ": anyone on the network path can impersonate the server";
      add("integration-tls-verification-disabled", S.Loc, Msg, C, S.FunctionKey, S.Option,
          S.Val.Proven ? "" : "medium");
    }
  }

  void securityFacts() {
    for (const auto &F : M.Security) {
      CallSite *C = siteFor(F.HandleKey);
      if (F.Type == "insecure_constant") {
        if (C) {
          C->Security.TlsVerification = "disabled";
          note(*C, F.Loc, "verification disabled: " + F.Kind);
        }
        add("integration-tls-verification-disabled", F.Loc,
            "`" + F.Callee + "` receives `" + F.Kind + "`: " + F.Detail, C, F.FunctionKey,
            F.Callee + "|" + F.Kind);
      } else if (F.Type == "verify_callback" && F.Kind == "accepts_all") {
        if (C)
          C->Security.TlsVerification = "disabled";
        add("integration-tls-verification-disabled", F.Loc,
            "certificate-verify callback " + F.Detail + " registered with `" + F.Callee +
                "` accepts every certificate (it never looks at the verification result; "
                "defined at " +
                model::str(F.Related) + ")",
            C, F.FunctionKey, F.Callee + "|" + F.Detail);
      } else if (F.Type == "insecure_call") {
        std::string Host = F.Detail;
        if (!Host.empty() && !isLocalHost(Host))
          add("integration-plaintext-transport", F.Loc,
              "`" + F.Callee + "()` opens an unencrypted channel to " + Host +
                  ": credentials and payloads cross the network in clear text",
              C, F.FunctionKey, F.Callee + "|" + Host);
      } else if (F.Type == "secret_literal") {
        if (isTestFile(F.Loc.File) && expectedInTests(F.Kind))
          continue;
        add("integration-hardcoded-secret", F.Loc,
            "hard-coded " + F.Kind + " in a string literal" +
                (F.Callee.empty() ? "" : " passed to `" + F.Callee + "`") +
                ": anyone with the source or the binary has it; load it from a secret store "
                "or the environment",
            C, F.FunctionKey, F.Kind, F.Kind.find("test") != std::string::npos ? "medium" : "");
      } else if (F.Type == "auth_arg" && F.Detail == "literal") {
        if (isTestFile(F.Loc.File) && expectedInTests(F.Kind))
          continue;
        add("integration-hardcoded-secret", F.Loc,
            "hard-coded " + F.Kind + " passed to `" + F.Callee +
                "` as a string literal: load it from a secret store or the environment",
            C, F.FunctionKey, F.Kind);
      }
    }
    // Catalog credential options set from a literal (CURLOPT_USERPWD, ...) that the
    // security matchers did not already describe.
    // By line: the shape rules place a fact on the argument, the setter on the call.
    std::set<std::pair<std::string, unsigned>> Described;
    for (const auto &F : M.Security)
      if (F.Type == "auth_arg")
        Described.insert({F.Loc.File, F.Loc.Line});
    for (const auto &S : M.Settings)
      if (S.Concern == "credential" && S.Val.DependsOn == "literal" &&
          !Described.count({S.Loc.File, S.Loc.Line}) &&
          !isTestFile(S.Loc.File))
        add("integration-hardcoded-secret", S.Val.Origin.valid() ? S.Val.Origin : S.Loc,
            "hard-coded credential passed to " + S.Option +
                " as a string literal: load it from a secret store or the environment",
            siteFor(S.HandleKey), S.FunctionKey, "credential");
  }

  // ---------------------------------------------------------------- protocol hygiene
  static bool isStripe(const CallSite &C) {
    std::string H = parseEndpoint(C.Endpoint).Host;
    return C.Integration.find("stripe") != std::string::npos ||
           (H.size() >= 10 && H.compare(H.size() - 10, 10, "stripe.com") == 0);
  }

  /// Stripe-Version pinned anywhere in the analyzed code applies to every Stripe
  /// call (headers are usually built in one helper); none anywhere: one finding
  /// per Stripe integration, at its first call.
  void apiVersions() {
    const SecurityFact *Pin = nullptr;
    for (const auto &F : M.Security)
      if (F.Type == "api_version" && F.Kind == "Stripe-Version" && !Pin)
        Pin = &F;
    std::set<std::string> Reported;
    for (auto &C : Sites) {
      if (!isStripe(C))
        continue;
      if (Pin) {
        C.Security.ApiVersion = "pinned";
        note(C, Pin->Loc, "API version pinned: Stripe-Version header");
        continue;
      }
      C.Security.ApiVersion = "not_pinned";
      note(C, C.Loc, "no Stripe-Version header anywhere in the analyzed code");
      if (Reported.insert(C.Integration).second)
        add("integration-api-version-unpinned", C.Loc,
            "Stripe calls never send a Stripe-Version header: the account's default API version "
            "applies and changes with the dashboard setting",
            &C, C.FunctionKey, "Stripe-Version");
    }
  }

  /// A function reading a webhook signature header must compute a MAC itself or
  /// in a function it calls (three levels deep).
  void webhooks() {
    std::map<std::string, std::vector<std::string>> Callees;
    for (const auto &E : M.Calls)
      Callees[E.CallerKey].push_back(E.CalleeKey);
    std::map<std::string, const SecurityFact *> Macs;
    for (const auto &F : M.Security)
      if (F.Type == "mac")
        Macs.emplace(F.FunctionKey, &F);
    for (const auto &F : M.Security) {
      if (F.Type != "webhook_header" || F.FunctionKey.empty())
        continue;
      const SecurityFact *Mac = nullptr;
      std::set<std::string> Seen;
      std::vector<std::pair<std::string, int>> Work{{F.FunctionKey, 0}};
      while (!Work.empty() && !Mac) {
        auto [K, D] = Work.back();
        Work.pop_back();
        if (!Seen.insert(K).second)
          continue;
        if (auto It = Macs.find(K); It != Macs.end())
          Mac = It->second;
        if (D < 3)
          for (const auto &Next : Callees[K])
            Work.push_back({Next, D + 1});
      }
      if (Mac)
        continue;
      add("integration-webhook-signature-unverified", F.Loc,
          "`" + functionName(F.FunctionKey) + "` reads the " + F.Kind +
              " header but computes no HMAC over the payload (neither it nor the functions it "
              "calls): forged webhook events are accepted",
          nullptr, F.FunctionKey, F.Kind);
    }
  }

  // ---------------------------------------------------------------- credentials
  model::CredentialSource origin(const std::string &O, int Depth = 0) {
    model::CredentialSource S;
    if (O.rfind("env:", 0) == 0)
      return {"env", O.substr(4), "", {}};
    if (O == "literal")
      return {"literal", "", "", {}};
    if (O.rfind("file", 0) == 0)
      return {"file", O.size() > 5 ? O.substr(5) : "", "", {}};
    if (O.rfind("secret_manager", 0) == 0)
      return {"secret_manager", O.size() > 15 ? O.substr(15) : "", "", {}};
    if (O.rfind("field:", 0) == 0 || O.rfind("param:", 0) == 0) {
      if (Depth < 6)
        if (auto It = Origins.find(O); It != Origins.end())
          for (const SecurityFact *F : It->second) {
            model::CredentialSource Up = origin(F->Detail, Depth + 1);
            if (Up.Kind != "unknown" && Up.Kind != "parameter" && Up.Kind != "field")
              return Up;
          }
      if (O[0] == 'f')
        return {"field", O.substr(6), "", {}};
      auto Hash = O.rfind('#');
      return {"parameter", shortFn(O.substr(6)) + " argument " + O.substr(Hash + 1), "", {}};
    }
    return {"unknown", "", "", {}};
  }

  void assessCredentials(CallSite &C, const std::set<std::string> &Keys) {
    std::set<std::pair<Location, std::string>> Seen;
    std::set<std::pair<std::string, unsigned>> FactLines; // a setter on the same line says it again
    std::set<std::pair<std::string, unsigned>> NamedLines; // facts that name the kind of secret
    for (const auto &F : M.Security)
      if (F.Type == "auth_arg" && F.Kind != "credential" && Keys.count(F.HandleKey))
        NamedLines.insert({F.Loc.File, F.Loc.Line});
    for (const auto &F : M.Security)
      if (F.Type == "auth_arg" && Keys.count(F.HandleKey)) {
        if (F.Kind == "credential" && NamedLines.count({F.Loc.File, F.Loc.Line}))
          continue; // the catalog setter's generic fact; the shape rule named it
        model::CredentialSource S = origin(F.Detail);
        S.Via = F.Kind == "credential" ? F.Callee : F.Kind;
        S.Loc = F.Loc;
        FactLines.insert({F.Loc.File, F.Loc.Line});
        if (Seen.insert({F.Loc, S.Via}).second)
          C.Security.Credentials.push_back(S);
      }
    for (const auto &St : M.Settings)
      if (St.Concern == "credential" && Keys.count(St.HandleKey)) {
        if (Seen.count({St.Loc, St.Option}) || FactLines.count({St.Loc.File, St.Loc.Line}))
          continue;
        std::string D = St.Val.DependsOn;
        model::CredentialSource S = origin(D);
        if (S.Kind == "unknown" && D.rfind("parameter `", 0) == 0)
          S = {"parameter", D.substr(11, D.find('`', 11) - 11), "", {}};
        S.Via = St.Option;
        S.Loc = St.Loc;
        Seen.insert({St.Loc, St.Option});
        C.Security.Credentials.push_back(S);
      }
    std::sort(C.Security.Credentials.begin(), C.Security.Credentials.end(),
              [](const auto &A, const auto &B) { return A.Loc < B.Loc; });
  }

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
  std::set<std::tuple<std::string, std::string, unsigned, std::string>> Emitted;
  FindingBuilder Builder{Root};
};

} // namespace

void assessSecurity(const Merged &M, std::vector<model::CallSite> &Sites,
                    const catalog::Catalog &Cat, const std::string &SourceRoot,
                    std::vector<model::Finding> &Findings) {
  Assessor(M, Sites, Cat, SourceRoot).run(Findings); // merges and sorts all findings
  // A literal passed to an authentication parameter can be seen twice: by the
  // shape rules (which name the kind of secret) and by a catalog `credential`
  // setter. Keep one finding per place, the more specific one.
  std::map<std::tuple<std::string, unsigned, unsigned>, size_t> Seen;
  std::vector<model::Finding> Kept;
  for (size_t I = 0; I < Findings.size(); ++I) {
    auto &F = Findings[I];
    if (F.Rule != "integration-hardcoded-secret") {
      Kept.push_back(std::move(F));
      continue;
    }
    auto Key = std::make_tuple(F.Loc.File, F.Loc.Line, F.Loc.Column);
    auto It = Seen.find(Key);
    bool Generic = F.Message.rfind("hard-coded credential passed to", 0) == 0;
    if (It == Seen.end()) {
      Seen[Key] = Kept.size();
      Kept.push_back(std::move(F));
    } else if (!Generic && Kept[It->second].Message.rfind("hard-coded credential passed to", 0) == 0) {
      Kept[It->second] = std::move(F);
    }
  }
  Findings = std::move(Kept);
}

} // namespace im::analysis
