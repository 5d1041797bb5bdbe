// Exec observation, driven in-process: every execve in the sandbox reaches the observer with its
// path, argv, cwd and pids, and a denied one fails with EACCES inside.
#include "sandbox/exec_monitor.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>

#include "in_process_run.hpp"
#include "sandbox/layout.hpp"
#include "sandbox/supervisor.hpp"

namespace fs = std::filesystem;

namespace paddock::sandbox {
namespace {

using ::testing::ElementsAre;

class RecordingObserver : public Observer {
 public:
  bool exec_requested(const ExecEvent& event) override {
    events.push_back(event);
    return std::find(event.argv.begin(), event.argv.end(), "--forbidden") == event.argv.end();
  }
  std::vector<ExecEvent> events;
};

TEST(ExecMonitor, ReportsEveryExecAndAppliesTheVerdict) {
  const std::string ws = make_workspace("exec");
  fs::create_directories(ws + "/sub");

  RunRequest request;
  request.observe_exec = true;
  request.command = {"sh", "-c", "cd sub && ./../../../bin/true a 'b c' && /bin/echo --forbidden; echo status=$?"};
  Spec spec = plan_in(ws, request);

  boost::asio::io_context io;
  RecordingObserver observer;
  ::testing::internal::CaptureStdout();
  ::testing::internal::CaptureStderr();
  int status = run(spec, io, observer);
  std::string out = ::testing::internal::GetCapturedStdout();
  std::string err = ::testing::internal::GetCapturedStderr();
  fs::remove_all(ws);

  EXPECT_EQ(status, 0);
  EXPECT_EQ(out, "status=126\n") << "the denied exec fails inside: " << err;
  EXPECT_THAT(err, ::testing::HasSubstr("Permission denied"));
  ASSERT_EQ(observer.events.size(), 3U);
  const auto& shell = observer.events[0];
  EXPECT_EQ(shell.argv.front(), "sh");
  EXPECT_TRUE(shell.path == "/usr/bin/sh" || shell.path == "/bin/sh")
      << "PATH candidates that do not exist are not events";
  EXPECT_EQ(shell.pid, 2) << "pids as seen inside the sandbox (the init is 1)";
  EXPECT_EQ(shell.ppid, 1);
  EXPECT_EQ(shell.cwd, ws);
  const auto& relative = observer.events[1];
  EXPECT_EQ(relative.path, "/bin/true") << "relative paths are resolved against the cwd";
  EXPECT_THAT(relative.argv, ElementsAre("./../../../bin/true", "a", "b c"));
  EXPECT_EQ(relative.cwd, ws + "/sub");
  EXPECT_EQ(relative.ppid, shell.pid);
  EXPECT_EQ(observer.events[2].path, "/bin/echo");
  EXPECT_FALSE(observer.events[2].truncated);
}

}  // namespace
}  // namespace paddock::sandbox
