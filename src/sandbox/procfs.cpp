#include "sandbox/procfs.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <climits>
#include <sstream>

#include "common/unique_fd.hpp"

namespace paddock::sandbox::procfs {

std::pair<pid_t, pid_t> pids_of(pid_t host_pid) {
  UniqueFd fd(::open(("/proc/" + std::to_string(host_pid) + "/status").c_str(), O_RDONLY | O_CLOEXEC));
  if (!fd) return {0, 0};
  char buf[4096];
  ssize_t n = ::read(fd.get(), buf, sizeof buf - 1);
  if (n <= 0) return {0, 0};
  std::istringstream in(std::string(buf, static_cast<std::size_t>(n)));
  pid_t inner = 0, parent = 0;
  for (std::string line; std::getline(in, line);) {
    if (line.rfind("PPid:", 0) == 0) parent = std::stoi(line.substr(5));
    if (line.rfind("NSpid:", 0) == 0) {
      std::istringstream ids(line.substr(6));
      for (pid_t id; ids >> id;) inner = id;
    }
  }
  return {inner, parent};
}

std::string read_link(const std::string& path) {
  char buf[PATH_MAX];
  ssize_t n = ::readlink(path.c_str(), buf, sizeof buf);
  return n > 0 ? std::string(buf, static_cast<std::size_t>(n)) : std::string();
}

}  // namespace paddock::sandbox::procfs
