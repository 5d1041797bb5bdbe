#include "mcp/stdio_wrapper.hpp"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <functional>
#include <mutex>
#include <thread>

#include "common/error.hpp"
#include "common/subprocess.hpp"
#include "common/unique_fd.hpp"

namespace paddock::mcp {
namespace {

struct Pipe {
  UniqueFd read, write;
};

Pipe make_pipe() {
  int fds[2];
  if (::pipe2(fds, O_CLOEXEC) != 0) throw SysError("pipe2");
  return {UniqueFd(fds[0]), UniqueFd(fds[1])};
}

// False when the other end is gone.
bool write_line(int fd, const std::string& line) {
  std::string out = line + "\n";
  std::size_t done = 0;
  while (done < out.size()) {
    const ssize_t n = ::write(fd, out.data() + done, out.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return false;
    done += static_cast<std::size_t>(n);
  }
  return true;
}

// Calls `on_line` for each line read from `fd` until end of file, an error, or (when `stop` is
// valid) `stop` becomes readable.
void read_lines(int fd, int stop, const std::function<bool(std::string_view)>& on_line) {
  std::string pending;
  char buf[64 * 1024];
  for (;;) {
    if (stop >= 0) {
      pollfd fds[2] = {{fd, POLLIN, 0}, {stop, POLLIN, 0}};
      if (::poll(fds, 2, -1) < 0) {
        if (errno == EINTR) continue;
        return;
      }
      if (fds[1].revents != 0) return;
    }
    const ssize_t n = ::read(fd, buf, sizeof buf);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) break;
    pending.append(buf, static_cast<std::size_t>(n));
    std::size_t start = 0;
    for (std::size_t nl; (nl = pending.find('\n', start)) != std::string::npos; start = nl + 1)
      if (!on_line(std::string_view(pending).substr(start, nl - start))) return;
    pending.erase(0, start);
  }
  if (!pending.empty()) on_line(pending);  // a last message without its newline
}

}  // namespace

int relay_stdio_server(const std::vector<std::string>& command, Interposer& interposer) {
  if (command.empty()) throw Error("paddock mcp wrap: no server command (after --)", 2);
  ::signal(SIGPIPE, SIG_IGN);  // a server or client gone shows as EPIPE
  Pipe to_server = make_pipe(), from_server = make_pipe(), stop = make_pipe();

  std::vector<char*> argv;
  for (const auto& arg : command) argv.push_back(const_cast<char*>(arg.c_str()));
  argv.push_back(nullptr);
  Pipe exec_error = make_pipe();  // carries execvp's errno; closed by a successful exec
  const pid_t parent = ::getpid();
  const pid_t pid = ::fork();  // no other thread exists yet
  if (pid < 0) throw SysError("fork for the MCP server");
  if (pid == 0) {
    // The server ends with the wrapper, however the wrapper ends (a client may SIGKILL it).
    ::prctl(PR_SET_PDEATHSIG, SIGTERM);
    if (::getppid() != parent) ::_exit(127);
    ::signal(SIGPIPE, SIG_DFL);
    if (::dup2(to_server.read.get(), STDIN_FILENO) < 0 || ::dup2(from_server.write.get(), STDOUT_FILENO) < 0)
      ::_exit(127);
    ::execvp(argv[0], argv.data());
    const int err = errno;
    [[maybe_unused]] auto n = ::write(exec_error.write.get(), &err, sizeof err);
    ::_exit(127);
  }
  exec_error.write.reset();
  int err = 0;
  if (::read(exec_error.read.get(), &err, sizeof err) == sizeof err) {
    ::waitpid(pid, nullptr, 0);
    throw Error("paddock mcp wrap: cannot start " + command[0] + ": " + errno_text(err), 127);
  }
  to_server.read.reset();
  from_server.write.reset();

  std::mutex client_out;  // both directions write to the client
  auto to_client = [&](const std::string& line) {
    std::lock_guard lock(client_out);
    write_line(STDOUT_FILENO, line);
  };
  std::thread client_side([&] {
    read_lines(STDIN_FILENO, stop.read.get(), [&](std::string_view line) {
      auto relay = interposer.from_client(line);
      if (!relay.to_client.empty()) to_client(relay.to_client);
      return relay.to_server.empty() || write_line(to_server.write.get(), relay.to_server);
    });
    to_server.write.reset();  // the client is done: so is the server's input
  });
  read_lines(from_server.read.get(), -1, [&](std::string_view line) {
    const std::string out = interposer.from_server(line);
    if (!out.empty()) to_client(out);
    return true;
  });

  int status = 0;
  while (::waitpid(pid, &status, 0) < 0)
    if (errno != EINTR) throw SysError("waitpid for the MCP server");
  write_line(stop.write.get(), "");  // the client side may still wait on stdin
  client_side.join();
  return exit_status_of(status);
}

}  // namespace paddock::mcp
