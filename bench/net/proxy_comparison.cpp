// The egress proxy against the direct path and against mitmproxy in the same role, in one run on
// loopback (issue 5, "Performance"). The same client drives every contender, so its own cost is
// the same on each side:
//   (a) CONNECT tunnel bulk throughput (a 128 MiB download with curl; transfer time only);
//   (b) intercepted HTTPS requests per second, keep-alive, with header injection (paddock swaps
//       a granted placeholder; mitmproxy sets the header from an addon). The target's figure
//       comes from a lean client and upstream (https_load.hpp), so that the harness does not
//       take the CPU the proxy needs; the same run with curl is printed beside it;
//   (c) the latency a request gains through the proxy (p50 of curl's time_total, one
//       keep-alive connection, paddock intercepted against direct HTTPS);
//   (d) 1,000 concurrent CONNECT tunnels, each with a request, and the proxy's peak memory.
// The proxy runs in a child process of its own (this binary, --serve-proxy FD), as it does in
// the supervisor, so its peak RSS (VmHWM) is the proxy's alone.
//
// usage: proxy_comparison [--requests N] [--rounds R]
#include <fcntl.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <boost/asio/io_context.hpp>
#include <boost/asio/signal_set.hpp>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "audit/event.hpp"
#include "common/subprocess.hpp"
#include "common/unique_fd.hpp"
#include "creds/grants.hpp"
#include "https_load.hpp"
#include "net/certificate_authority.hpp"
#include "net/proxy.hpp"
#include "net/tls_contexts.hpp"
#include "policy/engine.hpp"
#include "policy/loader.hpp"
#include "support/http_server.hpp"

namespace fs = std::filesystem;
using namespace paddock;

namespace {

constexpr const char* kPlaceholder = "sk-paddockBENCHPLACEHOLDER0123456789";
constexpr const char* kRealValue = "sk-realBENCHVALUE0123456789abcdefgh";

// The child: paddock's proxy on the inherited listener, intercepting 127.0.0.1 with a grant.
int serve_proxy(int fd, const std::string& ca_dir, const std::string& bound) {
  auto policies = policy::load_policy_set({{"bench.cedar", R"(
permit (principal, action == Action::"NetworkConnect", resource) when { context.host == "127.0.0.1" };
permit (principal, action == Action::"HttpRequest", resource);
permit (principal, action == Action::"UseSecret", resource);
)"}});
  policy::PolicyEngine engine(policies, {"bench", "bench"}, {});
  creds::Secret secret{"bench", {bound}, "authorization", creds::Format::bearer, "BENCH", kRealValue};
  net::Interception interception;
  interception.tls = std::make_shared<net::TlsContexts>(ca_dir, net::CertificateAuthority::ensure(ca_dir));
  interception.grants = creds::Grants({{secret, kPlaceholder}});
  boost::asio::io_context io;
  audit::NullSink sink;
  net::Proxy proxy(io, engine, net::ProxyReport{sink, [](const std::string&) {}}, nullptr, std::move(interception));
  proxy.serve(UniqueFd(fd), UniqueFd());
  boost::asio::signal_set stop(io, SIGTERM);
  stop.async_wait([&](const boost::system::error_code&, int) { io.stop(); });
  io.run();
  return 0;
}

std::uint16_t port_of(int fd) {
  sockaddr_in addr{};
  socklen_t len = sizeof addr;
  ::getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len);
  return ntohs(addr.sin_port);
}

std::string field(const std::string& path, const std::string& key) {
  std::ifstream in(path);
  for (std::string line; std::getline(in, line);)
    if (line.rfind(key, 0) == 0) return line.substr(key.size());
  return "?";
}

struct Contender {
  std::string name;
  std::vector<std::string> proxy;  // curl options selecting the path
};

ProcessResult curl(const std::vector<std::string>& args, std::chrono::seconds timeout = std::chrono::seconds(300)) {
  std::vector<std::string> argv = {"curl", "-sS", "--noproxy", ""};
  argv.insert(argv.end(), args.begin(), args.end());
  return run_process(argv, {.env = std::vector<std::string>{"PATH=/usr/bin:/bin"}, .timeout = timeout});
}

double median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  return v.empty() ? 0 : v[v.size() / 2];
}

// Transfer rate of one bulk download through `path`, MiB/s (time after the first byte).
double bulk_rate(const std::vector<std::string>& path, const std::string& url) {
  auto args = path;
  args.insert(args.end(), {"-o", "/dev/null", "-w", "%{size_download} %{time_starttransfer} %{time_total}", url});
  auto r = curl(args);
  std::istringstream in(r.out);
  double size = 0, start = 0, total = 0;
  in >> size >> start >> total;
  if (r.status != 0 || total <= start) return 0;
  return size / (total - start) / (1024.0 * 1024.0);
}

// N keep-alive requests on one connection: requests per second and each request's time.
struct Sequence {
  double rps = 0;
  std::vector<double> times_us;
  int errors = 0;
};
Sequence sequence(const std::vector<std::string>& path, const std::string& base, int n, int connections = 1) {
  auto args = path;
  if (connections > 1) args.insert(args.end(), {"--parallel", "--parallel-max", std::to_string(connections)});
  args.insert(args.end(), {"-H", std::string("Authorization: Bearer ") + kPlaceholder, "-o", "/dev/null", "-w",
                           "%{http_code} %{time_total}\\n", base + "/small.txt?[1-" + std::to_string(n) + "]"});
  const auto start = std::chrono::steady_clock::now();
  auto r = curl(args);
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  Sequence out;
  std::istringstream in(r.out);
  int code = 0;
  double total = 0;
  while (in >> code >> total) {
    if (code != 200) ++out.errors;
    out.times_us.push_back(total * 1e6);
  }
  out.errors += n - static_cast<int>(out.times_us.size());
  out.rps = n / seconds;
  return out;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc == 5 && std::string(argv[1]) == "--serve-proxy") return serve_proxy(std::atoi(argv[2]), argv[3], argv[4]);
  int requests = 2000;
  int rounds = 3;
  for (int i = 1; i + 1 < argc; i += 2) {
    if (std::string(argv[i]) == "--requests") requests = std::atoi(argv[i + 1]);
    if (std::string(argv[i]) == "--rounds") rounds = std::atoi(argv[i + 1]);
  }
  const fs::path dir = fs::temp_directory_path() / ("paddock-netbench-" + std::to_string(::getpid()));
  fs::create_directories(dir / "root");
  {
    std::ofstream(dir / "root/small.txt") << std::string(1024, 'x');
    std::ofstream bulk(dir / "root/bulk.bin", std::ios::binary);
    const std::string mib(1 << 20, 'b');
    for (int i = 0; i < 128; ++i) bulk << mib;
  }
  const auto tls = testing::make_self_signed(dir.string());
  testing::TestHttpServer plain({.document_root = (dir / "root").string(), .tls = std::nullopt});
  const std::string real_authorization = std::string("Bearer ") + kRealValue;
  bench::LoadUpstream secure(tls.certificate, tls.key, real_authorization);

  // paddock's proxy, in its own process, trusting the upstream's certificate.
  int listener = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (::bind(listener, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0 || ::listen(listener, 4096) != 0) {
    std::perror("proxy_comparison: listen");
    return 1;
  }
  const std::string paddock_proxy = "127.0.0.1:" + std::to_string(port_of(listener));
  // Everything the child needs is made before fork(): it only execs.
  ::setenv("SSL_CERT_FILE", tls.certificate.c_str(), 1);  // the child's upstream trust store
  const std::string self = fs::read_symlink("/proc/self/exe");
  const std::string fd_text = std::to_string(listener), ca_dir = (dir / "ca").string();
  const std::string bound = secure.authority();  // the grant, hence interception: the TLS upstream only
  const pid_t proxy_pid = ::fork();
  if (proxy_pid == 0) {
    ::execl(self.c_str(), self.c_str(), "--serve-proxy", fd_text.c_str(), ca_dir.c_str(), bound.c_str(), nullptr);
    _exit(127);
  }
  ::close(listener);

  // mitmproxy (mitmdump) in the same role, when installed.
  const bool have_mitm = ::access("/usr/bin/mitmdump", X_OK) == 0;
  std::string mitm_port;
  {
    int probe = ::socket(AF_INET, SOCK_STREAM, 0);
    ::bind(probe, reinterpret_cast<sockaddr*>(&addr), sizeof addr);  // port 0: a free one
    mitm_port = std::to_string(port_of(probe));
    ::close(probe);
  }
  pid_t mitm_pid = -1;
  if (have_mitm) {
    std::ofstream(dir / "inject.py") << "def request(flow):\n    flow.request.headers['authorization'] = 'Bearer "
                                     << kRealValue << "'\n";
    mitm_pid =
        spawn_background({"mitmdump", "-q", "--listen-host", "127.0.0.1", "--listen-port", mitm_port, "--set",
                          "confdir=" + (dir / "mitm").string(), "--set",
                          "ssl_verify_upstream_trusted_ca=" + tls.certificate, "-s", (dir / "inject.py").string()},
                         {.env = std::vector<std::string>{"PATH=/usr/bin:/bin", "HOME=" + dir.string()}});
  }
  // Both proxies are ready when a request through each succeeds.
  const std::string secure_url = "https://" + secure.authority();
  auto ready = [&](const std::vector<std::string>& path) {
    for (int i = 0; i < 200; ++i) {
      auto args = path;
      args.insert(args.end(), {"-o", "/dev/null", secure_url + "/small.txt"});
      if (curl(args, std::chrono::seconds(5)).status == 0) return true;
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
    return false;
  };
  const std::vector<std::string> direct_tls = {"--cacert", tls.certificate};
  const std::vector<std::string> via_paddock = {"-x", "http://" + paddock_proxy, "--cacert",
                                                (dir / "ca/ca.crt").string()};
  const std::vector<std::string> via_paddock_tunnel = {"-x", "http://" + paddock_proxy, "-p"};
  const std::vector<std::string> via_mitm = {"-x", "http://127.0.0.1:" + mitm_port, "--cacert",
                                             (dir / "mitm/mitmproxy-ca-cert.pem").string()};
  if (!ready(via_paddock)) {
    std::cerr << "proxy_comparison: paddock's proxy did not answer\n";
    return 1;
  }
  const bool mitm = have_mitm && ready(via_mitm);
  if (!have_mitm) std::cout << "mitmproxy not installed: run scripts/install-deps (its column is empty)\n";

  // (a) bulk, alternating direct and tunnel.
  const std::string bulk_url = "http://" + plain.authority() + "/bulk.bin";
  std::vector<double> direct_bulk, tunnel_bulk;
  for (int i = 0; i < rounds; ++i) {
    direct_bulk.push_back(bulk_rate({}, bulk_url));
    tunnel_bulk.push_back(bulk_rate(via_paddock_tunnel, bulk_url));
  }
  // (b) throughput over 8 keep-alive connections, with the lean client and with curl; (c) latency
  // on one connection, with curl. The contenders alternate.
  constexpr int kConnections = 8;
  const int load_requests = requests * 10;  // a lean round lasts about as long as a curl round
  int errors = 0, injection_failures = 0;
  auto load = [&](const std::optional<std::string>& proxy, const std::string& ca, bool injecting, int n) {
    const auto before = secure.authorized();
    auto r = bench::run_https_load({.target = secure.authority(),
                                    .proxy = proxy,
                                    .ca_file = ca,
                                    .authorization = std::string("Bearer ") + kPlaceholder,
                                    .connections = kConnections,
                                    .requests = n});
    if (r.errors > 0)
      std::cerr << "proxy_comparison: " << r.errors << " load errors, the first: " << r.first_error << "\n";
    errors += r.errors;
    // Through a proxy every request must reach the upstream with the real value, never directly.
    const auto authorized = secure.authorized() - before;
    if (injecting ? authorized != static_cast<std::uint64_t>(r.completed) : authorized != 0) ++injection_failures;
    return r.rate();
  };
  const std::string paddock_ca = (dir / "ca/ca.crt").string(), mitm_ca = (dir / "mitm/mitmproxy-ca-cert.pem").string();
  std::vector<double> lean_direct, lean_paddock, lean_mitm;
  std::vector<double> rps_direct, rps_paddock, rps_mitm, lat_direct, lat_paddock, lat_mitm;
  for (int i = 0; i < rounds; ++i) {
    lean_direct.push_back(load(std::nullopt, tls.certificate, false, load_requests));
    lean_paddock.push_back(load(paddock_proxy, paddock_ca, true, load_requests));
    if (mitm) lean_mitm.push_back(load("127.0.0.1:" + mitm_port, mitm_ca, true, requests));
    auto d = sequence(direct_tls, secure_url, requests, kConnections);
    auto p = sequence(via_paddock, secure_url, requests, kConnections);
    rps_direct.push_back(d.rps);
    rps_paddock.push_back(p.rps);
    errors += d.errors + p.errors;
    auto ld = sequence(direct_tls, secure_url, requests);
    auto lp = sequence(via_paddock, secure_url, requests);
    lat_direct.push_back(median(ld.times_us));
    lat_paddock.push_back(median(lp.times_us));
    errors += ld.errors + lp.errors;
    if (mitm) {
      auto m = sequence(via_mitm, secure_url, requests, kConnections);
      auto lm = sequence(via_mitm, secure_url, requests / 4);
      rps_mitm.push_back(m.rps);
      lat_mitm.push_back(median(lm.times_us));
      errors += m.errors + lm.errors;
    }
  }
  // Every lean request through a proxy reached the upstream with the real value, none directly.
  const bool injected = injection_failures == 0 && secure.authorized() > 0;
  // (d) 1,000 concurrent tunnels, each one request.
  auto many =
      curl({"-x", "http://" + paddock_proxy, "-p", "--parallel", "--parallel-immediate", "--parallel-max", "1000", "-o",
            "/dev/null", "-w", "%{http_code}\\n", "http://" + plain.authority() + "/small.txt?[1-1000]"},
           std::chrono::seconds(120));
  int ok = 0;
  {
    std::istringstream codes(many.out);
    for (std::string code; std::getline(codes, code);) ok += code == "200" ? 1 : 0;
  }
  const std::string peak = field("/proc/" + std::to_string(proxy_pid) + "/status", "VmHWM:");

  ::kill(proxy_pid, SIGTERM);
  ::waitpid(proxy_pid, nullptr, 0);
  if (mitm_pid > 0) {
    ::kill(mitm_pid, SIGTERM);
    ::waitpid(mitm_pid, nullptr, 0);
  }
  fs::remove_all(dir);

  const double a = median(tunnel_bulk) / median(direct_bulk);
  std::printf(
      "egress proxy, %d rounds; per round %d HTTPS requests over %d keep-alive connections, then %d on one "
      "(mitmproxy's latency: a quarter of them)\n",
      rounds, requests, kConnections, requests);
  std::printf("(a) bulk 128 MiB      direct %8.0f MiB/s   CONNECT tunnel %8.0f MiB/s   ratio %.2f (target >= 0.90)\n",
              median(direct_bulk), median(tunnel_bulk), a);
  std::printf(
      "(b) HTTPS, 8 conns, lean client  direct %8.0f req/s   paddock intercepted %6.0f req/s   mitmproxy %6.0f "
      "req/s   paddock/mitmproxy %.1fx (target >= 10)\n",
      median(lean_direct), median(lean_paddock), median(lean_mitm),
      mitm ? median(lean_paddock) / median(lean_mitm) : 0.0);
  std::printf(
      "    HTTPS, 8 conns, curl          direct %8.0f req/s   paddock intercepted %6.0f req/s   mitmproxy %6.0f "
      "req/s   paddock/mitmproxy %.1fx\n",
      median(rps_direct), median(rps_paddock), median(rps_mitm), mitm ? median(rps_paddock) / median(rps_mitm) : 0.0);
  std::printf(
      "(c) p50 per request   direct %6.0f us   paddock %6.0f us (+%.0f us, target <= 200)   mitmproxy %6.0f us\n",
      median(lat_direct), median(lat_paddock), median(lat_paddock) - median(lat_direct), median(lat_mitm));
  std::printf(
      "(d) 1000 concurrent tunnels: %d of 1000 answered 200 (curl exit %d); proxy peak RSS %s (target <= 64 MiB)\n", ok,
      many.status, peak.c_str());
  std::printf("header injection reached the upstream on every proxied request: %s; request errors: %d\n",
              injected ? "yes" : "NO", errors);
  return injected && errors == 0 && ok == 1000 ? 0 : 1;
}
