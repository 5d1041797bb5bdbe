// Build-time generator of the sandbox's system-call filters (DESIGN.md, "Hardening"): builds
// them with libseccomp and writes the BPF programs as C++ arrays that seccomp.cpp embeds.
// The filter is thus built once, when paddock is built; a sandbox start only installs it.
//
//   paddock-seccomp-gen OUTPUT.inc
#include <fcntl.h>
#include <linux/filter.h>
#include <sched.h>
#include <seccomp.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <cerrno>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <initializer_list>
#include <vector>

namespace {

// Denied with EPERM: process inspection, the mount API, kernel surfaces an agent never needs,
// and calls that defeat the other layers.
constexpr int kDenied[] = {
    __NR_ptrace,
    __NR_process_vm_readv,
    __NR_process_vm_writev,
    __NR_mount,
    __NR_umount2,
    __NR_pivot_root,
    __NR_chroot,
    __NR_setns,
    __NR_open_tree,
    __NR_move_mount,
    __NR_fsopen,
    __NR_fsconfig,
    __NR_fsmount,
    __NR_fspick,
    __NR_mount_setattr,
    __NR_bpf,
    __NR_perf_event_open,
    __NR_userfaultfd,
    __NR_keyctl,
    __NR_add_key,
    __NR_request_key,
    __NR_io_uring_setup,
    __NR_io_uring_enter,
    __NR_io_uring_register,
    __NR_kexec_load,
    __NR_kexec_file_load,
    __NR_init_module,
    __NR_finit_module,
    __NR_delete_module,
    __NR_open_by_handle_at,
    __NR_name_to_handle_at,
    __NR_swapon,
    __NR_swapoff,
    __NR_reboot,
    __NR_syslog,
    __NR_acct,
    __NR_quotactl,
};

// Address families a sandboxed program may open sockets in.
constexpr int kAllowedFamilies[] = {AF_UNIX, AF_INET, AF_INET6};
// Terminal ioctls that push input into a terminal (TIOCSTI) or reach the console (TIOCLINUX).
constexpr unsigned long kDeniedIoctls[] = {TIOCSTI, TIOCLINUX};
// Only the low 32 bits of an ioctl request or a socket family reach the kernel; comparing all 64
// would let `TIOCSTI | 1ULL << 32` through (CVE-2019-10063).
constexpr std::uint64_t kLow32 = 0xffffffffULL;

[[noreturn]] void fail(const char* what, int err) {
  std::fprintf(stderr, "paddock-seccomp-gen: %s: %s\n", what, std::strerror(err));
  std::exit(1);
}

void add(scmp_filter_ctx ctx, std::uint32_t action, int nr, std::initializer_list<scmp_arg_cmp> args) {
  if (int rc = seccomp_rule_add_array(ctx, action, nr, static_cast<unsigned int>(args.size()), args.begin()); rc != 0)
    fail("seccomp_rule_add", -rc);
}

bool family_allowed(int family) {
  for (int allowed : kAllowedFamilies)
    if (family == allowed) return true;
  return false;
}

std::vector<sock_filter> export_program(scmp_filter_ctx ctx) {
  // libseccomp 2.5 exports only to a file descriptor.
  int memfd = ::memfd_create("paddock-seccomp", MFD_CLOEXEC);
  if (memfd < 0) fail("memfd_create", errno);
  if (int rc = seccomp_export_bpf(ctx, memfd); rc != 0) fail("seccomp_export_bpf", -rc);
  seccomp_release(ctx);
  off_t size = ::lseek(memfd, 0, SEEK_END);
  if (size <= 0 || size % static_cast<off_t>(sizeof(sock_filter)) != 0) fail("seccomp_export_bpf size", EINVAL);
  std::vector<sock_filter> program(static_cast<std::size_t>(size) / sizeof(sock_filter));
  if (::pread(memfd, program.data(), static_cast<std::size_t>(size), 0) != size) fail("read the filter", errno);
  ::close(memfd);
  return program;
}

// The hardening filter: denials, the arch check, the socket-family and ioctl rules.
std::vector<sock_filter> build_filter() {
  scmp_filter_ctx ctx = seccomp_init(SCMP_ACT_ALLOW);
  if (ctx == nullptr) fail("seccomp_init", EINVAL);
  // A foreign architecture (i386 via int 0x80) or an x32 call kills the process outright.
  if (int rc = seccomp_attr_set(ctx, SCMP_FLTATR_ACT_BADARCH, SCMP_ACT_KILL_PROCESS); rc != 0)
    fail("seccomp bad-arch action", -rc);

  const auto eperm = SCMP_ACT_ERRNO(EPERM);
  for (int nr : kDenied) add(ctx, eperm, nr, {});

  // No new user namespaces (they would re-grant capabilities and mount rights). clone3 passes its
  // flags in memory the filter cannot read: ENOSYS makes libc fall back to clone, which it can.
  add(ctx, eperm, __NR_unshare, {SCMP_A0(SCMP_CMP_MASKED_EQ, CLONE_NEWUSER, CLONE_NEWUSER)});
  add(ctx, eperm, __NR_clone, {SCMP_A0(SCMP_CMP_MASKED_EQ, CLONE_NEWUSER, CLONE_NEWUSER)});
  add(ctx, SCMP_ACT_ERRNO(ENOSYS), __NR_clone3, {});

  for (unsigned long request : kDeniedIoctls)
    add(ctx, eperm, __NR_ioctl, {SCMP_A1(SCMP_CMP_MASKED_EQ, kLow32, request)});

  // Socket families: every family the kernel knows but the three allowed ones. socketpair is
  // limited to AF_UNIX (the only family it supports anyway).
  for (int family = 0; family < AF_MAX; ++family) {
    auto value = static_cast<std::uint64_t>(family);
    if (!family_allowed(family)) add(ctx, eperm, __NR_socket, {SCMP_A0(SCMP_CMP_MASKED_EQ, kLow32, value)});
    if (family != AF_UNIX) add(ctx, eperm, __NR_socketpair, {SCMP_A0(SCMP_CMP_MASKED_EQ, kLow32, value)});
  }

  return export_program(ctx);
}

// The exec observer: execve and execveat stop until the supervisor answers (exec_monitor.cpp).
// It observes and applies best-effort argv rules; it is never the enforcement point for paths.
std::vector<sock_filter> build_exec_notify() {
  scmp_filter_ctx ctx = seccomp_init(SCMP_ACT_ALLOW);
  if (ctx == nullptr) fail("seccomp_init", EINVAL);
  add(ctx, SCMP_ACT_NOTIFY, __NR_execve, {});
  add(ctx, SCMP_ACT_NOTIFY, __NR_execveat, {});
  return export_program(ctx);
}

void write_array(std::FILE* out, const char* name, const std::vector<sock_filter>& program) {
  std::fprintf(out, "inline constexpr sock_filter %s[] = {\n", name);
  for (const auto& insn : program)
    std::fprintf(out, "    {0x%04x, %u, %u, 0x%08x},\n", insn.code, insn.jt, insn.jf, insn.k);
  std::fprintf(out, "};\n");
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 2) {
    std::fprintf(stderr, "usage: paddock-seccomp-gen OUTPUT.inc\n");
    return 2;
  }
  std::FILE* out = std::fopen(argv[1], "w");
  if (out == nullptr) fail(argv[1], errno);
  std::fprintf(out, "// Generated by paddock-seccomp-gen from src/sandbox/seccomp_policy.cpp; do not edit.\n");
  write_array(out, "kFilterProgram", build_filter());
  write_array(out, "kExecNotifyProgram", build_exec_notify());
  if (std::fclose(out) != 0) fail(argv[1], errno);
  return 0;
}
