#include "analysis/Resolve.h"

#include "analysis/Protections.h"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstdlib>
#include <cstring>
#include <set>
#include <sstream>

namespace im::analysis {
using model::CallSite;
using model::Evidence;
using model::Setting;
using model::Value;

std::optional<double> toSeconds(const Value &V, const std::string &Unit) {
  double X;
  if (V.K == Value::Kind::Int)
    X = static_cast<double>(V.Int);
  else if (V.K == Value::Kind::Float)
    X = V.Float;
  else if (V.K == Value::Kind::String) {
    char *End = nullptr;
    X = std::strtod(V.Str.c_str(), &End);
    if (End == V.Str.c_str())
      return std::nullopt;
  } else
    return std::nullopt;
  if (Unit == "ms")
    return X / 1000.0;
  if (Unit == "us")
    return X / 1e6;
  return X; // s and timeval (already folded into seconds)
}

std::string formatSeconds(double S) {
  std::ostringstream O;
  if (S < 1.0 && S > 0) {
    O << std::round(S * 1000.0) << " ms";
  } else if (S >= 120 && std::fmod(S, 60.0) == 0) {
    O << S / 60 << " min";
  } else {
    O << S << " s";
  }
  return O.str();
}

std::map<std::string, std::string> parseConninfo(const std::string &S) {
  std::map<std::string, std::string> Out;
  auto Pos = S.find("://");
  if (Pos != std::string::npos) {
    std::string Rest = S.substr(Pos + 3);
    std::string Query;
    if (auto Q = Rest.find('?'); Q != std::string::npos) {
      Query = Rest.substr(Q + 1);
      Rest = Rest.substr(0, Q);
    }
    std::string Auth, HostPart = Rest;
    if (auto At = Rest.rfind('@'); At != std::string::npos)
      HostPart = Rest.substr(At + 1);
    std::string Db;
    if (auto Slash = HostPart.find('/'); Slash != std::string::npos) {
      Db = HostPart.substr(Slash + 1);
      HostPart = HostPart.substr(0, Slash);
    }
    if (auto Colon = HostPart.rfind(':'); Colon != std::string::npos) {
      Out["port"] = HostPart.substr(Colon + 1);
      HostPart = HostPart.substr(0, Colon);
    }
    if (!HostPart.empty())
      Out["host"] = HostPart;
    if (!Db.empty())
      Out["dbname"] = Db;
    std::stringstream QS(Query);
    std::string KV;
    while (std::getline(QS, KV, '&'))
      if (auto Eq = KV.find('='); Eq != std::string::npos)
        Out[KV.substr(0, Eq)] = KV.substr(Eq + 1);
    return Out;
  }
  size_t I = 0;
  while (I < S.size()) {
    while (I < S.size() && std::isspace(static_cast<unsigned char>(S[I])))
      ++I;
    size_t Eq = S.find('=', I);
    if (Eq == std::string::npos)
      break;
    std::string Key = S.substr(I, Eq - I);
    while (!Key.empty() && std::isspace(static_cast<unsigned char>(Key.back())))
      Key.pop_back();
    I = Eq + 1;
    while (I < S.size() && S[I] == ' ')
      ++I;
    std::string Val;
    if (I < S.size() && S[I] == '\'') {
      ++I;
      while (I < S.size() && S[I] != '\'') {
        if (S[I] == '\\' && I + 1 < S.size())
          ++I;
        Val += S[I++];
      }
      ++I;
    } else {
      while (I < S.size() && !std::isspace(static_cast<unsigned char>(S[I])))
        Val += S[I++];
    }
    Out[Key] = Val;
  }
  return Out;
}

std::string redactEndpoint(const std::string &E) {
  std::string Out = E;
  if (auto S = Out.find("://"); S != std::string::npos) {
    auto End = Out.find_first_of("/?#", S + 3);
    auto At = Out.rfind('@', End == std::string::npos ? std::string::npos : End);
    if (At != std::string::npos && At > S) {
      auto Colon = Out.find(':', S + 3);
      if (Colon != std::string::npos && Colon < At)
        Out = Out.substr(0, Colon + 1) + "***" + Out.substr(At);
    }
  }
  for (const char *Key : {"password=", "pwd=", "PWD=", "Password=", "sslpassword=", "pass="}) {
    size_t P = 0;
    while ((P = Out.find(Key, P)) != std::string::npos) {
      size_t V = P + std::strlen(Key);
      size_t End = V;
      if (End < Out.size() && Out[End] == '\'')
        End = Out.find('\'', End + 1) == std::string::npos ? Out.size() : Out.find('\'', End + 1) + 1;
      else
        while (End < Out.size() && !std::isspace(static_cast<unsigned char>(Out[End])) &&
               Out[End] != '&' && Out[End] != ';')
          ++End;
      Out = Out.substr(0, V) + "***" + Out.substr(End);
      P = V + 3;
    }
  }
  return Out;
}

namespace {

/// Settings reaching the handle of `C`: on the handle itself (before the call
/// for locals), on what it was derived from, in helpers it was passed to, and
/// in callers that passed it in as a parameter.
std::vector<Applied> settingsFor(const CallSite &C, const catalog::Operation *Op, const HandleGraph &G) {
  // A handle the call returns (an async token) is configured after the call by
  // construction (`auto tok = cli.publish(m); tok->wait_for(1s)`): no ordering.
  bool ResultHandle = Op && Op->Handle.K == catalog::HandleSpec::Kind::Result;
  std::vector<HandleGraph::Root> Roots{{C.HandleKey, ResultHandle ? model::Location{} : C.Loc}};
  for (const auto &K : C.ExtraHandleKeys) // catalog "extra_handles"
    Roots.push_back({K, C.Loc});
  std::vector<Applied> Out = G.settingsReaching(Roots);
  // ... but not before it: a local reassigned by this call (`tok = cli.publish(m)`)
  // no longer holds the token an earlier `tok->wait_for(...)` bounded.
  if (ResultHandle && HandleGraph::sameFunctionLocal(C.HandleKey))
    Out.erase(std::remove_if(Out.begin(), Out.end(),
                             [&](const Applied &A) {
                               return A.S->HandleKey == C.HandleKey &&
                                      A.S->Loc.File == C.Loc.File && A.S->Loc < C.Loc;
                             }),
              Out.end());
  return Out;
}

void resolveEndpoint(CallSite &C, const std::vector<Applied> &All) {
  if (!C.Endpoint.empty()) {
    C.Endpoint = redactEndpoint(C.Endpoint);
    return;
  }
  for (const auto &A : All)
    if (A.S->Concern == "endpoint") {
      if (A.S->Val.K == Value::Kind::String) {
        C.Endpoint = redactEndpoint(A.S->Val.Str);
        C.EndpointSource = "literal";
      } else if (!A.S->Val.DependsOn.empty() && C.EndpointSource.empty()) {
        C.EndpointSource = A.S->Val.DependsOn;
      }
    }
  if (C.EndpointSource.empty())
    C.EndpointSource = "unknown";
}

} // namespace

void resolve(Merged &M, const catalog::Catalog &Cat,
             const std::vector<std::string> &BreakerClasses) {
  addConfiguredBreakers(M, BreakerClasses);
  expandForwarders(M, Cat);
  {
    HandleGraph G(M);
    std::set<const CallSite *> NotClients; // handles never connected (accepted server sockets)
    for (auto &C : M.CallSites) {
      const catalog::Library *Lib = Cat.library(C.Library);
      const catalog::Operation *Op = Cat.lookupOperation(C.Operation).second;
      std::vector<Applied> All = settingsFor(C, Op, G);
      if (Op && Op->OnlyIfConnected &&
          std::none_of(All.begin(), All.end(), [](const Applied &A) { return A.S->Concern == "connect"; })) {
        NotClients.insert(&C);
        continue;
      }
      resolveEndpoint(C, All);
      resolveTimeout(C, Lib, Op, All, G);
      resolveRetry(C, Lib, Op, All, M, G);
      resolveScopeGuard(C, M, G);
      resolveBreaker(C, M, G);
      resolveFallback(C, G, Cat);
      resolveInactive(C, Lib, M, G);
    }
    M.CallSites.erase(std::remove_if(M.CallSites.begin(), M.CallSites.end(),
                                     [&](const CallSite &C) { return NotClients.count(&C); }),
                      M.CallSites.end());
  }
  for (auto &C : M.CallSites) {
    std::sort(C.Timeout.Evidence.begin(), C.Timeout.Evidence.end());
    C.Timeout.Evidence.erase(std::unique(C.Timeout.Evidence.begin(), C.Timeout.Evidence.end()),
                             C.Timeout.Evidence.end());
    if (!C.CircuitBreaker.Present && C.CircuitBreaker.Reason.empty())
      C.CircuitBreaker.Reason = "no circuit breaker wraps or guards this call";
    if (!C.Fallback.Present && C.Fallback.Reason.empty())
      C.Fallback.Reason = "no fallback path was found for a failure of this call";
  }
}

} // namespace im::analysis
