#include "report/Emitters.h"

#include "analysis/CallGraph.h"
#include "analysis/Scoring.h"
#include "report/Mermaid.h"
#include "support/Files.h"
#include "support/Utf8.h"

#include <nlohmann/json.hpp>

#include <cmath>
#include <map>

namespace im::report {
using nlohmann::ordered_json;

static ordered_json protection(const model::Protection &P) {
  ordered_json J;
  J["present"] = P.Present;
  J["status"] = P.Status;
  J["evidence"] = ordered_json::array();
  for (const auto &E : P.Evidence)
    J["evidence"].push_back({{"file", E.File}, {"line", E.Line}, {"note", E.Note}});
  J["reason"] = P.Reason;
  if (P.Seconds)
    J["seconds"] = *P.Seconds;
  if (P.Unbounded)
    J["unbounded"] = true;
  if (P.Bounded)
    J["bounded"] = *P.Bounded;
  if (P.MaxAttempts)
    J["max_attempts"] = *P.MaxAttempts;
  if (P.Backoff)
    J["backoff"] = *P.Backoff;
  if (P.Jitter)
    J["jitter"] = *P.Jitter;
  if (!P.Kind.empty())
    J["kind"] = P.Kind;
  return J;
}

// ---- inventory: env files and build manifests. No env value is ever
// stored in the model, so none can be written here.
static ordered_json inventoryJson(const model::Report &R) {
  const model::Inventory &Inv = R.Inventory;
  ordered_json J;
  J["enabled"] = Inv.Enabled;
  J["env_files"] = ordered_json::array();
  for (const auto &F : Inv.EnvFiles)
    J["env_files"].push_back({{"file", F}});
  J["variables"] = ordered_json::array();
  for (const auto &V : Inv.Variables) {
    ordered_json X = {{"name", V.Name}, {"file", V.Loc.File}, {"line", V.Loc.Line},
                      {"class", V.Class.empty() ? "other" : V.Class}, {"empty", V.Empty}};
    if (!V.Scheme.empty())
      X["scheme"] = V.Scheme;
    if (!V.Host.empty())
      X["host"] = V.Host;
    if (V.Plaintext)
      X["plaintext"] = true;
    X["read_by_code"] = V.ReadByCode;
    X["integration"] = V.Integration;
    J["variables"].push_back(X);
  }
  J["manifests"] = ordered_json::array();
  for (const auto &M : Inv.Manifests)
    J["manifests"].push_back({{"file", M}});
  J["libraries"] = ordered_json::array();
  for (const auto &L : Inv.Libraries)
    J["libraries"].push_back({{"library", L.Library}, {"name", L.Name}, {"manifest", L.Manifest},
                              {"file", L.Loc.File}, {"line", L.Loc.Line}, {"called", L.Called}});
  J["env_reads"] = ordered_json::array();
  for (const auto &E : Inv.EnvReads)
    J["env_reads"].push_back({{"name", E.Name}, {"file", E.Loc.File}, {"line", E.Loc.Line}});
  // Call sites in test code, kept out of the inventory: listed by place only.
  J["test_call_sites"] = ordered_json::array();
  for (const auto &C : R.TestCallSites)
    J["test_call_sites"].push_back({{"file", C.Loc.File}, {"line", C.Loc.Line},
                                    {"library", C.Library}, {"operation", C.Operation},
                                    {"function", C.Function}});
  J["integrations"] = ordered_json::array();
  for (const auto &I : R.Integrations) {
    ordered_json S = ordered_json::array();
    for (const auto &E : I.Sources)
      S.push_back({{"file", E.File}, {"line", E.Line}, {"note", E.Note}});
    J["integrations"].push_back({{"id", I.Id}, {"call_sites", I.CallSites.size()}, {"sources", S}});
  }
  J["problems"] = ordered_json::array();
  for (const auto &P : Inv.Problems)
    J["problems"].push_back({{"file", P.Loc.File}, {"line", P.Loc.Line}, {"message", P.Message}});
  J["truncated"] = Inv.Truncated;
  return J;
}
// ------------------------------------------------------------------ the risk document
static ordered_json ref(const model::CodeRef &R) {
  ordered_json J = {{"file", R.File}, {"line", R.Line}};
  if (!R.Note.empty())
    J["note"] = R.Note;
  return J;
}

static ordered_json judgements(const std::vector<model::Judgement> &Js) {
  ordered_json A = ordered_json::array();
  for (const auto &J : Js) {
    ordered_json X = {{"mark", J.Mark}, {"pattern", J.Pattern}, {"title", J.Title},
                      {"detail", J.Detail}, {"points", J.Points}, {"evidence", ordered_json::array()}};
    for (const auto &R : J.Refs)
      X["evidence"].push_back(ref(R));
    A.push_back(X);
  }
  return A;
}

static ordered_json cell(const model::MatrixCell &C) { return {{"mark", C.Mark}, {"text", C.Text}}; }

static ordered_json cost(const model::Cost &C) {
  ordered_json J = {{"configured", C.Configured}, {"text", C.Text}, {"basis", C.Basis}};
  if (C.PerHour)
    J["per_hour"] = std::round(*C.PerHour * 100) / 100;
  J["currency"] = C.Currency;
  return J;
}

static ordered_json mitigation(const model::Mitigation &M) {
  return {{"id", M.Id},           {"priority", M.Priority}, {"integration", M.Integration},
          {"pattern", M.Pattern}, {"title", M.Title},       {"why", M.Why},
          {"code", M.Code},       {"at", ref(M.At)},        {"effort", M.Effort},
          {"risk_before", M.RiskBefore}, {"risk_after", M.RiskAfter}};
}

static ordered_json integrationRisk(const model::IntegrationRisk &X) {
  ordered_json J;
  J["type"] = X.Type;
  J["glossary_key"] = analysis::glossaryKey(X.Id);
  J["glossary_type"] = X.GlossaryType;
  J["layer"] = X.Layer;
  J["criticality"] = {{"score", X.Criticality}, {"level", X.Level}, {"source", X.CriticalitySource},
                      {"reasons", X.CriticalityReasons}};
  J["used_by"] = X.UsedBy;
  J["wrappers"] = X.Wrappers;
  J["callers"] = X.Callers;
  J["pattern"] = X.Pattern;
  J["request_path"] = X.RequestPath;
  J["failure_impact"] = judgements(X.FailureImpact);
  J["failure_summary"] = X.FailureSummary;
  J["cascades"] = X.Cascades;
  J["current_failure_handling"] = ordered_json::array();
  for (const auto &E : X.Excerpts)
    J["current_failure_handling"].push_back({{"file", E.File}, {"first_line", E.FirstLine},
                                             {"call_line", E.CallLine}, {"code", E.Text},
                                             {"verdict", E.Verdict}, {"ok", E.Ok}});
  J["resilience"] = {{"score", X.Resilience}, {"evidence", judgements(X.ResilienceEvidence)}};
  J["matrix"] = {{"circuit_breaker", cell(X.CircuitBreaker)}, {"retry", cell(X.Retry)},
                 {"timeout", cell(X.Timeout)},                {"fallback", cell(X.Fallback)},
                 {"health_check", cell(X.HealthCheck)},       {"overall", X.Resilience}};
  J["security"] = judgements(X.Security);
  ordered_json R = {{"target", X.Recovery.Target},
                    {"target_seconds", X.Recovery.TargetSeconds},
                    {"target_source", X.Recovery.TargetSource},
                    {"actual", X.Recovery.Actual},
                    {"unbounded", X.Recovery.Unbounded},
                    {"computation", X.Recovery.Computation},
                    {"verdict", X.Recovery.Verdict}};
  if (X.Recovery.WorstCaseSeconds)
    R["worst_case_seconds"] = *X.Recovery.WorstCaseSeconds;
  J["rto"] = R;
  J["single_point_of_failure"] = {{"value", X.Spof}, {"reasons", X.SpofReasons}};
  J["cost_of_downtime"] = cost(X.Downtime);
  if (X.TrafficShare)
    J["traffic_share"] = *X.TrafficShare;
  J["mitigations"] = X.Mitigations;
  return J;
}

static void riskDocument(ordered_json &J, const model::Report &R, const RunInfo &Run) {
  const auto &D = R.Risk;
  J["config"] = {{"path", D.ConfigPath.empty() ? "" : support::relativeTo(D.ConfigPath, Run.SourceRoot)},
                 {"found", !D.ConfigPath.empty()}};
  std::map<std::string, size_t> ByPriority;
  for (const auto &M : D.Plan)
    ByPriority[M.Priority]++;
  ordered_json S;
  S["integrations_by_criticality"] = {
      {"critical", D.Critical}, {"high", D.High}, {"medium", D.Medium}, {"low", D.Low}};
  S["overall_resilience"] = D.OverallResilience;
  S["overall_rating"] = D.OverallRating;
  S["critical_spofs"] = D.CriticalSpofs;
  S["cost_of_downtime"] = cost(D.Downtime);
  S["mitigations_by_priority"] = {{"critical", ByPriority["CRITICAL"]},
                                  {"high", ByPriority["HIGH"]},
                                  {"medium", ByPriority["MEDIUM"]},
                                  {"low", ByPriority["LOW"]}};
  S["key_risks"] = judgements(D.KeyRisks);
  J["summary"] = S;
  J["entry_points"] = ordered_json::array();
  for (size_t K = 0; K < D.EntryPoints.size(); ++K)
    J["entry_points"].push_back({{"name", D.EntryPoints[K]}, {"why", D.EntryPointWhy[K]}});
  analysis::ClientPaths Paths = analysis::clientPaths(R);
  ordered_json Fns = ordered_json::array(), Calls = ordered_json::array();
  for (const auto *F : Paths.Functions)
    Fns.push_back({{"key", F->Key}, {"name", F->Name}, {"file", F->Loc.File}, {"line", F->Loc.Line}});
  for (const auto *E : Paths.Calls)
    Calls.push_back({{"caller", E->CallerKey}, {"callee", E->CalleeKey}, {"file", E->Loc.File},
                     {"line", E->Loc.Line}});
  J["call_graph"] = {{"functions", std::move(Fns)}, {"calls", std::move(Calls)}};
  J["architecture"] = {{"mermaid", architectureMermaid(D)}};
  ordered_json Dep;
  Dep["branches"] = ordered_json::array();
  for (const auto &B : D.Dependencies)
    Dep["branches"].push_back({{"integration", B.Integration}, {"breaks", B.Breaks},
                               {"degrades", B.Degrades}, {"cascades", B.Cascades}});
  Dep["critical_paths"] = D.CriticalPaths;
  Dep["mermaid"] = dependencyMermaid(D);
  J["dependency_graph"] = Dep;
  J["resilience_patterns"] = ordered_json::array();
  for (const auto &P : D.Patterns)
    J["resilience_patterns"].push_back({{"pattern", P.Pattern},
                                        {"title", P.Title},
                                        {"quality", P.Quality},
                                        {"summary", P.Summary},
                                        {"where", judgements(P.Where)},
                                        {"why", P.Why},
                                        {"good_example", P.GoodExample},
                                        {"recommendation", P.Recommendation}});
  ordered_json Mx = ordered_json::array();
  for (const auto &X : D.Integrations)
    Mx.push_back({{"integration", X.Id},
                  {"circuit_breaker", cell(X.CircuitBreaker)},
                  {"retry", cell(X.Retry)},
                  {"timeout", cell(X.Timeout)},
                  {"fallback", cell(X.Fallback)},
                  {"health_check", cell(X.HealthCheck)},
                  {"overall", X.Resilience}});
  J["resilience_matrix"] = {{"rows", Mx}, {"overall", D.OverallResilience}, {"rating", D.OverallRating}};
  J["mitigation_plan"] = ordered_json::array();
  for (const auto &M : D.Plan)
    J["mitigation_plan"].push_back(mitigation(M));
  auto Examples = [](const std::vector<model::AgentExample> &V) {
    ordered_json A = ordered_json::array();
    for (const auto &E : V)
      A.push_back({{"file", E.At.File}, {"line", E.At.Line}, {"integration", E.Integration}, {"text", E.Text}});
    return A;
  };
  J["ai_agents"] = {{"dos", D.Dos},
                    {"donts", D.Donts},
                    {"best_examples", Examples(D.BestExamples)},
                    {"anti_patterns", Examples(D.WorstExamples)},
                    {"critical_path_protection", D.PathProtection}};
  ordered_json Gl = ordered_json::object();
  for (const auto &X : D.Integrations) {
    std::string Level = X.Level;
    for (auto &C : Level)
      C = static_cast<char>(std::tolower(static_cast<unsigned char>(C)));
    Gl[analysis::glossaryKey(X.Id)] = {{"canonical_name", X.Name},
                                       {"type", X.GlossaryType},
                                       {"discovered_by", "integration-mapper"},
                                       {"risk_level", Level},
                                       {"failure_impact", X.FailureSummary}};
  }
  J["glossary"] = {{"integrations", Gl}};
  J["limitations"] = D.Limitations;
}

std::string emitJson(const model::Report &R, const RunInfo &Run) {
  ordered_json J;
  J["schema_version"] = SchemaVersion;
  J["tool"] = {{"name", "integration-mapper"}, {"version", Run.Version}};
  J["source_root"] = Run.SourceRoot;
  J["compile_database"] = Run.CompileDb;
  J["translation_units"] = ordered_json::array();
  for (const auto &U : R.Units) {
    ordered_json T = {{"file", U.File}, {"status", U.Status}, {"configuration", U.Configuration}};
    if (!U.Error.empty())
      T["error"] = U.Error;
    J["translation_units"].push_back(T);
  }
  J["call_sites"] = ordered_json::array();
  for (const auto &C : R.CallSites) {
    ordered_json S;
    S["id"] = C.Id;
    S["file"] = C.Loc.File;
    S["line"] = C.Loc.Line;
    S["column"] = C.Loc.Column;
    S["library"] = C.Library;
    S["kind"] = C.Kind;
    S["operation"] = C.Operation;
    S["function"] = C.Function;
    S["handle"] = C.Handle;
    S["endpoint"] = C.Endpoint;
    S["endpoint_source"] = C.EndpointSource;
    S["integration"] = C.Integration;
    S["timeout"] = protection(C.Timeout);
    S["retry"] = protection(C.Retry);
    S["circuit_breaker"] = protection(C.CircuitBreaker);
    S["fallback"] = protection(C.Fallback);
    // ---- evidence engine extras
    S["fail_mode"] = C.FailMode.empty() ? nullptr : ordered_json(C.FailMode);
    S["fail_mode_evidence"] = ordered_json::array();
    for (const auto &E : C.FailModeEvidence)
      S["fail_mode_evidence"].push_back({{"file", E.File}, {"line", E.Line}, {"note", E.Note}});
    S["health_probe"] = C.HealthProbe;
    if (C.HealthProbe)
      S["health_probe_note"] = C.ProbeNote;
    S["configuration_notes"] = ordered_json::array();
    for (const auto &E : C.InactiveNotes)
      S["configuration_notes"].push_back({{"file", E.File}, {"line", E.Line}, {"note", E.Note}});
    // ---- end evidence engine extras
    // A call through the project's own wrappers: each wrapper call down to the
    // library call that implements it.
    if (!C.Via.empty()) {
      S["via"] = ordered_json::array();
      for (const auto &E : C.Via)
        S["via"].push_back({{"file", E.File}, {"line", E.Line}, {"note", E.Note}});
    }
    // ---- security posture
    {
      ordered_json Sec;
      Sec["transport"] = C.Security.Transport;
      Sec["tls_verification"] = C.Security.TlsVerification;
      Sec["credential_source"] = ordered_json::array();
      for (const auto &Cr : C.Security.Credentials)
        Sec["credential_source"].push_back({{"kind", Cr.Kind},
                                            {"name", Cr.Name},
                                            {"via", Cr.Via},
                                            {"file", Cr.Loc.File},
                                            {"line", Cr.Loc.Line}});
      if (!C.Security.ApiVersion.empty())
        Sec["api_version"] = C.Security.ApiVersion;
      Sec["evidence"] = ordered_json::array();
      for (const auto &E : C.Security.Evidence)
        Sec["evidence"].push_back({{"file", E.File}, {"line", E.Line}, {"note", E.Note}});
      S["security"] = Sec;
    }
    // ---- end security
    J["call_sites"].push_back(std::move(S));
  }
  J["integrations"] = ordered_json::array();
  std::map<std::string, const model::IntegrationRisk *> RiskById;
  for (const auto &Risk : R.Risk.Integrations)
    RiskById.emplace(Risk.Id, &Risk);
  for (const auto &I : R.Integrations) {
    ordered_json X;
    X["id"] = I.Id;
    X["name"] = I.Name;
    X["kind"] = I.Kind;
    X["library"] = I.Library;
    X["endpoint"] = I.Endpoint;
    X["call_sites"] = I.CallSites;
    X["category"] = I.Category;
    X["endpoint_source"] = I.EndpointSource;
    X["grouped_by"] = I.GroupedBy;
    if (auto It = RiskById.find(I.Id); It != RiskById.end())
      X.update(integrationRisk(*It->second));
    J["integrations"].push_back(std::move(X));
  }
  J["findings"] = ordered_json::array();
  for (const auto &F : R.Findings) {
    ordered_json X = {{"rule", F.Rule},
                      {"severity", F.Severity},
                      {"file", F.Loc.File},
                      {"line", F.Loc.Line},
                      {"column", F.Loc.Column},
                      {"message", F.Message},
                      {"call_site", F.CallSiteId},
                      {"integration", F.Integration},
                      {"fingerprint", F.Fingerprint}};
    if (!F.Related.empty()) {
      X["related"] = ordered_json::array();
      for (const auto &E : F.Related)
        X["related"].push_back({{"file", E.File}, {"line", E.Line}, {"note", E.Note}});
    }
    J["findings"].push_back(std::move(X));
  }
  J["inventory"] = inventoryJson(R);
  riskDocument(J, R, Run);
  return support::dumpJson(J) + "\n";
}

} // namespace im::report
