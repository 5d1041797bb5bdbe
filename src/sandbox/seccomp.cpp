#include "sandbox/seccomp.hpp"

#include <fcntl.h>
#include <linux/seccomp.h>
#include <sched.h>
#include <seccomp.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <memory>

#include "common/error.hpp"
#include "common/unique_fd.hpp"

namespace paddock::sandbox::seccomp {
namespace {

// Denied with EPERM: process inspection, the mount API, kernel surfaces an agent never needs,
// and calls that defeat the other layers.
constexpr int kDenied[] = {
    __NR_ptrace, __NR_process_vm_readv, __NR_process_vm_writev,
    __NR_mount, __NR_umount2, __NR_pivot_root, __NR_chroot, __NR_setns,
    __NR_open_tree, __NR_move_mount, __NR_fsopen, __NR_fsconfig, __NR_fsmount, __NR_fspick,
    __NR_mount_setattr,
    __NR_bpf, __NR_perf_event_open, __NR_userfaultfd,
    __NR_keyctl, __NR_add_key, __NR_request_key,
    __NR_io_uring_setup, __NR_io_uring_enter, __NR_io_uring_register,
    __NR_kexec_load, __NR_kexec_file_load,
    __NR_init_module, __NR_finit_module, __NR_delete_module,
    __NR_open_by_handle_at, __NR_name_to_handle_at,
    __NR_swapon, __NR_swapoff, __NR_reboot, __NR_syslog, __NR_acct, __NR_quotactl,
};

// Address families a sandboxed program may open sockets in.
constexpr int kAllowedFamilies[] = {AF_UNIX, AF_INET, AF_INET6};
// Terminal ioctls that push input into a terminal (TIOCSTI) or reach the console (TIOCLINUX).
constexpr unsigned long kDeniedIoctls[] = {TIOCSTI, TIOCLINUX};
// Only the low 32 bits of an ioctl request or a socket family reach the kernel; comparing all 64
// would let `TIOCSTI | 1ULL << 32` through (CVE-2019-10063).
constexpr std::uint64_t kLow32 = 0xffffffffULL;

struct ContextDeleter {
  void operator()(scmp_filter_ctx ctx) const { seccomp_release(ctx); }
};
using Context = std::unique_ptr<void, ContextDeleter>;

void add(scmp_filter_ctx ctx, std::uint32_t action, int nr, std::initializer_list<scmp_arg_cmp> args) {
  int rc = seccomp_rule_add_array(ctx, action, nr, static_cast<unsigned int>(args.size()), args.begin());
  if (rc != 0) throw SysError("seccomp rule for syscall " + std::to_string(nr), -rc);
}

bool family_allowed(int family) {
  for (int allowed : kAllowedFamilies)
    if (family == allowed) return true;
  return false;
}

}  // namespace

Program build() {
  Context ctx(seccomp_init(SCMP_ACT_ALLOW));
  if (!ctx) throw Error("seccomp_init failed");
  // A foreign architecture (i386 via int 0x80) or an x32 call kills the process outright.
  if (int rc = seccomp_attr_set(ctx.get(), SCMP_FLTATR_ACT_BADARCH, SCMP_ACT_KILL_PROCESS); rc != 0)
    throw SysError("seccomp bad-arch action", -rc);

  const auto eperm = SCMP_ACT_ERRNO(EPERM);
  for (int nr : kDenied) add(ctx.get(), eperm, nr, {});

  // No new user namespaces (they would re-grant capabilities and mount rights). clone3 passes its
  // flags in memory the filter cannot read: ENOSYS makes libc fall back to clone, which it can.
  add(ctx.get(), eperm, __NR_unshare, {SCMP_A0(SCMP_CMP_MASKED_EQ, CLONE_NEWUSER, CLONE_NEWUSER)});
  add(ctx.get(), eperm, __NR_clone, {SCMP_A0(SCMP_CMP_MASKED_EQ, CLONE_NEWUSER, CLONE_NEWUSER)});
  add(ctx.get(), SCMP_ACT_ERRNO(ENOSYS), __NR_clone3, {});

  for (unsigned long request : kDeniedIoctls)
    add(ctx.get(), eperm, __NR_ioctl, {SCMP_A1(SCMP_CMP_MASKED_EQ, kLow32, request)});

  // Socket families: every family the kernel knows but the three allowed ones. socketpair is
  // limited to AF_UNIX (the only family it supports anyway).
  for (int family = 0; family < AF_MAX; ++family) {
    if (!family_allowed(family))
      add(ctx.get(), eperm, __NR_socket, {SCMP_A0(SCMP_CMP_MASKED_EQ, kLow32, static_cast<std::uint64_t>(family))});
    if (family != AF_UNIX)
      add(ctx.get(), eperm, __NR_socketpair, {SCMP_A0(SCMP_CMP_MASKED_EQ, kLow32, static_cast<std::uint64_t>(family))});
  }

  // libseccomp 2.5 exports only to a file descriptor.
  UniqueFd memfd(::memfd_create("paddock-seccomp", MFD_CLOEXEC));
  if (!memfd) throw SysError("memfd_create");
  if (int rc = seccomp_export_bpf(ctx.get(), memfd.get()); rc != 0) throw SysError("seccomp_export_bpf", -rc);
  off_t size = ::lseek(memfd.get(), 0, SEEK_END);
  if (size <= 0 || size % static_cast<off_t>(sizeof(sock_filter)) != 0) throw Error("seccomp_export_bpf: bad size");
  Program program;
  program.instructions.resize(static_cast<std::size_t>(size) / sizeof(sock_filter));
  if (::pread(memfd.get(), program.instructions.data(), static_cast<std::size_t>(size), 0) != size)
    throw SysError("read the exported seccomp filter");
  return program;
}

void install(const Program& program) {
  sock_fprog prog{static_cast<unsigned short>(program.instructions.size()),
                  const_cast<sock_filter*>(program.instructions.data())};
  if (::syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, 0, &prog) != 0) throw SysError("install the seccomp filter");
}

}  // namespace paddock::sandbox::seccomp
