#include "Progress.h"
#include "Console.h"

#include "llvm/Support/Process.h"
#include "llvm/Support/raw_ostream.h"

#include <cstdio>

namespace im::cli {

namespace {
/// Without a terminal, a line each time this many more percent are done.
constexpr unsigned Step = 5;
/// Columns the terminal line is cut to (a long path would wrap and break the redraw).
constexpr size_t MaxItem = 60;

std::string shortened(const std::string &Item) {
  if (Item.size() <= MaxItem)
    return Item;
  // Cut at the start of a character: a UTF-8 name cut inside one would print
  // a replacement character.
  size_t From = Item.size() - (MaxItem - 3);
  while (From < Item.size() && (static_cast<unsigned char>(Item[From]) & 0xC0) == 0x80)
    ++From;
  return "..." + Item.substr(From);
}
} // namespace

Progress::Progress(std::string Phase, size_t Total, bool Quiet)
    : Phase(std::move(Phase)), Total(Total), Enabled(!Quiet && Total > 0),
      Terminal(llvm::sys::Process::StandardErrIsDisplayed()), NextPercent(Step),
      Start(std::chrono::steady_clock::now()) {}

Progress::~Progress() { finish(); }

std::string Progress::clock(double Seconds) {
  long S = Seconds < 0 ? 0 : static_cast<long>(Seconds + 0.5);
  char Buf[32];
  if (S >= 3600)
    std::snprintf(Buf, sizeof Buf, "%ld:%02ld:%02ld", S / 3600, (S / 60) % 60, S % 60);
  else
    std::snprintf(Buf, sizeof Buf, "%ld:%02ld", S / 60, S % 60);
  return Buf;
}

void Progress::done(const std::string &Item) {
  std::lock_guard<std::mutex> Lock(M);
  ++Count;
  if (!Enabled || Finished)
    return;
  unsigned Percent = static_cast<unsigned>(Count * 100 / Total);
  if (!Terminal && Percent < NextPercent && Count != Total)
    return;
  double Elapsed =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - Start).count();
  std::string Line = "[" + std::to_string(Count) + "/" + std::to_string(Total) + "] ";
  std::string Times = clock(Elapsed) + " elapsed";
  if (Count < Total)
    Times += ", ~" + clock(Elapsed / Count * (Total - Count)) + " left";
  if (Terminal) {
    // \r and "erase to end of line" redraw the same line.
    err() << "\r" << Phase << " " << Line << shortened(Item) << "  " << Times << "\x1b[K";
  } else {
    err() << "integration-mapper: " << Phase << " " << Line << Percent << "%  " << Times
                 << "\n";
    while (NextPercent <= Percent)
      NextPercent += Step;
  }
  err().flush();
}

void Progress::finish() {
  std::lock_guard<std::mutex> Lock(M);
  if (Finished)
    return;
  Finished = true;
  if (Enabled && Terminal && Count > 0) {
    err() << "\r\x1b[K";
    err().flush();
  }
}

} // namespace im::cli
