#include "analysis/Protections.h"

#include <cstdlib>
#include <functional>
#include <set>

namespace im::analysis {
using model::CallSite;
using model::Evidence;
using model::Setting;
using model::Value;

namespace {
const auto &shortName = HandleGraph::shortName;

const model::LoopFact *loop(const Merged &M, const std::string &Id, int Param = -1) {
  auto It = M.Loops.find(Id + "#" + std::to_string(Param));
  return It == M.Loops.end() ? nullptr : &It->second;
}

/// A loop that stops once the call succeeds and does not walk a collection or
/// poll for a reply's value.
bool isRetry(const model::LoopFact &L) { return L.ExitsOnSuccess && !L.IteratesCollection && !L.Polls; }

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

} // namespace

void resolveRetry(CallSite &C, const catalog::Library *Lib, const catalog::Operation *Op,
                  const std::vector<Applied> &All, const Merged &M, const HandleGraph &G) {
  model::Protection &R = C.Retry;
  const model::LoopFact *ItemLoop = nullptr;
  // 0. The library's own retry policy, configured on the handle or by default.
  for (const auto &A : All)
    if (A.S->Concern == "retry") {
      const Setting &S = *A.S;
      // A policy for one kind of operation (MongoDB retryWrites: single-document
      // writes; retryReads: reads) repeats only operations of that kind.
      if (!S.Scope.empty() && (!Op || Op->Access != S.Scope))
        continue;
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
      R.Evidence.push_back({S.Loc.File, S.Loc.Line,
                            S.Option + " allows " + std::to_string(*Attempts) + " attempts" +
                                (S.Via.empty() ? "" : " (through " + S.Via + ")")});
      if (!S.Via.empty())
        R.Evidence.push_back({S.ViaLoc.File, S.ViaLoc.Line, S.Via + " passes it to the library"});
      return;
    }
  // 1. A loop around the call in its own function.
  for (const auto &Id : C.EnclosingLoops)
    if (const auto *L = loop(M, Id)) {
      if (isRetry(*L)) {
        applyRetry(R, *L, {}, "retry loop around the call");
        return;
      }
      if (L->IteratesCollection || L->Polls)
        ItemLoop = L;
    }
  // 2. The call sits in a lambda handed to a helper that re-invokes it in a loop.
  if (C.FunctionKey.rfind("lambda@", 0) == 0)
    for (const model::HandleFlow *F : G.flowsFrom("lambda:" + C.FunctionKey))
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
        for (const model::CallEdge *E : G.callersOf(Fn)) {
          auto P = Path;
          P.push_back({E->Loc.File, E->Loc.Line, "called from " + shortName(E->CallerKey)});
          for (const auto &Id : E->Loops)
            if (const auto *L = loop(M, Id); L && isRetry(*L)) {
              applyRetry(R, *L, P, "caller retries " + shortName(Fn));
              return true;
            } else if (L && L->Polls && !ItemLoop) {
              ItemLoop = L;
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
    bool Found = false;
    G.walkCallers(C.FunctionKey, [&](const model::CallEdge &E, const std::vector<Evidence> &P) {
      return Found = Requeue(E.Handlers, P);
    });
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
  if (ItemLoop && ItemLoop->Polls)
    R.Reason = "the loop at " +
               (ItemLoop->Loc.File == C.Loc.File ? "line " : ItemLoop->Loc.File + ":") +
               std::to_string(ItemLoop->Loc.Line) +
               " repeats until a reply has the value it waits for (it polls); a failure leaves the loop, so it is "
               "not a retry";
  else if (ItemLoop && ItemLoop->Pages)
    R.Reason = "the loop at line " + std::to_string(ItemLoop->Loc.Line) +
               " pages through results, each call sending what the previous one returned; it is not a retry";
  else if (ItemLoop)
    R.Reason = "the loop at line " + std::to_string(ItemLoop->Loc.Line) +
               " iterates over a collection, calling once per item; it is not a retry";
  else
    R.Reason = "no loop, retry helper or caller repeats this call after a failure";
}

} // namespace im::analysis
