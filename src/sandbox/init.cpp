#include "sandbox/init.hpp"

#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <sys/ioctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstring>
#include <vector>

#include "common/error.hpp"
#include "common/subprocess.hpp"

namespace paddock::sandbox::init {
namespace {

// Signals init passes on to the command. SIGCHLD is init's own.
constexpr int kForwarded[] = {SIGINT, SIGTERM, SIGHUP, SIGQUIT, SIGUSR1, SIGUSR2, SIGWINCH, SIGCONT, SIGALRM};

std::vector<char*> c_strings(const std::vector<std::string>& strings) {
  std::vector<char*> out;
  for (const auto& s : strings) out.push_back(const_cast<char*>(s.c_str()));
  out.push_back(nullptr);
  return out;
}

// Where execvp would look for argv[0], in order, computed before the child exists: the child
// shares init's memory (CLONE_VM) and must not allocate.
std::vector<std::string> candidates(const Spec& spec) {
  const std::string& name = spec.argv[0];
  if (name.find('/') != std::string::npos) return {name};
  std::string path = "/usr/local/bin:/usr/bin:/bin";
  for (const auto& entry : spec.env)
    if (entry.rfind("PATH=", 0) == 0) path = entry.substr(5);
  std::vector<std::string> out;
  std::size_t begin = 0;
  while (begin <= path.size()) {
    std::size_t end = path.find(':', begin);
    if (end == std::string::npos) end = path.size();
    std::string dir = path.substr(begin, end - begin);
    out.push_back((dir.empty() ? std::string(".") : dir) + "/" + name);
    begin = end + 1;
  }
  return out;
}

// Everything the command's process needs, prepared by init.
struct Launch {
  const Spec* spec;
  int tty;
  int report_fd;
  std::vector<char*> argv;
  std::vector<char*> envp;
  std::vector<char*> paths;
};

// Runs in the command's process, on its own stack, sharing init's memory until execve: only
// system calls, no allocation.
int exec_command(void* arg) {
  auto& launch = *static_cast<Launch*>(arg);
  sigset_t none;
  sigemptyset(&none);
  ::sigprocmask(SIG_SETMASK, &none, nullptr);
  for (int sig : kForwarded) ::signal(sig, SIG_DFL);
  ::signal(SIGCHLD, SIG_DFL);
  ::setsid();
  if (launch.tty >= 0) {
    ::ioctl(launch.tty, TIOCSCTTY, 0);
    ::dup2(launch.tty, STDIN_FILENO);
    if (launch.spec->terminal->stdout_is_tty) ::dup2(launch.tty, STDOUT_FILENO);
    if (launch.spec->terminal->stderr_is_tty) ::dup2(launch.tty, STDERR_FILENO);
    ::close(launch.tty);
  }
  // Like execvp: a missing candidate moves on; a found but forbidden one is remembered.
  int err = ENOENT;
  for (char* path : launch.paths) {
    if (path == nullptr) break;
    ::execve(path, launch.argv.data(), launch.envp.data());
    if (errno == EACCES)
      err = EACCES;
    else if (errno != ENOENT && errno != ENOTDIR) {
      err = errno;
      break;
    }
  }
  (void)!::write(launch.report_fd, &err, sizeof err);
  ::_exit(err == ENOENT ? kExitNotFound : kExitCannotRun);
}

}  // namespace

void run(const Spec& spec, const Channel& channel, UniqueFd tty) {
  sigset_t handled;
  sigemptyset(&handled);
  sigaddset(&handled, SIGCHLD);
  for (int sig : kForwarded) sigaddset(&handled, sig);
  if (::sigprocmask(SIG_BLOCK, &handled, nullptr) != 0) throw SysError("sigprocmask");

  int report[2];
  if (::pipe2(report, O_CLOEXEC) != 0) throw SysError("pipe2");
  const auto paths = candidates(spec);
  Launch launch{&spec, tty.get(), report[1], c_strings(spec.argv), c_strings(spec.env), c_strings(paths)};
  // vfork semantics: init pauses until the command has exec'd, and nothing of its memory is
  // copied (init is a copy of the supervisor; copying its page tables is the costly part of fork).
  std::vector<char> stack(64 * 1024);
  pid_t command = ::clone(exec_command, stack.data() + stack.size(), CLONE_VM | CLONE_VFORK | SIGCHLD, &launch);
  if (command < 0) throw SysError("start the command");
  ::close(report[1]);
  tty.reset();  // the command holds the terminal now; init must not keep it open

  int err = 0;
  ssize_t n;
  while ((n = ::read(report[0], &err, sizeof err)) < 0 && errno == EINTR) {
  }
  ::close(report[0]);
  if (n > 0) {
    channel.send(MessageType::exec_failed, err, spec.argv[0]);
    ::waitpid(command, nullptr, 0);
    ::_exit(err == ENOENT ? kExitNotFound : kExitCannotRun);
  }
  channel.send(MessageType::exec_ok);

  for (;;) {
    siginfo_t info{};
    if (::sigwaitinfo(&handled, &info) < 0) continue;
    if (info.si_signo != SIGCHLD) {
      ::kill(command, info.si_signo);
      continue;
    }
    int status = 0;
    pid_t pid;
    while ((pid = ::waitpid(-1, &status, WNOHANG)) > 0) {
      if (pid == command) ::_exit(exit_status_of(status));
    }
  }
}

}  // namespace paddock::sandbox::init
