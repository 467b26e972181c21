// Progress of a long phase (the prefilter's scan, the extraction) on stderr.
#pragma once

#include <chrono>
#include <cstddef>
#include <mutex>
#include <string>

namespace im::cli {

/// On a terminal, one line redrawn in place:
///   [137/391] src/file.cc  2:10 elapsed, ~1:40 left
/// Otherwise (CI logs, pipes) a plain line each time another `Step` percent of
/// the work is done, so a log shows the run is alive without a line per file.
/// Silent when `Quiet` or when there is nothing to do. Thread-safe.
class Progress {
public:
  Progress(std::string Phase, size_t Total, bool Quiet);
  ~Progress();
  Progress(const Progress &) = delete;
  Progress &operator=(const Progress &) = delete;

  /// One more item finished; `Item` names it (a path).
  void done(const std::string &Item);
  /// Ends the display (the terminal line is cleared); called by the destructor.
  void finish();

  /// "m:ss" (or "h:mm:ss").
  static std::string clock(double Seconds);

private:
  std::string Phase;
  size_t Total;
  size_t Count = 0;
  bool Enabled;
  bool Terminal;
  bool Finished = false;
  unsigned NextPercent;
  std::chrono::steady_clock::time_point Start;
  std::mutex M;
};

} // namespace im::cli
