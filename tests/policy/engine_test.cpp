// Decisions of the built-in profiles and of Leash's own example policies, through the engine.
#include "policy/engine.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "cedar/diagnostics.hpp"
#include "cedar/extensions.hpp"
#include "policy/loader.hpp"
#include "policy/profiles.hpp"

namespace paddock::policy {
namespace {

using ::testing::ElementsAre;
using ::testing::Field;

std::vector<Location> locations() {
  std::vector<Location> out = {{"workspace", "/work/proj"}, {"home", "/home/u"}, {"scratch", "/tmp"}};
  for (const char* dir : {"/usr", "/bin", "/etc", "/opt"}) out.push_back({"system", dir});
  return out;
}

PolicyEngine engine_for(const std::string& profile, const std::string& extra = "") {
  auto files = policy_files(find_profile(profile), {});
  if (!extra.empty()) files.push_back({"extra.cedar", extra});
  return PolicyEngine(load_policy_set(files), {"claude", "proj"}, locations());
}

std::vector<std::string> ids(const Verdict& v) {
  std::vector<std::string> out;
  for (const auto& p : v.policies) out.push_back(p.id);
  return out;
}

TEST(Profiles, StrictFiles) {
  auto engine = engine_for("strict");
  EXPECT_TRUE(engine.file("/usr/bin/ls", false, false).allowed);
  EXPECT_THAT(ids(engine.file("/usr/bin/ls", false, false)), ElementsAre("strict-read-system"));
  EXPECT_FALSE(engine.file("/usr/bin/ls", false, true).allowed);
  EXPECT_TRUE(engine.file("/work/proj/src/main.c", false, true).allowed);
  EXPECT_TRUE(engine.file("/work/proj", true, true).allowed) << "the workspace directory itself";
  EXPECT_FALSE(engine.file("/work/project-other/x", false, false).allowed) << "prefix, not a path component";
  EXPECT_FALSE(engine.file("/root/.ssh/id_rsa", false, false).allowed);
  auto denied = engine.file("/srv/data", true, false);
  EXPECT_FALSE(denied.allowed);
  EXPECT_TRUE(denied.policies.empty()) << "the default deny names no policy";
}

TEST(Profiles, StrictExecAndNetwork) {
  auto engine = engine_for("strict");
  EXPECT_TRUE(engine.exec({"/usr/bin/git", {"git", "status"}, "/work/proj", 2}).allowed);
  EXPECT_FALSE(engine.exec({"/srv/tool", {"tool"}, "/work/proj", 2}).allowed);
  EXPECT_TRUE(engine.connect({"api.anthropic.com", 443, std::nullopt, "connect"}).allowed);
  EXPECT_TRUE(engine.connect({"registry.npmjs.org", 443, std::nullopt, "connect"}).allowed);
  EXPECT_FALSE(engine.connect({"registry.npmjs.org", 80, std::nullopt, "http"}).allowed) << "HTTPS only";
  EXPECT_FALSE(engine.connect({"evil.example", 443, std::nullopt, "connect"}).allowed);
  EXPECT_FALSE(engine.connect({"api.anthropic.com.evil.example", 443, std::nullopt, "connect"}).allowed);
}

TEST(Profiles, ParanoidHasNoNetwork) {
  auto engine = engine_for("paranoid");
  EXPECT_FALSE(engine.connect({"api.anthropic.com", 443, std::nullopt, "connect"}).allowed);
  EXPECT_TRUE(engine.file("/work/proj/x", false, false).allowed);
  EXPECT_TRUE(find_profile("paranoid").overlay_workspace);
  EXPECT_FALSE(find_profile("paranoid").network);
}

TEST(Profiles, StandardReachesPrivateAddressesOnlyByName) {
  // The proxy's second question for a special-range address (net::ConnectGate): does a policy
  // name this address? `Host::"*"` must not answer it; trusted's unconstrained permit does.
  auto engine = engine_for("standard");
  EXPECT_TRUE(engine.connect({"example.com", 443, cedar::parse_ip("93.184.216.34"), "connect"}).allowed);
  EXPECT_FALSE(engine.connect({"10.1.2.3", 443, cedar::parse_ip("10.1.2.3"), "connect", true}).allowed);
  EXPECT_FALSE(engine.connect({"127.0.0.1", 5432, cedar::parse_ip("127.0.0.1"), "connect", true}).allowed);
  EXPECT_FALSE(engine.connect({"fd00::1", 443, cedar::parse_ip("fd00::1"), "connect", true}).allowed);
  EXPECT_TRUE(
      engine_for("trusted").connect({"127.0.0.1", 5432, cedar::parse_ip("127.0.0.1"), "connect", true}).allowed);
}

TEST(Profiles, UnknownProfileNamesTheKnownOnes) {
  EXPECT_THAT([] { find_profile("lax"); },
              ::testing::ThrowsMessage<Error>(::testing::HasSubstr("paranoid, strict, standard, trusted")));
}

TEST(Policies, ArgvRulesAndPerAgentRules) {
  auto engine = engine_for("strict", R"(
    @id("no-force-push")
    forbid (principal, action == Action::"ProcessExec", resource == File::"/usr/bin/git")
    when { context.argv.contains("push") && context.argv.containsAny(["--force", "-f"]) };
    @id("codex-only-host")
    permit (principal == Agent::"codex", action == Action::"NetworkConnect", resource in Host::"*.openai.com");
  )");
  EXPECT_TRUE(engine.exec({"/usr/bin/git", {"git", "push"}, "/work/proj", 7}).allowed);
  auto forced = engine.exec({"/usr/bin/git", {"git", "push", "--force", "origin"}, "/work/proj", 7});
  EXPECT_FALSE(forced.allowed);
  ASSERT_THAT(forced.policies, ElementsAre(Field(&PolicyRef::id, "no-force-push")));
  EXPECT_EQ(forced.policies[0].location, "extra.cedar:2") << "where the policy starts: its annotation";
  EXPECT_FALSE(engine.connect({"files.openai.com", 443, std::nullopt, "connect"}).allowed) << "claude is not codex";
}

TEST(Policies, BrokenPolicyTextGivesEveryDiagnostic) {
  auto files = policy_files(find_profile("strict"), {});
  files.push_back({"bad.cedar", "permit (principal, action, resource) when { 1 + };\nforbid (principal;\n"});
  try {
    load_policy_set(files);
    FAIL() << "must throw";
  } catch (const cedar::PolicyError& e) {
    EXPECT_GE(e.diagnostics().size(), 2U);
    EXPECT_THAT(cedar::render(e.diagnostics()), ::testing::HasSubstr("bad.cedar:1:"));
  }
}

// Leash's policies, verbatim from its documentation (research/leash.md), load and decide.
TEST(LeashCompatibility, DefaultBootstrapPolicy) {
  PolicyEngine engine(load_policy_set({{"leash-default.cedar", R"(
permit (principal, action in [Action::"FileOpen", Action::"FileOpenReadOnly", Action::"FileOpenReadWrite"], resource)
when { resource in [ Dir::"/" ] };
permit (principal, action == Action::"ProcessExec", resource)
when { resource in [ Dir::"/" ] };
permit (principal, action == Action::"NetworkConnect", resource)
when { resource in [ Host::"*" ] };
)"}}),
                      {}, {});
  EXPECT_TRUE(engine.file("/etc/passwd", false, false).allowed);
  EXPECT_TRUE(engine.file("/tmp/x", false, true).allowed);
  EXPECT_TRUE(engine.exec({"/bin/ls", {"ls"}, "/", 1}).allowed);
  EXPECT_TRUE(engine.connect({"example.com", 443, std::nullopt, "connect"}).allowed);
}

TEST(LeashCompatibility, DesignDocumentExample) {
  PolicyEngine engine(load_policy_set({{"leash-example.cedar", R"(
permit (principal, action in [Action::"FileOpen", Action::"FileOpenReadOnly", Action::"FileOpenReadWrite"], resource)
when { resource in [ Dir::"/workspace/" ] };
forbid (principal, action == Action::"FileOpenReadWrite", resource)
when { resource in [ Dir::"/workspace/secrets/" ] };
forbid (principal, action == Action::"ProcessExec", resource)
when { resource in [ File::"/bin/rm" ] };
permit (principal, action == Action::"NetworkConnect", resource)
when { resource in [ Host::"api.internal" , Host::"db.internal:5432" ] };
forbid (principal, action == Action::"NetworkConnect", resource)
when { resource in [ Host::"*.facebook.com" ] };
forbid (principal, action == Action::"McpCall", resource == MCP::Tool::"resolve-library-id")
when { resource in [ MCP::Server::"mcp.context7.com" ] };
permit (principal, action == Action::"HttpRewrite", resource == Host::"api.example.com")
when { context.header == "Authorization" && context.value == "Bearer prod-secret" };
)"}}),
                      {}, {});
  EXPECT_TRUE(engine.file("/workspace/src/a.go", false, true).allowed);
  EXPECT_TRUE(engine.file("/workspace/secrets/key", false, false).allowed);
  auto write_secret = engine.file("/workspace/secrets/key", false, true);
  EXPECT_FALSE(write_secret.allowed);
  EXPECT_THAT(ids(write_secret), ElementsAre("policy1"));
  EXPECT_FALSE(engine.file("/etc/passwd", false, false).allowed);
  EXPECT_FALSE(engine.exec({"/bin/rm", {"rm", "-rf", "/"}, "/", 1}).allowed);
  EXPECT_TRUE(engine.connect({"api.internal", 443, std::nullopt, "connect"}).allowed);
  EXPECT_TRUE(engine.connect({"db.internal", 5432, std::nullopt, "connect"}).allowed);
  EXPECT_FALSE(engine.connect({"db.internal", 22, std::nullopt, "connect"}).allowed);
  EXPECT_FALSE(engine.connect({"www.facebook.com", 443, std::nullopt, "connect"}).allowed);
  EXPECT_FALSE(engine.mcp_call("mcp.context7.com", "resolve-library-id", cedar::Value::record({})).allowed);
  EXPECT_TRUE(engine.http_rewrite("api.example.com", 443, "Authorization", "Bearer prod-secret").allowed);
  EXPECT_FALSE(engine.http_rewrite("api.example.com", 443, "Authorization", "Bearer other").allowed);
}

}  // namespace
}  // namespace paddock::policy
