// The one error convention of paddock: code that cannot do its job throws paddock::Error
// (SysError for a failed system call, carrying errno). Subcommands let it propagate; the CLI
// catches it at the top and prints one line. Hot paths that must not throw (the Cedar
// evaluator, the proxy's per-byte loops) return values instead and say so in their headers.
#pragma once

#include <cerrno>
#include <stdexcept>
#include <string>
#include <string_view>

namespace paddock {

class Error : public std::runtime_error {
 public:
  // 125: paddock itself failed (the sandboxed command's own statuses pass through untouched).
  static constexpr int kDefaultExitStatus = 125;

  explicit Error(const std::string& message, int exit_status = kDefaultExitStatus)
      : std::runtime_error(message), exit_status_(exit_status) {}
  int exit_status() const noexcept { return exit_status_; }

 private:
  int exit_status_;
};

// "what: strerror (ENAME)"; `err` defaults to the current errno.
class SysError : public Error {
 public:
  explicit SysError(std::string_view what, int err = errno);
  int code() const noexcept { return code_; }

 private:
  int code_;
};

// Formats an errno as "No such file or directory (ENOENT)".
std::string errno_text(int err);

// Throws SysError(what) when a syscall-style return value is negative; returns it otherwise.
inline long check_sys(long rc, std::string_view what) {
  if (rc < 0) throw SysError(what);
  return rc;
}

}  // namespace paddock
