// File observation, driven in-process as root: the supervisor's event loop gets each file the
// sandbox closed, reads the last ones after the sandbox is gone, and says when the kernel's queue
// overflowed because the supervisor fell behind.
#include "sandbox/file_monitor.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <sys/resource.h>
#include <unistd.h>

#include <filesystem>
#include <thread>

#include "in_process_run.hpp"
#include "sandbox/supervisor.hpp"

namespace fs = std::filesystem;

namespace paddock::sandbox {
namespace {

using namespace std::chrono_literals;

class RecordingObserver : public Observer {
 public:
  void file_closed(const FileEvent& event) override {
    if (events.empty() && stall) std::this_thread::sleep_for(*stall);
    events.push_back(event);
  }
  void file_events_lost() override { ++overflows; }
  std::optional<std::chrono::milliseconds> stall;
  std::vector<FileEvent> events;
  int overflows = 0;
};

int run_observed(const std::string& ws, const std::string& script, RecordingObserver& observer) {
  RunRequest request;
  request.observe_files = true;
  request.command = {"sh", "-c", script};
  const Spec spec = plan_in(ws, request);
  boost::asio::io_context io;
  return run(spec, io, observer);
}

TEST(FileMonitor, AFileHeldOpenUntilTheSandboxEndsIsReadAfterwardsWithItsPath) {
  if (::geteuid() != 0) GTEST_SKIP() << "fanotify observation needs root";
  const std::string ws = make_workspace("files-held");
  RecordingObserver observer;
  // The background shell holds `held` open; the pid namespace's end closes it.
  const int status = run_observed(ws, "(exec 3> held; echo x >&3; exec sleep 60) & sleep 0.2", observer);
  fs::remove_all(ws);
  ASSERT_EQ(status, 0);
  EXPECT_TRUE(std::any_of(observer.events.begin(), observer.events.end(),
                          [&](const FileEvent& e) { return e.path == ws + "/held" && e.written; }))
      << observer.events.size() << " events";
  EXPECT_EQ(observer.overflows, 0);
}

TEST(FileMonitor, ASupervisorThatFallsBehindIsToldEventsWereLost) {
  if (::geteuid() != 0) GTEST_SKIP() << "fanotify observation needs root";
  const std::string ws = make_workspace("files-flood");
  RecordingObserver observer;
  observer.stall = 3s;  // the first event holds the loop while the sandbox closes 20,000 distinct files
  const int status = run_observed(ws, "cd /tmp && i=0; while [ $i -lt 20000 ]; do : > f$i; i=$((i+1)); done", observer);
  fs::remove_all(ws);
  ASSERT_EQ(status, 0);
  EXPECT_GE(observer.overflows, 1) << "the kernel queues 16,384 events";
  EXPECT_LT(observer.events.size(), 20000u);
  EXPECT_GT(observer.events.size(), 10000u) << "what was queued is still reported";
}

TEST(FileMonitor, ALowFdLimitLosesNoEvents) {
  // The kernel opens an fd per event for the reader and drops, unreported, an event it cannot
  // open one for: reads must stay within the supervisor's fd limit.
  if (::geteuid() != 0) GTEST_SKIP() << "fanotify observation needs root";
  rlimit saved{};
  ASSERT_EQ(::getrlimit(RLIMIT_NOFILE, &saved), 0);
  rlimit low = saved;
  low.rlim_cur = 160;
  ASSERT_EQ(::setrlimit(RLIMIT_NOFILE, &low), 0);
  const std::string ws = make_workspace("files-fds");
  RecordingObserver observer;
  observer.stall = 500ms;  // let the 600 closes queue up, then read them in one go
  const int status = run_observed(ws, "i=0; while [ $i -lt 600 ]; do : > f$i; i=$((i+1)); done", observer);
  ::setrlimit(RLIMIT_NOFILE, &saved);
  fs::remove_all(ws);
  ASSERT_EQ(status, 0);
  EXPECT_EQ(observer.overflows, 0);
  const auto created = std::count_if(observer.events.begin(), observer.events.end(),
                                     [&](const FileEvent& e) { return e.written && e.path.starts_with(ws + "/f"); });
  EXPECT_EQ(created, 600);
}

}  // namespace
}  // namespace paddock::sandbox
