// The system-call surface and the network namespace, probed with raw system calls from inside.
#include "support/sandbox_fixture.hpp"

namespace paddock::testing {
namespace {

class Kernel : public SandboxTest {};
INSTANTIATE_TEST_SUITE_P(Modes, Kernel, ::testing::Values(Mode::root, Mode::unprivileged), mode_name);

struct Expectation {
  std::vector<std::string> probe;
  std::string outcome;
};

TEST_P(Kernel, DeniedSystemCallsReturnTheFilterErrno) {
  const std::vector<Expectation> cases = {
      {{"mount"}, "errno=EPERM"},
      {{"unshare-user"}, "errno=EPERM"},
      {{"ptrace", "1"}, "errno=EPERM"},
      {{"open-by-handle"}, "errno=EPERM"},
      {{"bpf"}, "errno=EPERM"},
      {{"io_uring"}, "errno=EPERM"},
      {{"userfaultfd"}, "errno=EPERM"},
      {{"perf"}, "errno=EPERM"},
      {{"keyctl"}, "errno=EPERM"},
      {{"socket", "netlink"}, "errno=EPERM"},
      {{"socket", "packet"}, "errno=EPERM"},
      {{"socket", "vsock"}, "errno=EPERM"},
      {{"socket", "unix"}, "ok"},
      {{"socket", "inet6"}, "ok"},
  };
  for (const auto& c : cases) {
    auto r = probe(c.probe);
    EXPECT_EQ(r.out, c.outcome + "\n") << c.probe[0] << (c.probe.size() > 1 ? " " + c.probe[1] : "") << ": " << r.err;
  }
}

TEST_P(Kernel, TerminalInjectionIsDenied) {
  // TIOCSTI on the sandbox's stdin, with and without junk in the upper 32 bits (CVE-2019-10063).
  for (const char* variant : {"tiocsti", "tiocsti-high"}) {
    auto r = probe({variant});
    EXPECT_EQ(r.out, "errno=EPERM\n") << variant << ": " << r.err;
  }
}

TEST_P(Kernel, ForeignArchitectureCallsKillTheProcess) {
  // x32 numbers reach the filter on every x86-64 kernel: SIGSYS.
  auto x32 = probe({"x32"});
  EXPECT_EQ(x32.status, 128 + 31) << "x32 must die of SIGSYS: " << x32.out << x32.err;
  EXPECT_EQ(x32.out, "");
  // int 0x80 reaches the filter (as AUDIT_ARCH_I386) only where the kernel has the i386 entry
  // on; some kernels turn it off (ia32_emulation=0), and then the process dies of SIGSEGV
  // outside any sandbox too. Either way the call must never run.
  const auto outside = run_process({probe_binary(), "int80"});
  const bool kernel_has_i386 = outside.status == 0;
  auto int80 = probe({"int80"});
  EXPECT_EQ(int80.out, "") << "int 0x80 getpid ran in the sandbox";
  if (kernel_has_i386)
    EXPECT_EQ(int80.status, 128 + 31) << "int 0x80 must die of SIGSYS: " << int80.err;
  else
    EXPECT_EQ(int80.status, outside.status) << "the kernel refuses int 0x80 itself; the sandbox must too";
}

TEST_P(Kernel, NetworkHasOnlyLoopback) {
  auto r = probe({"connect", "1.1.1.1", "443"});
  EXPECT_EQ(r.out, "errno=ENETUNREACH\n") << r.err;
  r = paddock_run({}, {"sh", "-c", "tail -n +3 /proc/net/dev | cut -d: -f1 | tr -d ' '"});
  EXPECT_EQ(r.out, "lo\n") << r.err;
}

TEST_P(Kernel, LoopbackWorksInsideTheSandbox) {
  auto r = paddock_run(
      {}, {"python3", "-c",
           "import socket\n"
           "s=socket.socket(); s.bind(('127.0.0.1',0)); s.listen()\n"
           "c=socket.create_connection(s.getsockname()); a,_=s.accept(); c.send(b'ping'); print(a.recv(4).decode())"});
  EXPECT_EQ(r.out, "ping\n") << r.err;
}

TEST_P(Kernel, IpcNamespaceIsPrivate) {
  auto r = paddock_run({}, {"sh", "-c", "ipcs -m | grep -c '^0x' || true"});
  EXPECT_EQ(r.out, "0\n") << r.err;
}

}  // namespace
}  // namespace paddock::testing
