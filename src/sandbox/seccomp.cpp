#include "sandbox/seccomp.hpp"

#include <linux/seccomp.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "common/error.hpp"

namespace paddock::sandbox::seccomp {
namespace {

#include "seccomp_filter.inc"

long install(std::span<const sock_filter> program, unsigned int flags) {
  sock_fprog prog{static_cast<unsigned short>(program.size()), const_cast<sock_filter*>(program.data())};
  return ::syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, flags, &prog);
}

}  // namespace

std::span<const sock_filter> filter_program() { return kFilterProgram; }
std::span<const sock_filter> exec_notify_program() { return kExecNotifyProgram; }

void install_filter() {
  if (install(kFilterProgram, 0) != 0) throw SysError("install the seccomp filter");
}

UniqueFd install_exec_notify() {
  long fd = install(kExecNotifyProgram, SECCOMP_FILTER_FLAG_NEW_LISTENER);
  if (fd < 0) throw SysError("install the exec notification filter");
  return UniqueFd(static_cast<int>(fd));
}

}  // namespace paddock::sandbox::seccomp
