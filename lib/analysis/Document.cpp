// Document assembly: from the resolved report, the call graph and the config
// to the integration risk document, one function per part of the document.
#include "analysis/CallGraph.h"
#include "analysis/DocumentParts.h"
#include "analysis/Integrations.h"
#include "analysis/Resolve.h"
#include "analysis/Rules.h"
#include "analysis/TestCode.h"
#include "support/Names.h"

#include <algorithm>
#include <cmath>
#include <map>
#include <set>
#include <sstream>

namespace im::analysis {
using model::CallSite;
using model::CodeRef;
using support::lastName;
using support::scopeOf;

namespace {
std::string typeOf(const model::Integration &I, std::string &Glossary, std::string &Layer) {
  static const std::map<std::string, std::pair<const char *, const char *>> ByCategory = {
      {"payment", {"External API (Payment Processing)", "external-api"}},
      {"email", {"External API (Transactional Email)", "external-api"}},
      {"sms", {"External API (SMS)", "external-api"}},
      {"storage", {"Cloud Storage", "external-api"}},
      {"vcs", {"External API (Source Control)", "external-api"}},
      {"chat", {"External API (Chat)", "external-api"}},
      {"cloud", {"Cloud API", "external-api"}},
      {"db", {"Database (Persistent Storage)", "database"}},
      {"cache", {"In-Memory Cache", "cache"}},
      {"queue", {"Message Queue", "queue"}},
      {"rpc", {"RPC Service", "internal-api"}},
      {"tcp", {"Network Service (hand-written protocol)", "internal-api"}},
      {"http", {"HTTP API", "http-api"}}};
  auto It = ByCategory.find(I.Category);
  if (It == ByCategory.end())
    It = ByCategory.find(I.Kind);
  Layer = I.Kind == "db" || I.Kind == "cache" || I.Kind == "queue" ? "data" : "external";
  if (It == ByCategory.end()) {
    Glossary = I.Kind;
    return I.Kind;
  }
  Glossary = It->second.second;
  return It->second.first;
}

std::string immediateImpact(const model::Integration &I) {
  if (I.Category == "payment")
    return "Cannot process payments";
  if (I.Category == "email")
    return "Emails not sent";
  if (I.Category == "sms")
    return "Text messages not sent";
  if (I.Kind == "db")
    return "Reads and writes of " + I.Name + " fail";
  if (I.Kind == "cache")
    return "Cache reads and writes fail";
  if (I.Kind == "queue")
    return "Messages cannot be published or consumed";
  return "Calls to " + I.Name + " fail";
}

} // namespace

std::string join(const std::vector<std::string> &V, const std::string &Sep) {
  std::string O;
  for (size_t I = 0; I < V.size(); ++I)
    O += (I ? Sep : "") + V[I];
  return O;
}

std::string shortFunctionName(const std::string &Fn) {
  std::string S = scopeOf(Fn);
  return S.empty() ? Fn : lastName(S) + "::" + lastName(Fn);
}

namespace {

/// The integrations that have call sites, with them. Integrations named only by
/// env files or manifests have no code to judge: the inventory lists them.
std::vector<SiteView> viewsOf(const model::Report &R) {
  std::map<std::string, const CallSite *> SiteById;
  for (const auto &C : R.CallSites)
    SiteById[C.Id] = &C;
  std::vector<SiteView> Views;
  for (const auto &I : R.Integrations) {
    SiteView V{&I, {}};
    for (const auto &Id : I.CallSites)
      if (auto It = SiteById.find(Id); It != SiteById.end())
        V.Sites.push_back(It->second);
    if (!V.Sites.empty())
      Views.push_back(std::move(V));
  }
  return Views;
}

/// Entry points by name, with why each is one, and the function keys behind each name.
struct EntryPoints {
  std::map<std::string, std::string> Why;
  std::map<std::string, std::set<std::string>> Keys;
};

/// Config names, and functions nothing in the analyzed code calls (main,
/// workers, API methods) that reach an integration.
EntryPoints findEntryPoints(const model::Report &R, const config::Config &Cfg, const CallGraph &G,
                            model::RiskDocument &D) {
  std::set<std::string> WrapperKeys;
  for (const auto &C : R.CallSites)
    WrapperKeys.insert(C.FunctionKey);
  // Constructors, destructors, operators, conversions and lambda bodies run
  // because other code runs; test bodies are not the system's entry points, and
  // neither is what reaches an integration only through test code (a test
  // framework's registration function calling a test case).
  std::set<std::string> NeverEntries, TestCode;
  for (const auto &F : R.Functions) {
    if (!F.TestCode.empty())
      TestCode.insert(F.Key);
    if (F.Special || !F.TestCode.empty() || !testFunctionReason(F.Name).empty())
      NeverEntries.insert(F.Key);
  }
  std::set<std::string> Reaching = G.ancestors(WrapperKeys, TestCode);
  // A function only tests call (a library's public API its tests exercise) is
  // where the system is entered, as one nobody calls.
  auto calledOutside = [&](const std::string &K) {
    auto It = G.Callers.find(K);
    if (It == G.Callers.end())
      return false;
    return std::any_of(It->second.begin(), It->second.end(),
                       [&](const std::string &C) { return !TestCode.count(C); });
  };
  EntryPoints Out;
  auto &Entries = Out.Why;
  for (const auto &K : Reaching) {
    std::string N = G.name(K);
    bool Named = false;
    for (const auto &E : Cfg.EntryPoints)
      Named |= matchesEntry(N, E);
    if (Named)
      Entries[N] = "named in the config";
    else if (!calledOutside(K) && !NeverEntries.count(K) && !isStructor(N) &&
             N.rfind("lambda@", 0) != 0)
      Entries[N] = N == "main"            ? "program entry"
                   : G.Callers.count(K) ? "called only from test code"
                                        : "no caller in the analyzed code";
  }
  for (const auto &E : Cfg.EntryPoints) {
    bool Found = false;
    for (const auto &[N, Why] : Entries)
      Found |= matchesEntry(N, E);
    if (!Found)
      D.Limitations.push_back("entry point `" + E + "` from the config reaches no integration (or is not in the analyzed code)");
  }
  for (const auto &K : Reaching)
    if (Entries.count(G.name(K)))
      Out.Keys[G.name(K)].insert(K);
  for (const auto &[N, Why] : Entries) {
    D.EntryPoints.push_back(N);
    D.EntryPointWhy.push_back(Why);
  }
  for (const auto &O : Cfg.Integrations) {
    bool Found = false;
    for (const auto &I : R.Integrations)
      Found |= O.Match == I.Id || O.Match == I.Name || (O.Name && *O.Name == I.Name);
    if (!Found)
      D.Limitations.push_back("config integration `" + O.Match + "` matches no integration found in the code");
  }
  return Out;
}

/// The facts one integration's judgement needs beyond its call sites.
struct Context {
  const model::Report &R;
  const config::Config &Cfg;
  const CallGraph &G;
  const EntryPoints &Entries;
  std::map<std::string, int> PerCategory; // integrations per category (alternatives)
  // Findings and env variables by integration id: each integration's section
  // reads its own, not every one of the report.
  std::map<std::string, std::vector<const model::Finding *>> FindingsOf;
  std::map<std::string, std::vector<const model::EnvVariable *>> VariablesOf;
};

/// Timeout and retry rules: the matrix shows them; the other rules are listed
/// as security findings.
bool isResilienceRule(const std::string &Id) {
  const RuleInfo *Rule = rule(Id);
  return Rule && Rule->Cat == Category::Resilience;
}

/// Who uses it: wrappers, their callers, and the entry points that reach them.
std::set<std::string> placeOnPaths(model::IntegrationRisk &X, const SiteView &V, const Context &Ctx) {
  const CallGraph &G = Ctx.G;
  const auto &Entries = Ctx.Entries.Why;
  std::set<std::string> Wrappers, WrapperKeysOf, Callers;
  for (const auto *C : V.Sites) {
    Wrappers.insert(C->Function);
    WrapperKeysOf.insert(C->FunctionKey);
  }
  for (const auto &K : WrapperKeysOf)
    for (const auto &U : G.users(K))
      if (auto It = G.Callers.find(U); It != G.Callers.end())
        for (const auto &C : It->second)
          if (!WrapperKeysOf.count(C))
            Callers.insert(G.name(C));
  X.Wrappers.assign(Wrappers.begin(), Wrappers.end());
  X.Callers.assign(Callers.begin(), Callers.end());
  std::set<std::string> Anc = G.ancestors(WrapperKeysOf);
  std::set<std::string> UsedBy;
  for (const auto &K : Anc)
    if (Entries.count(G.name(K)))
      UsedBy.insert(G.name(K));
  X.UsedBy.assign(UsedBy.begin(), UsedBy.end());
  X.RequestPath = !UsedBy.empty();
  return UsedBy;
}

/// How the code is organised around the client: a wrapper class or direct calls.
void describePattern(model::IntegrationRisk &X, const SiteView &V, const CallGraph &G) {
  const auto &I = *V.I;
  std::set<std::string> Scopes, HandleKinds;
  for (const auto *C : V.Sites) {
    Scopes.insert(scopeOf(C->Function));
    HandleKinds.insert(C->HandleKey.substr(0, C->HandleKey.find(':')));
  }
  std::string Lib = I.Library;
  // A class (not a namespace) when it has a known constructor or a member handle.
  bool IsClass = false;
  if (Scopes.size() == 1 && !Scopes.begin()->empty()) {
    const std::string &Sc = *Scopes.begin();
    IsClass = G.StructorsByScope.count(Sc) > 0;
    for (const auto *C : V.Sites)
      IsClass |= C->HandleKey.rfind("field:" + Sc + "::", 0) == 0;
  }
  if (IsClass)
    X.Pattern = "Wrapper class `" + *Scopes.begin() + "` over " + Lib;
  else
    X.Pattern = "Direct " + Lib + " calls from " + plural(X.Wrappers.size(), "function", "functions");
  if (HandleKinds.count("field"))
    X.Pattern += "; long-lived client object held in a member";
  else if (HandleKinds.count("var"))
    X.Pattern += "; a new handle per operation";
}

/// The five protections judged across the call sites, and the resilience score.
void judgeResilience(model::IntegrationRisk &X, const SiteView &V) {
  std::vector<PatternVerdict> Pv = {judgeTimeout(V.Sites), judgeRetry(V.Sites),
                                    judgeCircuitBreaker(V.Sites), judgeFallback(V.Sites),
                                    judgeHealthCheck(V.Sites)};
  double Points = 0;
  for (const auto &P : Pv)
    Points += P.Points;
  X.Resilience = std::clamp(static_cast<int>(std::lround(Points)), 1, 10);
  X.Timeout = Pv[0].Cell;
  X.Retry = Pv[1].Cell;
  X.CircuitBreaker = Pv[2].Cell;
  X.Fallback = Pv[3].Cell;
  X.HealthCheck = Pv[4].Cell;
  for (const auto &P : Pv)
    X.ResilienceEvidence.push_back(P.J);
}

/// The rubric's criticality, or the config's.
void rateCriticality(model::IntegrationRisk &X, const model::Integration &I,
                     const std::set<std::string> &UsedBy, bool AllFallback,
                     const config::IntegrationOverride *O) {
  int Crit = baseCriticality(I.Kind, I.Category);
  X.CriticalityReasons.push_back("base " + std::to_string(Crit) + " for " +
                                 (I.Category != I.Kind ? I.Category + " " : std::string()) + I.Kind);
  if (UsedBy.size() >= 2) {
    ++Crit;
    X.CriticalityReasons.push_back("+1: " + std::to_string(UsedBy.size()) + " entry points depend on it");
  }
  if (UsedBy.empty()) {
    Crit -= 2;
    X.CriticalityReasons.push_back("-2: no entry point reaches it (off the request path)");
  }
  if (AllFallback) {
    --Crit;
    X.CriticalityReasons.push_back("-1: every call has a fallback (failure degrades, does not block)");
  }
  Crit = std::clamp(Crit, 1, 10);
  X.CriticalitySource = "rubric";
  if (O && O->Criticality) {
    X.CriticalityReasons.push_back("config: criticality " + std::to_string(*O->Criticality) +
                                   " (rubric said " + std::to_string(Crit) + ")");
    Crit = *O->Criticality;
    X.CriticalitySource = "config";
  }
  X.Criticality = Crit;
  X.Level = criticalityLevel(Crit);
}

/// Security posture visible from the endpoint, plus any security finding.
ParsedEndpoint securityPosture(model::IntegrationRisk &X, const SiteView &V, const Context &Ctx) {
  const auto &I = *V.I;
  ParsedEndpoint P = parseEndpoint(I.Endpoint);
  // The transport verdict is the security assessor's, made per call from the
  // catalog's transport data; the document sums it up over the integration,
  // the least safe verdict first.
  const CallSite *ByVerdict[5] = {};
  const char *Order[5] = {"plaintext", "tls_optional", "unknown", "tls", "local"};
  for (const auto *C : V.Sites)
    for (size_t K = 0; K < 5; ++K)
      if (C->Security.Transport == Order[K] && !ByVerdict[K])
        ByVerdict[K] = C;
  std::string Scheme = P.Scheme.empty() ? "" : " (" + P.Scheme + "://)";
  if (const auto *C = ByVerdict[0])
    X.Security.push_back({"bad", "transport", "Plaintext transport",
                          "`" + C->Operation + "` talks without TLS" + Scheme, 0, {refOf(*C)}});
  else if (const auto *C = ByVerdict[1])
    X.Security.push_back({"warn", "transport", "TLS only if the server offers it",
                          "falls back to plaintext when the server offers no TLS", 0, {refOf(*C)}});
  else if (ByVerdict[2] || V.Sites.empty())
    X.Security.push_back({"warn", "transport", "Transport not known statically",
                          I.Endpoint.empty() ? "the endpoint is built at run time"
                                             : "no TLS setting or scheme decides it",
                          0, {}});
  else if (const auto *C = ByVerdict[3])
    X.Security.push_back({"ok", "transport", "Encrypted transport", "TLS" + Scheme, 0, {refOf(*C)}});
  else if (const auto *C = ByVerdict[4])
    X.Security.push_back({"ok", "transport", "Local endpoint",
                          "loopback or unix socket: no network to protect", 0, {refOf(*C)}});
  for (const auto *C : V.Sites)
    if (!C->FailMode.empty()) {
      model::Judgement J{C->FailMode == "open" ? "bad" : "ok", "fail_mode",
                         C->FailMode == "open" ? "Fails open" : "Fails closed",
                         C->FailMode == "open" ? "with " + I.Name + " down, the guard allows requests"
                                               : "with " + I.Name + " down, the guard denies requests",
                         0, {}};
      for (const auto &E : C->FailModeEvidence)
        J.Refs.push_back({E.File, E.Line, E.Note});
      X.Security.push_back(std::move(J));
    }
  // Env files (inventory): where credentials and endpoints are declared.
  static const std::vector<const model::EnvVariable *> NoVariables;
  auto Vars = Ctx.VariablesOf.find(I.Id);
  for (const model::EnvVariable *Var : Vars == Ctx.VariablesOf.end() ? NoVariables : Vars->second) {
    const auto &Ev = *Var;
    CodeRef At{Ev.Loc.File, Ev.Loc.Line, "env " + Ev.Name};
    if (Ev.Class == "credential")
      X.Security.push_back({Ev.ReadByCode ? "ok" : "warn", "credentials",
                            "Credential from the environment",
                            Ev.Name + (Ev.ReadByCode ? " (read by the code)"
                                                     : " (defined, but no analyzed getenv reads it)"),
                            0, {At}});
    else if (Ev.Class == "endpoint" && Ev.Plaintext)
      X.Security.push_back({"bad", "transport", "Plaintext endpoint in the environment",
                            Ev.Name + " uses " + Ev.Scheme + "://", 0, {At}});
  }
  if (!I.EndpointSource.empty())
    X.Security.push_back({"ok", "configuration", "Endpoint from the environment",
                          I.EndpointSource.substr(4), 0, {}});
  static const std::vector<const model::Finding *> NoFindings;
  auto Fs = Ctx.FindingsOf.find(I.Id);
  for (const model::Finding *Fp : Fs == Ctx.FindingsOf.end() ? NoFindings : Fs->second)
    if (const auto &F = *Fp; !isResilienceRule(F.Rule))
      X.Security.push_back({F.Severity == "low" ? "warn" : "bad", F.Rule, F.Rule, F.Message, 0,
                            {{F.Loc.File, F.Loc.Line, ""}}});
  return P;
}

/// RTO: what the code allows per request, against the target.
void recoveryTime(model::IntegrationRisk &X, const SiteView &V, const config::IntegrationOverride *O) {
  X.Recovery.TargetSource = O && O->RtoTargetSeconds ? "config" : "default";
  X.Recovery.TargetSeconds = O && O->RtoTargetSeconds ? *O->RtoTargetSeconds : defaultRtoSeconds(X.Level);
  X.Recovery.Target = formatSeconds(X.Recovery.TargetSeconds);
  bool Unknown = false;
  double Worst = 0;
  std::vector<std::string> Steps;
  for (const auto *C : V.Sites) {
    std::string Where = "`" + shortFunctionName(C->Function) + "` line " + std::to_string(C->Loc.Line);
    if (timeoutMissing(*C)) {
      X.Recovery.Unbounded = true;
      Steps.push_back(Where + (C->Timeout.Reason.rfind("only the connect phase", 0) == 0
                                   ? ": only the connect phase is bounded → unbounded"
                                   : ": no timeout → unbounded"));
    } else if (C->Timeout.Status == "conditional") {
      Unknown = true;
      Steps.push_back(Where + ": timeout set at run time → unknown");
    } else if (C->Timeout.Unbounded || !C->Timeout.Seconds) {
      X.Recovery.Unbounded = C->Timeout.Unbounded;
      Unknown |= !C->Timeout.Unbounded;
      Steps.push_back(Where + (C->Timeout.Unbounded ? ": only the connect phase is bounded → unbounded"
                                                    : ": timeout of run-time length → unknown"));
    } else {
      int Attempts = C->Retry.Present ? C->Retry.MaxAttempts.value_or(0) : 1;
      if (Attempts == 0) {
        X.Recovery.Unbounded = true;
        Steps.push_back(Where + ": retried without a known limit → unbounded");
        continue;
      }
      double S = *C->Timeout.Seconds * Attempts;
      Worst = std::max(Worst, S);
      Steps.push_back(Where + ": " + formatSeconds(*C->Timeout.Seconds) + " × " +
                      std::to_string(Attempts) + (Attempts == 1 ? " attempt" : " attempts") +
                      (C->Retry.Backoff.value_or(false) ? " (+ backoff sleeps)" : "") + " = " +
                      formatSeconds(S));
    }
  }
  X.Recovery.Computation = join(Steps, "; ");
  if (V.Sites.empty()) {
    X.Recovery.Actual = "not analysed: no call site in the analysed code";
    X.Recovery.Verdict = "unknown";
  } else if (X.Recovery.Unbounded) {
    X.Recovery.Actual = "unbounded";
    X.Recovery.Verdict = "exceeds";
  } else if (Unknown) {
    X.Recovery.Actual = "depends on run-time configuration";
    X.Recovery.Verdict = "unknown";
  } else {
    X.Recovery.WorstCaseSeconds = Worst;
    X.Recovery.Actual = formatSeconds(Worst) + " per request";
    X.Recovery.Verdict = Worst <= X.Recovery.TargetSeconds ? "meets" : "exceeds";
  }
}

/// Cost of downtime, from the configured revenue and traffic share.
void downtimeCost(model::IntegrationRisk &X, const model::Integration &I, const config::IntegrationOverride *O,
                  const Context &Ctx, const std::set<std::string> &UsedBy, bool AnyFallback) {
  const config::Config &Cfg = Ctx.Cfg;
  const auto &Entries = Ctx.Entries.Why;
  X.Downtime.Currency = Cfg.Currency;
  if (O && O->TrafficShare)
    X.TrafficShare = O->TrafficShare;
  if (!Cfg.DailyRevenue) {
    X.Downtime.Text = "not configured";
    X.Downtime.Basis = "set business.daily_revenue in .integration-mapper.yaml";
  } else {
    X.Downtime.Configured = true;
    std::optional<double> Share = X.TrafficShare;
    std::string ShareWhy = "traffic_share from the config";
    if (!Share && !UsedBy.empty() && UsedBy.size() == Entries.size() && !AnyFallback) {
      Share = 1.0;
      ShareWhy = "every entry point depends on it and it has no fallback";
    }
    if (Share) {
      X.Downtime.PerHour = *Cfg.DailyRevenue * *Share / 24.0;
      X.Downtime.Text = formatMoney(*X.Downtime.PerHour, Cfg.Currency) + "/hour";
      std::ostringstream B;
      B << "daily_revenue " << formatMoney(*Cfg.DailyRevenue, Cfg.Currency) << " × share "
        << *Share << " / 24 h (" << ShareWhy << ")";
      X.Downtime.Basis = B.str();
    } else {
      X.Downtime.Text = "not derivable";
      X.Downtime.Basis = "set integrations[].traffic_share for " + I.Id;
    }
  }

  // What happens if it fails.
}

/// What happens if it fails: immediately, and for the users.
void failureImpact(model::IntegrationRisk &X, const model::Integration &I,
                   const config::IntegrationOverride *O, const std::set<std::string> &UsedBy,
                   bool AllFallback) {
  std::string Immediate = immediateImpact(I);
  X.FailureSummary = O && O->FailureImpact ? *O->FailureImpact : Immediate;
  std::string Sev = AllFallback ? "warn" : "bad";
  X.FailureImpact.push_back({Sev, "immediate", "Immediate Impact", X.FailureSummary, 0, {}});
  if (UsedBy.empty())
    X.FailureImpact.push_back({"warn", "user", "User Impact",
                               "no entry point in the analyzed code reaches it", 0, {}});
  else
    X.FailureImpact.push_back({Sev, "user", "User Impact",
                               (AllFallback ? "degraded: " : "fails: ") + join(X.UsedBy), 0, {}});
  X.FailureImpact.push_back({X.Downtime.PerHour ? "bad" : "warn", "revenue", "Revenue Impact",
                             X.Downtime.Text + (X.Downtime.Basis.empty() ? "" : " (" + X.Downtime.Basis + ")"),
                             0, {}});
}

model::IntegrationRisk integrationRisk(const SiteView &V, const Context &Ctx) {
  const auto &I = *V.I;
  model::IntegrationRisk X;
  X.Id = I.Id;
  X.Name = I.Name;
  X.Type = typeOf(I, X.GlossaryType, X.Layer);
  X.GroupedBy = I.GroupedBy;
  const auto *O = Ctx.Cfg.overrideFor(I.Id, I.Name);
  std::set<std::string> UsedBy = placeOnPaths(X, V, Ctx);
  describePattern(X, V, Ctx.G);
  judgeResilience(X, V);
  bool AllFallback = X.Fallback.Mark == "ok";
  bool AnyFallback = X.Fallback.Mark != "bad";
  rateCriticality(X, I, UsedBy, AllFallback, O);
  ParsedEndpoint P = securityPosture(X, V, Ctx);
  recoveryTime(X, V, O);

  // Single point of failure.
  bool MultiHost = P.Host.find(',') != std::string::npos;
  bool Alternative = Ctx.PerCategory.count(I.Category) && Ctx.PerCategory.at(I.Category) > 1 && I.Kind == "http";
  X.SpofReasons.push_back(MultiHost ? "several hosts in the endpoint" : "one endpoint, no alternative instance in the code");
  X.SpofReasons.push_back(AnyFallback ? "a fallback path exists" : "no fallback path");
  X.SpofReasons.push_back(Alternative ? "another " + I.Category + " integration exists"
                                      : "no alternative provider");
  X.Spof = !MultiHost && !AnyFallback && !Alternative;
  downtimeCost(X, I, O, Ctx, UsedBy, AnyFallback);
  failureImpact(X, I, O, UsedBy, AllFallback);
  return X;
}

/// The integrations each entry point reaches, in the document's order.
std::map<std::string, std::vector<const model::IntegrationRisk *>>
integrationsByEntry(const model::RiskDocument &D) {
  std::map<std::string, std::vector<const model::IntegrationRisk *>> Out;
  for (const auto &X : D.Integrations)
    for (const auto &E : std::set<std::string>(X.UsedBy.begin(), X.UsedBy.end()))
      Out[E].push_back(&X);
  return Out;
}

/// Cascades: other integrations reached from the same entry points.
void addCascades(model::RiskDocument &D) {
  std::map<std::string, std::vector<const model::IntegrationRisk *>> ByEntry = integrationsByEntry(D);
  std::map<std::string, std::string> NameOf;
  for (const auto &Y : D.Integrations)
    NameOf.emplace(Y.Id, Y.Name);
  for (auto &X : D.Integrations) {
    std::set<std::string> Same;
    for (const auto &E : X.UsedBy)
      for (const auto *Y : ByEntry[E])
        if (Y->Id != X.Id)
          Same.insert(Y->Id);
    X.Cascades.assign(Same.begin(), Same.end());
    std::vector<std::string> Names;
    for (const auto &Id : X.Cascades)
      Names.push_back(NameOf[Id]);
    bool Hangs = X.Recovery.Unbounded;
    X.FailureImpact.push_back(
        {Names.empty() ? "ok" : "bad", "cascading", "Cascading Failures",
         Names.empty() ? "none: no other integration on its paths"
                       : std::string(Hangs ? "a hang holds requests that also use " : "requests that also use ") +
                             join(Names) + (Hangs ? " (no timeout: threads pile up)" : " fail with it"),
         0, {}});
    model::FailureBranch B;
    B.Integration = X.Id;
    bool Degrades = X.Fallback.Mark == "ok";
    if (Degrades)
      B.Degrades = "falls back; " + join(X.UsedBy) + " degrade";
    else
      B.Breaks = X.UsedBy;
    B.Cascades = X.Cascades;
    D.Dependencies.push_back(B);
  }
}

/// Executive summary: counts by level, overall resilience, costliest outage, key risks.
void summarize(model::RiskDocument &D, const config::Config &Cfg) {
  double Sum = 0;
  const model::IntegrationRisk *Costliest = nullptr;
  for (const auto &X : D.Integrations) {
    (X.Level == "CRITICAL" ? D.Critical : X.Level == "HIGH" ? D.High : X.Level == "MEDIUM" ? D.Medium : D.Low)++;
    Sum += X.Resilience;
    if (X.Spof && X.Criticality >= 7)
      D.CriticalSpofs.push_back(X.Id);
    if (X.Downtime.PerHour && (!Costliest || *X.Downtime.PerHour > *Costliest->Downtime.PerHour))
      Costliest = &X;
  }
  D.OverallResilience = D.Integrations.empty() ? 0 : std::round(Sum / D.Integrations.size() * 100) / 100;
  D.OverallRating = D.Integrations.empty() ? "n/a" : resilienceRating(D.OverallResilience);
  D.Downtime.Currency = Cfg.Currency;
  if (Costliest) {
    D.Downtime = Costliest->Downtime;
    D.Downtime.Basis = "worst single outage: " + Costliest->Name + "; " + Costliest->Downtime.Basis;
  } else {
    D.Downtime.Configured = Cfg.DailyRevenue.has_value();
    D.Downtime.Text = Cfg.DailyRevenue ? "not derivable" : "not configured";
    D.Downtime.Basis = Cfg.DailyRevenue ? "set integrations[].traffic_share"
                                        : "set business.daily_revenue in .integration-mapper.yaml";
  }
  std::vector<const model::IntegrationRisk *> ByRisk;
  for (const auto &X : D.Integrations)
    ByRisk.push_back(&X);
  std::stable_sort(ByRisk.begin(), ByRisk.end(), [](const auto *A, const auto *B) {
    int RA = riskScore(A->Criticality, A->Resilience), RB = riskScore(B->Criticality, B->Resilience);
    return RA != RB ? RA > RB : A->Criticality > B->Criticality;
  });
  for (size_t K = 0; K < ByRisk.size() && K < 3; ++K) {
    const auto &X = *ByRisk[K];
    std::vector<std::string> Why;
    for (const auto &J : X.ResilienceEvidence)
      if (J.Mark == "bad")
        Why.push_back(J.Title == "No timeout" ? "no timeout on " + J.Detail.substr(0, J.Detail.find(" can"))
                                               : J.Title);
    if (X.Spof)
      Why.push_back("single point of failure");
    int Risk = riskScore(X.Criticality, X.Resilience);
    std::string Text = Why.empty() ? "well protected" : "";
    for (size_t W = 0; W < Why.size(); ++W)
      Text += (W ? ", " : "") +
              std::string(1, static_cast<char>(std::tolower(static_cast<unsigned char>(Why[W][0])))) +
              Why[W].substr(1);
    D.KeyRisks.push_back({Risk >= 7 ? "bad" : "warn", "risk", X.Name,
                          Text + " (" + std::to_string(Risk) + "/10 risk)", Risk, {}});
  }
}

/// Resilience pattern assessment across integrations.
void assessPatterns(model::RiskDocument &D) {
  struct PatternDoc {
    const char *Id, *Title, *Why, *Recommendation;
    model::MatrixCell model::IntegrationRisk::*Cell;
  };
  const PatternDoc Docs[] = {
      {"circuit_breaker", "Circuit Breaker",
       "Without a breaker, every request during an outage waits for the failing service, "
       "holding a thread and hammering it while it tries to recover.",
       "Add a breaker to every integration on the request path, critical ones first.",
       &model::IntegrationRisk::CircuitBreaker},
      {"retry", "Retry with Exponential Backoff",
       "Without retry a transient network error fails the operation; without backoff or a limit "
       "a retry storm keeps the dependency down.",
       "Retry idempotent operations at most 3 times with a doubling delay.",
       &model::IntegrationRisk::Retry},
      {"timeout", "Timeout Configuration",
       "A call without a timeout can hold its thread forever; libraries mostly default to no timeout.",
       "Set connect and total timeouts of a few seconds on every handle.",
       &model::IntegrationRisk::Timeout},
      {"fallback", "Graceful Degradation",
       "Without a fallback, a dependency failure becomes the user's failure.",
       "Serve a cached value, queue the work, or degrade the feature instead of failing.",
       &model::IntegrationRisk::Fallback},
      {"health_check", "Health Check",
       "Without a probe, the first sign of an outage is failing user requests.",
       "Probe each critical dependency cheaply and expose the result to the orchestrator.",
       &model::IntegrationRisk::HealthCheck},
  };
  for (const auto &PDoc : Docs) {
    model::PatternAssessment A;
    A.Pattern = PDoc.Id;
    A.Title = PDoc.Title;
    A.Why = PDoc.Why;
    A.Recommendation = PDoc.Recommendation;
    double Total = 0;
    size_t Ok = 0, Bad = 0;
    for (const auto &X : D.Integrations) {
      const auto &Cell = X.*PDoc.Cell;
      Total += Cell.Mark == "ok" ? 1 : Cell.Mark == "warn" ? 0.5 : 0;
      Ok += Cell.Mark == "ok";
      Bad += Cell.Mark == "bad";
      A.Where.push_back({Cell.Mark, PDoc.Id, X.Name, Cell.Text, 0, {}});
    }
    A.Quality = D.Integrations.empty()
                    ? 1
                    : std::clamp(static_cast<int>(std::lround(10 * Total / D.Integrations.size())), 1, 10);
    A.Summary = Bad == D.Integrations.size() ? "absent" : Ok == D.Integrations.size() ? "consistent" : "inconsistent";
    for (const auto &M : D.Plan)
      if (M.Pattern == PDoc.Id && A.GoodExample.empty())
        A.GoodExample = M.Code;
    D.Patterns.push_back(std::move(A));
  }
}

/// For each entry point the architecture diagram draws, the client wrappers it reaches.
void addReachedWrappers(model::RiskDocument &D, const CallGraph &G, const EntryPoints &Entries) {
  std::set<std::string> Wrappers;
  for (const auto &X : D.Integrations)
    Wrappers.insert(X.Wrappers.begin(), X.Wrappers.end());
  size_t NE = std::min(D.EntryPoints.size(), model::MaxDrawnEntryPoints);
  for (size_t E = 0; E < NE; ++E) {
    std::set<std::string> Reached;
    auto It = Entries.Keys.find(D.EntryPoints[E]);
    if (It != Entries.Keys.end())
      for (const auto &K : G.descendants(It->second))
        if (Wrappers.count(G.name(K)))
          Reached.insert(G.name(K));
    D.ReachedWrappers.emplace_back(Reached.begin(), Reached.end());
  }
}

/// "handleCheckout → Redis → PostgreSQL" per entry point, most critical first.
void addCriticalPaths(model::RiskDocument &D) {
  std::map<std::string, std::vector<const model::IntegrationRisk *>> ByEntry = integrationsByEntry(D);
  for (const auto &E : D.EntryPoints) {
    std::vector<const model::IntegrationRisk *> On = ByEntry[E];
    std::stable_sort(On.begin(), On.end(),
                     [](const auto *A, const auto *B) { return A->Criticality > B->Criticality; });
    std::string P = E;
    std::vector<std::string> Spofs;
    for (const auto *X : On) {
      P += " → " + X->Name;
      if (X->Spof)
        Spofs.push_back(X->Name);
    }
    D.CriticalPaths.push_back(P + (Spofs.empty() ? "" : "  (SPOF: " + join(Spofs) + ")"));
  }
}

/// For AI agents: the project's own best and worst calls, and the rules to follow.
void addAgentGuidance(model::RiskDocument &D, const model::Report &R) {
  std::map<std::string, int> CritById;
  for (const auto &X : D.Integrations)
    CritById[X.Id] = X.Criticality;
  std::vector<const CallSite *> All;
  for (const auto &C : R.CallSites)
    All.push_back(&C);
  std::stable_sort(All.begin(), All.end(), [&](const CallSite *A, const CallSite *B) {
    return CritById[A->Integration] > CritById[B->Integration];
  });
  for (const auto *C : All) {
    bool Ok;
    std::string V = verdictOf(*C, Ok);
    if (Ok && D.BestExamples.size() < 5)
      D.BestExamples.push_back({refOf(*C), C->Integration, V.substr(V.find(':') + 2)});
    else if (timeoutMissing(*C) && D.WorstExamples.size() < 5)
      D.WorstExamples.push_back({refOf(*C), C->Integration, V.substr(V.find(':') + 2)});
  }

  D.Dos = {"Set connect and total timeouts of a few seconds on every client handle "
           "(e.g. CURLOPT_CONNECTTIMEOUT_MS + CURLOPT_TIMEOUT_MS, redisConnectWithTimeout + "
           "redisSetTimeout, connect_timeout and statement_timeout in the conninfo)",
           "Retry only idempotent operations, at most 3 attempts, with exponential backoff",
           "Put a circuit breaker in front of every integration on the request path",
           "Give each integration a fallback: cached value, queue, or degraded feature",
           "Add the integration to .integration-mapper.yaml (criticality, RTO target, traffic share)"};
  D.Donts = {"Assume an external service is always available",
             "Rely on library default timeouts (libcurl and hiredis default to none)",
             "Set a timeout of 0: for libcurl it means wait forever",
             "Retry in a loop without an attempt limit or a growing delay",
             "Fail silently: log, count and queue the failed work"};
  for (const auto &X : D.Integrations)
    if (X.Criticality >= 7 && X.RequestPath)
      D.PathProtection.push_back(X.Name + " (" + X.Level + ", used by " + join(X.UsedBy) +
                                 ") must have: timeout, bounded retry with backoff, circuit breaker" +
                                 (X.Spof ? ", and a fallback (it is a single point of failure)" : ""));
}

} // namespace

void applyConfigNames(model::Report &R, const config::Config &Cfg) {
  for (auto &I : R.Integrations)
    if (const auto *O = Cfg.overrideFor(I.Id, I.Name); O && O->Name)
      I.Name = *O->Name;
}

model::RiskDocument assess(const model::Report &R, const config::Config &Cfg,
                           const SourceReader &Read, const catalog::Catalog *Cat) {
  model::RiskDocument D;
  D.ConfigPath = Cfg.Path;
  CallGraph G(R);
  std::vector<SiteView> Views = viewsOf(R);
  EntryPoints Entries = findEntryPoints(R, Cfg, G, D);
  Context Ctx{R, Cfg, G, Entries, {}, {}, {}};
  for (const auto &F : R.Findings)
    Ctx.FindingsOf[F.Integration].push_back(&F);
  for (const auto &Ev : R.Inventory.Variables)
    Ctx.VariablesOf[Ev.Integration].push_back(&Ev);
  for (const auto &V : Views)
    Ctx.PerCategory[V.I->Category]++;
  for (const auto &V : Views)
    D.Integrations.push_back(integrationRisk(V, Ctx));
  addCascades(D);
  addExcerpts(D, Views, Read, R.CredentialLiterals);
  D.Plan = planMitigations(D.Integrations, Views, Cat);
  summarize(D, Cfg);
  assessPatterns(D);
  addReachedWrappers(D, G, Entries);
  addCriticalPaths(D);
  addAgentGuidance(D, R);
  D.Limitations.push_back("HTTP handlers registered through a framework call are not recognised as "
                          "entry points; name them under entry_points in the config");
  D.Limitations.push_back("backoff sleep durations are not measured: worst-case blocking counts "
                          "timeouts × attempts only");
  return D;
}

} // namespace im::analysis
