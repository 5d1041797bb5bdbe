// The supervisor's side of file observation (fanotify.hpp): it reads the group's events on its
// event loop and reports each closed file, with the path as the sandbox sees it. The sandbox
// never waits for this: events queue in the kernel, and a queue that overflows (16,384 events)
// is reported as such. The supervisor reads them in batches, a few milliseconds after the first
// is queued: one wake-up for many events (a wake-up costs more than an event on a VM), and the
// kernel merges repeats meanwhile (the same file closed again by the same process).
#pragma once

#include <sys/types.h>

#include <boost/asio/io_context.hpp>
#include <boost/asio/posix/stream_descriptor.hpp>
#include <boost/asio/steady_timer.hpp>

#include <functional>
#include <string>
#include <vector>

#include "common/unique_fd.hpp"

namespace paddock::sandbox {

struct FileEvent {
  pid_t pid = 0;         // as seen inside the sandbox; 0 when it exited before the supervisor read the event
  std::string path;      // absolute, inside the sandbox
  bool written = false;  // the file was open for writing
};

// What the sandbox hands over: the fanotify group, and its mount namespace, which the supervisor
// holds so that paths still resolve while it reads the last events after the sandbox exited.
struct FileListener {
  UniqueFd group;
  UniqueFd mount_namespace;
};

class FileMonitor {
 public:
  using Report = std::function<void(const FileEvent&)>;
  using Overflow = std::function<void()>;  // some events were lost (queue full, or no fd for one)

  FileMonitor(boost::asio::io_context& io, FileListener listener, Report report, Overflow overflow);
  FileMonitor(const FileMonitor&) = delete;
  FileMonitor& operator=(const FileMonitor&) = delete;

  void start();
  // Reads what is queued now, without waiting (the sandbox has exited: its last closes).
  void drain();

 private:
  void wait();
  bool read_batch();  // false when nothing was queued

  boost::asio::posix::stream_descriptor group_;
  UniqueFd mount_namespace_;
  boost::asio::steady_timer batch_timer_;
  Report report_;
  Overflow overflow_;
  std::vector<char> buffer_;
};

}  // namespace paddock::sandbox
