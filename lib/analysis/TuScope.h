// What a single translation unit cannot know. The clang-tidy plugin analyzes
// one TU at a time; when a verdict may change with code it did not see, it says
// so instead of claiming a whole-program result.
#pragma once

#include "analysis/Resolve.h"

#include <string>

namespace im::analysis {

/// The sentence to append to the message of a finding of `Rule` on `C`, computed
/// from one TU's merged facts, or "" when that TU's facts settle it:
/// - missing timeout: the handle flows (before the call) into a function with no
///   body in this TU, is a parameter (callers elsewhere may configure it), or is
///   a member (another file may configure it);
/// - unverified timeout: the value is a parameter of the function that sets it
///   (callers in other TUs may pass constants);
/// - missing retry: a caller in another TU may retry the function (unless `main`).
std::string singleTuCaveat(const Merged &M, const model::CallSite &C, const std::string &Rule);

/// The sentence for any finding on `C` when `C` is the library call inside a
/// project wrapper (its endpoint is its function's parameter) and no caller is
/// in this TU: the whole program reports at the callers instead. "" otherwise.
/// A fix inside the wrapper (a timeout on its own handle) stays right.
std::string wrapperCaveat(const Merged &M, const model::CallSite &C);

} // namespace im::analysis
