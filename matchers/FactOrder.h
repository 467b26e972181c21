// One order for a translation unit's facts, whatever order the matchers found
// them in (template instantiations repeat nodes).
#pragma once

#include "model/Facts.h"

namespace im::matchers {

/// Sorts call sites, settings, flows, calls, functions, loops and env reads by
/// location and drops the duplicates.
void canonicalOrder(model::TUFacts &F);

} // namespace im::matchers
