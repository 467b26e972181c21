// Time units as the catalog names them (`"unit"` of an option) and as reports
// print them.
#pragma once

#include <optional>
#include <string>

namespace im::support {

/// Seconds in one of `Unit`: s (and "", a bare number), ms, us, and timeval
/// (a struct timeval already folded into seconds); nullopt for an unknown unit.
std::optional<double> secondsPerUnit(const std::string &Unit);

/// "12.5 s", "500 ms", "2 min".
std::string formatSeconds(double Seconds);

} // namespace im::support
