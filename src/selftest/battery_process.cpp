// Battery rows about processes and the kernel surface: environment, other processes, leaked
// descriptors, the system-call filter, privileges, resource limits, orphans, IPC.
#include <sys/ipc.h>
#include <sys/shm.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

#include "selftest/battery.hpp"

namespace fs = std::filesystem;

namespace paddock::selftest {
namespace {

Finding environment_tokens(const Lab& lab) {
  const std::vector<std::string> env = {"ANTHROPIC_API_KEY=sk-ant-selftest-token", "GITHUB_TOKEN=ghp_selftesttoken",
                                        "AWS_SECRET_ACCESS_KEY=selftest-aws-secret", "NPM_TOKEN=npm_selftest"};
  auto r = lab.run({"sh", "-c", "env; tr '\\0' '\\n' < /proc/self/environ"}, {}, env);
  if (r.status != 0) return fail("the probe did not run: " + r.err);
  for (const char* marker : {"selftest-token", "selftesttoken", "selftest-aws", "npm_selftest"})
    if (r.out.find(marker) != std::string::npos) return fail(std::string("a host token is visible: ") + marker);
  return pass("the host's tokens are not in env or /proc/self/environ (environment allowlist)");
}

Finding host_proc(const Lab& lab) {
  const std::string self = "/proc/" + std::to_string(::getpid());
  return expect_all(lab,
                    {{{"read", self + "/environ"}, "errno=ENOENT"},
                     {{"read", self + "/cmdline"}, "errno=ENOENT"},
                     {{"read", self + "/root/etc/hostname"}, "errno=ENOENT"}},
                    "ENOENT: host pids do not exist in the sandbox's pid namespace and procfs");
}

Finding leaked_fds(const Lab& lab) {
  return expect_probe(lab, {"fds"}, "fds=none", "no descriptor above stdio reaches the command");
}

Finding handles(const Lab& lab) {
  return expect_probe(lab, {"open-by-handle"}, "errno=EPERM", "EPERM from the seccomp filter");
}

Finding ptrace(const Lab& lab) {
  return expect_probe(lab, {"ptrace", "1"}, "errno=EPERM", "EPERM from the seccomp filter (ptrace, process_vm_*)");
}

Finding signal_everything(const Lab& lab) {
  auto r = lab.run({"sh", "-c", "kill -9 -1; /paddock-probe kill " + std::to_string(::getpid())});
  if (r.out.find("errno=ESRCH") == std::string::npos) return fail("signalling the selftest process: " + r.out + r.err);
  return pass("kill -9 -1 reaches only the sandbox; the host's processes do not exist there (ESRCH)");
}

Finding unshare_and_mount(const Lab& lab) {
  return expect_all(lab, {{{"unshare-user"}, "errno=EPERM"}, {{"mount"}, "errno=EPERM"}},
                    "EPERM: no new user namespace, no mount system calls");
}

Finding setuid(const Lab& lab) {
  auto r = lab.run({"sh", "-c", "grep NoNewPrivs /proc/self/status; /paddock-probe nosuid /usr"});
  if (r.out != "NoNewPrivs:\t1\nnosuid=1\n") return fail(r.out + r.err);
  return pass("no_new_privs set and /usr mounted nosuid: setuid and file capabilities give nothing");
}

Finding kernel_surface(const Lab& lab) {
  return expect_all(lab,
                    {{{"io_uring"}, "errno=EPERM"},
                     {{"bpf"}, "errno=EPERM"},
                     {{"userfaultfd"}, "errno=EPERM"},
                     {{"perf"}, "errno=EPERM"},
                     {{"keyctl"}, "errno=EPERM"}},
                    "EPERM from the seccomp filter for io_uring, bpf, userfaultfd, perf_event_open, keyctl");
}

Finding foreign_arch(const Lab& lab) {
  // Where the kernel has its i386 entry off (ia32_emulation=0), int 0x80 dies of SIGSEGV
  // outside any sandbox too; the sandbox must then give the same, and never run the call.
  const std::string outside = lab.probe_unsandboxed({"int80"});
  const bool kernel_has_i386 = outside.rfind("status=", 0) != 0;
  auto result = expect_all(lab, {{{"int80"}, kernel_has_i386 ? "status=159" : outside}, {{"x32"}, "status=159"}},
                           "killed by SIGSYS: the filter's architecture check and x32 rejection");
  if (result.outcome == Outcome::pass && !kernel_has_i386)
    result.reason = "x32 killed by SIGSYS; int 0x80 " + outside +
                    " inside and outside (this kernel has no i386 entry, so the filter's i386 rule is not exercised)";
  return result;
}

Finding tiocsti(const Lab& lab) {
  return expect_all(lab, {{{"tiocsti"}, "errno=EPERM"}, {{"tiocsti-high"}, "errno=EPERM"}},
                    "EPERM, also with junk in the upper 32 bits (masked compare)");
}

Finding exec_race(const Lab& lab) {
  const std::string forbidden = lab.workspace() + "/forbidden.sh";
  lab.write(forbidden, "#!/bin/sh\nexit 42\n");
  fs::permissions(forbidden, fs::perms::owner_all | fs::perms::group_read | fs::perms::group_exec |
                                 fs::perms::others_read | fs::perms::others_exec);
  auto policy = lab.policy_file(
      "race.cedar", "forbid (principal, action == Action::\"ProcessExec\", resource == File::\"" + forbidden + "\");");
  std::string got = lab.probe({"exec-race", "/bin/true", forbidden, "300"}, {"--policy", policy});
  if (got != "held") return fail("exec-race: " + got);
  return pass(
      "the forbidden path never ran under a racing second thread: paths are enforced by the kernel "
      "(Landlock, mounts), never by an answered notification");
}

Finding fork_bomb(const Lab& lab) {
  auto r = lab.run({"sh", "-c", "sh -c 'while :; do sleep 5 & done' 2>/dev/null; set -- /proc/[0-9]*; echo $#"},
                   {"--pids", "400"});
  int count = r.out.empty() ? 0 : std::atoi(r.out.c_str());
  if (count == 0 || count > 400) return fail("processes after the bomb: " + r.out + r.err);
  return pass("stopped at " + std::to_string(count) + " processes (--pids 400)");
}

Finding memory_bomb(const Lab& lab) {
  auto r = lab.run({"/paddock-probe", "alloc", "512"}, {"--memory", "64M"});
  if (r.err.find("needs the cgroup memory controller") != std::string::npos)
    return not_applicable(r.err.substr(0, r.err.find('\n')));
  if (r.status != 128 + 9)
    return fail("allocating 512 MiB under --memory 64M: status " + std::to_string(r.status) + " " + r.err);
  return pass("killed by the out-of-memory killer at the cgroup's limit (status 137)");
}

bool sleeper_alive(const std::string& marker) {
  for (const auto& entry : fs::directory_iterator("/proc")) {
    std::ifstream in(entry.path() / "cmdline");
    std::string cmdline;
    std::getline(in, cmdline, '\n');
    if (cmdline.find(marker) != std::string::npos) return true;
  }
  return false;
}

Finding orphans(const Lab& lab) {
  const std::string marker = "31415926";
  auto r = lab.run({"sh", "-c", "sleep " + marker + " & sleep " + marker + " & exit 0"});
  if (r.status != 0) return fail("the command did not run: " + r.err);
  if (sleeper_alive("sleep\0" + marker)) return fail("an orphaned sleep outlived the sandbox");
  return pass("orphans die with the sandbox (its pid namespace ends with its init)");
}

Finding sysv_ipc(const Lab& lab) {
  const key_t key = 0x5e1f7e57;
  int id = ::shmget(key, 4096, IPC_CREAT | 0666);
  if (id < 0) return not_applicable("could not create a host shared memory segment to probe for");
  std::string got = lab.probe({"shm-get", std::to_string(key)});
  ::shmctl(id, IPC_RMID, nullptr);
  if (got != "errno=ENOENT") return fail("the host's segment: " + got);
  return pass("ENOENT: the host's System V segment is in another IPC namespace");
}

Finding parent_terminal(const Lab& lab) {
  return expect_probe(lab, {"tiocsti"}, "errno=EPERM",
                      "EPERM; and the command's terminal is the sandbox's own PTY, never the user's");
}

}  // namespace

std::vector<Probe> process_probes() {
  return {
      {2, "env, /proc/self/environ for API keys and tokens", environment_tokens},
      {3, "read /proc/<host pid>/{root,cwd,environ,cmdline}", host_proc},
      {7, "use a descriptor leaked from the parent", leaked_fds},
      {8, "open_by_handle_at, name_to_handle_at", handles},
      {17, "ptrace or process_vm_readv another process", ptrace},
      {18, "kill -9 -1, signal the supervisor", signal_everything},
      {19, "unshare -Ur, then mount to undo the masks", unshare_and_mount},
      {20, "sudo, su, setuid or file-capability binaries", setuid},
      {21, "io_uring, bpf, userfaultfd, perf_event_open, keyctl", kernel_surface},
      {22, "dodge the filter with int 0x80 or x32 system calls", foreign_arch},
      {23, "ioctl(TIOCSTI | 1ULL << 32)", tiocsti},
      {24, "race an exec check from a second thread (notification TOCTOU)", exec_race},
      {26, "fork bomb", fork_bomb},
      {27, "memory bomb", memory_bomb},
      {28, "orphans that outlive the command (sleep infinity)", orphans},
      {33, "attach the host's System V shared memory", sysv_ipc},
      {34, "TIOCSTI into the parent terminal", parent_terminal},
  };
}

}  // namespace paddock::selftest
