#include "report/Emitters.h"

#include "analysis/Resolve.h"
#include "support/Files.h"

#include <map>
#include <sstream>

namespace im::report {

namespace {
const char *mark(const model::Protection &P) {
  if (P.Status == "present")
    return "✅";
  if (P.Status == "default" || P.Status == "conditional")
    return "⚠️";
  return "❌";
}

std::string timeoutCell(const model::Protection &T) {
  std::string S = mark(T);
  if (T.Status == "present" || T.Status == "default") {
    if (T.Seconds)
      S += " " + analysis::formatSeconds(*T.Seconds);
    if (T.Unbounded)
      S += " (connect only)";
    if (T.Status == "default")
      S += " (library default)";
  } else if (T.Status == "conditional") {
    S += " run-time";
  } else {
    S += " none";
  }
  return S;
}

std::string retryCell(const model::Protection &R) {
  if (!R.Present)
    return "❌ none";
  std::string S = (R.Bounded && !*R.Bounded) || (R.Backoff && !*R.Backoff) ? "⚠️" : "✅";
  if (R.MaxAttempts)
    S += " " + std::to_string(*R.MaxAttempts) + "×";
  else if (R.Bounded && *R.Bounded)
    S += " bounded";
  else
    S += " unbounded";
  if (R.Backoff && *R.Backoff)
    S += ", backoff";
  if (R.Jitter && *R.Jitter)
    S += "+jitter";
  return S;
}

std::string esc(const std::string &S) {
  std::string O;
  for (char C : S) {
    if (C == '|')
      O += "\\|";
    else if (C == '\n')
      O += ' ';
    else
      O += C;
  }
  return O;
}
} // namespace

// ---- inventory (issue 8): env files and build manifests, and every source of
// evidence per integration. Env values are not in the model: only names, lines,
// classes and the scheme and host of URLs.
static void inventorySection(std::ostringstream &O, const model::Report &R, const RunInfo &Run) {
  const model::Inventory &Inv = R.Inventory;
  if (!Inv.Enabled)
    return;
  auto Rel = [&](const std::string &P) { return support::relativeTo(P, Run.SourceRoot); };
  O << "## Inventory: environment and build\n\n";
  O << "What the deployment (env files) and the build (manifests) declare, cross-checked with "
       "the code.\n\n";
  O << "### Integrations and their evidence\n\n";
  if (R.Integrations.empty())
    O << "None.\n\n";
  else {
    O << "| Integration | Call sites | Env files | Build manifests |\n|---|---|---|---|\n";
    for (const auto &I : R.Integrations) {
      std::string Env, Build;
      for (const auto &E : I.Sources) {
        std::string &Cell = E.Note.rfind("env ", 0) == 0 ? Env : Build;
        Cell += (Cell.empty() ? "" : "<br>") + std::string("`") + Rel(E.File) + ":" +
                std::to_string(E.Line) + "` " + esc(E.Note);
      }
      O << "| " << esc(I.Name) << " | " << I.CallSites.size() << " | " << (Env.empty() ? "—" : Env)
        << " | " << (Build.empty() ? "—" : Build) << " |\n";
    }
    O << "\n";
  }
  O << "### Environment variables\n\n";
  if (Inv.EnvFiles.empty())
    O << "No env file (`.env`, `.env.*`) under the source root.\n\n";
  else {
    O << "Env files: ";
    for (size_t I = 0; I < Inv.EnvFiles.size(); ++I)
      O << (I ? ", " : "") << "`" << Rel(Inv.EnvFiles[I]) << "`";
    O << ". Values are never shown; for URLs only the scheme and host.\n\n";
    O << "| Variable | Defined at | Class | URL | Read by the code | Integration |\n"
         "|---|---|---|---|---|---|\n";
    size_t Shown = 0;
    for (const auto &V : Inv.Variables) {
      if (V.Class.empty())
        continue;
      ++Shown;
      std::string Url = V.Scheme.empty() ? "—" : "`" + V.Scheme + "://" + V.Host + "`";
      if (V.Plaintext)
        Url += " ⚠️ plaintext";
      if (V.Empty)
        Url = "(empty)";
      O << "| `" << V.Name << "` | `" << Rel(V.Loc.File) << ":" << V.Loc.Line << "` | " << V.Class
        << " | " << Url << " | " << (V.ReadByCode ? "✅" : "❌") << " | "
        << (V.Integration.empty() ? "—" : V.Integration) << " |\n";
    }
    if (!Shown)
      O << "| — | | | | | |\n";
    O << "\n";
  }
  O << "### Client libraries in the build\n\n";
  if (Inv.Libraries.empty())
    O << "No catalogued client library in the build manifests (" << Inv.Manifests.size()
      << " manifests read).\n\n";
  else {
    O << "| Library | Manifest entry | Location | Called in code |\n|---|---|---|---|\n";
    for (const auto &L : Inv.Libraries)
      O << "| " << L.Library << " | `" << esc(L.Name) << "` (" << L.Manifest << ") | `"
        << Rel(L.Loc.File) << ":" << L.Loc.Line << "` | " << (L.Called ? "✅" : "❌") << " |\n";
    O << "\n";
  }
  if (!Inv.Problems.empty()) {
    O << "### Files skipped in part\n\n";
    for (const auto &P : Inv.Problems)
      O << "- `" << Rel(P.Loc.File) << ":" << P.Loc.Line << "` " << esc(P.Message) << "\n";
    O << "\n";
  }
  if (Inv.Truncated)
    O << "The search for env files and manifests stopped at its depth or entry bound.\n\n";
}
// ---- end inventory (issue 8)

std::string emitMarkdown(const model::Report &R, const RunInfo &Run, const catalog::Catalog &Cat) {
  std::ostringstream O;
  auto Rel = [&](const std::string &P) { return support::relativeTo(P, Run.SourceRoot); };
  O << "# Integration Risk Analysis\n\n";
  O << "Generated by integration-mapper " << Run.Version
    << " from the compiler's view of the code (Clang AST). Paths are relative to the source "
       "root.\n\n";
  size_t Analyzed = 0, Failed = 0, Skipped = 0;
  for (const auto &U : R.Units)
    (U.Status == "analyzed" ? Analyzed : U.Status == "failed" ? Failed : Skipped)++;
  std::map<std::string, size_t> BySeverity;
  for (const auto &F : R.Findings)
    BySeverity[F.Severity]++;
  size_t NoTimeout = 0, NoRetry = 0;
  for (const auto &C : R.CallSites) {
    NoTimeout += C.Timeout.Status == "absent";
    NoRetry += !C.Retry.Present;
  }
  O << "## Summary\n\n";
  O << "| | |\n|---|---|\n";
  O << "| Translation units | " << R.Units.size() << " (" << Analyzed << " analyzed, " << Failed
    << " failed, " << Skipped << " skipped) |\n";
  O << "| Integrations | " << R.Integrations.size() << " |\n";
  O << "| Call sites | " << R.CallSites.size() << " |\n";
  O << "| Call sites without a timeout | " << NoTimeout << " |\n";
  O << "| Call sites without a retry | " << NoRetry << " |\n";
  O << "| Findings | " << R.Findings.size() << " (critical " << BySeverity["critical"] << ", high "
    << BySeverity["high"] << ", medium " << BySeverity["medium"] << ", low " << BySeverity["low"]
    << ") |\n\n";

  O << "## Integrations\n\n";
  if (R.Integrations.empty())
    O << "No call to a catalogued client library was found.\n\n";
  for (const auto &I : R.Integrations) {
    O << "### " << I.Name << "\n\n";
    O << "- **Type**: " << I.Kind << " via " << I.Library << "\n";
    O << "- **Endpoint**: " << (I.Endpoint.empty() ? "not a compile-time constant" : "`" + I.Endpoint + "`")
      << "\n";
    O << "- **Call sites**: " << I.CallSites.size() << "\n\n";
  }

  O << "## Call-site inventory\n\n";
  O << "| Location | Function | Operation | Handle | Timeout | Retry | Circuit breaker | Fallback |\n";
  O << "|---|---|---|---|---|---|---|---|\n";
  for (const auto &C : R.CallSites)
    O << "| `" << Rel(C.Loc.File) << ":" << C.Loc.Line << "` | `" << esc(C.Function) << "` | `"
      << C.Operation << "` | `" << esc(C.Handle) << "` | " << timeoutCell(C.Timeout) << " | "
      << retryCell(C.Retry) << " | " << mark(C.CircuitBreaker) << " | " << mark(C.Fallback)
      << " |\n";
  O << "\n### Evidence per call site\n\n";
  for (const auto &C : R.CallSites) {
    O << "#### `" << C.Operation << "` at `" << Rel(C.Loc.File) << ":" << C.Loc.Line << "`\n\n";
    const catalog::Library *Lib = Cat.library(C.Library);
    O << "- Library: " << (Lib ? Lib->Name : C.Library) << " (" << C.Kind << "), in `"
      << esc(C.Function) << "`, handle `" << esc(C.Handle) << "`\n";
    if (!C.Endpoint.empty())
      O << "- Endpoint: `" << C.Endpoint << "`\n";
    else if (!C.EndpointSource.empty() && C.EndpointSource != "unknown")
      O << "- Endpoint: from " << C.EndpointSource << "\n";
    auto Show = [&](const char *Name, const model::Protection &P) {
      O << "- " << mark(P) << " **" << Name << "**: " << P.Status;
      if (!P.Reason.empty())
        O << " — " << P.Reason;
      O << "\n";
      for (const auto &E : P.Evidence)
        O << "  - `" << Rel(E.File) << ":" << E.Line << "` " << E.Note << "\n";
    };
    Show("Timeout", C.Timeout);
    Show("Retry", C.Retry);
    Show("Circuit breaker", C.CircuitBreaker);
    Show("Fallback", C.Fallback);
    if (!C.FailMode.empty()) {
      O << "- " << (C.FailMode == "open" ? "⚠️" : "✅") << " **Fail mode**: fail-" << C.FailMode << "\n";
      for (const auto &E : C.FailModeEvidence)
        O << "  - `" << Rel(E.File) << ":" << E.Line << "` " << E.Note << "\n";
    }
    if (C.HealthProbe)
      O << "- ✅ **Health probe**: " << C.ProbeNote << "\n";
    for (const auto &E : C.InactiveNotes)
      O << "- ⚠️ **Build configuration**: `" << Rel(E.File) << ":" << E.Line << "` " << E.Note << "\n";
    O << "\n";
  }

  inventorySection(O, R, Run); // issue 8
  O << "## Findings\n\n";
  if (R.Findings.empty())
    O << "None.\n\n";
  else {
    O << "| Severity | Rule | Location | Message |\n|---|---|---|---|\n";
    for (const auto &F : R.Findings)
      O << "| " << F.Severity << " | `" << F.Rule << "` | `" << Rel(F.Loc.File) << ":" << F.Loc.Line
        << "` | " << esc(F.Message) << " |\n";
    O << "\n";
  }

  O << "## Translation units\n\n";
  O << "| File | Status | Configuration analysed | First error |\n|---|---|---|---|\n";
  for (const auto &U : R.Units)
    O << "| `" << Rel(U.File) << "` | " << U.Status << " | `" << esc(U.Configuration) << "` | "
      << esc(Rel(U.Error)) << " |\n";
  O << "\n";
  return O.str();
}

} // namespace im::report
