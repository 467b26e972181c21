// Merge per-TU facts and decide, for every call site, which protections hold,
// following handles across functions and translation units.
#pragma once

#include "catalog/Catalog.h"
#include "model/Facts.h"

#include <map>
#include <string>
#include <vector>

namespace im::analysis {

/// The union of the facts of all translation units, deduplicated (headers and
/// template instantiations repeat facts).
struct Merged {
  std::vector<model::TranslationUnit> Units;
  std::vector<model::CallSite> CallSites;
  std::vector<model::Setting> Settings;
  std::vector<model::HandleFlow> Flows;
  std::vector<model::CallEdge> Calls;
  std::vector<model::Function> Functions;
  std::map<std::string, model::LoopFact> Loops; // by id
  std::map<std::string, model::ClassFact> Classes; // by qualified name
  std::vector<model::ScopeGuard> ScopeGuards;
  std::vector<model::ArgValue> ArgValues;
  std::vector<model::OverrideFact> Overrides;
  std::vector<model::InactiveCode> Inactive;
  std::vector<model::SecurityFact> Security;    // issue 5
  std::vector<model::FieldInit> FieldInits;
  /// Library calls inside inferred wrappers, replaced by the wrappers' call sites.
  std::vector<model::CallSite> WrapperImplementations;
};

Merged merge(std::vector<model::TUFacts> Units);

/// Fills every call site's endpoint, timeout and retry verdicts.
/// `BreakerClasses`: class names the user declares to be circuit breakers (config
/// `circuit_breakers`), recognised in addition to the shape rules.
void resolve(Merged &M, const catalog::Catalog &Cat,
             const std::vector<std::string> &BreakerClasses = {});

/// Seconds from a value in a catalog unit (s, ms, us, timeval); nullopt if not a number.
std::optional<double> toSeconds(const model::Value &V, const std::string &Unit);

/// Parses a libpq conninfo string ("host=db connect_timeout=5") or URI
/// ("postgresql://db/x?connect_timeout=5") into key/value pairs.
std::map<std::string, std::string> parseConninfo(const std::string &S);

/// The endpoint with any password removed (`password=...` in a conninfo string,
/// `user:secret@` in a URL): safe to print.
std::string redactEndpoint(const std::string &Endpoint);

/// "12.5 s", "500 ms", "2 min".
std::string formatSeconds(double S);

} // namespace im::analysis
