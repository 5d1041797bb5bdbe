// The MCP interposer end to end (DESIGN.md "MCP"): the MCP SDK's own client, and Claude Code,
// inside a real sandbox, start `paddock mcp wrap` around the filesystem server from npm
// (tests/mcp), as an agent's MCP configuration would. The supervisor decides each tools/call
// with the policy (McpCall, including conditions on the call's arguments), answers refused ones
// itself, hides refused tools from tools/list, and records each decision in the audit trail.
#include <netinet/in.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <thread>

#include <nlohmann/json.hpp>

#include "support/sandbox_fixture.hpp"

namespace paddock::testing {
namespace {

using nlohmann::json;
using ::testing::Contains;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::testing::Not;

constexpr const char* kMcpDir = PADDOCK_MCP_TEST_DIR;  // tests/mcp: client.mjs and node_modules
constexpr const char* kInside = "/tmp/mcp";

const char* const kNoWritesNoSecrets = R"(@id("no-writes")
forbid (principal, action == Action::"McpCall", resource == MCP::Tool::"write_file")
when { resource in MCP::Server::"fs" };
@id("no-secrets")
forbid (principal, action == Action::"McpCall", resource)
when { context.arguments has path && context.arguments.path like "*secret*" };
)";

// A port free on the host's 127.0.0.1 just now.
int free_port() {
  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t len = sizeof addr;
  ::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr);
  ::getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len);
  ::close(fd);
  return ntohs(addr.sin_port);
}

bool accepts(int port) {
  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(static_cast<std::uint16_t>(port));
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  const bool ok = ::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0;
  ::close(fd);
  return ok;
}

class Mcp : public SandboxTest {
 protected:
  void SetUp() override {
    SandboxTest::SetUp();
    ASSERT_TRUE(std::filesystem::exists(std::string(kMcpDir) + "/node_modules/@modelcontextprotocol/server-filesystem"))
        << "the MCP server from npm is missing: run scripts/install-deps (npm ci in tests/mcp)";
    write_file(workspace_ + "/data/a.txt", "hello\n");
    write_file(workspace_ + "/data/secret.txt", "topsecret\n");
  }

  std::vector<std::string> options(std::vector<std::string> more = {}) const {
    more.insert(more.end(), {"--mount", std::string(kMcpDir) + ":" + kInside + ":ro"});
    return more;
  }

  // The SDK client's output: the listed tools, then one object per call.
  struct Session {
    ProcessResult run;
    std::vector<std::string> tools;
    std::vector<json> calls;
  };
  Session session(const std::vector<std::string>& run_options, const json& calls) {
    Session s;
    s.run = paddock_run(options(run_options),
                        {"node", std::string(kInside) + "/client.mjs", workspace_ + "/data", calls.dump()});
    std::istringstream lines(s.run.out);
    for (std::string line; std::getline(lines, line);) {
      const json j = json::parse(line);
      if (j.contains("tools"))
        s.tools = j["tools"].get<std::vector<std::string>>();
      else
        s.calls.push_back(j);
    }
    return s;
  }

  std::string policy_file(const std::string& text) {
    const std::string path = outside_directory() + "/mcp.cedar";
    write_file(path, text);
    return path;
  }
};
INSTANTIATE_TEST_SUITE_P(Modes, Mcp, ::testing::Values(Mode::root, Mode::unprivileged), mode_name);

TEST_P(Mcp, ThePolicyDecidesEachToolCall) {
  const std::string policy = policy_file(kNoWritesNoSecrets);
  const std::string data = workspace_ + "/data/";
  auto s = session({"--policy", policy}, json::array({
                                             {"read_text_file", {{"path", data + "a.txt"}}},
                                             {"read_text_file", {{"path", data + "secret.txt"}}},
                                             {"write_file", {{"path", data + "b.txt"}, {"content", "x"}}},
                                         }));
  ASSERT_EQ(s.run.status, 0) << s.run.err;
  ASSERT_EQ(s.calls.size(), 3u) << s.run.out << s.run.err;

  EXPECT_THAT(s.tools, Contains("read_text_file"));
  EXPECT_THAT(s.tools, Not(Contains("write_file"))) << "a tool the policy forbids outright is not listed";
  EXPECT_FALSE(s.calls[0].at("isError").get<bool>()) << s.calls[0];
  EXPECT_EQ(s.calls[0].at("text"), "hello\n") << "an allowed call reaches the server and its answer comes back";
  EXPECT_TRUE(s.calls[1].at("isError").get<bool>()) << s.calls[1];
  EXPECT_THAT(s.calls[1].at("text").get<std::string>(), HasSubstr("no-secrets (" + policy + ":4)"))
      << "the condition on the call's arguments decided, and the model reads which policy";
  EXPECT_THAT(s.calls[1].at("text").get<std::string>(), Not(HasSubstr("topsecret")));
  EXPECT_TRUE(s.calls[2].at("isError").get<bool>()) << "a call of a hidden tool is refused all the same";
  EXPECT_FALSE(std::filesystem::exists(data + "b.txt")) << "the refused write never reached the server";
  EXPECT_THAT(s.run.err, HasSubstr("paddock: denied MCP tool write_file of server fs by no-writes"))
      << "each refusal is one line outside the sandbox's output";

  const auto events = audit_events("mcp.call");
  auto find = [&](const std::string& method, const std::string& tool, bool allowed) -> const json* {
    for (const auto& e : events)
      if (e.at("method") == method && e.at("tool") == tool && e.at("decision").at("allowed") == allowed) return &e;
    return nullptr;
  };
  const json* read = find("tools/call", "read_text_file", true);
  ASSERT_NE(read, nullptr) << json(events).dump(1);
  EXPECT_EQ(read->at("server"), "fs");
  EXPECT_EQ(json::parse(read->at("arguments").get<std::string>()).at("path"), data + "a.txt");
  const json* secret = find("tools/call", "read_text_file", false);
  ASSERT_NE(secret, nullptr) << json(events).dump(1);
  EXPECT_EQ(secret->at("decision").at("policies").at(0).at("id"), "no-secrets");
  ASSERT_NE(find("tools/call", "write_file", false), nullptr) << json(events).dump(1);
  ASSERT_NE(find("tools/list", "write_file", false), nullptr) << "hiding a tool is recorded too";
  auto verify = paddock({"audit", "verify"});
  EXPECT_EQ(verify.status, 0) << verify.out << verify.err;
}

TEST_P(Mcp, ClaudeCodeSeesOnlyAllowedToolsAndReadsTheRefusal) {
  // Claude Code (npm) in the sandbox, its API a fake on the host's 127.0.0.1 reached through the
  // egress proxy; the fake asks for one MCP tool call and reports what the tool said.
  const std::string policy = policy_file(std::string(kNoWritesNoSecrets) + R"(
permit (principal, action == Action::"NetworkConnect", resource) when { context.host == "127.0.0.1" };
permit (principal, action == Action::"HttpRequest", resource == Host::"127.0.0.1");
)");
  const int port = free_port();
  const std::string log = outside_directory() + "/api.log";
  const pid_t api = spawn_background(
      {"node", std::string(kMcpDir) + "/fake-anthropic.mjs", "--port", std::to_string(port), "--tool",
       "mcp__fs__read_text_file", "--input", json{{"path", workspace_ + "/data/secret.txt"}}.dump(), "--log", log},
      {.env = std::vector<std::string>{"PATH=/usr/bin:/bin"}});
  for (int i = 0; i < 100 && !accepts(port); ++i) std::this_thread::sleep_for(std::chrono::milliseconds(50));
  const json config = {
      {"mcpServers",
       {{"fs",
         {{"command", "paddock"},
          {"args",
           {"mcp", "wrap", "--server", "fs", "--", "node",
            std::string(kInside) + "/node_modules/@modelcontextprotocol/server-filesystem/dist/index.js",
            workspace_ + "/data"}}}}}}};
  auto r = paddock_run(
      via_proxy_to_loopback(
          options({"--policy", policy, "--env", "IS_SANDBOX=1", "--env", "CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC=1",
                   "--env", "ANTHROPIC_BASE_URL=http://127.0.0.1:" + std::to_string(port), "--env",
                   "ANTHROPIC_API_KEY=sk-ant-placeholder", "--env", "MCP_CONNECTION_NONBLOCKING=false"})),
      {std::string(kInside) + "/node_modules/.bin/claude", "-p", "read secret.txt", "--dangerously-skip-permissions",
       "--mcp-config", config.dump(), "--strict-mcp-config"});
  ::kill(api, SIGTERM);
  ::waitpid(api, nullptr, 0);
  ASSERT_EQ(r.status, 0) << r.out << r.err;
  EXPECT_THAT(r.out, HasSubstr("FAKE-DONE error=true tool said: paddock: denied MCP tool read_text_file of server fs "
                               "by no-secrets"))
      << "the model got the refusal as the tool's error\n"
      << r.out << r.err;
  EXPECT_THAT(r.out, Not(HasSubstr("topsecret")));

  // Requests without tools (a session title) come too: the agent's turn is the one with tools.
  std::ifstream requests(log);
  std::vector<std::string> tools;
  for (std::string line; tools.empty() && std::getline(requests, line);)
    for (const auto& tool : json::parse(line).at("body").value("tools", json::array()))
      tools.push_back(tool.at("name"));
  ASSERT_THAT(tools, Not(IsEmpty())) << "no request of Claude Code's offered tools:\n" << r.err;
  EXPECT_THAT(tools, Contains("mcp__fs__read_text_file")) << "the wrapped server's tools reach the agent";
  EXPECT_THAT(tools, Not(Contains("mcp__fs__write_file"))) << "the forbidden tool is not offered to the model";
}

TEST_P(Mcp, ParanoidListsNoToolAndRefusesEveryCall) {
  auto s =
      session({"--profile", "paranoid"}, json::array({{"read_text_file", {{"path", workspace_ + "/data/a.txt"}}}}));
  ASSERT_EQ(s.run.status, 0) << s.run.err;
  ASSERT_EQ(s.calls.size(), 1u) << s.run.out << s.run.err;
  EXPECT_THAT(s.tools, IsEmpty()) << "no permit for McpCall: every tool is hidden";
  EXPECT_TRUE(s.calls[0].at("isError").get<bool>());
  EXPECT_THAT(s.calls[0].at("text").get<std::string>(), HasSubstr("paddock: denied MCP tool read_text_file"));
  EXPECT_THAT(s.calls[0].at("text").get<std::string>(), Not(HasSubstr("hello")));
}

TEST_P(Mcp, TheServerEndsWithTheWrapper) {
  // An MCP client may SIGKILL its server's process: the wrapper's server goes with it.
  auto r = paddock_run({}, {"sh", "-c",
                            "sleep 1000 | paddock mcp wrap --server s -- sleep 999 & sleep 0.5; "
                            "pkill -KILL -f '^paddock mcp'; sleep 0.5; "
                            "pgrep -x sleep -a | grep 999 || echo server-gone"});
  EXPECT_EQ(r.status, 0) << r.err;
  EXPECT_THAT(r.out, HasSubstr("server-gone")) << r.out;
}

TEST_P(Mcp, PaddockAllowMcpPermitsOneTool) {
  make_git_repository();
  auto allow = paddock({"allow", "mcp", "fs/read_text_file"});
  ASSERT_EQ(allow.status, 0) << allow.err;
  EXPECT_THAT(allow.out, HasSubstr(R"(resource == MCP::Tool::"read_text_file")"));
  auto s = session({"--profile", "paranoid"},
                   json::array({{"read_text_file", {{"path", workspace_ + "/data/a.txt"}}},
                                {"write_file", {{"path", workspace_ + "/data/b.txt"}, {"content", "x"}}}}));
  ASSERT_EQ(s.run.status, 0) << s.run.err;
  ASSERT_EQ(s.calls.size(), 2u) << s.run.out << s.run.err;
  EXPECT_EQ(s.tools, std::vector<std::string>{"read_text_file"}) << "the one permitted tool, and no other";
  EXPECT_EQ(s.calls[0].at("text"), "hello\n");
  EXPECT_TRUE(s.calls[1].at("isError").get<bool>());
  EXPECT_EQ(paddock({"allow", "mcp", "no-tool"}).status, 2) << "SERVER/TOOL expected";
}

TEST_P(Mcp, AnUnreachableSupervisorRefusesEveryCall) {
  // A raw client this time, and a decision socket that answers nothing: the interposer fails
  // closed instead of passing the call on.
  const std::string server =
      std::string(kInside) + "/node_modules/@modelcontextprotocol/server-filesystem/dist/index.js";
  const std::string script =
      "printf '%s\\n' '{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"initialize\",\"params\":{\"protocolVersion\":"
      "\"2025-06-18\",\"capabilities\":{},\"clientInfo\":{\"name\":\"t\",\"version\":\"1\"}}}' "
      "'{\"jsonrpc\":\"2.0\",\"id\":2,\"method\":\"tools/list\"}' "
      "'{\"jsonrpc\":\"2.0\",\"id\":3,\"method\":\"tools/call\",\"params\":{\"name\":\"read_text_file\","
      "\"arguments\":{\"path\":\"" +
      workspace_ + "/data/a.txt\"}}}' | PADDOCK_MCP=127.0.0.1:1 paddock mcp wrap --server fs -- node " + server + " " +
      workspace_ + "/data";
  auto r = paddock_run(options(), {"sh", "-c", script});
  ASSERT_EQ(r.status, 0) << r.err;
  std::map<int, json> replies;
  std::istringstream lines(r.out);
  for (std::string line; std::getline(lines, line);) {
    const json j = json::parse(line);
    replies[j.at("id").get<int>()] = j;
  }
  ASSERT_TRUE(replies.contains(2) && replies.contains(3)) << r.out << r.err;
  EXPECT_THAT(replies[2].at("result").at("tools"), IsEmpty());
  EXPECT_TRUE(replies[3].at("result").at("isError").get<bool>()) << replies[3];
  EXPECT_THAT(replies[3].dump(), HasSubstr("the supervisor could not be asked"));
  EXPECT_THAT(replies[3].dump(), Not(HasSubstr("hello")));
}

TEST_P(Mcp, WrapOutsideASandboxAndAPortClashAreUsageErrors) {
  auto r = paddock({"mcp", "wrap", "--server", "fs", "--", "true"});
  EXPECT_EQ(r.status, 2);
  EXPECT_THAT(r.err, HasSubstr("not inside a paddock sandbox"));
  EXPECT_EQ(std::count(r.err.begin(), r.err.end(), '\n'), 1) << r.err;
  r = paddock({"mcp", "wrap", "--", "true"});
  EXPECT_EQ(r.status, 2);
  EXPECT_THAT(r.err, HasSubstr("--server"));
  r = paddock_run({}, {"paddock", "mcp", "wrap", "--server", "fs", "--", "/nonexistent"});
  EXPECT_EQ(r.status, 127);
  EXPECT_THAT(r.err, HasSubstr("cannot start /nonexistent: No such file or directory"));
  r = paddock_run({"--proxy-port", "3129"}, {"true"});
  EXPECT_EQ(r.status, 2);
  EXPECT_THAT(r.err, HasSubstr("the MCP decision socket's"));
}

}  // namespace
}  // namespace paddock::testing
