// Processes, signals, exit statuses, stdio and environment, checked through real sandboxes.
#include <poll.h>
#include <pty.h>
#include <signal.h>
#include <sys/ioctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <fstream>
#include <random>
#include <thread>

#include "support/sandbox_fixture.hpp"

namespace paddock::testing {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;
using namespace std::chrono_literals;

class Processes : public SandboxTest {};
INSTANTIATE_TEST_SUITE_P(Modes, Processes, ::testing::Values(Mode::root, Mode::unprivileged), mode_name);

TEST_P(Processes, ExitStatusPropagates) {
  EXPECT_EQ(paddock_run({}, {"sh", "-c", "exit 42"}).status, 42);
  EXPECT_EQ(paddock_run({}, {"true"}).status, 0);
  EXPECT_EQ(paddock_run({}, {"sh", "-c", "kill -TERM $$"}).status, 128 + SIGTERM);
  EXPECT_EQ(paddock_run({}, {"sh", "-c", "kill -KILL $$"}).status, 128 + SIGKILL);
}

TEST_P(Processes, CommandRunsAsTheCallerWithoutPrivileges) {
  auto r = paddock_run({}, {"sh", "-c", "id -u; grep -E '^(CapEff|CapBnd|NoNewPrivs|Seccomp):' /proc/self/status"});
  EXPECT_EQ(r.out, std::to_string(uid()) +
                       "\nCapEff:\t0000000000000000\nCapBnd:\t0000000000000000\nNoNewPrivs:\t1\nSeccomp:\t2\n")
      << r.err;
}

TEST_P(Processes, PidNamespaceHidesHostProcesses) {
  pid_t host = spawn_background({"sleep", "30"});
  auto r = paddock_run({}, {"sh", "-c", "echo $$; ls -d /proc/[0-9]* | wc -l; kill -9 " + std::to_string(host)});
  EXPECT_THAT(r.err, HasSubstr("No such process"));
  r = paddock_run({}, {"sh", "-c", "kill -9 -1; echo survived"});
  EXPECT_EQ(::kill(host, 0), 0) << "kill -9 -1 inside must not reach the host";
  ::kill(host, SIGKILL);
  ::waitpid(host, nullptr, 0);
}

TEST_P(Processes, InitReapsOrphansAndForwardsSignals) {
  // A zombie-producing command: orphans get reparented to the sandbox's init.
  auto r = paddock_run(
      {}, {"sh", "-c", "for i in 1 2 3; do (sleep 0.1 &) ; done; sleep 0.5; ps -eo stat= | grep -c Z || true"});
  EXPECT_EQ(r.out, "0\n") << r.err;

  // SIGTERM to the supervisor reaches the command, whose trap turns it into status 7.
  ProcessOptions options;
  options.env = environment();
  options.cwd = workspace_;
  std::vector<std::string> argv = {
      paddock_binary(), "run", "--", "sh", "-c", "trap 'exit 7' TERM; echo ready; while :; do sleep 0.05; done"};
  int out[2];
  ASSERT_EQ(::pipe(out), 0);
  pid_t pid = ::fork();
  if (pid == 0) {
    ::dup2(out[1], 1);
    ::close(out[0]);
    auto args = as_user(argv);
    std::vector<char*> c;
    for (auto& a : args) c.push_back(a.data());
    c.push_back(nullptr);
    std::vector<std::string> env = environment();
    std::vector<char*> e;
    for (auto& v : env) e.push_back(v.data());
    e.push_back(nullptr);
    if (::chdir(workspace_.c_str()) != 0) ::_exit(126);
    ::execvpe(c[0], c.data(), e.data());
    ::_exit(127);
  }
  ::close(out[1]);
  char buf[16] = {};
  ASSERT_GT(::read(out[0], buf, sizeof buf), 0);
  EXPECT_STREQ(buf, "ready\n");
  // setpriv execs paddock in place, so pid is the supervisor in both modes.
  ::kill(pid, SIGTERM);
  int status = 0;
  ::waitpid(pid, &status, 0);
  ::close(out[0]);
  EXPECT_TRUE(WIFEXITED(status));
  EXPECT_EQ(WEXITSTATUS(status), 7);
}

TEST_P(Processes, ForkBombStopsAtThePidsLimit) {
  // The bomb's shell dies when fork fails; the count afterwards uses only shell builtins, since
  // the sleeps still hold every slot. They sleep long enough to outlive a slow machine's bomb
  // (sleep 5 once expired before a 400-process bomb finished, so the count fell short); the
  // init's exit ends them all.
  auto r =
      paddock_run({"--pids", "50"}, {"sh", "-c", "sh -c 'while :; do sleep 60 & done'; set -- /proc/[0-9]*; echo $#"});
  EXPECT_THAT(r.err, HasSubstr("Cannot fork"));
  ASSERT_FALSE(r.out.empty());
  EXPECT_LE(std::stoi(r.out), 50);
}

TEST_P(Processes, LargePidsLimitHoldsToo) {
  // Large limits may be enforced by the pid namespace's own pid_max instead of a cgroup.
  auto r =
      paddock_run({"--pids", "400"}, {"sh", "-c", "sh -c 'while :; do sleep 60 & done'; set -- /proc/[0-9]*; echo $#"});
  EXPECT_THAT(r.err, HasSubstr("Cannot fork"));
  ASSERT_FALSE(r.out.empty());
  EXPECT_LE(std::stoi(r.out), 400);
  EXPECT_GE(std::stoi(r.out), 300) << "the limit, not something else, stopped the bomb";
}

TEST_P(Processes, StdioPassesThroughUntouched) {
  std::string data(1 << 20, '\0');
  std::mt19937 rng(42);
  for (auto& c : data) c = static_cast<char>(rng());
  ProcessOptions options;
  options.stdin_data = data;
  auto r = paddock_run({}, {"cat"}, options);
  EXPECT_EQ(r.status, 0) << r.err;
  EXPECT_EQ(r.out.size(), data.size());
  EXPECT_TRUE(r.out == data) << "binary data must pass through byte for byte";
  r = paddock_run({}, {"sh", "-c", "echo to-stderr >&2; echo to-stdout"});
  EXPECT_EQ(r.out, "to-stdout\n");
  EXPECT_EQ(r.err, "to-stderr\n");
}

TEST_P(Processes, ArgumentsReachTheCommandVerbatim) {
  // CLI11 splits a word written like a list at its commas; the command must get it as typed.
  auto r = paddock_run({}, {"printf", "%s|", "[1,2]", R"(["a",{"b":1}])", "a,b", "--", "[x]"});
  EXPECT_EQ(r.status, 0) << r.err;
  EXPECT_EQ(r.out, R"([1,2]|["a",{"b":1}]|a,b|--|[x]|)");
}

TEST_P(Processes, EnvironmentIsAnAllowlist) {
  ProcessOptions options;
  options.env = environment();
  options.env->push_back("ANTHROPIC_API_KEY=sk-secret");
  options.env->push_back("SSH_AUTH_SOCK=/tmp/ssh-agent.sock");
  options.env->push_back("GITHUB_TOKEN=ghp_secret");
  options.env->push_back("PASSED_ON=visible");
  auto r = paddock_run({"--env", "EXTRA=1", "--env", "PASSED_ON"}, {"env"}, options);
  EXPECT_EQ(r.status, 0) << r.err;
  EXPECT_THAT(r.out, Not(HasSubstr("secret")));
  EXPECT_THAT(r.out, Not(HasSubstr("SSH_AUTH_SOCK")));
  EXPECT_THAT(r.out, HasSubstr("EXTRA=1\n"));
  EXPECT_THAT(r.out, HasSubstr("PASSED_ON=visible\n"));
  EXPECT_THAT(r.out, HasSubstr("HOME=" + home_ + "\n"));
  EXPECT_THAT(r.out, HasSubstr("LANG=C.UTF-8\n"));
}

TEST_P(Processes, CommandNotFound) {
  auto r = paddock_run({}, {"/no/such/command"});
  EXPECT_EQ(r.status, 127);
  EXPECT_EQ(r.err, "paddock: cannot run \"/no/such/command\" in the sandbox: No such file or directory (ENOENT)\n");
  r = paddock_run({}, {"/etc/passwd"});
  EXPECT_EQ(r.status, 126);
}

TEST_P(Processes, TerminalRunsOnAPtyInsideTheSandbox) {
  // `script` gives paddock a terminal; inside, the command's tty is the sandbox's own PTY with
  // the outer terminal's size, and afterwards the outer terminal has its mode back.
  auto cmd = as_user({paddock_binary(), "run", "--", "sh", "-c", "tty; stty size; test -t 0 && echo tty-in"});
  std::string line;
  for (const auto& a : cmd) line += "'" + a + "' ";
  const std::string before = root_ + "/mode-before", after = root_ + "/mode-after";
  ProcessOptions options;
  options.env = environment();
  options.env->push_back("TERM=xterm");
  options.cwd = workspace_;
  auto r =
      run_process({"script", "-qefc",
                   "stty rows 33 cols 101; stty -g > " + before + "; " + line + "; stty -g > " + after, "/dev/null"},
                  options);
  EXPECT_EQ(r.status, 0) << r.err;
  EXPECT_THAT(r.out, HasSubstr("/dev/pts/0"));
  EXPECT_THAT(r.out, HasSubstr("33 101"));
  EXPECT_THAT(r.out, HasSubstr("tty-in"));
  std::ifstream b(before), a(after);
  std::string mode_before, mode_after;
  std::getline(b, mode_before);
  std::getline(a, mode_after);
  EXPECT_FALSE(mode_before.empty());
  EXPECT_EQ(mode_before, mode_after) << "the terminal's mode must be restored";
}

TEST_P(Processes, WindowSizeChangesReachTheCommand) {
  int master = -1, slave = -1;
  struct winsize size {};
  size.ws_row = 24;
  size.ws_col = 80;
  ASSERT_EQ(::openpty(&master, &slave, nullptr, nullptr, &size), 0);
  auto argv = as_user({paddock_binary(), "run", "--", "sh", "-c",
                       "trap 'stty size; exit 0' WINCH; echo ready; while :; do sleep 0.05; done"});
  auto env = environment();
  env.push_back("TERM=xterm");
  pid_t pid = ::fork();
  if (pid == 0) {
    ::setsid();
    ::ioctl(slave, TIOCSCTTY, 0);
    for (int fd = 0; fd < 3; ++fd) ::dup2(slave, fd);
    if (::chdir(workspace_.c_str()) != 0) ::_exit(126);
    std::vector<char*> args, envp;
    for (auto& a : argv) args.push_back(a.data());
    args.push_back(nullptr);
    for (auto& e : env) envp.push_back(e.data());
    envp.push_back(nullptr);
    ::execvpe(args[0], args.data(), envp.data());
    ::_exit(127);
  }
  ::close(slave);
  auto read_until = [&](const std::string& marker) {
    std::string seen;
    char buf[256];
    auto deadline = std::chrono::steady_clock::now() + 10s;
    while (seen.find(marker) == std::string::npos && std::chrono::steady_clock::now() < deadline) {
      pollfd pfd{master, POLLIN, 0};
      if (::poll(&pfd, 1, 100) <= 0) continue;
      ssize_t n = ::read(master, buf, sizeof buf);
      if (n <= 0) break;
      seen.append(buf, static_cast<std::size_t>(n));
    }
    return seen;
  };
  EXPECT_THAT(read_until("ready"), HasSubstr("ready"));
  size.ws_row = 50;
  size.ws_col = 120;
  ASSERT_EQ(::ioctl(master, TIOCSWINSZ, &size), 0);  // the kernel signals paddock: SIGWINCH
  EXPECT_THAT(read_until("50 120"), HasSubstr("50 120"));
  int status = 0;
  ::waitpid(pid, &status, 0);
  ::close(master);
  EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0) << status;
}

TEST_P(Processes, ExecLogShowsEveryExec) {
  auto r = paddock_run({"--exec-log"}, {"sh", "-c", "/bin/true one 'two words'; ls -d / >/dev/null"});
  EXPECT_EQ(r.status, 0) << r.err;
  EXPECT_THAT(r.err, HasSubstr("paddock: exec pid 2 ppid 1 /usr/bin/sh sh -c"));
  EXPECT_THAT(r.err, HasSubstr(" ppid 2 /bin/true /bin/true one two words\n"));
  EXPECT_THAT(r.err, HasSubstr(" ppid 2 /usr/bin/ls ls -d /\n"));
  EXPECT_EQ(std::count(r.err.begin(), r.err.end(), '\n'), 3) << r.err;
}

TEST_P(Processes, DemoAgentShowsEachOutcome) {
  make_git_repository();
  // A small pids limit: the bomb forks (each exec observed) until the limit, and 4096 of them
  // take tens of seconds on a loaded 2-core machine.
  auto r = paddock({"run", "--pids", "256"});
  EXPECT_EQ(r.status, 0) << r.err;
  for (const char* line : {"write a file in the workspace                  allowed",
                           "read the real ~/.ssh/id_rsa                    denied: No such file or directory",
                           "write /etc/paddock-demo                        denied: Read-only file system",
                           "write .git/hooks/pre-commit                    denied: Read-only file system",
                           "reach a host (TCP to 1.1.1.1:443)              denied: Network is unreachable",
                           "unshare -Ur (new user namespace)               denied: Operation not permitted",
                           "fork bomb (spawn until refused)                stopped at 25"})
    EXPECT_THAT(r.out, HasSubstr(line));
}

}  // namespace
}  // namespace paddock::testing
