// The paddock-style workload: 100 policies in paddock's vocabulary (DESIGN.md, "Policy
// vocabulary") and requests for file opens, execs, connections and HTTP requests, with the
// entities paddock synthesises: Agent in Sandbox, a File in its ancestor Dirs, a Host
// "name:port" in "name" in "*.domain" ... in "*", FileOpenReadOnly/ReadWrite in FileOpen.
#include <fmt/core.h>

#include <random>
#include <set>

#include "workloads.hpp"

namespace paddock::cedar::bench {

using nlohmann::json;

namespace {

json uid(const std::string& type, const std::string& id) {
  return json{{"type", type}, {"id", id}};
}

const std::vector<std::string> kDomains = {
    "github.com",    "anthropic.com", "openai.com", "npmjs.org",  "pypi.org",      "debian.org",     "googleapis.com",
    "crates.io",     "golang.org",    "docker.io",  "gitlab.com", "example.com",   "cloudflare.com", "ubuntu.com",
    "rust-lang.org", "nodejs.org",    "sentry.io",  "slack.com",  "atlassian.net", "azure.com"};
const std::vector<std::string> kSystemDirs = {"/usr/lib/",     "/usr/bin/",   "/usr/share/", "/etc/", "/opt/",
                                              "/usr/include/", "/usr/local/", "/lib/",       "/bin/", "/var/lib/"};
const std::vector<std::string> kTools = {"/usr/bin/git", "/usr/bin/make", "/usr/bin/cc", "/usr/bin/python3",
                                         "/usr/bin/node"};

std::string policies_text() {
  std::string p;
  for (int i = 0; i < 20; ++i)
    p += fmt::format(
        "@id(\"project-{0}\")\npermit(principal == Agent::\"claude\", action in Action::\"FileOpen\", "
        "resource in Dir::\"/home/u/p{0}/\");\n",
        i);
  for (const auto& d : kSystemDirs)
    p += fmt::format(
        "permit(principal in Sandbox::\"s1\", action == Action::\"FileOpenReadOnly\", resource in Dir::\"{}\");\n", d);
  for (int i = 0; i < 10; ++i)
    p += fmt::format(
        "forbid(principal, action in Action::\"FileOpen\", resource in Dir::\"/home/u/p{}/.git/hooks/\");\n", i);
  for (const char* pattern : {"*/.env", "*.pem", "*/id_rsa*", "*/.npmrc", "*/.netrc"})
    p += fmt::format(
        "forbid(principal, action == Action::\"FileOpenReadWrite\", resource) when {{ context.path like \"{}\" }};\n",
        pattern);
  for (const auto& tool : kTools)
    p += fmt::format(
        "permit(principal, action == Action::\"ProcessExec\", resource == File::\"{}\") "
        "when {{ !context.argv.contains(\"--force\") && context.cwd like \"/home/u/*\" }};\n",
        tool);
  for (const auto& d : kDomains)
    p += fmt::format(
        "permit(principal, action == Action::\"NetworkConnect\", resource in Host::\"*.{}\") "
        "when {{ context.port == 443 || context.port == 80 }};\n",
        d);
  for (const char* range : {"10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16", "169.254.0.0/16", "127.0.0.0/8"})
    p += fmt::format(
        "forbid(principal, action == Action::\"NetworkConnect\", resource) "
        "when {{ context.ip.isInRange(ip(\"{}\")) }};\n",
        range);
  for (int i = 0; i < 15; ++i)
    p += fmt::format(
        "permit(principal, action == Action::\"HttpRequest\", resource in Host::\"api.{}\") "
        "when {{ context.method == \"GET\" && context.path like \"/v1/*\" && context.headers has \"user-agent\" }};\n",
        kDomains[static_cast<std::size_t>(i)]);
  for (int i = 0; i < 10; ++i)
    p += fmt::format(
        "permit(principal == Agent::\"codex\", action in [Action::\"FileOpenReadOnly\", Action::\"ProcessExec\"], "
        "resource in Dir::\"/tmp/w{}/\") unless {{ context has blocked && context.blocked }};\n",
        i);
  return p;
}

class Generator {
 public:
  explicit Generator(unsigned seed) : rng_(seed) {}
  std::size_t below(std::size_t n) { return std::uniform_int_distribution<std::size_t>(0, n - 1)(rng_); }

  // A file path under a project, a system dir or /tmp, 2 to 5 directories deep.
  std::string path() {
    std::size_t where = below(10);
    std::string base = where < 6   ? fmt::format("/home/u/p{}/", below(24))
                       : where < 9 ? kSystemDirs[below(10)]
                                   : fmt::format("/tmp/w{}/", below(12));
    static const std::vector<std::string> kParts = {"src/", "lib/", "test/", ".git/hooks/", "docs/", "build/", "pkg/"};
    std::size_t depth = below(4);
    for (std::size_t i = 0; i < depth; ++i) base += kParts[below(kParts.size())];
    static const std::vector<std::string> kFiles = {"main.c", "a.py", ".env", "key.pem", "README.md", "id_rsa", "x.js"};
    return base + kFiles[below(kFiles.size())];
  }

  std::string host() {
    static const std::vector<std::string> kSubs = {"api.", "www.", "registry.", "objects.", ""};
    const std::string& domain = below(10) < 8 ? kDomains[below(kDomains.size())] : std::string("evil.net");
    return kSubs[below(kSubs.size())] + domain;
  }

  std::string address() {
    return below(5) == 0 ? fmt::format("10.{}.{}.{}", below(256), below(256), below(256))
                         : fmt::format("{}.{}.{}.{}", 20 + below(200), below(256), below(256), 1 + below(254));
  }

 private:
  std::mt19937 rng_;
};

// A file's parents are its ancestor directories ("/a/b/c" in "/a/b/" in "/a/" in "/").
json file_entities(const std::string& path, const std::string& type) {
  json out = json::array();
  std::string dir = path.substr(0, path.rfind('/', path.size() - 2) + 1);
  out.push_back({{"uid", uid(type, path)}, {"attrs", json::object()}, {"parents", json::array({uid("Dir", dir)})}});
  while (dir != "/") {
    std::string parent = dir.substr(0, dir.rfind('/', dir.size() - 2) + 1);
    out.push_back(
        {{"uid", uid("Dir", dir)}, {"attrs", json::object()}, {"parents", json::array({uid("Dir", parent)})}});
    dir = parent;
  }
  out.push_back({{"uid", uid("Dir", "/")}, {"attrs", json::object()}, {"parents", json::array()}});
  return out;
}

// "api.x.com:443" in "api.x.com" in "*.x.com" in "*.com" in "*".
json host_entities(const std::string& name, int port) {
  json out = json::array();
  std::string with_port = fmt::format("{}:{}", name, port);
  out.push_back(
      {{"uid", uid("Host", with_port)}, {"attrs", json::object()}, {"parents", json::array({uid("Host", name)})}});
  std::string current = name;
  std::string rest = name;
  while (true) {
    auto dot = rest.find('.');
    std::string parent = dot == std::string::npos ? "*" : "*." + rest.substr(dot + 1);
    out.push_back(
        {{"uid", uid("Host", current)}, {"attrs", json::object()}, {"parents", json::array({uid("Host", parent)})}});
    if (parent == "*") break;
    current = parent;
    rest = rest.substr(dot + 1);
  }
  out.push_back({{"uid", uid("Host", "*")}, {"attrs", json::object()}, {"parents", json::array()}});
  return out;
}

json common_entities(const std::string& agent) {
  json out = json::array();
  out.push_back(
      {{"uid", uid("Agent", agent)}, {"attrs", json::object()}, {"parents", json::array({uid("Sandbox", "s1")})}});
  out.push_back({{"uid", uid("Sandbox", "s1")}, {"attrs", json::object()}, {"parents", json::array()}});
  for (const char* a : {"FileOpenReadOnly", "FileOpenReadWrite"})
    out.push_back(
        {{"uid", uid("Action", a)}, {"attrs", json::object()}, {"parents", json::array({uid("Action", "FileOpen")})}});
  out.push_back({{"uid", uid("Action", "FileOpen")}, {"attrs", json::object()}, {"parents", json::array()}});
  return out;
}

}  // namespace

Workload paddock_workload(std::size_t requests) {
  Workload w;
  w.name = "paddock/100";
  w.policies = policies_text();
  Generator gen(4242);
  json all = json::array();
  std::set<std::string> seen;
  auto add_all = [&](const json& entities) {
    for (const auto& e : entities)
      if (seen.insert(e["uid"].dump()).second) all.push_back(e);
  };
  for (std::size_t i = 0; i < requests; ++i) {
    std::string agent = gen.below(4) == 0 ? "codex" : "claude";
    json entities = common_entities(agent);
    RequestSpec r;
    r.principal = uid("Agent", agent);
    std::size_t kind = gen.below(20);
    if (kind < 10) {
      std::string path = gen.path();
      r.action = uid("Action", gen.below(3) == 0 ? "FileOpenReadWrite" : "FileOpenReadOnly");
      r.resource = uid("File", path);
      r.context = {{"path", path}};
      for (auto& e : file_entities(path, "File")) entities.push_back(e);
    } else if (kind < 12) {
      std::string tool = gen.below(6) == 0 ? "/usr/bin/curl" : kTools[gen.below(kTools.size())];
      r.action = uid("Action", "ProcessExec");
      r.resource = uid("File", tool);
      json argv = json::array({tool.substr(tool.rfind('/') + 1), "status"});
      if (gen.below(8) == 0) argv.push_back("--force");
      r.context = {{"argv", argv},
                   {"command", tool + " status"},
                   {"cwd", gen.below(5) == 0 ? "/tmp" : "/home/u/p1"},
                   {"pid", 1234}};
      for (auto& e : file_entities(tool, "File")) entities.push_back(e);
    } else {
      std::string host = gen.host();
      int port = gen.below(6) == 0 ? 22 : 443;
      r.resource = uid("Host", fmt::format("{}:{}", host, port));
      json ip = {{"__extn", {{"fn", "ip"}, {"arg", gen.address()}}}};
      if (kind < 17) {
        r.action = uid("Action", "NetworkConnect");
        r.context = {{"host", host}, {"port", port}, {"ip", ip}, {"protocol", "tcp"}};
      } else {
        r.action = uid("Action", "HttpRequest");
        r.context = {{"method", gen.below(4) == 0 ? "POST" : "GET"},
                     {"path", gen.below(3) == 0 ? "/admin" : "/v1/models"},
                     {"query", ""},
                     {"scheme", "https"},
                     {"headers", {{"user-agent", "claude-code"}, {"accept", "*/*"}}}};
      }
      for (auto& e : host_entities(host, port)) entities.push_back(e);
    }
    add_all(entities);
    w.per_request_entities.push_back(std::move(entities));
    w.requests.push_back(std::move(r));
  }
  w.scenarios.push_back(std::move(all));
  return w;
}

}  // namespace paddock::cedar::bench
