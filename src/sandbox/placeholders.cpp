#include "sandbox/placeholders.hpp"

#include <fcntl.h>
#include <fmt/core.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cinttypes>
#include <cstdio>
#include <filesystem>

#include "common/error.hpp"
#include "common/unique_fd.hpp"

namespace paddock::sandbox::placeholders {

Created create(const Placeholder& placeholder) {
  const std::string& path = placeholder.host_path;
  if (placeholder.directory) {
    if (::mkdir(path.c_str(), 0755) != 0) throw SysError("create placeholder directory " + path);
  } else {
    UniqueFd fd(::open(path.c_str(), O_CREAT | O_EXCL | O_WRONLY | O_NOFOLLOW | O_CLOEXEC, 0644));
    if (!fd) throw SysError("create placeholder file " + path);
  }
  struct stat st {};
  if (::lstat(path.c_str(), &st) != 0) throw SysError("stat placeholder " + path);
  return {path, placeholder.directory, st.st_dev, st.st_ino};
}

void remove(const Created& created) noexcept {
  namespace fs = std::filesystem;
  fs::path path(created.path);
  UniqueFd parent(::open(path.parent_path().c_str(), O_PATH | O_DIRECTORY | O_CLOEXEC));
  if (!parent) return;
  const std::string name = path.filename();
  struct stat st {};
  if (::fstatat(parent.get(), name.c_str(), &st, AT_SYMLINK_NOFOLLOW) != 0) return;
  if (st.st_dev != created.dev || st.st_ino != created.ino) return;
  if (created.directory) {
    ::unlinkat(parent.get(), name.c_str(), AT_REMOVEDIR);  // fails, as it should, unless empty
  } else if (S_ISREG(st.st_mode) && st.st_size == 0) {
    ::unlinkat(parent.get(), name.c_str(), 0);
  }
}

std::string encode(const Created& created) {
  return fmt::format("{} {} {} {}", created.directory ? 'd' : 'f', static_cast<std::uint64_t>(created.dev),
                     static_cast<std::uint64_t>(created.ino), created.path);
}

Created decode(const std::string& text) {
  Created created;
  char kind = 0;
  std::uint64_t dev = 0, ino = 0;
  int consumed = 0;
  if (std::sscanf(text.c_str(), "%c %" SCNu64 " %" SCNu64 " %n", &kind, &dev, &ino, &consumed) < 3)
    throw Error("watchdog: malformed placeholder record");
  created.directory = kind == 'd';
  created.dev = static_cast<dev_t>(dev);
  created.ino = static_cast<ino_t>(ino);
  created.path = text.substr(static_cast<std::size_t>(consumed));
  return created;
}

}  // namespace paddock::sandbox::placeholders
