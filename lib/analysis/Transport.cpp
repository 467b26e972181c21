// Transport security: where each call's endpoint is written, whether its
// scheme, the library's defaults and its TLS settings give it TLS, and whether
// the certificate is verified. Library knowledge comes from the catalog's
// `transport` object and its options' `tls_values`.
#include "analysis/SecurityAssessor.h"

#include "support/Endpoint.h"
#include "support/Text.h"

namespace im::analysis::security {
using support::isLocalHost;
using support::isPlaintextScheme;
using support::lower;
using support::parseConninfo;
using support::ParsedEndpoint;
using support::parseEndpoint;

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

/// The entry that holds a library's connection-string TLS knowledge: its own,
/// or that of a library it is built on (libpqxx -> libpq); null when none does.
const catalog::Library *transportOf(const catalog::Catalog &Cat, const std::string &Library) {
  const catalog::Library *Lib = Cat.library(Library);
  if (!Lib)
    return nullptr;
  if (!Lib->Transport.TlsParameter.Key.empty())
    return Lib;
  for (const auto &B : Lib->BuiltOn)
    if (const catalog::Library *Base = Cat.library(B);
        Base && !Base->Transport.TlsParameter.Key.empty())
      return Base;
  return nullptr;
}

/// " (require TLS: CURLUSESSL_ALL)" from the catalog's transport.require_tls, or "".
std::string requireTls(const catalog::Catalog &Cat, const std::string &Library) {
  const catalog::Library *Lib = Cat.library(Library);
  return Lib && !Lib->Transport.RequireTls.empty()
             ? " (require TLS: " + Lib->Transport.RequireTls + ")"
             : "";
}

bool libraryUsesConninfo(const catalog::Catalog &Cat, const std::string &Library) {
  if (const catalog::Library *Lib = Cat.library(Library))
    for (const auto &St : Lib->Setters)
      for (const auto &O : St.Options)
        if (O.Semantics == "conninfo")
          return true;
  return false;
}

} // namespace

Assessor::TlsChoice Assessor::tlsChoice(const Setting &S) const {
  TlsChoice T;
  std::string Spelled = S.Val.K == Value::Kind::Int      ? std::to_string(S.Val.Int)
                        : S.Val.K == Value::Kind::String ? S.Val.Str
                                                         : "";
  const catalog::Option *O = optionOf(Cat, S);
  if (O && O->Semantics == "tls_always") {
    T.On = true; // the setting builds a TLS client (HTTPSClientSession, SSLClient)
    return T;
  }
  if (O && !O->TlsValues.empty()) {
    std::string W = Spelled.empty() ? "" : O->tlsValue(Spelled);
    if (W == "try")
      T.Opportunistic = true;
    else if (!W.empty())
      T.On = W == "on";
    return T;
  }
  T.On = !(S.Val.K == Value::Kind::Int && S.Val.Int == 0); // a CA file, a flag, a parameter
  return T;
}

void Assessor::assessEndpoint(CallSite &C, const std::set<std::string> &Keys) {
  std::vector<Endpoint> Cands;
  bool LibConninfo = libraryUsesConninfo(Cat, C.Library);
  const Setting *TlsOn = nullptr, *TlsOff = nullptr, *TlsTry = nullptr;
  bool TlsSure = false; // the handle is a TLS client whatever its settings' values (tls_always)
  for (const auto &S : M.Settings) {
    if (!Keys.count(S.HandleKey))
      continue;
    if (S.Concern == "endpoint" && S.Val.K == Value::Kind::String) {
      const catalog::Option *O = optionOf(Cat, S);
      Cands.push_back({S.Val.Str, writtenAt(S.Val, 0, S.Loc), &S.Val,
                       O && O->Semantics == "conninfo", S.Val.Proven});
    }
    if (S.Concern == "tls") {
      TlsChoice T = tlsChoice(S);
      if (T.Opportunistic)
        TlsTry = &S;
      else if (T.On) {
        (*T.On ? TlsOn : TlsOff) = &S;
        const catalog::Option *O = optionOf(Cat, S);
        TlsSure |= O && O->Semantics == "tls_always";
      }
      else if (S.Val.K != Value::Kind::String)
        TlsOn = TlsOn ? TlsOn : &S; // a TLS setting of unknown value: TLS may be on
      note(C, S.Loc, std::string(T.Opportunistic ? "TLS only if the server offers it: "
                                 : T.On && !*T.On ? "TLS not requested: "
                                                  : "TLS requested: ") +
                         S.Option);
    }
  }
  if (Cands.empty() && C.EndpointSource == "literal" && !C.Endpoint.empty()) {
    // Folded from a field's literal initializer: the fix goes there.
    Location At = fieldLiteralOf(C.Endpoint);
    if (!At.valid())
      At = constructionLiteralOf(C);
    Cands.push_back({C.Endpoint, At.valid() ? At : C.Loc, nullptr, LibConninfo, true});
  }
  // An endpoint folded from an env reader's literal default (a member or a
  // config field set from `env_or("X", "redis-host")`): judged as that default,
  // at the literal, unless the environment overrides it.
  if (Cands.empty() && C.EndpointSource.rfind("env:", 0) == 0 && !C.Endpoint.empty() &&
      C.Endpoint.find('{') == std::string::npos)
    if (const EnvDefault *D = envDefaultOf(C.EndpointSource.substr(4), C.Endpoint))
      Cands.push_back({C.Endpoint, writtenAt(*D->Default, 0, D->CallLoc), nullptr, LibConninfo,
                       false, "the default of " + D->Var + " unless the environment sets it"});
  if (Cands.empty()) {
    if (TlsOff && !TlsOn)
      plaintextByConfiguration(C, *TlsOff);
    // TLS set up on the connection itself (an ssl_stream over the socket,
    // STARTTLS required): encrypted whichever address the run gives it.
    if (TlsSure && !TlsOff && !TlsTry) {
      C.Security.Transport = "tls";
      note(C, TlsOn->Loc, "encrypted transport: TLS set up on the connection (" + TlsOn->Option +
                              "); the address is decided at run time");
    }
    if (C.EndpointSource != "literal" && C.EndpointSource != "unknown" &&
        !C.EndpointSource.empty())
      note(C, C.Loc, "endpoint from " + C.EndpointSource + ": transport decided at run time");
    return;
  }
  bool AnyLocal = false, AnyRemote = false;
  for (const auto &E : Cands) {
    if (E.Conninfo) {
      assessConninfo(C, E);
      (C.Security.Transport == "local" ? AnyLocal : AnyRemote) = true;
      continue;
    }
    ParsedEndpoint P = parseEndpoint(E.Text);
    (isLocalHost(P.Host) ? AnyLocal : AnyRemote) = true;
    std::string Scheme = P.Scheme;
    if (Scheme.empty())
      Scheme = defaultScheme(Cat, C.Library, P.Host);
    auto Plain = isPlaintextScheme(Scheme);
    if (!Plain && (TlsOn || TlsOff)) // a bare broker list: the TLS setting decides
      Plain = TlsOff && !TlsOn;
    std::string Shown = (Scheme.empty() ? "" : Scheme + "://") + P.Host +
                        (P.Port.empty() ? "" : ":" + P.Port);
    if (!Plain) {
      note(C, E.Loc, "endpoint " + Shown + ": transport not recognised");
      continue;
    }
    // STARTTLS or TLS set up on the handle (an ssl_stream over the socket): the
    // address's plaintext scheme, often only the library's default, is not
    // what travels, so it is not shown.
    bool OnTheHandle = *Plain && TlsOn && !TlsOff;
    if (OnTheHandle)
      Plain = false;
    if (!*Plain) {
      C.Security.Transport = "tls";
      note(C, E.Loc, "encrypted transport: " +
                         (OnTheHandle ? P.Host + (P.Port.empty() ? "" : ":" + P.Port) + " (TLS set up on the connection)"
                                      : Shown));
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
    if (TlsTry && !TlsOff) {
      C.Security.Transport = "tls_optional";
      note(C, TlsTry->Loc, "STARTTLS only if offered: " + Shown);
      add("integration-tls-downgrade-possible", TlsTry->Loc,
          TlsTry->Option + " asks for TLS only if " + P.Host +
              " offers it: an attacker who strips the STARTTLS offer gets " + Scheme +
              " in clear text" + requireTls(Cat, C.Library),
          &C, C.FunctionKey, TlsTry->Option + "|" + P.Host);
      continue;
    }
    C.Security.Transport = "plaintext";
    note(C, E.Loc, "plaintext transport: " + Shown);
    // The fix goes where TLS is turned off, when it is; else at the endpoint.
    Location At = TlsOff ? writtenAt(TlsOff->Val, 0, TlsOff->Loc) : E.Loc;
    std::string Why = !P.Scheme.empty() ? ""
                      : Scheme.empty() ? " (" + TlsOff->Option + " = " + TlsOff->Val.Str + ")"
                                       : " (no scheme: " + C.Library + " uses " + Scheme + ")";
    if (Scheme.empty())
      Scheme = C.Library;
    add("integration-plaintext-transport", At,
        "`" + C.Operation + "` talks to " + P.Host + " over unencrypted " + Scheme + Why +
            (E.From.empty() ? "" : " (" + E.From + ")") +
            ": credentials and payloads cross the network in clear text" +
            (TlsOff ? " (TLS explicitly not requested at " + model::str(TlsOff->Loc) + ")"
                    : ""),
        &C, C.FunctionKey, Scheme + "|" + P.Host, E.Proven ? "" : "medium");
  }
  markLocal(C, AnyLocal, AnyRemote);
}

Location Assessor::constructionLiteralOf(const CallSite &Site) const {
  for (const auto &E : M.Constructions) {
    if (E.CalleeKey != Site.FunctionKey)
      continue;
    for (const auto &A : E.StrArgs)
      if (A.size() == 1 && A[0].Kind == "lit" && !A[0].Text.empty() &&
          Site.Endpoint.compare(0, A[0].Text.size(), A[0].Text) == 0)
        return E.Loc;
  }
  return {};
}

Location Assessor::fieldLiteralOf(const std::string &Folded) const {
  Location Best;
  size_t Longest = 0;
  for (const auto &I : M.FieldInits) {
    if (I.Expr.size() != 1 || I.Expr[0].Kind != "lit")
      continue;
    const std::string &T = I.Expr[0].Text;
    // A host alone ("cache") could start any endpoint; a scheme or a dotted
    // name says which one it is.
    if (T.size() > Longest && T.size() >= 6 && Folded.compare(0, T.size(), T) == 0 &&
        (T.find("://") != std::string::npos || T.find('.') != std::string::npos)) {
      Best = I.Loc;
      Longest = T.size();
    }
  }
  return Best;
}

void Assessor::plaintextByConfiguration(CallSite &C, const Setting &Off) {
  C.Security.Transport = "plaintext";
  note(C, Off.Loc, "TLS not requested: " + Off.Option);
  add("integration-plaintext-transport", writtenAt(Off.Val, 0, Off.Loc),
      Off.Option + " = " + (Off.Val.Str.empty() ? Off.Val.Text : Off.Val.Str) +
          " selects a transport without TLS for `" + C.Operation +
          "`: credentials and payloads cross the network in clear text unless every "
          "server is local",
      &C, C.FunctionKey, Off.Option, "medium");
}

void Assessor::assessConninfo(CallSite &C, const Endpoint &E) {
  const catalog::Library *Lib = transportOf(Cat, C.Library);
  auto KV = parseConninfo(E.Text);
  std::string Host = KV.count("host") ? KV["host"] : (KV.count("hostaddr") ? KV["hostaddr"] : "");
  std::vector<std::string> Hosts;
  for (size_t B = 0; B <= Host.size();) {
    size_t End = Host.find(',', B);
    if (End == std::string::npos)
      End = Host.size();
    Hosts.push_back(Host.substr(B, End - B));
    B = End + 1;
  }
  std::string Remote;
  for (const auto &H : Hosts)
    if (!H.empty() && !isLocalHost(H))
      Remote = H;
  const std::string Service = Lib && !Lib->Role.empty() ? Lib->Role : C.Library;
  const Location &L = E.Loc;
  if (Remote.empty()) {
    C.Security.Transport = "local";
    C.Security.TlsVerification = "not_applicable";
    note(C, L, Host.empty() ? Service + " over the default unix socket (local, not flagged)"
                            : Service + " on a local address (not flagged): " + Host);
    return;
  }
  if (!Lib) {
    note(C, L, "connection string to " + Remote + ": transport not recognised");
    return;
  }
  const auto &Param = Lib->Transport.TlsParameter;
  std::string Key = Param.Key;
  std::string Mode = KV.count(Key) ? lower(KV[Key]) : "";
  std::string Selects = Param.select(Mode.empty() ? Param.Absent : Mode);
  std::string Shown = Key + "=" + (Mode.empty() ? Param.Absent + " (the default)" : Mode);
  if (Selects == "verified") {
    C.Security.Transport = "tls";
    C.Security.TlsVerification = "verified";
    note(C, L, Shown + ": the server certificate is verified");
    return;
  }
  if (Selects == "on") {
    C.Security.Transport = "tls";
    note(C, L, Shown + ": encrypted; the certificate is verified only when a root "
                       "certificate file is installed");
    return;
  }
  // The fix goes where the key is written, or where the connection string is.
  size_t Off = Mode.empty() ? std::string::npos : support::conninfoKeyOffset(E.Text, Key);
  Location At = E.Val && Off != std::string::npos ? writtenAt(*E.Val, Off, L) : L;
  std::string Require =
      Lib->Transport.RequireTls.empty() ? "" : " (require TLS: " + Lib->Transport.RequireTls + ")";
  if (Selects == "off") {
    C.Security.Transport = "plaintext";
    C.Security.TlsVerification = "not_applicable";
    std::string What = Shown + ": no TLS at all, queries and credentials travel in clear text";
    note(C, At, What);
    add("integration-plaintext-transport", At,
        Service + " connection to " + Remote + ": " + What + Require, &C, C.FunctionKey,
        Shown + "|" + Remote);
    return;
  }
  if (Selects != "try") {
    note(C, At, Shown + ": transport not recognised");
    return;
  }
  C.Security.Transport = "tls_optional";
  C.Security.TlsVerification = "disabled";
  std::string Unless = Param.AbsentEnv.empty() ? "" : " (unless " + Param.AbsentEnv + " is set)";
  std::string What =
      Mode.empty() ? "no " + Key + ": " + Lib->Name + "'s default `" + Param.Absent +
                         "` checks no certificate and falls back to plaintext when the server "
                         "offers no TLS" + Unless
                   : Key + "=" + Mode + ": checks no certificate and falls back to plaintext "
                                        "when the server offers no TLS";
  note(C, At, What);
  add("integration-tls-downgrade-possible", At,
      Service + " connection to " + Remote + ": " + What + Require, &C, C.FunctionKey,
      Key + "=" + (Mode.empty() ? std::string("(default)") : Mode));
}

void Assessor::tlsSettings() {
  for (const auto &S : M.Settings) {
    if (S.Concern != "tls_verify")
      continue;
    const catalog::Option *O = optionOf(Cat, S);
    std::string Sem = O && !O->Semantics.empty() ? O->Semantics : "zero_disables";
    std::optional<bool> Disabled;
    std::optional<bool> Flag = flagOf(S.Val);
    if (Flag && (Sem == "zero_disables" || Sem == "true_enables"))
      Disabled = !*Flag;
    if (Flag && Sem == "true_disables")
      Disabled = *Flag; // tlsAllowInvalidCertificates=true
    if (Disabled && !*Disabled && Sem == "true_disables")
      continue; // `...AllowInvalid...=false` asks for nothing beyond the default
    // Named values (librdkafka `ssl.endpoint.identification.algorithm`: none
    // is off, https on): the catalog's tls_values decide.
    if (O && !O->TlsValues.empty() && S.Val.K == Value::Kind::String) {
      std::string W = O->tlsValue(S.Val.Str);
      Disabled = W == "off" ? std::optional<bool>(true)
                 : W == "on" ? std::optional<bool>(false)
                             : std::nullopt;
    }
    CallSite *C = siteFor(S.HandleKey);
    if (!Disabled) {
      if (C)
        note(*C, S.Loc, S.Option + " set from " +
                            (S.Val.DependsOn.empty() ? S.Val.Text : S.Val.DependsOn) +
                            ": verification decided at run time");
      continue;
    }
    if (!*Disabled) {
      for (CallSite *On : SitesOf[S.HandleKey]) { // every call on the handle
        if (On->Security.TlsVerification == "unknown")
          On->Security.TlsVerification = "verified";
        note(*On, S.Loc, "verification requested: " + S.Option);
      }
      continue;
    }
    if (onlyLocal(S.HandleKey)) {
      for (CallSite *L : SitesOf[S.HandleKey])
        note(*L, S.Loc, "verification disabled for a local address (not flagged): " + S.Option);
      continue;
    }
    if (isTestFile(S.Loc.File)) {
      for (CallSite *L : SitesOf[S.HandleKey])
        note(*L, S.Loc, "verification disabled in test code (not flagged): " + S.Option);
      continue;
    }
    if (onlyPlaintext(S.HandleKey)) {
      // No TLS at all: the plaintext finding says what to fix.
      for (CallSite *L : SitesOf[S.HandleKey]) {
        L->Security.TlsVerification = "not_applicable";
        note(*L, S.Loc, S.Option + " = " + S.Val.Text + " on a connection without TLS");
      }
      continue;
    }
    for (CallSite *On : SitesOf[S.HandleKey]) {
      On->Security.TlsVerification = "disabled";
      note(*On, S.Loc, "verification disabled: " + S.Option + " = " + S.Val.Text);
    }
    std::string Msg = S.Option + " = " + S.Val.Text + " turns off certificate verification";
    if (!S.Val.Proven && !S.Val.DependsOn.empty())
      Msg += " by default (" + S.Val.DependsOn + ")";
    Msg += ": anyone on the network path can impersonate the server";
    add("integration-tls-verification-disabled", verifyLocation(S), Msg, C, S.FunctionKey,
        S.Option, S.Val.Proven ? "" : "medium");
  }
}

} // namespace im::analysis::security
