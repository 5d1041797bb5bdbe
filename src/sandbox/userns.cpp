#include "sandbox/userns.hpp"

#include <fcntl.h>
#include <fmt/core.h>
#include <unistd.h>

#include <string>

#include "common/error.hpp"
#include "common/unique_fd.hpp"

namespace paddock::sandbox::userns {
namespace {

void write_file(const std::string& path, const std::string& content) {
  UniqueFd fd(::open(path.c_str(), O_WRONLY | O_CLOEXEC));
  if (!fd) throw SysError("open " + path);
  if (::write(fd.get(), content.data(), content.size()) != static_cast<ssize_t>(content.size()))
    throw SysError("write " + path);
}

}  // namespace

void write_id_maps(pid_t child, uid_t uid, gid_t gid) {
  const std::string proc = fmt::format("/proc/{}/", child);
  // An unprivileged process may write gid_map only after giving up setgroups(2).
  write_file(proc + "setgroups", "deny");
  write_file(proc + "uid_map", fmt::format("{} {} 1\n", uid, uid));
  write_file(proc + "gid_map", fmt::format("{} {} 1\n", gid, gid));
}

}  // namespace paddock::sandbox::userns
