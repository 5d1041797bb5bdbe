// Start-up errors and clean-up: bad input gets one line and leaves nothing behind; a killed
// supervisor takes the whole sandbox with it.
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>
#include <thread>

#include "support/sandbox_fixture.hpp"

namespace fs = std::filesystem;

namespace paddock::testing {
namespace {

using ::testing::HasSubstr;
using ::testing::StartsWith;
using namespace std::chrono_literals;

class Lifecycle : public SandboxTest {};
INSTANTIATE_TEST_SUITE_P(Modes, Lifecycle, ::testing::Values(Mode::root, Mode::unprivileged), mode_name);

std::set<std::string> entries(const std::string& dir) {
  std::set<std::string> out;
  for (const auto& e : fs::directory_iterator(dir)) out.insert(e.path().filename());
  return out;
}

// A process that exited but was not reaped yet (a zombie) counts as gone.
bool running(pid_t pid) {
  std::ifstream in("/proc/" + std::to_string(pid) + "/stat");
  std::string stat;
  if (!std::getline(in, stat)) return false;
  auto close = stat.rfind(')');
  return close != std::string::npos && close + 2 < stat.size() && stat[close + 2] != 'Z' && stat[close + 2] != 'X';
}

// Pids whose parent is `parent`.
std::vector<pid_t> children_of(pid_t parent) {
  std::vector<pid_t> out;
  for (const auto& e : fs::directory_iterator("/proc")) {
    std::string name = e.path().filename();
    if (name.find_first_not_of("0123456789") != std::string::npos) continue;
    std::ifstream in(e.path() / "stat");
    std::string stat;
    std::getline(in, stat);
    auto close = stat.rfind(')');
    if (close == std::string::npos) continue;
    std::istringstream rest(stat.substr(close + 2));
    char state;
    pid_t ppid;
    rest >> state >> ppid;
    if (ppid == parent) out.push_back(std::stoi(name));
  }
  return out;
}

// The cgroups of one supervisor (named paddock-<pid>-<random>).
std::vector<std::string> paddock_cgroups(pid_t supervisor) {
  const std::string prefix = "paddock-" + std::to_string(supervisor) + "-";
  std::vector<std::string> out;
  std::error_code ec;
  for (auto it = fs::recursive_directory_iterator("/sys/fs/cgroup", ec);
       !ec && it != fs::recursive_directory_iterator(); it.increment(ec)) {
    if (it->is_directory(ec) && it->path().filename().string().rfind(prefix, 0) == 0) out.push_back(it->path());
  }
  return out;
}

TEST_P(Lifecycle, BadInputGetsOneLineAndAUsageStatus) {
  struct Case {
    std::vector<std::string> args;
    std::string message;
  };
  const std::vector<Case> cases = {
      {{"run", "--no-such-option", "--", "true"}, "paddock: unknown argument --no-such-option"},
      {{"run", "--mount", "nocolon", "--", "true"}, "paddock: --mount \"nocolon\": expected SRC:DST[:ro]"},
      {{"run", "--mount", "/etc:relative", "--", "true"},
       "paddock: --mount \"/etc:relative\": DST must be an absolute"},
      {{"run", "--mount", "/no/such:/x", "--", "true"}, "paddock: --mount \"/no/such:/x\": source /no/such"},
      {{"run", "--mount", "/etc:/x:rx", "--", "true"}, "paddock: --mount \"/etc:/x:rx\": unknown mode \"rx\""},
      {{"run", "--workspace", "/no/such/dir", "--", "true"}, "paddock: --workspace /no/such/dir: No such file"},
      {{"run", "--memory", "lots", "--", "true"}, "paddock: --memory lots: expected a size"},
      {{"run", "--env", "1BAD=x", "--", "true"}, "paddock: --env \"1BAD=x\": expected NAME=VALUE"},
      {{"nosuchcommand"}, "paddock: unknown command nosuchcommand"},
  };
  auto before = entries(workspace_);
  for (const auto& c : cases) {
    auto r = paddock(c.args);
    EXPECT_EQ(r.status, 2) << c.message;
    EXPECT_THAT(r.err, StartsWith(c.message));
    EXPECT_EQ(std::count(r.err.begin(), r.err.end(), '\n'), 1) << "one line: " << r.err;
  }
  EXPECT_EQ(entries(workspace_), before);
}

TEST_P(Lifecycle, WorkspaceContainingHomeIsRefused) {
  auto r = paddock({"run", "--workspace", root_, "--", "true"});
  EXPECT_EQ(r.status, 2);
  EXPECT_THAT(r.err, HasSubstr("contains your home directory"));
}

TEST_P(Lifecycle, MissingKernelFeatureIsExplained) {
  // bwrap --disable-userns leaves paddock in a namespace where no user namespace can be made.
  if (privileged()) GTEST_SKIP() << "root needs no user namespace";
  auto r = run_process(as_user({"bwrap", "--unshare-user", "--disable-userns", "--dev-bind", "/", "/", "--",
                                paddock_binary(), "run", "--workspace", workspace_, "--", "true"}),
                       {.env = environment(), .cwd = workspace_});
  EXPECT_EQ(r.status, 125) << r.err;
  EXPECT_THAT(r.err, StartsWith("paddock: cannot create a user namespace"));
  EXPECT_THAT(r.err, HasSubstr("paddock doctor"));
  EXPECT_EQ(std::count(r.err.begin(), r.err.end(), '\n'), 1) << r.err;
  EXPECT_EQ(entries(workspace_), std::set<std::string>{}) << "no placeholder may be left behind";
}

TEST_P(Lifecycle, KilledSupervisorLeavesNothingBehind) {
  make_git_repository();
  fs::remove_all(workspace_ + "/.git/hooks");  // forces a placeholder
  auto before = entries(workspace_);

  pid_t supervisor = spawn_paddock_run({"--pids", "100"}, {"sh", "-c", "sleep 1000 & sleep 1000 & sleep 1000"});
  // Wait for the sandbox to be up: its init is a child of the supervisor.
  std::vector<pid_t> sandbox;
  for (int i = 0; i < 200 && sandbox.empty(); ++i) {
    std::this_thread::sleep_for(10ms);
    for (pid_t child : children_of(supervisor))
      if (!children_of(child).empty()) sandbox = children_of(child), sandbox.push_back(child);
  }
  ASSERT_FALSE(sandbox.empty()) << "the sandbox did not start";
  std::this_thread::sleep_for(100ms);
  if (privileged()) {
    EXPECT_FALSE(paddock_cgroups(supervisor).empty()) << "root runs get a pids cgroup";
  }
  EXPECT_TRUE(fs::exists(workspace_ + "/.git/hooks")) << "the placeholder exists while running";

  ASSERT_EQ(::kill(supervisor, SIGKILL), 0);
  ::waitpid(supervisor, nullptr, 0);
  auto deadline = std::chrono::steady_clock::now() + 1s;
  bool gone = false;
  while (!gone && std::chrono::steady_clock::now() < deadline) {
    gone = std::none_of(sandbox.begin(), sandbox.end(), running) && entries(workspace_) == before &&
           !fs::exists(workspace_ + "/.git/hooks") && paddock_cgroups(supervisor).empty();
    if (!gone) std::this_thread::sleep_for(10ms);
  }
  EXPECT_TRUE(gone) << "within a second: no process, placeholder or cgroup may remain";
  for (pid_t p : sandbox) EXPECT_FALSE(running(p)) << "pid " << p << " survived";
  EXPECT_FALSE(fs::exists(workspace_ + "/.git/hooks"));
  EXPECT_EQ(paddock_cgroups(supervisor), std::vector<std::string>{});
}

TEST_P(Lifecycle, DoctorReportsEveryLayer) {
  auto r = paddock({"doctor"});
  EXPECT_EQ(r.status, 0) << r.err;
  for (const char* layer : {"user namespaces", "Landlock", "seccomp filters", "seccomp user notification", "cgroup v2",
                            "cgroup v1", "fanotify", "new mount API"})
    EXPECT_THAT(r.out, HasSubstr(layer));
  EXPECT_THAT(r.out, HasSubstr("ok   Landlock"));
}

}  // namespace
}  // namespace paddock::testing
