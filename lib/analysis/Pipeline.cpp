#include "analysis/Pipeline.h"

#include "analysis/Endpoints.h"
#include "analysis/Integrations.h"
#include "analysis/Nolint.h"
#include "analysis/Rules.h"
#include "analysis/Scoring.h"
#include "analysis/Security.h"
#include "analysis/TestCode.h"
#include "support/Files.h"

#include <algorithm>

namespace im::analysis {

namespace {

/// Env files and build manifests under the source root, cross-checked with the
/// code; their findings join the others in location order.
void addInventory(model::Report &R, std::vector<model::EnvRead> EnvReads, const Merged &M,
                  const catalog::Catalog &Cat, const PipelineOptions &Opts) {
  R.Inventory = inventory::collect(Opts.SourceRoot, Cat, Opts.Walk);
  R.Inventory.EnvReads = std::move(EnvReads);
  inventory::crossReference(R, Cat);
  for (auto &F : evaluateInventoryRules(R, M.Settings, Cat, Opts.SourceRoot))
    R.Findings.push_back(std::move(F));
  std::stable_sort(R.Findings.begin(), R.Findings.end(), [](const auto &A, const auto &B) {
    return std::tie(A.Loc, A.Rule) < std::tie(B.Loc, B.Rule);
  });
}

/// Findings the config's `suppressions` cover (by rule, path and integration).
void dropConfigSuppressions(std::vector<model::Finding> &Findings, const config::Config &Cfg,
                            const std::string &Root) {
  Findings.erase(std::remove_if(Findings.begin(), Findings.end(),
                                [&](const model::Finding &F) {
                                  return Cfg.suppressed(F.Rule, support::relativeTo(F.Loc.File, Root),
                                                        F.Integration);
                                }),
                 Findings.end());
}

/// Env variables read through the project's own helpers (`env_or("X", ...)`)
/// are reads too; one entry per location and name.
void addHelperEnvReads(std::vector<model::EnvRead> &EnvReads, const Merged &M) {
  for (auto &E : EndpointFolder(M).helperEnvReads())
    EnvReads.push_back(std::move(E));
  std::sort(EnvReads.begin(), EnvReads.end(), [](const auto &A, const auto &B) {
    return std::tie(A.Loc, A.Name) < std::tie(B.Loc, B.Name);
  });
  EnvReads.erase(std::unique(EnvReads.begin(), EnvReads.end(),
                             [](const auto &A, const auto &B) {
                               return A.Loc == B.Loc && A.Name == B.Name;
                             }),
                 EnvReads.end());
}

} // namespace

PipelineResult analyse(std::vector<model::TUFacts> Units, const catalog::Catalog &Cat,
                       const config::Config &Cfg, const PipelineOptions &Opts) {
  PipelineResult Out;
  model::Report &R = Out.Report;
  const std::string &Root = Opts.SourceRoot;
  std::vector<model::EnvRead> EnvReads;
  if (Opts.Inventory)
    EnvReads = inventory::collectEnvReads(Units);

  Out.Facts = merge(std::move(Units));
  Merged &M = Out.Facts;
  if (Opts.Inventory)
    addHelperEnvReads(EnvReads, M);
  resolve(M, Cat, Cfg.CircuitBreakers, Opts.WholeProgram);
  R.Units = M.Units;
  for (const auto &S : M.Security)
    if (S.Type == "credential_literal")
      R.CredentialLiterals.push_back(S.Loc);
  R.CallSites = std::move(M.CallSites);
  M.CallSites.clear();
  for (const auto &C : M.WrapperImplementations)
    R.ClientFunctions.push_back(C.FunctionKey);
  for (auto &C : R.CallSites)
    C.Id = support::relativeTo(C.Loc.File, Root) + ":" + std::to_string(C.Loc.Line) + ":" +
           std::to_string(C.Loc.Column);
  TestCodeClassifier TestCode(Root, {Cfg.TestCode, Cfg.NotTestCode, Opts.TestOnlyUnits}, Opts.AnalysedUnits);
  if (!Opts.IncludeTests)
    R.TestCallSites = separateTestCode(R.CallSites, TestCode);
  for (const auto &C : R.CallSites)
    R.ClientFunctions.push_back(C.FunctionKey);
  R.Integrations = groupIntegrations(R.CallSites, Cat);
  R.Findings = evaluateRules(R.CallSites, Cat, Root);
  assessSecurity(M, R.CallSites, Cat, Root, R.Findings);
  if (Opts.Inventory)
    addInventory(R, std::move(EnvReads), M, Cat, Opts);

  dropConfigSuppressions(R.Findings, Cfg, Root);
  R.Calls = M.Calls;
  R.Overrides = M.Overrides;
  R.Functions = M.Functions;
  // A test's `main`, fixtures and helpers are not where the system's work starts.
  if (!Opts.IncludeTests)
    for (auto &F : R.Functions)
      F.TestCode = TestCode.reason(F.Loc.File, F.Name);
  applyConfigNames(R, Cfg);
  if (Opts.Assess) {
    SourceReader Read = Opts.Read;
    if (!Read)
      Read = [](const std::string &) { return std::optional<std::string>(); };
    R.Risk = assess(R, Cfg, Read, &Cat);
  }
  if (Opts.Nolint && Opts.Read)
    R.Findings = dropSuppressed(std::move(R.Findings), Opts.Read, &Out.NolintSuppressed);
  return Out;
}

} // namespace im::analysis
