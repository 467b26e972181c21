#include "matchers/Isolation.h"

#include "llvm/Support/CrashRecoveryContext.h"
#include "llvm/Support/thread.h"

#include <algorithm>
#include <csignal>
#include <cstdlib>
#include <exception>
#include <mutex>
#include <optional>
#include <unistd.h>

namespace im::matchers {

namespace {

/// A signal handler runs on the stack of the thread that received the signal.
/// After a stack overflow there is no stack left, so the crash handler must run
/// on an alternate stack: LLVM's handlers are installed without SA_ONSTACK, we
/// add it for the signals a stack overflow raises.
void handleOnAlternateStack(int Signal) {
  struct sigaction Action;
  if (sigaction(Signal, nullptr, &Action) != 0 || Action.sa_handler == SIG_DFL ||
      Action.sa_handler == SIG_IGN)
    return;
  Action.sa_flags |= SA_ONSTACK;
  sigaction(Signal, &Action, nullptr);
}

/// The alternate signal stack of the calling thread, removed when it goes.
class AlternateStack {
public:
  AlternateStack() {
    long Min = sysconf(_SC_SIGSTKSZ);
    Size = std::max<size_t>(Min > 0 ? size_t(Min) : 0, 256 * 1024);
    Memory = std::malloc(Size);
    if (!Memory)
      return;
    stack_t S{};
    S.ss_sp = Memory;
    S.ss_size = Size;
    Installed = sigaltstack(&S, nullptr) == 0;
  }
  ~AlternateStack() {
    if (Installed) {
      stack_t S{};
      S.ss_flags = SS_DISABLE;
      sigaltstack(&S, nullptr);
    }
    std::free(Memory);
  }
  AlternateStack(const AlternateStack &) = delete;
  AlternateStack &operator=(const AlternateStack &) = delete;

private:
  void *Memory = nullptr;
  size_t Size = 0;
  bool Installed = false;
};

std::string signalName(int Signal) {
  switch (Signal) {
  case SIGSEGV: return "SIGSEGV";
  case SIGBUS: return "SIGBUS";
  case SIGILL: return "SIGILL";
  case SIGTRAP: return "SIGTRAP";
  case SIGABRT: return "SIGABRT";
  case SIGFPE: return "SIGFPE";
  default: return "signal " + std::to_string(Signal);
  }
}

} // namespace

void enableCrashIsolation() {
  static std::once_flag Once;
  std::call_once(Once, [] {
    llvm::CrashRecoveryContext::Enable();
    handleOnAlternateStack(SIGSEGV);
    handleOnAlternateStack(SIGBUS);
  });
}

std::string runIsolated(const std::function<void()> &Work, unsigned StackMb) {
  enableCrashIsolation();
  std::string Why;
  int RetCode = 0;
  bool Finished = false;
  // The work, its alternate signal stack and its recovery context all live on
  // the new thread: a crash jumps back into this thread's RunSafely, and the
  // thread then ends normally.
  llvm::thread T(std::optional<unsigned>(StackMb * 1024u * 1024u), [&] {
    AlternateStack Alt;
    llvm::CrashRecoveryContext CRC;
    Finished = CRC.RunSafely([&] {
      // An exception must not unwind through LLVM's frames (built without
      // exceptions): it is caught here.
      try {
        Work();
      } catch (const std::exception &E) {
        Why = std::string("exception while analysing: ") + E.what();
      } catch (...) {
        Why = "exception while analysing";
      }
    });
    RetCode = CRC.RetCode;
  });
  T.join();
  if (!Finished)
    Why = "crashed while analysing: stack overflow or compiler crash (" +
          signalName(RetCode > 128 ? RetCode - 128 : RetCode) + ")";
  return Why;
}

} // namespace im::matchers
