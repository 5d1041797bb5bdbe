#include "sandbox/seccomp.hpp"

#include <linux/seccomp.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "common/error.hpp"

namespace paddock::sandbox::seccomp {
namespace {

constexpr sock_filter kProgram[] = {
#include "seccomp_filter.inc"
};

}  // namespace

std::span<const sock_filter> program() {
  return kProgram;
}

void install() {
  sock_fprog prog{static_cast<unsigned short>(std::size(kProgram)), const_cast<sock_filter*>(kProgram)};
  if (::syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, 0, &prog) != 0) throw SysError("install the seccomp filter");
}

}  // namespace paddock::sandbox::seccomp
