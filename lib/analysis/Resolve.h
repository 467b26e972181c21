// Decide, for every call site of the merged facts, which protections hold,
// following handles across functions and translation units (HandleGraph).
#pragma once

#include "analysis/Merge.h"
#include "catalog/Catalog.h"
#include "model/Facts.h"
#include "support/Endpoint.h"
#include "support/Units.h"

#include <map>
#include <optional>
#include <string>
#include <vector>

namespace im::analysis {

/// Fills every call site's endpoint, timeout and retry verdicts.
/// `BreakerClasses`: class names the user declares to be circuit breakers (config
/// `circuit_breakers`), recognised in addition to the shape rules.
/// `WholeProgram`: the facts hold every unit, so a handle parameter no analysed
/// call passes one to comes from outside the analysed code (PipelineOptions).
void resolve(Merged &M, const catalog::Catalog &Cat,
             const std::vector<std::string> &BreakerClasses = {}, bool WholeProgram = true);

/// Seconds from a value in a catalog unit (s, ms, us, timeval); nullopt if not a number.
std::optional<double> toSeconds(const model::Value &V, const std::string &Unit);

using support::formatSeconds;
using support::parseConninfo;

} // namespace im::analysis
