// TLS interception and credentials from inside real sandboxes: real clients (curl, git, Python's
// urllib, Node's tls) reach a TLS test server on the host's 127.0.0.1 through the proxy, which
// reads the requests because the policy has request rules for the host (or a secret is granted
// for it), decides each one, and swaps a granted placeholder for the real value. paddock itself
// trusts the test server's self-signed certificate through SSL_CERT_FILE, the way it trusts the
// system store; the sandboxed clients trust only paddock's CA for it.
#include <sys/stat.h>

#include <filesystem>

#include "support/http_server.hpp"
#include "support/sandbox_fixture.hpp"

namespace fs = std::filesystem;

namespace paddock::testing {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;
using ::testing::StartsWith;

class Interception : public SandboxTest {
 protected:
  void SetUp() override {
    SandboxTest::SetUp();
    tls_ = make_self_signed(workspace_);
  }

  // Connecting to each authority is allowed; `rules` adds request rules (HttpRequest,
  // HttpRewrite), which make the proxy intercept the hosts they name.
  std::string policy(const std::vector<std::string>& authorities, const std::string& rules) {
    std::string text;
    for (const auto& authority : authorities)
      text += R"(permit (principal, action == Action::"NetworkConnect", resource == Host::")" + authority + "\");\n";
    const std::string path = root_ + "/net.cedar";
    write_file(path, text + rules);
    return path;
  }

  // paddock's own environment: its upstream trust store is the test server's certificate.
  ProcessOptions trusting_the_server() const {
    auto env = environment();
    env.push_back("SSL_CERT_FILE=" + tls_.certificate);
    return {.env = env};
  }

  ProcessResult run(std::vector<std::string> options, const std::vector<std::string>& command) {
    return paddock_run(via_proxy_to_loopback(std::move(options)), command, trusting_the_server());
  }

  TlsFiles tls_;
};
INSTANTIATE_TEST_SUITE_P(Modes, Interception, ::testing::Values(Mode::root, Mode::unprivileged), mode_name);

// HttpRequest rules for the test server's host: intercept it, allow requests, forbid /private.
const std::string kRequestRules = R"(
@id("test-requests")
permit (principal, action == Action::"HttpRequest", resource == Host::"127.0.0.1");
@id("no-private")
forbid (principal, action == Action::"HttpRequest", resource == Host::"127.0.0.1")
  when { context.path like "/private*" };
)";

TEST_P(Interception, CurlSeesPaddocksCaAndTheRequestsAreDecided) {
  TestHttpServer server({.document_root = {}, .tls = tls_});
  const auto rules = policy({server.authority()}, kRequestRules);
  auto r = run({"--policy", rules, "--net-log"}, {"curl", "-sS", "-v", "https://" + server.authority() + "/open?q=1"});
  EXPECT_EQ(r.status, 0) << r.err;
  EXPECT_EQ(r.out, "hello from the test server: GET /open?q=1\n") << r.err;
  EXPECT_THAT(r.err, HasSubstr("issuer: CN=paddock interception CA")) << "curl verified paddock's leaf";
  EXPECT_THAT(r.err, HasSubstr("ALPN: server accepted http/1.1"));
  EXPECT_THAT(r.err, HasSubstr("http #1 GET https://" + server.authority() + "/open?q=1 -> 200"));

  r = run({"--policy", rules}, {"curl", "-sS", "-i", "https://" + server.authority() + "/private/key"});
  EXPECT_THAT(r.out, HasSubstr("HTTP/1.1 403")) << r.err;
  EXPECT_THAT(r.out, HasSubstr("no-private"));
  EXPECT_THAT(r.err, HasSubstr("no-private")) << "the denial line names the policy";
  ASSERT_EQ(server.requests().size(), 1u) << "the forbidden request never went upstream";
  EXPECT_EQ(server.requests()[0].target, "/open?q=1");

  // The CA's key stays outside: 0600 in the data directory, which the sandbox cannot see.
  struct stat st {};
  ASSERT_EQ(::stat((home_ + "/.local/share/paddock/ca/ca.key").c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600u);
  r = run({"--policy", rules}, {"sh", "-c", "cat " + home_ + "/.local/share/paddock/ca/ca.key; ls /run/paddock"});
  EXPECT_THAT(r.out, Not(HasSubstr("PRIVATE KEY")));
  EXPECT_EQ(r.out, "bin\nca-bundle.crt\nca.crt\n") << "the CA's certificates, and bin/ holding paddock itself\n"
                                                   << r.err;
}

TEST_P(Interception, TheHostFieldMustBeTheDecidedAuthority) {
  TestHttpServer server({.document_root = {}, .tls = tls_});
  auto r = run({"--policy", policy({server.authority()}, kRequestRules)},
               {"curl", "-sS", "-i", "-H", "Host: elsewhere.example", "https://" + server.authority() + "/"});
  EXPECT_THAT(r.out, HasSubstr("HTTP/1.1 403")) << r.err;
  EXPECT_THAT(r.out, HasSubstr("elsewhere.example"));
  EXPECT_TRUE(server.requests().empty());
}

TEST_P(Interception, AnUpstreamThatDoesNotVerifyIsA502NamingTheReason) {
  TestHttpServer server({.document_root = {}, .tls = tls_});
  // paddock's own trust store is the system's, which does not hold the test certificate.
  auto r = paddock_run(via_proxy_to_loopback({"--policy", policy({server.authority()}, kRequestRules)}),
                       {"curl", "-sS", "-i", "https://" + server.authority() + "/"});
  EXPECT_THAT(r.out, HasSubstr("HTTP/1.1 502")) << r.err;
  EXPECT_THAT(r.err, HasSubstr("certificate")) << "the denial line says why";
  EXPECT_TRUE(server.requests().empty());
}

TEST_P(Interception, AGrantedSecretReachesOnlyItsHostAndHeader) {
  TestHttpServer bound({.document_root = {}, .tls = tls_});
  TestHttpServer other({.document_root = {}, .tls = tls_});
  const std::string real = "sk-test-REAL0123456789abcdefghijklmnop";
  auto added = paddock({"secret", "add", "api", "--host", bound.authority(), "--header", "Authorization"},
                       {.env = environment(), .stdin_data = real + "\n"});
  ASSERT_EQ(added.status, 0) << added.err;
  struct stat st {};
  ASSERT_EQ(::stat((home_ + "/.local/share/paddock/secrets/api.json").c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600u);
  auto listed = paddock({"secret", "ls"});
  EXPECT_THAT(listed.out, HasSubstr("api")) << listed.err;
  EXPECT_THAT(listed.out, Not(HasSubstr(real)));

  const std::string send = R"(curl -sS -o /dev/null -H "Authorization: Bearer $API_TOKEN" )";
  auto r =
      run({"--policy", policy({bound.authority(), other.authority()}, ""), "--grant", "api=API_TOKEN", "--net-log"},
          {"sh", "-c",
           "echo \"token=$API_TOKEN\"; env | grep -c REAL0123; " + send + "https://" + bound.authority() +
               "/bound && " + send + "--cacert " + tls_.certificate + " https://" + other.authority() + "/other && " +
               send + "-H 'X-Copy: '\"$API_TOKEN\" https://" + bound.authority() + "/again"});
  EXPECT_EQ(r.status, 0) << r.err;
  ASSERT_THAT(r.out, StartsWith("token=sk-test-paddock")) << r.out << r.err;
  const std::string placeholder = r.out.substr(6, r.out.find('\n') - 6);
  EXPECT_EQ(placeholder.size(), real.size()) << "the placeholder has the real value's shape";
  EXPECT_THAT(r.out, HasSubstr("\n0\n")) << "no variable of the sandbox holds the real value";
  EXPECT_THAT(r.out + r.err, Not(HasSubstr(real))) << "the real value is in no output and no log line";

  auto at_bound = bound.requests();
  ASSERT_EQ(at_bound.size(), 2u) << r.err;
  EXPECT_EQ(at_bound[0].headers["authorization"], "Bearer " + real);
  EXPECT_EQ(at_bound[1].headers["x-copy"], placeholder) << "only the bound header gets the value";
  auto at_other = other.requests();
  ASSERT_EQ(at_other.size(), 1u);
  EXPECT_EQ(at_other[0].headers["authorization"], "Bearer " + placeholder) << "another host sees the placeholder";
}

TEST_P(Interception, AGrantOfAnUnknownSecretIsOneClearLine) {
  auto r = paddock_run({"--grant", "nothing"}, {"/bin/true"});
  EXPECT_EQ(r.status, 2);
  EXPECT_THAT(r.err, HasSubstr("--grant nothing: no such secret; add it with `paddock secret add nothing"));
  r = paddock_run({"--profile", "paranoid", "--intercept", "example.com"}, {"/bin/true"});
  EXPECT_EQ(r.status, 2);
  EXPECT_THAT(r.err, HasSubstr("profile paranoid has no network"));
}

TEST_P(Interception, LeashHttpRewriteSetsTheHeader) {
  TestHttpServer server({.document_root = {}, .tls = tls_});
  const std::string rewrite = R"(
permit (principal, action == Action::"HttpRewrite", resource == Host::"127.0.0.1")
when { context.header == "X-Team" && context.value == "blue" };
)";
  auto r = run({"--policy", policy({server.authority()}, rewrite)},
               {"curl", "-sS", "-H", "X-Team: red", "https://" + server.authority() + "/rewritten"});
  EXPECT_EQ(r.status, 0) << r.err;
  ASSERT_EQ(server.requests().size(), 1u) << r.err;
  EXPECT_EQ(server.requests()[0].headers["x-team"], "blue");
}

TEST_P(Interception, GitPythonAndNodeTrustTheCa) {
  const std::string served = root_ + "/served";
  write_file(root_ + "/src/README", "over https\n");
  auto git = [&](std::vector<std::string> args) {
    args.insert(args.begin(), {"git", "-c", "user.name=t", "-c", "user.email=t@t"});
    auto result = run_process(as_user(args), {.env = environment(), .cwd = root_ + "/src"});
    EXPECT_EQ(result.status, 0) << result.err;
  };
  git({"init", "-q", "."});
  git({"add", "README"});
  git({"commit", "-q", "-m", "one"});
  git({"clone", "-q", "--bare", root_ + "/src", served + "/repo.git"});
  git({"--git-dir", served + "/repo.git", "update-server-info"});
  TestHttpServer git_server({.document_root = served, .tls = tls_});
  TestHttpServer server({.document_root = {}, .tls = tls_});
  const auto rules = policy({git_server.authority(), server.authority()}, kRequestRules);
  const std::string url = "https://" + server.authority();

  auto r = run({"--policy", rules},
               {"sh", "-c", "git clone -q https://" + git_server.authority() + "/repo.git clone && cat clone/README"});
  EXPECT_EQ(r.status, 0) << r.err;
  EXPECT_EQ(r.out, "over https\n") << r.err;

  r = run({"--policy", rules},
          {"/usr/bin/python3", "-c",
           "import urllib.request; print(urllib.request.urlopen('" + url + "/py').read().decode(), end='')"});
  EXPECT_EQ(r.out, "hello from the test server: GET /py\n") << r.err;

  // Node's fetch ignores proxy variables (before Node 24), so the script opens the CONNECT
  // tunnel itself (its Host field naming the target, as the proxy requires); the TLS inside
  // verifies against NODE_EXTRA_CA_CERTS and nothing else.
  const std::string node = R"(
const http = require('http'), tls = require('tls');
const [host, port] = process.argv[1].split(':');
http.request({host: '127.0.0.1', port: 3128, method: 'CONNECT', path: process.argv[1],
              headers: {host: process.argv[1]}}).on('connect', (res, socket) => {
  const s = tls.connect({socket, servername: host === '127.0.0.1' ? undefined : host, host}, () => {
    s.write(`GET /node HTTP/1.1\r\nHost: ${process.argv[1]}\r\nConnection: close\r\n\r\n`);
  });
  let body = ''; s.on('data', d => body += d); s.on('end', () => { console.log(body.split('\r\n\r\n')[1].trim()); });
  s.on('error', e => { console.error('tls: ' + e.message); process.exit(1); });
}).end();
)";
  r = run({"--policy", rules}, {"node", "-e", node, server.authority()});
  EXPECT_EQ(r.out, "hello from the test server: GET /node\n") << r.err;
  EXPECT_EQ(server.requests().back().target, "/node");
}

}  // namespace
}  // namespace paddock::testing
