// Battery rows about sockets and the network namespace: the host's unix sockets (docker, the
// user bus, ssh-agent, X11, tmux), the control plane, raw network access.
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <cstring>

#include "common/unique_fd.hpp"
#include "selftest/battery.hpp"

namespace paddock::selftest {
namespace {

// A listening unix socket on the host (a path, or an abstract name when `abstract`).
UniqueFd listen_unix(const std::string& name, bool abstract) {
  UniqueFd fd(::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0));
  sockaddr_un addr{};
  addr.sun_family = AF_UNIX;
  name.copy(addr.sun_path + (abstract ? 1 : 0), sizeof addr.sun_path - 2);
  auto len = static_cast<socklen_t>(sizeof(sa_family_t) + name.size() + 1);
  if (!fd || ::bind(fd.get(), reinterpret_cast<sockaddr*>(&addr), len) != 0 || ::listen(fd.get(), 4) != 0) return {};
  return fd;
}

Finding container_sockets(const Lab& lab) {
  return expect_all(lab,
                    {{{"connect-unix", "/var/run/docker.sock"}, "errno=ENOENT"},
                     {{"connect-unix", "/run/docker.sock"}, "errno=ENOENT"},
                     {{"connect-unix", "/run/podman/podman.sock"}, "errno=ENOENT"},
                     {{"connect-unix", "/run/user/" + std::to_string(::getuid()) + "/podman/podman.sock"}, "errno=ENOENT"}},
                    "ENOENT: the host's /run and /var are not in the sandbox");
}

Finding user_bus(const Lab& lab) {
  return expect_probe(lab, {"connect-unix", "/run/user/" + std::to_string(::getuid()) + "/bus"}, "errno=ENOENT",
                      "ENOENT: $XDG_RUNTIME_DIR (systemd-run --user, busctl) is not in the sandbox");
}

Finding ssh_agent(const Lab& lab) {
  const std::string path = lab.root() + "/agent.sock";
  UniqueFd agent = listen_unix(path, false);
  if (!agent) return not_applicable("could not make a decoy agent socket");
  auto r = lab.run({"sh", "-c", "echo SSH_AUTH_SOCK=${SSH_AUTH_SOCK:-unset}; /paddock-probe connect-unix " + path}, {},
                   {"SSH_AUTH_SOCK=" + path});
  ::unlink(path.c_str());
  if (r.out != "SSH_AUTH_SOCK=unset\nerrno=ENOENT\n") return fail(r.out + r.err);
  return pass("SSH_AUTH_SOCK is not passed and the agent's socket is not in the sandbox");
}

Finding x11_and_tmux(const Lab& lab) {
  const std::string abstract = "/tmp/.X11-unix/X77-paddock-selftest";
  UniqueFd x11 = listen_unix(abstract, true);
  if (!x11) return not_applicable("could not make a decoy abstract socket");
  return expect_all(lab,
                    {{{"connect-abstract", abstract}, "errno=ECONNREFUSED"},
                     {{"connect-unix", "/tmp/tmux-" + std::to_string(::getuid()) + "/default"}, "errno=ENOENT"}},
                    "abstract sockets belong to the sandbox's own network namespace; /tmp is private");
}

Finding control_plane(const Lab& lab) {
  return expect_all(lab,
                    {{{"connect-unix", "/run/user/" + std::to_string(::getuid()) + "/paddock"}, "errno=ENOENT"},
                     {{"fds"}, "fds=none"}},
                    "no path to the supervisor's control socket and no inherited descriptor");
}

Finding direct_connect(const Lab& lab) {
  return expect_probe(lab, {"connect", "1.1.1.1", "443"}, "errno=ENETUNREACH",
                      "ENETUNREACH: the sandbox's network namespace has only loopback");
}

Finding socket_families(const Lab& lab) {
  return expect_all(lab,
                    {{{"socket", "packet"}, "errno=EPERM"},
                     {{"socket", "netlink"}, "errno=EPERM"},
                     {{"socket", "vsock"}, "errno=EPERM"}},
                    "EPERM: only unix, inet and inet6 sockets can be made (seccomp family allowlist)");
}

Finding udp_egress(const Lab& lab) {
  auto r = lab.run({"python3", "-c",
                    "import socket,errno\n"
                    "s=socket.socket(socket.AF_INET, socket.SOCK_DGRAM)\n"
                    "try:\n  s.sendto(b'x', ('1.1.1.1', 443)); print('sent')\n"
                    "except OSError as e: print(errno.errorcode[e.errno])\n"});
  if (r.out != "ENETUNREACH\n") return fail("UDP to 1.1.1.1:443: " + r.out + r.err);
  return pass("ENETUNREACH: no route for UDP (QUIC) or ICMP out of the network namespace");
}

}  // namespace

std::vector<Probe> socket_probes() {
  return {
      {29, "curl --unix-socket /var/run/docker.sock (and podman)", container_sockets},
      {30, "systemd-run --user / busctl through /run/user/$UID/bus", user_bus},
      {31, "use $SSH_AUTH_SOCK to sign or push with the host's keys", ssh_agent},
      {32, "tmux -S /tmp/tmux-$UID/default, X11 abstract sockets", x11_and_tmux},
      {35, "reach the supervisor's control socket or a leaked control fd", control_plane},
      {36, "ignore the proxy: raw connect() to 1.1.1.1:443", direct_connect},
      {43, "socket(AF_PACKET / AF_NETLINK / AF_VSOCK)", socket_families},
      {44, "UDP / QUIC egress", udp_egress},
  };
}

}  // namespace paddock::selftest
