#include "report/Emitters.h"

#include "support/Files.h"

#include <nlohmann/json.hpp>

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

// ---- inventory (issue 8): env files and build manifests. No env value is ever
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
// ---- end inventory (issue 8)

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
    // ---- evidence engine extras (issue 4)
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
    // ---- security posture (issue 5)
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
    J["call_sites"].push_back(S);
  }
  J["integrations"] = ordered_json::array();
  for (const auto &I : R.Integrations) {
    ordered_json X;
    X["id"] = I.Id;
    X["name"] = I.Name;
    X["kind"] = I.Kind;
    X["library"] = I.Library;
    X["endpoint"] = I.Endpoint;
    X["call_sites"] = I.CallSites;
    J["integrations"].push_back(X);
  }
  J["findings"] = ordered_json::array();
  for (const auto &F : R.Findings)
    J["findings"].push_back({{"rule", F.Rule},
                             {"severity", F.Severity},
                             {"file", F.Loc.File},
                             {"line", F.Loc.Line},
                             {"column", F.Loc.Column},
                             {"message", F.Message},
                             {"call_site", F.CallSiteId},
                             {"integration", F.Integration},
                             {"fingerprint", F.Fingerprint}});
  J["inventory"] = inventoryJson(R); // issue 8
  return J.dump(2) + "\n";
}

} // namespace im::report
