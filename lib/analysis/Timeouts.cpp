#include "analysis/Protections.h"
#include "analysis/Endpoints.h"
#include "analysis/Resolve.h"
#include "support/SqlSettings.h"

#include <algorithm>
#include <cctype>
#include <cstdlib>
#include <map>
#include <optional>

namespace im::analysis {
using model::CallSite;
using model::Evidence;
using model::Setting;
using model::Value;

namespace {

/// One timeout setting that may bound the call, with what it proves.
struct Candidate {
  const Setting *S;
  std::optional<double> Seconds;
  std::vector<Evidence> Path;
  std::string Scope;
  bool Infinite = false;
  bool Conditional = false;
  bool RunTime = false; // a std::chrono duration of run-time length, which this option reads as finite
  std::string RunTimeWhy; // why a run-time value is finite, when it is not a duration
  std::string Why;
  std::string Note; // replaces describe() where the setting's text must not be shown
  bool FromObject = false; // the value's evidence is in Path (an option object's member)
};

std::string describe(const Setting &S) {
  std::string What = S.Option;
  if (auto Sec = toSeconds(S.Val, S.Unit))
    return What + " = " + formatSeconds(*Sec) + (S.Val.Text.empty() ? "" : " (" + S.Val.Text + ")");
  return What + " = " + S.Val.Text;
}

/// One value a parameter receives, with the calls that carried it there.
struct Passed {
  const model::ArgValue *A;
  std::vector<Evidence> Path;
};

/// Every value `ParamKey` receives, following callers that pass their own
/// parameter on (up to four levels). False when some call is not known.
bool passedValues(const std::string &ParamKey, const HandleGraph &G, int Depth,
                  std::vector<Evidence> Path, std::vector<Passed> &Out) {
  const auto &Args = G.argsOf(ParamKey);
  if (Args.empty() || Depth > 4)
    return false;
  for (const model::ArgValue *A : Args) {
    if (!A->Val.ParamKey.empty() && A->Val.K == model::Value::Kind::Unknown) {
      auto P = Path;
      P.push_back({A->Loc.File, A->Loc.Line,
                   HandleGraph::shortName(A->CallerKey) + " passes its parameter " + A->Val.Text});
      if (passedValues(A->Val.ParamKey, G, Depth + 1, P, Out))
        continue;
    }
    Out.push_back({A, Path});
  }
  return true;
}

/// A timeout value that is a parameter: decided by what every caller passes
/// (constants, default arguments, their own parameters' callers). Fills `Cd`
/// and returns true when the callers are known.
bool valueFromCallers(const Setting &S, Candidate &Cd, const HandleGraph &G) {
  std::vector<Passed> All;
  if (!passedValues(S.Val.ParamKey, G, 0, {}, All))
    return false;
  bool AllInfinite = true, AllFinite = true;
  double Max = 0;
  std::string Undecided;
  for (const Passed &P : All) {
    const model::ArgValue &A = *P.A;
    std::string Unit = A.Val.Duration ? "s" : S.Unit;
    auto Sec = toSeconds(A.Val, Unit);
    bool RunTimeDuration = !Sec && A.Val.Duration && !S.ZeroIsInfinite;
    bool Inf = Sec && ((*Sec == 0 && S.ZeroIsInfinite) || *Sec < 0);
    for (const auto &E : P.Path)
      Cd.Path.push_back(E);
    std::string In = " in " + HandleGraph::shortName(A.CallerKey);
    if (!Sec && !RunTimeDuration) {
      AllFinite = AllInfinite = false;
      if (Undecided.empty())
        Undecided = "`" + A.Val.Text + "`" + In + " (" + model::str(A.Loc) + ")";
      Cd.Path.push_back({A.Loc.File, A.Loc.Line, "caller passes `" + A.Val.Text + "`" + In + ", not a constant"});
      continue;
    }
    AllInfinite &= Inf;
    AllFinite &= !Inf;
    if (Sec)
      Max = std::max(Max, *Sec);
    if (Inf && Undecided.empty())
      Undecided = A.Val.Text + In + " (" + model::str(A.Loc) + "), which means no timeout";
    Cd.Path.push_back({A.Loc.File, A.Loc.Line,
                       std::string(A.FromDefault ? "caller uses the default argument " : "caller passes ") +
                           A.Val.Text + In +
                           (RunTimeDuration ? " (a std::chrono duration: finite for this option)" : "")});
  }
  if (AllInfinite) {
    Cd.Infinite = true;
    Cd.Seconds = 0;
  } else if (AllFinite) {
    Cd.Seconds = Max;
  } else {
    Cd.Conditional = true;
    Cd.Why = S.Option + " comes from " + S.Val.DependsOn + " and a caller passes " + Undecided;
  }
  return true;
}

/// A timeout read from a member of an option object (`opts.timeout_ms`): decided
/// by what the object holds on the way to this call site (the default member
/// initializer, an assignment in the caller or a helper). Fills `Cd` and returns
/// true when where the object comes from is known.
bool valueFromObject(const Setting &S, Candidate &Cd, const MemberChain &Chain, const HandleGraph &G) {
  std::vector<MemberValue> All;
  if (!memberValues(S.Val, S.Loc, Chain, G, All) || All.empty())
    return false;
  bool AllInfinite = true, AllFinite = true;
  double Max = 0;
  std::string Undecided;
  for (const MemberValue &V : All) {
    std::string Unit = V.Val.Duration ? "s" : S.Unit;
    auto Sec = toSeconds(V.Val, Unit);
    bool RunTimeDuration = !Sec && V.Val.Duration && !S.ZeroIsInfinite;
    bool Inf = Sec && ((*Sec == 0 && S.ZeroIsInfinite) || *Sec < 0);
    for (const auto &E : V.Path)
      Cd.Path.push_back(E);
    if (!Sec && !RunTimeDuration) {
      AllFinite = AllInfinite = false;
      if (Undecided.empty())
        Undecided = V.Where;
      continue;
    }
    AllInfinite &= Inf;
    AllFinite &= !Inf;
    if (Sec)
      Max = std::max(Max, *Sec);
    if (Inf && Undecided.empty())
      Undecided = V.Where + ", which " + (S.Library.empty() ? std::string("the library") : S.Library) +
                  " treats as no timeout";
  }
  Cd.FromObject = true;
  if (AllInfinite) {
    Cd.Infinite = true;
    Cd.Seconds = 0;
    Cd.Note = S.Option + " = " + S.Val.Text + ", which is " + Undecided;
  } else if (AllFinite) {
    Cd.Seconds = Max;
    Cd.Note = S.Option + " = " + S.Val.Text + " (" + formatSeconds(Max) + " on the way to this call)";
  } else {
    Cd.Conditional = true;
    Cd.Why = S.Option + " comes from " + S.Val.Text + ", which is " + Undecided + " on the way to this call";
  }
  return true;
}

/// The calls on the way to `C` and to the setting `A`: the wrapper calls the call
/// site stands for and the helper calls that carried its handle.
MemberChain chainOf(const CallSite &C, const Applied &A) {
  MemberChain Ch{{C.Loc.File, C.Loc.Line}};
  for (const auto &E : C.Via)
    Ch.insert({E.File, E.Line});
  for (const auto &E : A.Path)
    Ch.insert({E.File, E.Line});
  return Ch;
}

/// The keywords of a conninfo's literal tail: the literal pieces after the last
/// piece known only at run time, when they start a new keyword (a space in the
/// key=value form, `?` or `&` in a URI). `Open`/`OpenFrom`: a keyword whose
/// value is that run-time piece (`" connect_timeout=" + std::to_string(s)`).
std::map<std::string, std::string> conninfoTail(const model::StrExpr &E, std::string &Open,
                                                std::string &OpenFrom) {
  size_t Last = E.size();
  for (size_t I = 0; I < E.size(); ++I)
    if (E[I].Kind != "lit")
      Last = I;
  if (Last == E.size())
    return {}; // all literal: the value itself was a string, read there
  std::string Before, Tail;
  bool RunAtStart = true; // no run-time piece before the literal run that precedes Last
  for (size_t I = 0; I < Last; ++I) {
    RunAtStart &= E[I].Kind == "lit";
    Before = E[I].Kind == "lit" ? Before + E[I].Text : std::string();
  }
  for (size_t I = Last + 1; I < E.size(); ++I)
    Tail += E[I].Text;
  bool TailStartsKeyword = Tail.empty() || std::isspace(static_cast<unsigned char>(Tail[0])) ||
                           Tail[0] == '&' || Tail[0] == '?';
  // `... connect_timeout=` + run-time piece, then nothing or a new keyword.
  if (TailStartsKeyword && !Before.empty() && Before.back() == '=') {
    size_t K = Before.find_last_of(" \t?&", Before.size() - 2);
    std::string Key = Before.substr(K == std::string::npos ? 0 : K + 1);
    Key.pop_back();
    if (K != std::string::npos || RunAtStart) {
      Open = Key;
      std::string T = E[Last].Text;
      if (T.size() > 2 && T.front() == '{' && T.back() == '}')
        T = T.substr(1, T.size() - 2);
      OpenFrom = "`" + T + "`";
    }
  }
  if (Tail.empty() || !TailStartsKeyword)
    return {};
  if (Tail[0] == '&' || Tail[0] == '?') {
    std::map<std::string, std::string> Out;
    std::string Q = Tail.substr(1);
    for (size_t P = 0; P <= Q.size();) {
      size_t Amp = Q.find('&', P);
      std::string KV = Q.substr(P, Amp == std::string::npos ? std::string::npos : Amp - P);
      if (auto Eq = KV.find('='); Eq != std::string::npos)
        Out[KV.substr(0, Eq)] = KV.substr(Eq + 1);
      if (Amp == std::string::npos)
        break;
      P = Amp + 1;
    }
    return Out;
  }
  return parseConninfo(Tail);
}

/// "parameter 0 of get()" when the handle `C` ultimately uses is a parameter
/// that no analysed call passes a handle to; "" otherwise (a caller passes one
/// in, and what it configured was already collected).
std::string handleFromOutside(const CallSite &C, const HandleGraph &G) {
  const std::string &Root = C.RootHandleKey;
  // A call through project wrappers is rooted at the wrapper's object, not at
  // the library handle inside: only direct library calls are decided here.
  if (!C.Via.empty() || !C.ImplHandleKey.empty())
    return "";
  if (!G.fromOutside(Root))
    return "";
  return HandleGraph::handleName(Root);
}

} // namespace

void resolveTimeout(CallSite &C, const catalog::Library *Lib, const catalog::Operation *Op,
                    const std::vector<Applied> &All, const HandleGraph &G, bool WholeProgram,
                    const EndpointFolder *Folder) {
  model::Protection &T = C.Timeout;
  std::vector<Candidate> Cands;
  std::vector<const Applied *> AsyncOnly; // deadlines that do not bound this synchronous call
  std::vector<std::string> Names;
  // Whether any of the library's timeout setters bounds this operation (Beast's
  // expiry does not bound a synchronous read): only then could a caller have.
  bool SetterCouldBound = false;
  if (Lib)
    for (const auto &St : Lib->Setters)
      for (const auto &O : St.Options)
        if (O.Concern == "timeout") {
          std::string N = O.Name.empty() ? catalog::normalizeName(St.Name) : O.Name;
          if (std::find(Names.begin(), Names.end(), N) == Names.end())
            Names.push_back(N);
          SetterCouldBound |= !Op || Op->boundedBy(O.Scope.empty() ? "total" : O.Scope);
        }
  std::vector<const Applied *> Opaque; // the handle went where the analysis cannot follow
  for (const auto &A : All) {
    const Setting &S = *A.S;
    if (S.Concern == "opaque") {
      Opaque.push_back(&A);
      continue;
    }
    std::string Scope = S.Scope.empty() ? "total" : S.Scope;
    if (S.Concern == "endpoint" && Lib && (S.Val.K == Value::Kind::String || !S.Expr.empty())) {
      // libpq conninfo: connect_timeout bounds connecting; statement_timeout (in
      // options=-c ...) bounds every statement.
      bool Conninfo = false;
      for (const auto &St : Lib->Setters)
        for (const auto &O : St.Options)
          if (O.Concern == "endpoint" && O.Semantics == "conninfo")
            Conninfo = true;
      if (!Conninfo)
        continue;
      // A conninfo built at run time: only the keywords of its literal tail
      // are sure (libpq keeps a keyword's last occurrence, so they win over
      // whatever the run-time pieces before them say).
      bool Built = S.Val.K != Value::Kind::String;
      std::string Open, OpenFrom;
      auto KV = Built ? conninfoTail(Folder ? Folder->expand(S.Expr) : S.Expr, Open, OpenFrom)
                      : parseConninfo(S.Val.Str);
      std::string In = Built ? " at the end of the connection string built here" : " in the connection string";
      if (Open == "connect_timeout" && (!Op || Op->boundedBy("connect"))) {
        Candidate Cd{&S, std::nullopt, A.Path, "connect"};
        Cd.Conditional = true;
        Cd.Why = "connect_timeout in the connection string comes from " + OpenFrom + ", not a compile-time constant";
        Cd.Note = "connect_timeout=" + OpenFrom + In;
        Cands.push_back(Cd);
      }
      if (auto It = KV.find("connect_timeout"); It != KV.end() && (!Op || Op->boundedBy("connect"))) {
        double V = std::atof(It->second.c_str());
        Candidate Cd{&S, V, A.Path, "connect", V <= 0};
        Cd.Note = "connect_timeout=" + It->second + In;
        Cands.push_back(Cd);
      }
      if (auto It = KV.find("options"); It != KV.end()) {
        auto P = It->second.find("statement_timeout=");
        if (P != std::string::npos && (!Op || Op->boundedBy("total"))) {
          // The value as the server reads it: a bare number is milliseconds, a
          // unit may follow ("5s", "2min").
          std::string Raw = It->second.substr(P + 18);
          Raw = Raw.substr(0, Raw.find_first_of(" \t"));
          Value Pg;
          Pg.K = Value::Kind::String;
          Pg.Str = Raw;
          support::pgDuration(Pg);
          if (Pg.K != Value::Kind::Float)
            continue; // not a time the server accepts: no bound to credit
          double V = Pg.Float / 1000.0;
          Candidate Cd{&S, V, A.Path, "total", V <= 0};
          Cd.Note = "statement_timeout=" + Raw + " in the options" + In;
          Cands.push_back(Cd);
        }
      }
      continue;
    }
    if (S.Concern != "timeout")
      continue;
    // Scope "async": a deadline the library applies to asynchronous operations
    // only (Beast basic_stream::expires_after); it bounds the call like a total
    // timeout when the operation is asynchronous, and not at all otherwise.
    if (Scope == "async") {
      if (Op && !Op->boundedBy("async")) {
        AsyncOnly.push_back(&A);
        continue;
      }
      Scope = "total";
    }
    if (Op && !Op->boundedBy(Scope))
      continue;
    Candidate Cd{&S, std::nullopt, A.Path, Scope};
    auto Sec = toSeconds(S.Val, S.Unit);
    // A run-time value the code makes positive wherever the call that takes it
    // runs (`if (t > 0) redisConnectWithTimeout(host, port, tv(t))`): that call
    // is bounded, for a length decided at run time. A separate setter under such
    // a guard may not run at all, so it is decided as any run-time value below.
    const model::Location &Own = C.ImplLoc.valid() ? C.ImplLoc : C.Loc;
    if ((!Sec || !S.Val.Proven) && !S.Val.PositiveWhen.empty() && S.Loc.File == Own.File &&
        S.Loc.Line == Own.Line) {
      Cd.Seconds = 0;
      Cd.RunTime = true;
      Cd.RunTimeWhy = S.Option + " is set from `" + S.Val.Text + "` only where `" + S.Val.PositiveWhen +
                      "` holds (line " + std::to_string(S.Val.PositiveAt.Line) +
                      "): a positive bound whose length is decided at run time";
      Cd.Path.push_back({S.Val.PositiveAt.File, S.Val.PositiveAt.Line,
                         "`" + S.Val.PositiveWhen + "` makes the value positive wherever the call runs"});
      Cands.push_back(Cd);
      continue;
    }
    if ((!Sec || !S.Val.Proven) && !S.Val.MemberOf.empty() && valueFromObject(S, Cd, chainOf(C, A), G)) {
      Cands.push_back(Cd);
      continue;
    }
    if ((!Sec || !S.Val.Proven) && !S.Val.ParamKey.empty())
      if (auto FromCallers = valueFromCallers(S, Cd, G); FromCallers) {
        Cands.push_back(Cd);
        continue;
      }
    if (!Sec && S.Val.Duration && !S.ZeroIsInfinite) {
      // A duration cannot ask this option to wait forever (Beast's expires_after(0s)
      // expires at once): bounded, for a length the code decides at run time.
      Cd.Seconds = 0;
      Cd.RunTime = true;
    } else if (!Sec) {
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
    if (!Cd.S->Via.empty()) {
      E.push_back({Cd.S->Loc.File, Cd.S->Loc.Line,
                   Note + " through " + Cd.S->Via + " in " + HandleGraph::shortName(Cd.S->FunctionKey)});
      E.push_back({Cd.S->ViaLoc.File, Cd.S->ViaLoc.Line, Cd.S->Via + " passes it to the library"});
    } else
      E.push_back({Cd.S->Loc.File, Cd.S->Loc.Line, Note});
    if (Cd.FromObject)
      return E;
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
    for (const auto &[Scope, Cd] : Finite)
      if (Cd->RunTime && !Cd->RunTimeWhy.empty()) {
        T.Seconds.reset();
        T.Reason = Cd->RunTimeWhy;
      } else if (Cd->RunTime) {
        T.Seconds.reset();
        T.Reason = Cd->S->Option + " is set from `" + Cd->S->Val.Text +
                   "`, a std::chrono duration of run-time length: finite, as this option reads every duration";
      }
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
      // A bound on connecting does not bound the request: not present. A total
      // timeout set at run time or to "wait forever" decides the verdict below.
      T.Present = false;
      T.Status = "absent";
      T.Reason = "only the connect phase is bounded (" + formatSeconds(*Finite["connect"]->Seconds) +
                 "); a stalled transfer can block forever";
      if (std::none_of(Cands.begin(), Cands.end(), [](const Candidate &Cd) {
            return (Cd.Conditional || Cd.Infinite) && Cd.Scope != "connect";
          })) {
        T.Unbounded = true;
        return;
      }
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
      T.Reason = Cd.FromObject ? Cd.Note
                               : Cd.S->Option + " is set to " + (Cd.S->Val.Text.empty() ? "0" : Cd.S->Val.Text) +
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
  if (!Opaque.empty()) {
    // Cannot tell: a callable the analysis does not follow received the handle
    // before the call and may have set a timeout on it.
    // The last handover in source order names the reason (the one nearest
    // the call when a wrapper resets the handle first); all are evidence.
    const Applied &A = **std::max_element(Opaque.begin(), Opaque.end(), [](const Applied *X, const Applied *Y) {
      return X->S->Loc < Y->S->Loc;
    });
    T.Status = "conditional";
    T.Reason = "cannot tell: " + Missing + " in the analysed code, but the handle is handed to " +
               A.S->Option + " at line " + std::to_string(A.S->Loc.Line) + " (in " +
               HandleGraph::shortName(A.S->FunctionKey) + "), which may set one";
    for (const Applied *O : Opaque) {
      for (const auto &E : O->Path)
        T.Evidence.push_back(E);
      T.Evidence.push_back({O->S->Loc.File, O->S->Loc.Line, "handle handed to " + O->S->Option});
    }
    return;
  }
  // Could the caller have bounded this call at all? Not when no setter bounds
  // it, nor when the settings that reached it bound only asynchronous calls.
  bool CallerCouldBound = Lib && SetterCouldBound && AsyncOnly.empty() && WholeProgram;
  if (std::string From = CallerCouldBound ? handleFromOutside(C, G) : ""; !From.empty()) {
    // The handle is a parameter and no analysed call passes one in (a library's
    // public function, a callback the framework invokes): whoever calls it made
    // the handle and may have bounded it. Cannot tell, rather than a false alarm.
    T.Status = "conditional";
    T.Reason = "cannot tell: " + Missing + " in the analysed code, but the handle is " + From +
               ", which no analysed code calls with a handle: its caller may have set one";
    const model::Function *F = G.function(HandleGraph::functionOfParam(C.RootHandleKey));
    if (F && F->Loc.valid())
      T.Evidence.push_back({F->Loc.File, F->Loc.Line, "the handle comes from the caller of " +
                                                          HandleGraph::shortName(F->Key)});
    T.Evidence.push_back({C.Loc.File, C.Loc.Line, "called on the caller's handle"});
    return;
  }
  T.Status = "absent";
  T.Unbounded = true;
  T.Reason = Missing + (Default && !Default->Text.empty() ? "; " + Default->Text : "");
  for (const Applied *A : AsyncOnly) {
    T.Reason += "; " + A->S->Option + " at line " + std::to_string(A->S->Loc.Line) + " (in " +
                HandleGraph::shortName(A->S->FunctionKey) +
                ") bounds only asynchronous operations, and this call is synchronous";
    T.Evidence.push_back({A->S->Loc.File, A->S->Loc.Line,
                          A->S->Option + " bounds only asynchronous operations"});
  }
}

void resolveScopeGuard(CallSite &C, const Merged &M, const HandleGraph &G) {
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
  G.walkCallers(C.FunctionKey, [&](const model::CallEdge &E, const std::vector<Evidence> &P) {
    return Covers(E.CallerKey, E.Loc, P);
  });
}

void resolveInactive(CallSite &C, const catalog::Library *Lib, const Merged &M,
                     const HandleGraph &G) {
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
  if (const model::Function *Fn = G.function(C.FunctionKey); Fn && Fn->Loc.File == C.Loc.File)
    FnLine = Fn->Loc.Line;
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

} // namespace im::analysis
