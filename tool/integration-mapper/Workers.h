// Runs one task per index on the worker threads a run may use (--jobs, else
// one per core, never more than there are tasks), the calling thread included.
#pragma once

#include <algorithm>
#include <atomic>
#include <cstddef>
#include <thread>
#include <vector>

namespace im::tool {

template <typename Task> void forEachOnWorkers(unsigned Jobs, size_t Count, Task &&Do) {
  unsigned N = Jobs ? Jobs : std::max(1u, std::thread::hardware_concurrency());
  N = std::min<unsigned>(N, std::max<size_t>(1, Count));
  std::atomic<size_t> Next{0};
  auto Worker = [&] {
    for (size_t I; (I = Next++) < Count;)
      Do(I);
  };
  std::vector<std::thread> Threads;
  for (unsigned T = 1; T < N; ++T)
    Threads.emplace_back(Worker);
  Worker();
  for (auto &T : Threads)
    T.join();
}

} // namespace im::tool
