// The union of the facts of all translation units: the first stage of the pipeline.
#pragma once

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
  std::vector<model::Setting> ObjectSettings; // see model::TUFacts::ObjectSettings
  std::vector<model::HandleFlow> Flows;
  std::vector<model::CallEdge> Calls;
  std::vector<model::Function> Functions;
  std::map<std::string, model::LoopFact> Loops; // by id
  std::map<std::string, model::ClassFact> Classes; // by qualified name
  std::vector<model::ScopeGuard> ScopeGuards;
  std::vector<model::ArgValue> ArgValues;
  std::vector<model::ForwarderFact> Forwarders;
  std::vector<model::OverrideFact> Overrides;
  std::vector<model::InactiveCode> Inactive;
  std::vector<model::SecurityFact> Security;
  std::vector<model::FieldInit> FieldInits;
  std::vector<model::CallEdge> Constructions;
  std::vector<model::CallEdge> CallableCalls;
  std::vector<model::CallableBind> CallableBinds;
  /// Library calls inside inferred wrappers, replaced by the wrappers' call sites
  /// (analysis/Wrappers).
  std::vector<model::CallSite> WrapperImplementations;
};

/// Merges per-unit facts; the result is sorted by location and independent of
/// the order in which units were analysed.
Merged merge(std::vector<model::TUFacts> Units);

} // namespace im::analysis
