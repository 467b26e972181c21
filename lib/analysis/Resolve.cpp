#include "analysis/Resolve.h"
#include "analysis/Wrappers.h"

#include <algorithm>
#include <cstring>
#include <cmath>
#include <functional>
#include <set>
#include <sstream>

namespace im::analysis {
using model::CallSite;
using model::Evidence;
using model::Setting;
using model::Value;

Merged merge(std::vector<model::TUFacts> Units) {
  Merged M;
  std::set<std::pair<model::Location, std::string>> SeenCalls;
  std::set<std::tuple<model::Location, std::string, std::string, std::string>> SeenSettings;
  std::set<std::tuple<model::Location, std::string, unsigned, std::string>> SeenFlows;
  std::set<std::tuple<model::Location, std::string, std::string>> SeenEdges;
  std::set<std::string> SeenFns;
  std::set<std::pair<model::Location, std::string>> SeenGuards;
  std::set<std::tuple<model::Location, std::string, unsigned>> SeenArgs;
  std::set<std::pair<std::string, std::string>> SeenOverrides;
  std::set<model::Location> SeenInactive;
  std::set<std::pair<model::Location, std::string>> SeenFieldInits;
  std::set<std::tuple<model::Location, std::string, std::string, std::string>> SeenSecurity;
  std::sort(Units.begin(), Units.end(),
            [](const auto &A, const auto &B) { return A.Unit.File < B.Unit.File; });
  for (auto &U : Units) {
    M.Units.push_back(U.Unit);
    for (auto &C : U.CallSites)
      if (SeenCalls.insert({C.Loc, C.Operation}).second)
        M.CallSites.push_back(std::move(C));
    for (auto &S : U.Settings)
      // One call may make several settings on a handle (mysql_real_connect: the
      // endpoint and the password), told apart by their concern.
      if (SeenSettings.insert({S.Loc, S.Option, S.HandleKey, S.Concern}).second)
        M.Settings.push_back(std::move(S));
    for (auto &F : U.Flows)
      if (SeenFlows.insert({F.Loc, F.HandleKey, F.ArgIndex, F.CalleeKey}).second)
        M.Flows.push_back(std::move(F));
    for (auto &E : U.Calls)
      if (SeenEdges.insert({E.Loc, E.CallerKey, E.CalleeKey}).second)
        M.Calls.push_back(std::move(E));
    for (auto &F : U.Functions)
      if (SeenFns.insert(F.Key).second)
        M.Functions.push_back(std::move(F));
    for (auto &L : U.Loops) {
      std::string Key = L.Id + "#" + std::to_string(L.CallableParam);
      M.Loops.emplace(Key, std::move(L));
    }
    for (auto &C : U.Classes)
      M.Classes.emplace(C.Name, std::move(C));
    for (auto &G : U.ScopeGuards)
      if (SeenGuards.insert({G.Loc, G.Var}).second)
        M.ScopeGuards.push_back(std::move(G));
    for (auto &A : U.ArgValues)
      if (SeenArgs.insert({A.Loc, A.CalleeKey, A.Index}).second)
        M.ArgValues.push_back(std::move(A));
    for (auto &O : U.Overrides)
      if (SeenOverrides.insert({O.MethodKey, O.BaseKey}).second)
        M.Overrides.push_back(std::move(O));
    for (auto &I : U.Inactive)
      if (SeenInactive.insert(I.Loc).second)
        M.Inactive.push_back(std::move(I));
    for (auto &I : U.FieldInits)
      if (SeenFieldInits.insert({I.Loc, I.FieldKey}).second)
        M.FieldInits.push_back(std::move(I));
    // Security facts (issue 5): headers repeat them across units.
    for (auto &S : U.Security)
      if (SeenSecurity.insert({S.Loc, S.Type, S.Kind, S.Callee}).second)
        M.Security.push_back(std::move(S));
  }
  std::sort(M.CallSites.begin(), M.CallSites.end(), [](const auto &A, const auto &B) {
    return std::tie(A.Loc, A.Operation) < std::tie(B.Loc, B.Operation);
  });
  std::sort(M.Settings.begin(), M.Settings.end(),
            [](const auto &A, const auto &B) { return A.Loc < B.Loc; });
  std::sort(M.Functions.begin(), M.Functions.end(),
            [](const auto &A, const auto &B) { return A.Key < B.Key; });
  return M;
}

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

/// Locals and parameters are configured in program order within one function;
/// fields and globals may be configured anywhere (a constructor, an init function).
bool sameFunctionLocal(const std::string &HandleKey) {
  return HandleKey.rfind("var:", 0) == 0 || HandleKey.rfind("param:", 0) == 0;
}

/// A timeout setting as it applies to one call, with the path that brought it.
struct Applied {
  const Setting *S;
  std::vector<Evidence> Path; // helper calls that carried the handle to the setting
};

class Resolver {
public:
  Resolver(Merged &M, const catalog::Catalog &Cat) : M(M), Cat(Cat) {
    for (const auto &S : M.Settings)
      ByHandle[S.HandleKey].push_back(&S);
    for (const auto &S : M.Settings)
      if ((S.Concern == "derive" || S.Concern == "connect") && !S.Val.DependsOn.empty())
        DerivedFrom[S.HandleKey].push_back(S.Val.DependsOn);
    for (const auto &F : M.Flows)
      FlowsFrom[F.HandleKey].push_back(&F);
    for (const auto &F : M.Flows)
      FlowsInto["param:" + F.CalleeKey + "#" + std::to_string(F.ArgIndex)].push_back(&F);
    for (const auto &E : M.Calls)
      CallersOf[E.CalleeKey].push_back(&E);
    // A call through a base-class method may reach every override.
    for (const auto &O : M.Overrides)
      for (const auto &E : M.Calls)
        if (E.CalleeKey == O.BaseKey)
          CallersOf[O.MethodKey].push_back(&E);
    for (const auto &A : M.ArgValues)
      ArgsOf["param:" + A.CalleeKey + "#" + std::to_string(A.Index)].push_back(&A);
    for (const auto &F : M.Functions)
      FunctionsByKey[F.Key] = &F;
    for (const auto &C : M.CallSites)
      SitesIn[C.FunctionKey].push_back(&C);
  }

  void run() {
    for (auto &C : M.CallSites) {
      const catalog::Library *Lib = Cat.library(C.Library);
      const catalog::Operation *Op = Cat.lookupOperation(C.Operation).second;
      std::vector<Applied> All = settingsFor(C, Op);
      if (Op && Op->OnlyIfConnected &&
          std::none_of(All.begin(), All.end(), [](const Applied &A) { return A.S->Concern == "connect"; })) {
        NotClients.insert(&C);
        continue;
      }
      resolveEndpoint(C, All);
      resolveTimeout(C, Lib, Op, All);
      resolveRetry(C, Lib, All);
      resolveScopeGuard(C);
      resolveBreaker(C);
      resolveFallback(C);
      resolveInactive(C, Lib);
    }
  }

  /// Call sites on handles the code never connects (accepted server sockets).
  std::set<const CallSite *> NotClients;

private:
  /// Settings reaching the handle of `C`: on the handle itself (before the call
  /// for locals), on what it was derived from, in helpers it was passed to, and
  /// in callers that passed it in as a parameter.
  std::vector<Applied> settingsFor(const CallSite &C, const catalog::Operation *Op) {
    std::vector<Applied> Out;
    std::set<std::string> Visited;
    // A handle the call returns (an async token) is configured after the call by
    // construction (`auto tok = cli.publish(m); tok->wait_for(1s)`): no ordering.
    bool ResultHandle = Op && Op->Handle.K == catalog::HandleSpec::Kind::Result;
    collect(C.HandleKey, ResultHandle ? model::Location{} : C.Loc, {}, Out, Visited, 0);
    // ... but not before it: a local reassigned by this call (`tok = cli.publish(m)`)
    // no longer holds the token an earlier `tok->wait_for(...)` bounded.
    if (ResultHandle && sameFunctionLocal(C.HandleKey))
      Out.erase(std::remove_if(Out.begin(), Out.end(),
                               [&](const Applied &A) {
                                 return A.S->HandleKey == C.HandleKey &&
                                        A.S->Loc.File == C.Loc.File && A.S->Loc < C.Loc;
                               }),
                Out.end());
    for (const auto &K : C.ExtraHandleKeys) // catalog "extra_handles"
      collect(K, C.ImplLoc.valid() ? C.ImplLoc : C.Loc, {}, Out, Visited, 0);
    // A call through a project wrapper: what the wrapper sets on its own handle
    // before its library call holds for every caller.
    if (!C.ImplHandleKey.empty())
      collect(C.ImplHandleKey, ResultHandle ? model::Location{} : C.ImplLoc, {}, Out, Visited, 0);
    return Out;
  }

  void collect(const std::string &Key, const model::Location &Before, std::vector<Evidence> Path,
               std::vector<Applied> &Out, std::set<std::string> &Visited, int Depth) {
    if (Key.empty() || Depth > 6 || !Visited.insert(Key).second)
      return;
    bool Ordered = sameFunctionLocal(Key) && Before.valid();
    if (auto It = ByHandle.find(Key); It != ByHandle.end())
      for (const Setting *S : It->second) {
        // Set after the call: does not protect it. A setting at the call's own
        // location is made by the call itself (PQconnectdb's conninfo).
        if (Ordered && S->Loc.File == Before.File && Before < S->Loc)
          continue;
        Out.push_back({S, Path});
      }
    // The handle was derived from another (a transaction from its connection).
    if (auto It = DerivedFrom.find(Key); It != DerivedFrom.end())
      for (const auto &From : It->second)
        collect(From, {}, Path, Out, Visited, Depth + 1);
    // Helpers that received this handle before the call.
    if (auto It = FlowsFrom.find(Key); It != FlowsFrom.end())
      for (const model::HandleFlow *F : It->second) {
        if (Ordered && F->Loc.File == Before.File && !(F->Loc < Before))
          continue;
        if (F->CalleeKey.rfind("callable:", 0) == 0) {
          // Handed to a std::function/template parameter: whatever lambda the
          // callers pass there configures it.
          std::string Slot = "param:" + F->CalleeKey.substr(9);
          if (auto In = FlowsInto.find(Slot); In != FlowsInto.end())
            for (const model::HandleFlow *L : In->second)
              if (L->HandleKey.rfind("lambda:", 0) == 0) {
                auto P = Path;
                P.push_back({F->Loc.File, F->Loc.Line, "passes the handle to a callback"});
                P.push_back({L->Loc.File, L->Loc.Line, "callback supplied here"});
                collect("param:" + L->HandleKey.substr(7) + "#" + std::to_string(F->ArgIndex), {},
                        P, Out, Visited, Depth + 1);
              }
          continue;
        }
        auto P = Path;
        P.push_back({F->Loc.File, F->Loc.Line, "passes the handle to " + shortName(F->CalleeKey)});
        collect("param:" + F->CalleeKey + "#" + std::to_string(F->ArgIndex), {}, P, Out, Visited,
                Depth + 1);
      }
    // A parameter: what callers configured before passing it in.
    if (Key.rfind("param:", 0) == 0)
      if (auto It = FlowsInto.find(Key); It != FlowsInto.end())
        for (const model::HandleFlow *F : It->second) {
          auto P = Path;
          P.push_back({F->Loc.File, F->Loc.Line, "caller passes a configured handle"});
          collect(F->HandleKey, F->Loc, P, Out, Visited, Depth + 1);
        }
  }

  static std::string shortName(const std::string &Key) {
    auto Paren = Key.find('(');
    return (Paren == std::string::npos ? Key : Key.substr(0, Paren)) + "()";
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

  static std::string describe(const Setting &S) {
    std::string What = S.Option;
    if (auto Sec = toSeconds(S.Val, S.Unit))
      return What + " = " + formatSeconds(*Sec) + (S.Val.Text.empty() ? "" : " (" + S.Val.Text + ")");
    return What + " = " + S.Val.Text;
  }

  void resolveTimeout(CallSite &C, const catalog::Library *Lib, const catalog::Operation *Op,
                      const std::vector<Applied> &All) {
    model::Protection &T = C.Timeout;
    std::vector<Candidate> Cands;
    std::vector<std::string> Names;
    if (Lib)
      for (const auto &St : Lib->Setters)
        for (const auto &O : St.Options)
          if (O.Concern == "timeout") {
            std::string N = O.Name.empty() ? catalog::normalizeName(St.Name) : O.Name;
            if (std::find(Names.begin(), Names.end(), N) == Names.end())
              Names.push_back(N);
          }
    for (const auto &A : All) {
      const Setting &S = *A.S;
      std::string Scope = S.Scope.empty() ? "total" : S.Scope;
      if (S.Concern == "endpoint" && Lib && S.Val.K == Value::Kind::String) {
        // libpq conninfo: connect_timeout bounds connecting; statement_timeout (in
        // options=-c ...) bounds every statement.
        bool Conninfo = false;
        for (const auto &St : Lib->Setters)
          for (const auto &O : St.Options)
            if (O.Concern == "endpoint" && O.Semantics == "conninfo")
              Conninfo = true;
        if (!Conninfo)
          continue;
        auto KV = parseConninfo(S.Val.Str);
        if (auto It = KV.find("connect_timeout"); It != KV.end() && (!Op || Op->boundedBy("connect"))) {
          double V = std::atof(It->second.c_str());
          Candidate Cd{&S, V, A.Path, "connect", V <= 0, false, ""};
          Cd.Note = "connect_timeout=" + It->second + " in the connection string";
          Cands.push_back(Cd);
        }
        if (auto It = KV.find("options"); It != KV.end()) {
          auto P = It->second.find("statement_timeout=");
          if (P != std::string::npos && (!Op || Op->boundedBy("total"))) {
            double V = std::atof(It->second.c_str() + P + 18) / 1000.0;
            Candidate Cd{&S, V, A.Path, "total", V <= 0, false, ""};
            Cd.Note = "statement_timeout in the connection string's options";
            Cands.push_back(Cd);
          }
        }
        continue;
      }
      if (S.Concern != "timeout")
        continue;
      if (Op && !Op->boundedBy(Scope))
        continue;
      Candidate Cd{&S, std::nullopt, A.Path, Scope};
      auto Sec = toSeconds(S.Val, S.Unit);
      if ((!Sec || !S.Val.Proven) && !S.Val.ParamKey.empty())
        if (auto FromCallers = valueFromCallers(S, Cd); FromCallers) {
          Cands.push_back(Cd);
          continue;
        }
      if (!Sec) {
        Cd.Conditional = true;
        Cd.Why = S.Option + " is set from " +
                 (S.Val.DependsOn.empty() ? "`" + S.Val.Text + "`" : S.Val.DependsOn) +
                 ", not a compile-time constant";
      } else {
        Cd.Seconds = *Sec;
        Cd.Infinite = (*Sec == 0 && S.ZeroIsInfinite) || *Sec < 0;
        if (!S.Val.Proven) {
          Cd.Conditional = true;
          Cd.Why = S.Option + " comes from " + S.Val.DependsOn +
                   (Cd.Infinite ? ", which means no timeout unless set at run time"
                                : ", which run-time code may change");
        }
      }
      Cands.push_back(Cd);
    }
    auto EvidenceOf = [](const Candidate &Cd, const std::string &Note) {
      std::vector<Evidence> E = Cd.Path;
      E.push_back({Cd.S->Loc.File, Cd.S->Loc.Line, Note});
      if (Cd.S->Val.Origin.valid() && Cd.S->Val.Origin.File != Cd.S->Loc.File
              ? true
              : Cd.S->Val.Origin.valid() && Cd.S->Val.Origin.Line != Cd.S->Loc.Line)
        E.push_back({Cd.S->Val.Origin.File, Cd.S->Val.Origin.Line, "value defined here"});
      return E;
    };
    // The last proven, finite setting per scope wins (libcurl keeps the last setopt).
    std::map<std::string, const Candidate *> Finite;
    for (const auto &Cd : Cands)
      if (!Cd.Conditional && !Cd.Infinite && Cd.Seconds)
        Finite[Cd.Scope] = &Cd;
    bool ConnectOnlyBoundsPart = Op && (Op->TimeoutScopes.empty() || Op->boundedBy("total"));
    if (Finite.count("total") || Finite.count("read") || Finite.count("write")) {
      T.Present = true;
      T.Status = "present";
      double Worst = 0;
      for (const auto &[Scope, Cd] : Finite) {
        for (auto &E : EvidenceOf(*Cd, Cd->Note.empty() ? describe(*Cd->S) : Cd->Note))
          T.Evidence.push_back(E);
        if (Scope != "connect")
          Worst = std::max(Worst, *Cd->Seconds);
      }
      if (Finite.count("total")) {
        T.Seconds = *Finite["total"]->Seconds;
      } else {
        T.Seconds = Worst;
        if (Finite.count("connect"))
          T.Seconds = *T.Seconds + *Finite["connect"]->Seconds;
      }
      T.Reason = "a failing call can block for up to " + formatSeconds(*T.Seconds);
    } else if (Finite.count("connect")) {
      T.Present = true;
      T.Status = "present";
      for (auto &E : EvidenceOf(*Finite["connect"], Finite["connect"]->Note.empty() ? describe(*Finite["connect"]->S) : Finite["connect"]->Note))
        T.Evidence.push_back(E);
      const catalog::DefaultTimeout *Dflt =
          Op && Op->Default ? &*Op->Default : Lib ? &Lib->Default : nullptr;
      if (ConnectOnlyBoundsPart && Op && !Op->TimeoutScopes.empty() && !Op->boundedBy("read")) {
        T.Seconds = *Finite["connect"]->Seconds;
        T.Reason = "a failing connect can block for up to " + formatSeconds(*T.Seconds);
      } else if (Dflt && Dflt->Seconds) {
        // The rest keeps the library's finite default (aws-sdk-cpp: requestTimeoutMs 3 s).
        T.Seconds = *Finite["connect"]->Seconds + *Dflt->Seconds;
        T.Reason = "the connect phase is bounded (" + formatSeconds(*Finite["connect"]->Seconds) +
                   "); the rest keeps " + (Lib ? Lib->Name : C.Library) + "'s default: " +
                   Dflt->Text + "; a failing call can block for up to " + formatSeconds(*T.Seconds);
      } else {
        T.Unbounded = true;
        T.Reason = "only the connect phase is bounded (" + formatSeconds(*Finite["connect"]->Seconds) +
                   "); a stalled transfer can block forever";
      }
    }
    if (T.Present)
      return;
    for (const auto &Cd : Cands)
      if (Cd.Conditional) {
        T.Status = "conditional";
        T.Reason = Cd.Why;
        for (auto &E : EvidenceOf(Cd, Cd.Note.empty() ? describe(*Cd.S) : Cd.Note))
          T.Evidence.push_back(E);
        return;
      }
    for (const auto &Cd : Cands)
      if (Cd.Infinite) {
        T.Status = "absent";
        T.Unbounded = true;
        std::string LibName = Lib ? Lib->Name : C.Library;
        T.Reason = Cd.S->Option + " is set to " + (Cd.S->Val.Text.empty() ? "0" : Cd.S->Val.Text) +
                   " at line " + std::to_string(Cd.S->Loc.Line) + ", which " + LibName +
                   " treats as no timeout";
        for (auto &E : EvidenceOf(Cd, (Cd.Note.empty() ? describe(*Cd.S) : Cd.Note) + " (no timeout)"))
          T.Evidence.push_back(E);
        return;
      }
    // Nothing set: the library's documented default decides.
    std::string Names1;
    for (size_t I = 0; I < Names.size(); ++I)
      Names1 += (I ? "/" : "") + Names[I];
    std::string Handle = C.Handle.empty() ? "" : " on handle `" + C.Handle + "`";
    std::string Missing = "no " + (Names1.empty() ? std::string("timeout setting") : Names1) +
                          Handle + " before line " + std::to_string(C.Loc.Line);
    // An operation's own default (catalog operations[].default_timeout) wins.
    const catalog::DefaultTimeout *Default =
        Op && Op->Default ? &*Op->Default : Lib ? &Lib->Default : nullptr;
    if (Lib && Default && Default->Seconds) {
      T.Present = true;
      T.Status = "default";
      T.Seconds = *Default->Seconds;
      T.Reason = Missing + "; " + Lib->Name + "'s default applies: " + Default->Text;
      return;
    }
    T.Status = "absent";
    T.Unbounded = true;
    T.Reason = Missing + (Default && !Default->Text.empty() ? "; " + Default->Text : "");
  }


  /// A timeout value that is a parameter: decided by what every caller passes
  /// (constants and default arguments). Fills `Cd` and returns true when all
  /// callers are known.
  struct Candidate {
    const Setting *S;
    std::optional<double> Seconds;
    std::vector<Evidence> Path;
    std::string Scope;
    bool Infinite = false;
    bool Conditional = false;
    std::string Why;
    std::string Note; // replaces describe() where the setting's text must not be shown
  };

  bool valueFromCallers(const Setting &S, Candidate &Cd) {
    auto It = ArgsOf.find(S.Val.ParamKey);
    std::string Fn = S.Val.ParamKey.substr(6, S.Val.ParamKey.rfind('#') - 6);
    size_t Callers = CallersOf.count(Fn) ? CallersOf[Fn].size() : 0;
    if (It == ArgsOf.end() || It->second.empty() || It->second.size() != Callers)
      return false;
    bool AllInfinite = true, AllFinite = true;
    double Max = 0;
    for (const model::ArgValue *A : It->second) {
      auto Sec = toSeconds(A->Val, S.Unit);
      if (!Sec)
        return false;
      bool Inf = (*Sec == 0 && S.ZeroIsInfinite) || *Sec < 0;
      AllInfinite &= Inf;
      AllFinite &= !Inf;
      Max = std::max(Max, *Sec);
      Cd.Path.push_back({A->Loc.File, A->Loc.Line,
                         std::string(A->FromDefault ? "caller uses the default argument " : "caller passes ") +
                             A->Val.Text});
    }
    if (AllInfinite) {
      Cd.Infinite = true;
      Cd.Seconds = 0;
    } else if (AllFinite) {
      Cd.Seconds = Max;
    } else {
      Cd.Conditional = true;
      Cd.Why = S.Option + " comes from " + S.Val.DependsOn +
               " and callers pass both finite values and values that mean no timeout";
    }
    return true;
  }

  static std::string classOf(const std::string &MethodKey) {
    std::string K = MethodKey.substr(0, MethodKey.find('('));
    auto P = K.rfind("::");
    return P == std::string::npos ? "" : K.substr(0, P);
  }

  const model::ClassFact *breakerClass(const std::string &MethodKey) {
    std::string Cls = classOf(MethodKey);
    auto It = M.Classes.find(Cls);
    if (It == M.Classes.end()) // a plain name from the config
      It = M.Classes.find(Cls.substr(Cls.rfind("::") == std::string::npos ? 0 : Cls.rfind("::") + 2));
    return It == M.Classes.end() ? nullptr : &It->second;
  }

  /// Calls that reach `Fn` from its callers, up to `Depth` levels.
  void callersUp(const std::string &Fn, int Depth, std::vector<Evidence> Path,
                 const std::function<bool(const model::CallEdge &, const std::vector<Evidence> &)> &Visit,
                 std::set<std::string> &Seen) {
    if (Depth > 3 || !Seen.insert(Fn).second)
      return;
    if (auto It = CallersOf.find(Fn); It != CallersOf.end())
      for (const model::CallEdge *E : It->second) {
        auto P = Path;
        P.push_back({E->Loc.File, E->Loc.Line, "called from " + shortName(E->CallerKey)});
        if (Visit(*E, P))
          return;
        callersUp(E->CallerKey, Depth + 1, P, Visit, Seen);
      }
  }

  bool breakerGuard(const std::vector<model::GuardFact> &Guards, std::vector<Evidence> Path,
                    model::Protection &B) {
    for (const auto &G : Guards)
      if (const model::ClassFact *Cls = breakerClass(G.CalleeKey)) {
        B.Present = true;
        B.Status = "present";
        B.Kind = Cls->BreakerShape ? "guard (recognised by shape)" : "guard (recognised by name)";
        for (auto &E : Path)
          B.Evidence.push_back(E);
        B.Evidence.push_back({G.Loc.File, G.Loc.Line,
                              (G.EarlyExit ? "returns early unless " : "runs only if ") + G.Method +
                                  "()"});
        for (const auto &E : Cls->Evidence)
          if (!E.File.empty())
            B.Evidence.push_back(E);
        if (Cls->Loc.File.empty())
          B.Kind += ", named in the config";
        return true;
      }
    return false;
  }

  bool breakerLambda(const std::string &FnKey, std::vector<Evidence> Path, model::Protection &B) {
    if (FnKey.rfind("lambda@", 0) != 0)
      return false;
    auto It = FlowsFrom.find("lambda:" + FnKey);
    if (It == FlowsFrom.end())
      return false;
    for (const model::HandleFlow *F : It->second)
      if (const model::ClassFact *Cls = breakerClass(F->CalleeKey)) {
        B.Present = true;
        B.Status = "present";
        B.Kind = Cls->BreakerShape ? "wraps the call (recognised by shape)"
                                   : "wraps the call (recognised by name)";
        for (auto &E : Path)
          B.Evidence.push_back(E);
        B.Evidence.push_back({F->Loc.File, F->Loc.Line, "the call runs inside " + shortName(F->CalleeKey)});
        for (const auto &E : Cls->Evidence)
          if (!E.File.empty())
            B.Evidence.push_back(E);
        if (Cls->Loc.File.empty())
          B.Kind += ", named in the config";
        return true;
      }
    return false;
  }

  void resolveBreaker(CallSite &C) {
    model::Protection &B = C.CircuitBreaker;
    if (breakerGuard(C.Guards, {}, B) || breakerLambda(C.FunctionKey, {}, B))
      return;
    std::set<std::string> Seen;
    callersUp(C.FunctionKey, 0, {}, [&](const model::CallEdge &E, const std::vector<Evidence> &P) {
      return breakerGuard(E.Guards, P, B) || breakerLambda(E.CallerKey, P, B);
    }, Seen);
    if (!B.Present) {
      B.Status = "absent";
      B.Reason = "no circuit breaker wraps or guards this call or its callers (a breaker is "
                 "recognised by its shape: open/closed state, failure count and reset timer, or by "
                 "a class name containing \"Breaker\")";
    }
  }

  static bool guardName(const std::string &Fn) {
    std::string L = Fn;
    for (auto &Ch : L)
      Ch = static_cast<char>(std::tolower(static_cast<unsigned char>(Ch)));
    for (const char *W : {"allow", "permit", "authori", "limit", "quota", "verify", "valid", "check"})
      if (L.find(W) != std::string::npos)
        return true;
    return false;
  }

  /// Does the handler serve another source? Returns the kind, filling evidence.
  std::string fallbackIn(const CallSite &C, const model::HandlerFact &H, std::vector<Evidence> &Ev) {
    for (const auto &Call : H.CatalogCalls)
      if (Call.Note != C.Library + ":" + C.Operation || Call.Line != C.Loc.Line) {
        Ev.push_back({Call.File, Call.Line, "on failure calls " + Call.Note});
        return "alternative integration";
      }
    for (const auto &Callee : H.CalleeKeys)
      if (auto It = SitesIn.find(Callee); It != SitesIn.end())
        for (const CallSite *Other : It->second)
          if (Other->Library != C.Library || Other->HandleKey != C.HandleKey) {
            Ev.push_back({H.Loc.File, H.Loc.Line,
                          "on failure calls " + shortName(Callee) + ", which uses " + Other->Library});
            return "alternative integration";
          }
    for (const auto &N : H.Notes)
      if (N.Note.rfind("serves ", 0) == 0) {
        Ev.push_back(N);
        return "cached or default value";
      }
    if (H.Requeues) {
      for (const auto &N : H.Notes)
        Ev.push_back(N);
      return "queued for later";
    }
    return "";
  }

  void resolveFallback(CallSite &C) {
    model::Protection &F = C.Fallback;
    auto Try = [&](const std::vector<model::HandlerFact> &Handlers, const std::vector<Evidence> &Path) {
      for (const auto &H : Handlers) {
        std::vector<Evidence> Ev;
        std::string Kind = fallbackIn(C, H, Ev);
        if (Kind.empty())
          continue;
        F.Present = true;
        F.Status = "present";
        F.Kind = Kind;
        for (auto &E : Path)
          F.Evidence.push_back(E);
        F.Evidence.push_back({H.Loc.File, H.Loc.Line, H.Kind == "catch" ? "catch block" : "error branch"});
        for (auto &E : Ev)
          F.Evidence.push_back(E);
        return true;
      }
      return false;
    };
    // Fail-open or fail-closed, for guards that depend on the integration.
    auto Mode = [&](const std::vector<model::HandlerFact> &Handlers, const std::string &Fn) {
      if (!C.FailMode.empty() || !guardName(Fn))
        return;
      for (const auto &H : Handlers)
        if (H.ReturnsBool) {
          C.FailMode = *H.ReturnsBool ? "open" : "closed";
          C.FailModeEvidence.push_back(
              {H.Loc.File, H.Loc.Line,
               shortName(Fn) + (*H.ReturnsBool ? " allows when the integration fails (fail-open)"
                                               : " denies when the integration fails (fail-closed)")});
          return;
        }
    };
    Mode(C.Handlers, C.FunctionKey);
    if (!Try(C.Handlers, {})) {
      std::set<std::string> Seen;
      callersUp(C.FunctionKey, 0, {}, [&](const model::CallEdge &E, const std::vector<Evidence> &P) {
        Mode(E.Handlers, E.CallerKey);
        return Try(E.Handlers, P);
      }, Seen);
    }
    if (!F.Present) {
      F.Status = "absent";
      bool Handled = !C.Handlers.empty();
      F.Reason = Handled ? "the failure is handled but no other source (another integration, a "
                           "cache, a default or a queue) is served"
                         : "no catch block or error branch serves another source when this call fails";
    }
  }

  void resolveScopeGuard(CallSite &C) {
    if (C.Timeout.Present)
      return;
    auto Covers = [&](const std::string &Fn, const model::Location &At, std::vector<Evidence> Path) {
      for (const auto &G : M.ScopeGuards)
        if (G.FunctionKey == Fn && G.Loc.File == At.File && G.Loc < At && At < G.ScopeEnd) {
          model::Protection &T = C.Timeout;
          T = model::Protection();
          T.Present = true;
          T.Status = "present";
          T.Kind = "raii guard";
          T.Seconds = G.Seconds;
          for (auto &E : Path)
            T.Evidence.push_back(E);
          T.Evidence.push_back({G.Loc.File, G.Loc.Line,
                                "deadline guard `" + G.Var + "` (" + G.ClassName + ")" +
                                    (G.Seconds ? " of " + formatSeconds(*G.Seconds) : "") +
                                    " is in scope"});
          T.Reason = G.Seconds ? "a deadline guard bounds the call to " + formatSeconds(*G.Seconds)
                               : "a deadline guard of run-time length is in scope";
          return true;
        }
      return false;
    };
    if (Covers(C.FunctionKey, C.Loc, {}))
      return;
    std::set<std::string> Seen;
    callersUp(C.FunctionKey, 0, {}, [&](const model::CallEdge &E, const std::vector<Evidence> &P) {
      return Covers(E.CallerKey, E.Loc, P);
    }, Seen);
  }

  void resolveInactive(CallSite &C, const catalog::Library *Lib) {
    if (!Lib || C.Timeout.Present)
      return;
    std::set<std::string> TimeoutNames;
    for (const auto &St : Lib->Setters)
      for (const auto &O : St.Options)
        if (O.Concern == "timeout")
          TimeoutNames.insert(O.Name.empty() ? catalog::normalizeName(St.Name).substr(
                                                   catalog::normalizeName(St.Name).rfind(':') + 1)
                                             : O.Name);
    unsigned FnLine = 0;
    if (auto It = FunctionsByKey.find(C.FunctionKey); It != FunctionsByKey.end() &&
                                                      It->second->Loc.File == C.Loc.File)
      FnLine = It->second->Loc.Line;
    for (const auto &I : M.Inactive)
      if (I.Loc.File == C.Loc.File && I.Loc.Line >= FnLine && I.Loc.Line < C.Loc.Line)
        for (const auto &N : I.Names)
          if (TimeoutNames.count(N)) {
            C.InactiveNotes.push_back(
                {I.Loc.File, I.Loc.Line,
                 "an inactive preprocessor branch (lines " + std::to_string(I.Loc.Line) + "-" +
                     std::to_string(I.EndLine) + ") sets " + N +
                     ": another build configuration may give this call a timeout"});
            break;
          }
  }

  const model::LoopFact *loop(const std::string &Id, int Param = -1) {
    auto It = M.Loops.find(Id + "#" + std::to_string(Param));
    return It == M.Loops.end() ? nullptr : &It->second;
  }

  static bool isRetry(const model::LoopFact &L) { return L.ExitsOnSuccess && !L.IteratesCollection; }

  void applyRetry(model::Protection &R, const model::LoopFact &L, std::vector<Evidence> Path,
                  const std::string &How) {
    R.Present = true;
    R.Status = "present";
    R.Kind = How;
    R.Bounded = L.Bounded;
    R.Backoff = L.Backoff;
    R.Jitter = L.Jitter;
    if (L.MaxAttempts)
      R.MaxAttempts = *L.MaxAttempts;
    for (auto &E : Path)
      R.Evidence.push_back(E);
    R.Evidence.push_back({L.Loc.File, L.Loc.Line, How});
    for (const auto &E : L.Evidence)
      R.Evidence.push_back(E);
  }

  void resolveRetry(CallSite &C, const catalog::Library *Lib, const std::vector<Applied> &All) {
    model::Protection &R = C.Retry;
    const model::LoopFact *ItemLoop = nullptr;
    // 0. The library's own retry policy, configured on the handle or by default.
    for (const auto &A : All)
      if (A.S->Concern == "retry") {
        const Setting &S = *A.S;
        std::optional<int> Attempts;
        bool Backoff = false;
        if (S.Val.K == Value::Kind::String) {
          const std::string &J = S.Val.Str;
          if (auto P = J.find("maxAttempts"); P != std::string::npos) {
            auto D = J.find_first_of("0123456789", P);
            if (D != std::string::npos)
              Attempts = std::atoi(J.c_str() + D);
          }
          if (auto P = J.find("backoffMultiplier"); P != std::string::npos) {
            auto D = J.find_first_of("0123456789", P);
            Backoff = D != std::string::npos && std::atof(J.c_str() + D) > 1.0;
          }
          if (!Attempts && J.find("retryPolicy") == std::string::npos) {
            char *End = nullptr;
            long N = std::strtol(J.c_str(), &End, 10);
            if (End != J.c_str())
              Attempts = static_cast<int>(N) + 1;
          }
        } else if (S.Val.K == Value::Kind::Int) {
          Attempts = static_cast<int>(S.Val.Int) + 1;
        }
        if (!Attempts || *Attempts <= 1)
          continue;
        R.Present = true;
        R.Status = "present";
        R.Kind = "library retry policy";
        R.Bounded = true;
        R.MaxAttempts = *Attempts;
        R.Backoff = Backoff;
        for (const auto &E : A.Path)
          R.Evidence.push_back(E);
        R.Evidence.push_back({S.Loc.File, S.Loc.Line, S.Option + " allows " + std::to_string(*Attempts) + " attempts"});
        return;
      }
    // 1. A loop around the call in its own function.
    for (const auto &Id : C.EnclosingLoops)
      if (const auto *L = loop(Id)) {
        if (isRetry(*L)) {
          applyRetry(R, *L, {}, "retry loop around the call");
          return;
        }
        if (L->IteratesCollection)
          ItemLoop = L;
      }
    // 2. The call sits in a lambda handed to a helper that re-invokes it in a loop.
    if (C.FunctionKey.rfind("lambda@", 0) == 0)
      if (auto It = FlowsFrom.find("lambda:" + C.FunctionKey); It != FlowsFrom.end())
        for (const model::HandleFlow *F : It->second)
          for (const auto &[Key, L] : M.Loops)
            if (L.FunctionKey == F->CalleeKey && L.CallableParam == static_cast<int>(F->ArgIndex) &&
                isRetry(L)) {
              applyRetry(R, L, {{F->Loc.File, F->Loc.Line, "passed to " + shortName(F->CalleeKey)}},
                         "retry helper " + shortName(F->CalleeKey) + " re-invokes the callable");
              return;
            }
    // 3. A caller repeats the function that makes the call (wrapper retried by its user).
    std::set<std::string> Seen;
    std::function<bool(const std::string &, std::vector<Evidence>, int)> Up =
        [&](const std::string &Fn, std::vector<Evidence> Path, int Depth) {
          if (Depth > 3 || !Seen.insert(Fn).second)
            return false;
          auto It = CallersOf.find(Fn);
          if (It == CallersOf.end())
            return false;
          for (const model::CallEdge *E : It->second) {
            auto P = Path;
            P.push_back({E->Loc.File, E->Loc.Line, "called from " + shortName(E->CallerKey)});
            for (const auto &Id : E->Loops)
              if (const auto *L = loop(Id); L && isRetry(*L)) {
                applyRetry(R, *L, P, "caller retries " + shortName(Fn));
                return true;
              }
            if (Up(E->CallerKey, P, Depth + 1))
              return true;
          }
          return false;
        };
    if (Up(C.FunctionKey, {}, 0))
      return;
    // 4. The failure handler re-queues the request for a later attempt (event loops).
    auto Requeue = [&](const std::vector<model::HandlerFact> &Handlers, const std::vector<Evidence> &Path) {
      for (const auto &H : Handlers)
        if (H.Requeues) {
          R.Present = true;
          R.Status = "present";
          R.Kind = "re-queued for a later attempt";
          for (auto &E : Path)
            R.Evidence.push_back(E);
          for (const auto &N : H.Notes)
            R.Evidence.push_back(N);
          return true;
        }
      return false;
    };
    if (Requeue(C.Handlers, {}))
      return;
    {
      std::set<std::string> Seen2;
      bool Found = false;
      callersUp(C.FunctionKey, 0, {}, [&](const model::CallEdge &E, const std::vector<Evidence> &P) {
        return Found = Requeue(E.Handlers, P);
      }, Seen2);
      if (Found)
        return;
    }
    if (Lib && Lib->DefaultRetry) {
      R.Present = true;
      R.Status = "default";
      R.Kind = "library default retry policy";
      R.Bounded = true;
      R.MaxAttempts = Lib->DefaultRetry->Attempts;
      R.Backoff = Lib->DefaultRetry->Backoff;
      R.Reason = Lib->Name + " retries by default (" + Lib->DefaultRetry->Source + ")";
      return;
    }
    R.Status = "absent";
    if (ItemLoop)
      R.Reason = "the loop at line " + std::to_string(ItemLoop->Loc.Line) +
                 " iterates over a collection, calling once per item; it is not a retry";
    else
      R.Reason = "no loop, retry helper or caller repeats this call after a failure";
  }

  Merged &M;
  const catalog::Catalog &Cat;
  std::map<std::string, std::vector<const Setting *>> ByHandle;
  std::map<std::string, std::vector<std::string>> DerivedFrom;
  std::map<std::string, std::vector<const model::HandleFlow *>> FlowsFrom;
  std::map<std::string, std::vector<const model::HandleFlow *>> FlowsInto;
  std::map<std::string, std::vector<const model::CallEdge *>> CallersOf;
  std::map<std::string, std::vector<const model::ArgValue *>> ArgsOf;
  std::map<std::string, const model::Function *> FunctionsByKey;
  std::map<std::string, std::vector<const CallSite *>> SitesIn;
};

} // namespace

void resolve(Merged &M, const catalog::Catalog &Cat,
             const std::vector<std::string> &BreakerClasses) {
  // Classes the user names as breakers join those recognised by shape or name.
  for (const auto &Name : BreakerClasses) {
    std::string N = catalog::normalizeName(Name);
    bool Found = false;
    for (auto &[Q, C] : M.Classes)
      if (Q == N ||
          (Q.size() >= N.size() + 2 && Q.compare(Q.size() - N.size() - 2, N.size() + 2, "::" + N) == 0)) {
        C.BreakerName = true;
        C.Evidence.push_back({C.Loc.File, C.Loc.Line, "circuit breaker named in the config (circuit_breakers)"});
        Found = true;
      }
    if (!Found)
      M.Classes[N] = model::ClassFact{N, {}, false, true,
                                      {{"", 0, "circuit breaker named in the config (circuit_breakers)"}}};
  }
  inferWrappers(M);
  {
    Resolver R(M, Cat);
    R.run();
    M.CallSites.erase(std::remove_if(M.CallSites.begin(), M.CallSites.end(),
                                     [&](const CallSite &C) { return R.NotClients.count(&C); }),
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
