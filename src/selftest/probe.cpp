// paddock-probe: attempts one attack primitive with raw system calls and reports the outcome as
// one line, "ok" or "errno=ENAME", so a test can check the reason an attempt failed, not only
// that it failed. Statically linked, so it also runs in a sandbox with a foreign --rootfs.
//
//   paddock-probe mount | unshare-user | ptrace PID | tiocsti | tiocsti-high | socket FAMILY
//                 | connect IP PORT | kill PID | open-by-handle | bpf | io_uring | userfaultfd
//                 | perf | keyctl | x32 | int80 | write PATH | read PATH | fds | statfs PATH
//                 | connect-unix PATH | connect-abstract NAME | shm-get KEY | link SRC DST
//                 | rename SRC DST | nosuid PATH | write-exe | alloc MIB | size PATH
//                 | exec-race ALLOWED FORBIDDEN TRIES   (prints "ran-forbidden" or "held")
#include <arpa/inet.h>
#include <fcntl.h>
#include <linux/bpf.h>
#include <linux/perf_event.h>
#include <netinet/in.h>
#include <sched.h>
#include <signal.h>
#include <sys/ioctl.h>
#include <sys/mount.h>
#include <sys/ptrace.h>
#include <sys/shm.h>
#include <sys/statvfs.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <dirent.h>
#include <atomic>
#include <thread>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>

namespace {

int report(long rc) {
  if (rc >= 0) {
    std::puts("ok");
  } else {
    const char* name = strerrorname_np(errno);
    std::printf("errno=%s\n", name != nullptr ? name : std::to_string(errno).c_str());
  }
  return 0;
}

int socket_family(const std::string& name) {
  if (name == "unix") return AF_UNIX;
  if (name == "inet") return AF_INET;
  if (name == "inet6") return AF_INET6;
  if (name == "netlink") return AF_NETLINK;
  if (name == "packet") return AF_PACKET;
  if (name == "vsock") return AF_VSOCK;
  return std::atoi(name.c_str());
}

long probe(int argc, char** argv) {
  const std::string what = argv[1];
  auto arg = [&](int i) { return i < argc ? std::string(argv[i]) : std::string(); };
  if (what == "mount") return ::mount("none", "/tmp", "tmpfs", 0, nullptr);
  if (what == "unshare-user") return ::unshare(CLONE_NEWUSER);
  if (what == "ptrace") return ::ptrace(PTRACE_ATTACH, std::atoi(arg(2).c_str()), nullptr, nullptr);
  if (what == "tiocsti") {
    char c = '#';
    return ::ioctl(0, TIOCSTI, &c);
  }
  if (what == "tiocsti-high") {  // CVE-2019-10063: junk in the upper 32 bits of the request
    char c = '#';
    return ::syscall(SYS_ioctl, 0, static_cast<unsigned long>(TIOCSTI) | (1UL << 32), &c);
  }
  if (what == "socket")
    return ::socket(socket_family(arg(2)), SOCK_STREAM, 0) >= 0 || ::socket(socket_family(arg(2)), SOCK_DGRAM, 0) >= 0
               ? 0
               : -1;
  if (what == "connect") {
    int fd = ::socket(AF_INET, SOCK_STREAM, 0);
    if (fd < 0) return -1;
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_port = htons(static_cast<uint16_t>(std::atoi(arg(3).c_str())));
    ::inet_pton(AF_INET, arg(2).c_str(), &addr.sin_addr);
    return ::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr);
  }
  if (what == "kill") return ::kill(std::atoi(arg(2).c_str()), 0);
  if (what == "open-by-handle") {
    char buf[sizeof(file_handle) + 128];
    auto* handle = reinterpret_cast<file_handle*>(buf);
    handle->handle_bytes = 128;
    int mount_id = 0;
    return ::name_to_handle_at(AT_FDCWD, "/", handle, &mount_id, 0);
  }
  if (what == "bpf") {
    union bpf_attr attr {};
    attr.map_type = BPF_MAP_TYPE_ARRAY;
    attr.key_size = 4;
    attr.value_size = 4;
    attr.max_entries = 1;
    return ::syscall(SYS_bpf, BPF_MAP_CREATE, &attr, sizeof attr);
  }
  if (what == "io_uring") {
    char params[120] = {};
    return ::syscall(SYS_io_uring_setup, 4, params);
  }
  if (what == "userfaultfd") return ::syscall(SYS_userfaultfd, 0);
  if (what == "perf") {
    perf_event_attr attr{};
    attr.size = sizeof attr;
    attr.type = PERF_TYPE_SOFTWARE;
    attr.config = PERF_COUNT_SW_CPU_CLOCK;
    return ::syscall(SYS_perf_event_open, &attr, 0, -1, -1, 0);
  }
  if (what == "keyctl") return ::syscall(SYS_keyctl, 0 /* KEYCTL_GET_KEYRING_ID */, -3, 0);
  if (what == "x32") return ::syscall(0x40000000 | SYS_getpid);
  if (what == "int80") {
    long rc;
    __asm__ volatile("int $0x80" : "=a"(rc) : "a"(20) : "memory");  // i386 getpid
    return rc;
  }
  if (what == "write") {
    int fd = ::open(arg(2).c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    return fd < 0 ? -1 : ::write(fd, "x", 1);
  }
  if (what == "read") {
    int fd = ::open(arg(2).c_str(), O_RDONLY);
    char c;
    return fd < 0 ? -1 : ::read(fd, &c, 1);
  }
  if (what == "fds") {  // descriptors above stdio that the sandbox handed down
    std::string open;
    DIR* dir = ::opendir("/proc/self/fd");
    if (dir == nullptr) return -1;
    for (dirent* e; (e = ::readdir(dir)) != nullptr;) {
      int fd = std::atoi(e->d_name);
      if (e->d_name[0] == '.' || fd <= 2 || fd == ::dirfd(dir)) continue;
      open += (open.empty() ? "" : ",") + std::string(e->d_name);
    }
    ::closedir(dir);
    std::printf("fds=%s\n", open.empty() ? "none" : open.c_str());
    std::exit(0);
  }
  if (what == "statfs") {
    struct statvfs st {};
    if (::statvfs(arg(2).c_str(), &st) != 0) return -1;
    std::printf("bytes=%llu\n", static_cast<unsigned long long>(st.f_blocks) * st.f_frsize);
    std::exit(0);
  }
  if (what == "size") {  // how much of a file can be read (a mask reads as empty)
    int fd = ::open(arg(2).c_str(), O_RDONLY);
    if (fd < 0) return -1;
    char buf[4096];
    ssize_t n = ::read(fd, buf, sizeof buf);
    if (n < 0) return -1;
    std::printf("bytes=%zd\n", n);
    std::exit(0);
  }
  if (what == "nosuid") {
    struct statvfs st {};
    if (::statvfs(arg(2).c_str(), &st) != 0) return -1;
    std::printf("nosuid=%d\n", (st.f_flag & ST_NOSUID) != 0);
    std::exit(0);
  }
  if (what == "connect-unix" || what == "connect-abstract") {
    int fd = ::socket(AF_UNIX, SOCK_STREAM, 0);
    if (fd < 0) return -1;
    sockaddr_un addr{};
    addr.sun_family = AF_UNIX;
    std::string name = arg(2);
    socklen_t len = sizeof(sa_family_t);
    if (what == "connect-abstract") {
      name.copy(addr.sun_path + 1, sizeof addr.sun_path - 2);
      len += static_cast<socklen_t>(1 + name.size());
    } else {
      name.copy(addr.sun_path, sizeof addr.sun_path - 1);
      len += static_cast<socklen_t>(name.size() + 1);
    }
    return ::connect(fd, reinterpret_cast<sockaddr*>(&addr), len);
  }
  if (what == "shm-get") return ::shmget(static_cast<key_t>(std::atoi(arg(2).c_str())), 0, 0);
  if (what == "link") return ::link(arg(2).c_str(), arg(3).c_str());
  if (what == "rename") return ::rename(arg(2).c_str(), arg(3).c_str());
  if (what == "write-exe") return ::open("/proc/self/exe", O_WRONLY);
  if (what == "alloc") {  // touch MIB mebibytes; a memory limit kills the process on the way
    std::size_t bytes = static_cast<std::size_t>(std::atol(arg(2).c_str())) << 20;
    auto* p = static_cast<volatile char*>(std::malloc(bytes));
    if (p == nullptr) return -1;
    for (std::size_t i = 0; i < bytes; i += 4096) p[i] = 1;
    return 0;
  }
  if (what == "exec-race") {  // a second thread flips the path while the first one execs it
    static char path[4096];
    const std::string allowed = arg(2), forbidden = arg(3);
    const int tries = std::atoi(arg(4).c_str());
    std::atomic<bool> stop{false};
    std::thread flipper([&] {
      for (bool f = false; !stop; f = !f) std::strcpy(path, (f ? forbidden : allowed).c_str());
    });
    bool ran_forbidden = false;
    for (int i = 0; i < tries && !ran_forbidden; ++i) {
      pid_t pid = ::fork();
      if (pid == 0) {
        char* argv0[] = {path, nullptr};
        ::execv(path, argv0);
        ::_exit(127);
      }
      int status = 0;
      ::waitpid(pid, &status, 0);
      ran_forbidden = WIFEXITED(status) && WEXITSTATUS(status) == 42;  // only FORBIDDEN exits 42
    }
    stop = true;
    flipper.join();
    std::puts(ran_forbidden ? "ran-forbidden" : "held");
    std::exit(0);
  }
  std::fprintf(stderr, "paddock-probe: unknown probe %s\n", what.c_str());
  std::exit(2);
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2) {
    std::fprintf(stderr, "usage: paddock-probe PROBE [ARGS]\n");
    return 2;
  }
  errno = 0;
  return report(probe(argc, argv));
}
