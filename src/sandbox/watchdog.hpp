// The watchdog: a small helper process forked before the sandbox exists. It holds the list of
// host-side leftovers of one run (cgroup directories, placeholders) and removes them if the
// supervisor dies without doing so itself, even by SIGKILL: it notices the closed socket, waits
// for the sandbox's init to be gone, then cleans up and exits. No daemon outlives the run.
#pragma once

#include <sys/types.h>

#include <string>
#include <utility>
#include <vector>

#include "sandbox/channel.hpp"
#include "sandbox/placeholders.hpp"

namespace paddock::sandbox {

class Watchdog {
 public:
  static Watchdog start();

  Watchdog() = default;
  Watchdog(Watchdog&& other) noexcept : pid_(std::exchange(other.pid_, -1)), channel_(std::move(other.channel_)) {}
  Watchdog& operator=(Watchdog&&) = delete;
  Watchdog(const Watchdog&) = delete;
  ~Watchdog() { dismiss(); }

  // Each resource is reported as soon as it exists.
  void watch_cgroup(const std::string& directory) const;
  void watch_placeholder(const placeholders::Created& created) const;
  void watch_process(int pidfd) const;
  // The supervisor cleaned up: the watchdog exits without touching anything.
  void dismiss() noexcept;

 private:
  pid_t pid_ = -1;
  Channel channel_;
};

}  // namespace paddock::sandbox
