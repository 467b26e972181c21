// What the reachability prefilter learns from facts already extracted: the
// files through which other translation units can reach a client library.
#pragma once

#include "model/Facts.h"

#include <set>
#include <string>
#include <vector>

namespace im::analysis {

/// The files declaring or defining a project function that reaches a client:
/// one that makes a library call or a security-relevant call, or calls (to a
/// fixed point) such a function, or is overridden by one (an interface whose
/// implementation is elsewhere). A translation unit that includes one of these
/// files can call a client through the project's own code.
std::set<std::string> reachingFiles(const std::vector<model::TUFacts> &Units);

/// The unqualified names of project functions whose results the facts use as
/// string values (endpoints, settings, arguments: `env_or("URL", "...")`) but
/// that no unit in `Units` defines: the unit defining one must be analysed too
/// for the value to be folded.
std::set<std::string> undefinedValueFunctions(const std::vector<model::TUFacts> &Units);

} // namespace im::analysis
