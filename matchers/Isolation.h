// Crash isolation for the extraction of one translation unit: a crash (the
// tool's or Clang's), a stack overflow or an exception while one file is
// analysed marks that file "failed" and the batch goes on.
#pragma once

#include <functional>
#include <string>

namespace im::matchers {

/// The stack each translation unit is analysed on unless --stack-size-mb says
/// otherwise. Deep expressions make Clang and the extractor recurse deeply;
/// clang itself runs its front end on a thread with a larger stack for the same
/// reason.
constexpr unsigned DefaultUnitStackMb = 256;

/// Installs the process-wide crash handlers (once; safe to call again).
void enableCrashIsolation();

/// Runs `Work` on a thread of its own with a `StackMb` MB stack under LLVM's
/// crash recovery and waits for it. Returns "" when it finished, else why it did
/// not ("crashed while analysing: ..." or "exception while analysing: ...").
/// After a crash the thread's memory is leaked, not freed: the crash may have
/// left it inconsistent.
std::string runIsolated(const std::function<void()> &Work, unsigned StackMb);

} // namespace im::matchers
