#include "common/files.hpp"

#include <climits>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>

#include "common/error.hpp"
#include "common/unique_fd.hpp"

namespace paddock {

namespace {

// $<variable>/paddock when it is an absolute path, else $HOME/<fallback>/paddock.
std::string xdg_directory(const char* variable, const char* fallback) {
  const char* xdg = std::getenv(variable);
  if (xdg != nullptr && xdg[0] == '/') return std::string(xdg) + "/paddock";
  const char* home = std::getenv("HOME");
  if (home == nullptr || home[0] != '/')
    throw Error(std::string("neither ") + variable + " nor HOME names a directory: set HOME to find paddock's files");
  return std::string(home) + "/" + fallback + "/paddock";
}

}  // namespace

std::string data_directory() {
  return xdg_directory("XDG_DATA_HOME", ".local/share");
}

std::string state_directory() {
  return xdg_directory("XDG_STATE_HOME", ".local/state");
}

void make_directories(const std::string& path, mode_t mode) {
  const std::filesystem::path target(path);
  std::filesystem::path partial;
  for (const auto& part : target) {
    partial /= part;
    if (::mkdir(partial.c_str(), partial == target ? mode : 0755) != 0 && errno != EEXIST)
      throw SysError("mkdir " + partial.string());
  }
  check_sys(::chmod(path.c_str(), mode), "chmod " + path);
}

void write_file_atomically(const std::string& path, const std::string& content, mode_t mode) {
  const std::string temporary = write_file_beside(path, content, mode);
  if (::rename(temporary.c_str(), path.c_str()) != 0) {
    const int err = errno;
    ::unlink(temporary.c_str());
    throw SysError("rename " + temporary + " to " + path, err);
  }
}

std::string write_file_beside(const std::string& path, const std::string& content, mode_t mode) {
  // Unique per call (threads share a pid), and never a file that exists already.
  std::string temporary = path + ".tmp.XXXXXX";
  UniqueFd fd(::mkostemp(temporary.data(), O_CLOEXEC));
  if (!fd) throw SysError("create " + temporary);
  try {  // nothing half-made stays behind
    check_sys(::fchmod(fd.get(), mode), "chmod " + temporary);
    write_all(fd.get(), content, temporary);
    check_sys(::fsync(fd.get()), "fsync " + temporary);
  } catch (const SysError&) {
    ::unlink(temporary.c_str());
    throw;
  }
  return temporary;
}

void write_all(int fd, std::string_view data, const std::string& what) {
  while (!data.empty()) {
    const ssize_t n = ::write(fd, data.data(), data.size());
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) throw SysError("write " + what);
    data.remove_prefix(static_cast<std::size_t>(n));
  }
}

std::string self_executable() {
  char buf[PATH_MAX];
  const ssize_t n = ::readlink("/proc/self/exe", buf, sizeof buf - 1);
  if (n <= 0) throw SysError("readlink /proc/self/exe");
  return std::string(buf, static_cast<std::size_t>(n));
}

std::string read_file(const std::string& path) {
  UniqueFd fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC));
  if (!fd) throw SysError("open " + path);
  std::string out;
  char buffer[8192];
  for (;;) {
    const ssize_t n = ::read(fd.get(), buffer, sizeof buffer);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) throw SysError("read " + path);
    if (n == 0) break;
    out.append(buffer, static_cast<std::size_t>(n));
  }
  return out;
}

}  // namespace paddock
