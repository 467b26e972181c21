// Decide, for every call site of the merged facts, which protections hold,
// following handles across functions and translation units (HandleGraph).
#pragma once

#include "analysis/Merge.h"
#include "catalog/Catalog.h"
#include "model/Facts.h"

#include <map>
#include <optional>
#include <string>
#include <vector>

namespace im::analysis {

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
