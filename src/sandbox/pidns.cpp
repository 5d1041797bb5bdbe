#include "sandbox/pidns.hpp"

#include <fcntl.h>
#include <sys/utsname.h>
#include <unistd.h>

#include <cstdio>
#include <fstream>

#include "common/error.hpp"
#include "common/unique_fd.hpp"

namespace paddock::sandbox::pidns {

bool has_own_pid_max() {
  struct utsname name {};
  if (::uname(&name) != 0) return false;
  int major = 0, minor = 0;
  if (std::sscanf(name.release, "%d.%d", &major, &minor) != 2) return false;
  return major > 6 || (major == 6 && minor >= 14);
}

std::uint64_t host_pid_max() {
  std::ifstream in("/proc/sys/kernel/pid_max");
  std::uint64_t value = 32768;
  in >> value;
  return value;
}

void set_pid_max(const std::string& proc, std::uint64_t value) {
  const std::string path = proc + "/sys/kernel/pid_max";
  UniqueFd fd(::open(path.c_str(), O_WRONLY | O_CLOEXEC));
  if (!fd) throw SysError("open " + path);
  const std::string text = std::to_string(value);
  if (::write(fd.get(), text.data(), text.size()) < 0) throw SysError("set the sandbox's pid_max to " + text);
}

}  // namespace paddock::sandbox::pidns
