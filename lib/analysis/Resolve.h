// Merge per-TU facts and decide, for every call site, which protections hold,
// following handles across functions and translation units.
#pragma once

#include "catalog/Catalog.h"
#include "model/Facts.h"
#include "support/Endpoint.h"
#include "support/Units.h"

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
};

Merged merge(std::vector<model::TUFacts> Units);

/// Fills every call site's endpoint, timeout and retry verdicts.
/// `BreakerClasses`: class names the user declares to be circuit breakers (config
/// `circuit_breakers`), recognised in addition to the shape rules.
void resolve(Merged &M, const catalog::Catalog &Cat,
             const std::vector<std::string> &BreakerClasses = {});

/// Seconds from a value in a catalog unit (s, ms, us, timeval); nullopt if not a number.
std::optional<double> toSeconds(const model::Value &V, const std::string &Unit);

using support::formatSeconds;
using support::parseConninfo;

} // namespace im::analysis
