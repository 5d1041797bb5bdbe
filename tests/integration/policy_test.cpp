// The policy, enforced from inside real sandboxes: each action, each profile, argv rules, hot
// reload, `paddock allow` and `paddock plan`.
#include <sys/stat.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <thread>

#include "support/sandbox_fixture.hpp"

namespace fs = std::filesystem;

namespace paddock::testing {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;
using namespace std::chrono_literals;

class Policy : public SandboxTest {
protected:
  std::string policy_file(const std::string& name, const std::string& text) {
    std::string path = root_ + "/" + name;
    write_file(path, text);
    return path;
  }
};
INSTANTIATE_TEST_SUITE_P(Modes, Policy, ::testing::Values(Mode::root, Mode::unprivileged), mode_name);

TEST_P(Policy, ForbidsInsideTheWorkspaceBecomeMasksAndReadOnlyTrees) {
  write_file(workspace_ + "/secrets/key", "SECRET");
  write_file(workspace_ + "/vendor/lib.c", "int x;");
  auto policy = policy_file("p.cedar", R"(
    forbid (principal, action in [Action::"FileOpenReadOnly", Action::"FileOpenReadWrite"], resource)
    when { resource in Dir::")" + workspace_ + R"(/secrets/" };
    forbid (principal, action == Action::"FileOpenReadWrite", resource)
    when { resource in Dir::")" + workspace_ + R"(/vendor/" };
  )");
  auto r = probe({"read", workspace_ + "/secrets/key"}, {"--policy", policy});
  EXPECT_EQ(r.out, "errno=ENOENT\n") << r.err;
  r = probe({"read", workspace_ + "/vendor/lib.c"}, {"--policy", policy});
  EXPECT_EQ(r.out, "ok\n") << r.err;
  r = probe({"write", workspace_ + "/vendor/new.c"}, {"--policy", policy});
  EXPECT_EQ(r.out, "errno=EROFS\n") << r.err;
  r = probe({"write", workspace_ + "/elsewhere.c"}, {"--policy", policy});
  EXPECT_EQ(r.out, "ok\n") << "the rest of the workspace stays writable: " << r.err;
}

TEST_P(Policy, PermittedHostPathsAppearReadOnly) {
  const std::string data = outside_directory() + "/data";
  write_file(data + "/set.csv", "a,b");
  auto policy = policy_file("p.cedar", "permit (principal, action == Action::\"FileOpenReadOnly\", resource in Dir::\"" +
                                           data + "/\");");
  auto r = paddock_run({"--policy", policy}, {"cat", data + "/set.csv"});
  EXPECT_EQ(r.out, "a,b") << r.err;
  r = probe({"write", data + "/set.csv"}, {"--policy", policy});
  EXPECT_EQ(r.out, "errno=EROFS\n") << r.err;
  r = paddock_run({}, {"cat", data + "/set.csv"});
  EXPECT_THAT(r.err, HasSubstr("No such file")) << "without the policy the path is not there";
}

TEST_P(Policy, ExecForbiddenByPath) {
  auto policy = policy_file("p.cedar", R"(forbid (principal, action == Action::"ProcessExec", resource == File::"/bin/rm");)");
  auto r = paddock_run({"--policy", policy}, {"sh", "-c", "touch x; rm x; echo status=$?; ls x"});
  EXPECT_THAT(r.out, HasSubstr("status=126")) << r.err;
  EXPECT_THAT(r.err, HasSubstr("Permission denied"));
  EXPECT_THAT(r.out, HasSubstr("x")) << "rm did not run";
}

TEST_P(Policy, ArgvRulesAreAppliedByTheSupervisor) {
  auto policy = policy_file("p.cedar", R"(
    @id("no-force")
    forbid (principal, action == Action::"ProcessExec", resource)
    when { context.argv.contains("--force") };
  )");
  auto r = paddock_run({"--policy", policy}, {"sh", "-c", "/bin/echo fine; /bin/echo --force; echo status=$?"});
  EXPECT_THAT(r.out, HasSubstr("fine\n"));
  EXPECT_THAT(r.out, HasSubstr("status=126"));
  EXPECT_THAT(r.out, Not(HasSubstr("--force\n")));
  EXPECT_THAT(r.err, HasSubstr("paddock: denied exec /bin/echo /bin/echo --force by no-force (" + policy + ":2)"));
  EXPECT_THAT(r.err, HasSubstr("paddock: note: no-force (" + policy + ":2): executing")) << "the lint says who enforces it";
}

TEST_P(Policy, DefaultDenyOfAnExecSuggestsPaddockAllow) {
  auto policy = policy_file("p.cedar", R"(
    forbid (principal, action == Action::"ProcessExec", resource)
    when { context.argv.contains("never-matches-anything") };
  )");
  const std::string tools = outside_directory() + "/tools";
  write_file(tools + "/tool", "#!/bin/sh\necho tool\n");
  ::chmod((tools + "/tool").c_str(), 0755);
  auto read = policy_file("read.cedar", "permit (principal, action == Action::\"FileOpenReadOnly\", resource in Dir::\"" +
                                            tools + "/\");");
  auto r = paddock_run({"--policy", policy, "--policy", read}, {tools + "/tool"});
  EXPECT_EQ(r.status, 126) << r.out << r.err;
  EXPECT_THAT(r.err, HasSubstr("cannot run \"" + tools + "/tool\" in the sandbox: Permission denied"))
      << "Landlock: readable, but no execute right there";
}

TEST_P(Policy, ParanoidWritesGoToAThrowAwayLayer) {
  write_file(workspace_ + "/file", "original");
  auto r = paddock_run({"--profile", "paranoid"},
                       {"sh", "-c", "echo changed > file && cat file && echo new > other && ls"});
  EXPECT_EQ(r.status, 0) << r.err;
  EXPECT_THAT(r.out, HasSubstr("changed\n"));
  EXPECT_THAT(r.out, HasSubstr("other"));
  std::ifstream in(workspace_ + "/file");
  std::string content;
  std::getline(in, content);
  EXPECT_EQ(content, "original");
  EXPECT_FALSE(fs::exists(workspace_ + "/other"));
}

TEST_P(Policy, ParanoidRunsProgramsOnlyFromTheSystemAndWorkspace) {
  auto r = paddock_run({"--profile", "paranoid"},
                       {"sh", "-c", "printf '#!/bin/sh\\necho ran\\n' > /tmp/t && chmod +x /tmp/t && /tmp/t"});
  EXPECT_EQ(r.status, 126) << r.out << r.err;
  EXPECT_THAT(r.err, HasSubstr("Permission denied"));
}

TEST_P(Policy, UnknownProfileAndBrokenPolicyAreUsageErrors) {
  auto r = paddock_run({"--profile", "lax"}, {"true"});
  EXPECT_EQ(r.status, 2);
  EXPECT_THAT(r.err, HasSubstr("unknown profile \"lax\"; the profiles are paranoid, strict, standard, trusted"));
  auto broken = policy_file("broken.cedar", "permit (principal, action, resource) when { 1 + };\n");
  r = paddock_run({"--policy", broken}, {"true"});
  EXPECT_EQ(r.status, 2);
  EXPECT_THAT(r.err, HasSubstr(broken + ":1:"));
  EXPECT_THAT(r.err, HasSubstr("^"));
}

TEST_P(Policy, EditsAreReloadedWhileRunningAndBrokenEditsRejected) {
  auto policy = policy_file("live.cedar", R"(
    @id("block-marker")
    forbid (principal, action == Action::"ProcessExec", resource)
    when { context.argv.contains("--marker") };
  )");
  std::thread editor([&] {
    std::this_thread::sleep_for(300ms);
    write_file(policy, "permit (principal, action, resource) when { 1 + };\n");  // broken: rejected
    std::this_thread::sleep_for(300ms);
    write_file(policy, "@id(\"nothing\") forbid (principal, action == Action::\"ProcessExec\", resource) "
                       "when { context.argv.contains(\"--other\") };\n");
  });
  auto r = paddock_run({"--policy", policy},
                       {"sh", "-c", "i=0; until /bin/echo --marker >/dev/null 2>&1; do i=$((i+1)); sleep 0.02; done; "
                                    "echo passed after $i tries"});
  editor.join();
  EXPECT_EQ(r.status, 0) << r.err;
  EXPECT_THAT(r.out, HasSubstr("passed after"));
  EXPECT_THAT(r.err, HasSubstr("paddock: policy edit rejected; the previous policy stays in force"));
  EXPECT_THAT(r.err, HasSubstr("paddock: policy reloaded"));
  EXPECT_THAT(r.err, HasSubstr("denied exec /bin/echo /bin/echo --marker by block-marker"));
}

TEST_P(Policy, PaddockAllowWritesTheProjectPolicy) {
  make_git_repository();
  auto r = paddock({"allow", "host", "example.com:443"});
  EXPECT_EQ(r.status, 0) << r.err;
  const std::string outside = outside_directory();
  r = paddock({"allow", "read", outside});
  EXPECT_EQ(r.status, 0) << r.err;
  std::ifstream in(workspace_ + "/.paddock/policy.cedar");
  std::stringstream text;
  text << in.rdbuf();
  EXPECT_THAT(text.str(), HasSubstr("@id(\"allow-host-example-com-443\")"));
  EXPECT_THAT(text.str(), HasSubstr("resource == Host::\"example.com:443\""));
  EXPECT_THAT(text.str(), HasSubstr("resource in Dir::\"" + outside + "/\""));
  auto plan = paddock({"plan"});
  EXPECT_EQ(plan.status, 0) << plan.err;
  EXPECT_THAT(plan.out, HasSubstr("r--  " + outside + "\n")) << "the next run compiles the allowed path in";
  auto bad = paddock({"allow", "read", "relative/path"});
  EXPECT_EQ(bad.status, 2);
  auto inside = paddock_run({}, {"sh", "-c", "echo x >> .paddock/policy.cedar"});
  EXPECT_THAT(inside.err, HasSubstr("Read-only file system")) << "the sandbox cannot grant itself anything";
}

TEST_P(Policy, PlanShowsAccessMountsAndLandlock) {
  auto r = paddock({"plan", "--profile", "paranoid"});
  EXPECT_EQ(r.status, 0) << r.err;
  EXPECT_THAT(r.out, HasSubstr("profile paranoid"));
  EXPECT_THAT(r.out, HasSubstr("r-x  /usr\n"));
  EXPECT_THAT(r.out, HasSubstr("overlay    " + workspace_ + " writes go to a throw-away layer"));
  EXPECT_THAT(r.out, HasSubstr("landlock rules:"));
}

TEST_P(Policy, LeashPoliciesLoadUnchanged) {
  auto policy = policy_file("leash.cedar", R"(
permit (principal, action in [Action::"FileOpen", Action::"FileOpenReadOnly", Action::"FileOpenReadWrite"], resource)
when { resource in [ Dir::"/" ] };
permit (principal, action == Action::"ProcessExec", resource)
when { resource in [ Dir::"/" ] };
permit (principal, action == Action::"NetworkConnect", resource)
when { resource in [ Host::"*" ] };
forbid (principal, action == Action::"ProcessExec", resource)
when { resource in [ File::"/bin/rm" ] };
)");
  auto check = paddock({"policy", "check", policy});
  EXPECT_EQ(check.status, 0) << check.err;
  auto r = paddock_run({"--policy", policy}, {"sh", "-c", "ls / >/dev/null && echo listed; touch t; rm t; echo rm=$?"});
  EXPECT_THAT(r.out, HasSubstr("listed\n"));
  EXPECT_THAT(r.out, HasSubstr("rm=126")) << r.err;
}

}  // namespace
}  // namespace paddock::testing
