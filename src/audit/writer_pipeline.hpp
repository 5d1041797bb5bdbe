// The writer's pipeline. The chain makes hashing sequential, but the rest is not: while the
// writer thread hashes one chunk of records, a helper thread writes the chunk before it to the
// file and makes the canonical JSON of the chunk after it.
#pragma once

#include <condition_variable>
#include <cstddef>
#include <exception>
#include <functional>
#include <mutex>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include "audit/event.hpp"

namespace paddock::audit {

// The JSON of a run of events, one after the other.
struct EncodedChunk {
  std::string text;
  std::vector<std::size_t> ends;  // where each event's JSON ends in `text`

  void encode(const Event* events, std::size_t count);
  std::string_view event(std::size_t i) const {
    const std::size_t begin = i == 0 ? 0 : ends[i - 1];
    return std::string_view(text).substr(begin, ends[i] - begin);
  }
};

// One job at a time on a thread of its own, started on first use.
class HelperThread {
 public:
  HelperThread() = default;
  ~HelperThread();
  HelperThread(const HelperThread&) = delete;
  HelperThread& operator=(const HelperThread&) = delete;

  // Runs `job` on the helper; whatever it touches stays untouched until wait() returns.
  void submit(std::function<void()> job);
  // Waits for the job; returns what it threw (null when it did not), for the caller to handle.
  [[nodiscard]] std::exception_ptr wait() noexcept;

 private:
  void loop();

  std::thread thread_;
  std::mutex mutex_;
  std::condition_variable changed_;
  std::function<void()> job_;
  std::exception_ptr failure_;  // what the last job threw
  bool pending_ = false;
  bool quit_ = false;
};

}  // namespace paddock::audit
