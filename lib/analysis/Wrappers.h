// Wrapper inference: a project function whose library call takes its endpoint
// (URL, host, conninfo) from the function's parameters is a wrapper; the call
// site is the outermost call where that endpoint is determined.
#pragma once

#include "analysis/Merge.h"

namespace im::analysis {

/// Replaces library calls inside wrappers by call sites at the wrappers' callers
/// (through wrappers of wrappers and virtual interfaces), folds every call
/// site's endpoint, and fills each call site's root handle for grouping.
/// The replaced library calls move to `M.WrapperImplementations`.
void inferWrappers(Merged &M);

} // namespace im::analysis
