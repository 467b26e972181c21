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

} // namespace im::analysis
