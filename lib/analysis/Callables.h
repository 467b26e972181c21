// Calls through callable slots: a std::function or function-pointer parameter,
// member or variable invoked in one function, filled with a function or a
// lambda somewhere else (a constructor argument stored in a member, a callback
// passed to a helper). Binding them makes them call edges like any other, so
// wrappers, retries around the call and blast radius follow them.
#pragma once

#include "analysis/Merge.h"

namespace im::analysis {

/// Adds to `M.Calls` one edge per function or lambda that can reach the slot
/// of each of `M.CallableCalls` (through parameters, members and variables,
/// across translation units). A slot that more than `MaxTargets` callables
/// reach is left unbound: its calls stay unknown rather than reaching every
/// callback of the program.
void bindCallables(Merged &M, size_t MaxTargets = 16);

} // namespace im::analysis
