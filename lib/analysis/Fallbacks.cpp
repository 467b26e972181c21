#include "analysis/Protections.h"

#include <cctype>

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

/// Does the handler serve another source? Returns the kind, filling evidence.
std::string fallbackIn(const CallSite &C, const model::HandlerFact &H, const HandleGraph &G,
                       std::vector<Evidence> &Ev) {
  for (const auto &Call : H.CatalogCalls)
    if (Call.Note != C.Library + ":" + C.Operation || Call.Line != C.Loc.Line) {
      Ev.push_back({Call.File, Call.Line, "on failure calls " + Call.Note});
      return "alternative integration";
    }
  for (const auto &Callee : H.CalleeKeys)
    for (const CallSite *Other : G.sitesIn(Callee))
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

} // namespace

void resolveFallback(CallSite &C, const HandleGraph &G) {
  model::Protection &F = C.Fallback;
  auto Try = [&](const std::vector<model::HandlerFact> &Handlers, const std::vector<Evidence> &Path) {
    for (const auto &H : Handlers) {
      std::vector<Evidence> Ev;
      std::string Kind = fallbackIn(C, H, G, Ev);
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
