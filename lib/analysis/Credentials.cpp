// Credentials and protocol hygiene: hard-coded secrets, literal defaults of
// the project's env readers, where each call's credentials come from, webhook
// signatures and pinned API versions.
#include "analysis/SecurityAssessor.h"

#include "analysis/Endpoints.h"

#include "support/Endpoint.h"
#include "support/Secrets.h"
#include "support/Text.h"

#include <cctype>
#include <cstring>

namespace im::analysis::security {
using support::isLocalHost;
using support::parseEndpoint;
using support::ParsedEndpoint;
using support::placeholder;

void Assessor::securityFacts() {
  for (const auto &F : M.Security) {
    CallSite *C = siteFor(F.HandleKey);
    if (F.Type == "insecure_constant") {
      if (isTestFile(F.Loc.File) || onlyLocal(F.HandleKey))
        continue; // a test server or a local address
      for (CallSite *On : SitesOf[F.HandleKey]) { // every call on the handle
        On->Security.TlsVerification = "disabled";
        note(*On, F.Loc, "verification disabled: " + F.Kind);
      }
      add("integration-tls-verification-disabled", F.Loc,
          "`" + F.Callee + "` receives `" + F.Kind + "`: " + F.Detail, C, F.FunctionKey,
          F.Callee + "|" + F.Kind);
    } else if (F.Type == "no_tls_constant") {
      if (onlyLocal(F.HandleKey))
        continue;
      if (C) {
        C->Security.Transport = "plaintext";
        note(*C, F.Loc, "TLS turned off: " + F.Kind);
      }
      add("integration-plaintext-transport", F.Loc,
          "`" + F.Callee + "` receives `" + F.Kind + "`: " + F.Detail +
              ", credentials and queries cross the network in clear text",
          C, F.FunctionKey, F.Callee + "|" + F.Kind);
    } else if (F.Type == "verify_callback" && F.Kind == "accepts_all") {
      for (CallSite *On : SitesOf[F.HandleKey])
        On->Security.TlsVerification = "disabled";
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

void Assessor::collectEnvDefaults() {
  // Env readers as the endpoint folder infers them (a parameter reaching
  // getenv, at any depth), with the parameter they return when the variable
  // is unset.
  std::map<std::string, std::pair<unsigned, unsigned>> Helpers; // name and fallback parameters
  std::map<std::string, const model::Function *> Fns;
  for (const auto &F : M.Functions)
    Fns[F.Key] = &F;
  EndpointFolder Folder(M);
  for (const auto &[FnKey, NameParam] : Folder.envReaderParams()) {
    auto It = Fns.find(FnKey);
    if (It == Fns.end())
      continue;
    for (unsigned R : It->second->ReturnedParams)
      if (R != NameParam) {
        Helpers.emplace(FnKey, std::make_pair(NameParam, R));
        break;
      }
  }
  std::map<std::pair<std::string, Location>, std::pair<const Value *, const Value *>> Calls;
  for (const auto &A : M.ArgValues) {
    auto It = Helpers.find(A.CalleeKey);
    if (It == Helpers.end() || A.FromDefault || A.Val.K != Value::Kind::String)
      continue;
    auto &Slot = Calls[{A.CalleeKey, A.Loc}];
    if (A.Index == It->second.first)
      Slot.first = &A.Val;
    else if (A.Index == It->second.second)
      Slot.second = &A.Val;
  }
  for (const auto &[Key, NV] : Calls)
    if (NV.first && NV.second && !NV.second->Str.empty() && !NV.first->Str.empty())
      EnvDefaults.push_back({Key.first, Key.second, NV.first->Str, NV.second});
}

const Assessor::EnvDefault *Assessor::envDefaultOf(const std::string &Var,
                                                   const std::string &Folded) const {
  for (const auto &D : EnvDefaults)
    if (D.Var == Var && Folded.find(D.Default->Str) != std::string::npos)
      return &D;
  return nullptr;
}

void Assessor::envDefaults() {
  for (const auto &D : EnvDefaults) {
    const std::string &CallKey = D.CallKey;
    const std::string &Var = D.Var;
    const Value &Default = *D.Default;
    Location At = writtenAt(Default, 0, D.CallLoc);
    if (support::credentialName(Var) && !placeholder(Default.Str)) {
      if (isTestFile(At.File))
        continue;
      add("integration-hardcoded-secret", At,
          "hard-coded default for " + Var + " passed to `" + shortFn(CallKey) +
              "`: when the variable is unset the code uses a credential written in the "
              "source; anyone with the source or the binary has it (default to empty and fail "
              "instead)",
          nullptr, CallKey, "env-default|" + Var);
      continue;
    }
    // Only schemes whose URL alone rules TLS out: smtp://, ftp://, ldap:// can
    // still be upgraded by a STARTTLS option on the handle that uses them.
    ParsedEndpoint P = parseEndpoint(Default.Str);
    if (!support::urlRulesOutTls(P.Scheme) || P.Host.empty() || isLocalHost(P.Host))
      continue;
    add("integration-plaintext-transport", At,
        "default of " + Var + " is " + P.Scheme + "://" + P.Host +
            ": unless the environment overrides it, traffic to " + P.Host +
            " crosses the network unencrypted",
        nullptr, CallKey, P.Scheme + "|" + P.Host, "medium");
  }
}

bool Assessor::isStripe(const CallSite &C) {
  std::string H = parseEndpoint(C.Endpoint).Host;
  return C.Integration.find("stripe") != std::string::npos ||
         (H.size() >= 10 && H.compare(H.size() - 10, 10, "stripe.com") == 0);
}

void Assessor::apiVersions() {
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

void Assessor::webhooks() {
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

model::CredentialSource Assessor::origin(const std::string &O, int Depth) {
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

void Assessor::assessCredentials(CallSite &C, const std::set<std::string> &Keys) {
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

} // namespace im::analysis::security
