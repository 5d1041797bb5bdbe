#include "sandbox/init.hpp"

#include <fcntl.h>
#include <signal.h>
#include <sys/ioctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstring>
#include <vector>

#include "common/error.hpp"

extern char** environ;

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

int status_to_exit_code(int status) {
  if (WIFEXITED(status)) return WEXITSTATUS(status);
  if (WIFSIGNALED(status)) return 128 + WTERMSIG(status);
  return 1;
}

[[noreturn]] void exec_command(const Spec& spec, int tty, int report_fd, std::vector<char*>& argv,
                               std::vector<char*>& envp) {
  sigset_t none;
  sigemptyset(&none);
  ::sigprocmask(SIG_SETMASK, &none, nullptr);
  for (int sig : kForwarded) ::signal(sig, SIG_DFL);
  ::signal(SIGCHLD, SIG_DFL);
  ::setsid();
  if (tty >= 0) {
    ::ioctl(tty, TIOCSCTTY, 0);
    ::dup2(tty, STDIN_FILENO);
    if (spec.terminal->stdout_is_tty) ::dup2(tty, STDOUT_FILENO);
    if (spec.terminal->stderr_is_tty) ::dup2(tty, STDERR_FILENO);
    ::close(tty);
  }
  environ = envp.data();  // execvp searches the sandbox's PATH, not init's
  ::execvp(argv[0], argv.data());
  int err = errno;
  (void)!::write(report_fd, &err, sizeof err);
  ::_exit(err == ENOENT ? kExitNotFound : kExitCannotRun);
}

}  // namespace

void run(const Spec& spec, const Channel& channel, UniqueFd tty) {
  sigset_t handled;
  sigemptyset(&handled);
  sigaddset(&handled, SIGCHLD);
  for (int sig : kForwarded) sigaddset(&handled, sig);
  if (::sigprocmask(SIG_BLOCK, &handled, nullptr) != 0) throw SysError("sigprocmask");

  auto argv = c_strings(spec.argv);
  auto envp = c_strings(spec.env);
  int report[2];
  if (::pipe2(report, O_CLOEXEC) != 0) throw SysError("pipe2");
  pid_t command = ::fork();
  if (command < 0) throw SysError("fork the command");
  if (command == 0) {
    ::close(report[0]);
    exec_command(spec, tty.get(), report[1], argv, envp);
  }
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
      if (pid == command) ::_exit(status_to_exit_code(status));
    }
  }
}

}  // namespace paddock::sandbox::init
