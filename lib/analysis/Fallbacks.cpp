#include "analysis/Protections.h"

#include <cctype>
#include <set>

namespace im::analysis {
using model::CallSite;
using model::Evidence;

namespace {
const auto &shortName = HandleGraph::shortName;

/// A function whose name says it decides whether to allow something.
bool guardName(const std::string &Fn) {
  std::string L = Fn;
  for (auto &Ch : L)
    Ch = static_cast<char>(std::tolower(static_cast<unsigned char>(Ch)));
  for (const char *W : {"allow", "permit", "authori", "limit", "quota", "verify", "valid", "check"})
    if (L.find(W) != std::string::npos)
      return true;
  return false;
}

/// A call site reached from `Fn` within three calls, other than the failed
/// call's own handle: the integration a handler's call would use instead.
const CallSite *reachedSite(const CallSite &C, const std::string &Fn, const HandleGraph &G, int Depth,
                            std::set<std::string> &Seen) {
  if (Depth > 3 || !Seen.insert(Fn).second)
    return nullptr;
  for (const CallSite *Other : G.sitesIn(Fn))
    if (Other->Library != C.Library || Other->HandleKey != C.HandleKey)
      return Other;
  for (const model::CallEdge *E : G.calleesOf(Fn))
    if (const CallSite *S = reachedSite(C, E->CalleeKey, G, Depth + 1, Seen))
      return S;
  return nullptr;
}

/// Where the handler's call reaches the other integration, as its own evidence
/// line (the report shows file:line relative to the source root).
Evidence reachedAt(const CallSite &Other) {
  return {Other.Loc.File, Other.Loc.Line,
          Other.Library + " " + Other.Operation + " in " + shortName(Other.FunctionKey)};
}

/// alternative_provider when the other integration is of the same kind (a
/// second SMS vendor), alternative_source otherwise (a cache miss read from the
/// database).
std::string alternativeKind(const CallSite &C, const std::string &Kind) {
  return Kind == C.Kind ? "alternative_provider" : "alternative_source";
}

/// Does the handler serve the result another way? Returns the kind
/// (default_value, alternative_source, alternative_provider, queue_for_later),
/// filling evidence.
std::string fallbackIn(const CallSite &C, const model::HandlerFact &H, const HandleGraph &G,
                       const catalog::Catalog &Cat, std::vector<Evidence> &Ev) {
  if (H.Rethrows)
    return ""; // the failure still propagates
  for (const auto &Call : H.CatalogCalls)
    if (Call.Note != C.Library + ":" + C.Operation || Call.Line != C.Loc.Line) {
      Ev.push_back({Call.File, Call.Line, "on failure calls " + Call.Note});
      const catalog::Library *L = Cat.library(Call.Note.substr(0, Call.Note.find(':')));
      return alternativeKind(C, L ? L->Kind : "");
    }
  for (const auto &Callee : H.CalleeKeys) {
    std::set<std::string> Seen;
    if (const CallSite *Other = reachedSite(C, Callee, G, 0, Seen)) {
      Ev.push_back({H.Loc.File, H.Loc.Line,
                    "on failure calls " + shortName(Callee) + ", which uses " + Other->Library});
      Ev.push_back(reachedAt(*Other));
      return Other->Kind == "local" ? "queue_for_later" : alternativeKind(C, Other->Kind);
    }
  }
  // Work parked in a local store (an outbox table) is replayed later.
  for (const auto &Callee : H.DroppedCalleeKeys) {
    std::set<std::string> Seen;
    if (const CallSite *Other = reachedSite(C, Callee, G, 0, Seen); Other && Other->Kind == "local") {
      Ev.push_back({H.Loc.File, H.Loc.Line,
                    "on failure parks the work with " + shortName(Callee) + " in a local store (" +
                        Other->Library + ")"});
      Ev.push_back(reachedAt(*Other));
      return "queue_for_later";
    }
  }
  for (const auto &N : H.Notes)
    if (N.Note.rfind("serves default value ", 0) == 0) {
      Ev.push_back(N);
      return "default_value";
    }
  for (const auto &N : H.Notes)
    if (N.Note.rfind("serves ", 0) == 0) {
      Ev.push_back(N);
      std::string L = N.Note;
      for (const char *W : {"cache", "stale", "last_known", "lastknown", "backup", "replica", "secondary"})
        if (L.find(W) != std::string::npos)
          return "alternative_source";
      return "default_value";
    }
  if (H.Requeues) {
    for (const auto &N : H.Notes)
      Ev.push_back(N);
    return "queue_for_later";
  }
  return "";
}

} // namespace

void resolveFallback(CallSite &C, const HandleGraph &G, const catalog::Catalog &Cat) {
  model::Protection &F = C.Fallback;
  auto Try = [&](const std::vector<model::HandlerFact> &Handlers, const std::vector<Evidence> &Path) {
    for (const auto &H : Handlers) {
      std::vector<Evidence> Ev;
      std::string Kind = fallbackIn(C, H, G, Cat, Ev);
      if (Kind.empty())
        continue;
      F.Present = true;
      F.Status = "present";
      F.Kind = Kind;
      for (auto &E : Path)
        F.Evidence.push_back(E);
      F.Evidence.push_back({H.Loc.File, H.Loc.Line,
                            H.Kind == "catch"   ? "catch block"
                            : H.Kind == "miss" ? "runs when the result is empty (a miss or an error)"
                                               : "error branch"});
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
    G.walkCallers(C.FunctionKey, [&](const model::CallEdge &E, const std::vector<Evidence> &P) {
      Mode(E.Handlers, E.CallerKey);
      return Try(E.Handlers, P);
    });
  }
  if (!F.Present) {
    F.Status = "absent";
    bool Handled = !C.Handlers.empty();
    F.Reason = Handled ? "the failure is handled but no other source (another integration, a "
                         "cache, a default or a queue) is served"
                       : "no catch block or error branch serves another source when this call fails";
  }
}

} // namespace im::analysis
