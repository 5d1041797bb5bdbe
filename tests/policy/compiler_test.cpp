// The compiler's answers: what the kernel layers get from the profiles and from policies that
// narrow or widen them, and what it reports when a layer cannot decide from the path alone.
#include "policy/compiler.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <filesystem>

#include "policy/loader.hpp"
#include "policy/profiles.hpp"

namespace paddock::policy {
namespace {

using ::testing::HasSubstr;

class Compiler : public ::testing::Test {
protected:
  CompileInput input() const {
    CompileInput in;
    in.workspace = "/work/proj";
    in.home = "/home/u";
    in.system_dirs = {"/usr", "/bin", "/etc", "/opt"};
    in.scratch_dirs = {"/tmp"};
    return in;
  }
  CompiledPlan compile_with(const std::string& profile, const std::string& extra = "") {
    auto files = policy_files(find_profile(profile), {});
    if (!extra.empty()) files.push_back({"extra.cedar", extra});
    PolicyEngine engine(load_policy_set(files), {"claude", "proj"}, locations_for(input()));
    return compile(engine, input());
  }
  static const sandbox::PathAccess* entry(const CompiledPlan& plan, const std::string& path) {
    for (const auto& a : plan.access)
      if (a.path == path) return &a;
    return nullptr;
  }
};

TEST_F(Compiler, StrictGivesTheDefaultLayout) {
  auto plan = compile_with("strict");
  auto usr = entry(plan, "/usr");
  ASSERT_NE(usr, nullptr);
  EXPECT_TRUE(usr->read);
  EXPECT_FALSE(usr->write);
  EXPECT_TRUE(usr->execute);
  auto ws = entry(plan, "/work/proj");
  ASSERT_NE(ws, nullptr);
  EXPECT_TRUE(ws->read && ws->write && ws->execute);
  EXPECT_FALSE(plan.observe_exec);
  EXPECT_TRUE(plan.notes.empty());
}

TEST_F(Compiler, ParanoidWorkspaceDoesNotExecuteScratch) {
  auto plan = compile_with("paranoid");
  auto tmp = entry(plan, "/tmp");
  ASSERT_NE(tmp, nullptr);
  EXPECT_TRUE(tmp->write);
  EXPECT_FALSE(tmp->execute) << "paranoid runs programs only from the system and the workspace";
}

TEST_F(Compiler, ForbidsInsideAllowedTreesBecomeEntries) {
  auto plan = compile_with("strict", R"(
    forbid (principal, action in [Action::"FileOpenReadOnly", Action::"FileOpenReadWrite"], resource)
    when { resource in Dir::"/work/proj/secrets/" };
    forbid (principal, action == Action::"FileOpenReadWrite", resource)
    when { resource in Dir::"/work/proj/vendor/" };
    permit (principal, action == Action::"FileOpenReadOnly", resource in Dir::"/srv/data/");
  )");
  auto secrets = entry(plan, "/work/proj/secrets");
  ASSERT_NE(secrets, nullptr);
  EXPECT_FALSE(secrets->read);
  auto vendor = entry(plan, "/work/proj/vendor");
  ASSERT_NE(vendor, nullptr);
  EXPECT_TRUE(vendor->read);
  EXPECT_FALSE(vendor->write);
  auto data = entry(plan, "/srv/data");
  ASSERT_NE(data, nullptr);
  EXPECT_TRUE(data->read);
  EXPECT_FALSE(data->write);
}

TEST_F(Compiler, PathsLandOnTheInodeTheKernelChecks) {
  if (!std::filesystem::is_symlink("/bin")) GTEST_SKIP() << "this host has no merged /usr";
  auto plan = compile_with("strict", R"(forbid (principal, action == Action::"ProcessExec", resource == File::"/bin/rm");)");
  auto rm = entry(plan, "/usr/bin/rm");
  ASSERT_NE(rm, nullptr) << "/bin is a symlink to usr/bin: the mount goes on /usr/bin/rm";
  EXPECT_TRUE(rm->read);
  EXPECT_FALSE(rm->execute);
}

TEST_F(Compiler, ArgvRulesNeedTheSupervisorAndAreReported) {
  auto plan = compile_with("strict", R"(
    @id("no-force-push")
    forbid (principal, action == Action::"ProcessExec", resource)
    when { context.argv.contains("push") && context.argv.contains("--force") };
  )");
  EXPECT_TRUE(plan.observe_exec);
  ASSERT_FALSE(plan.notes.empty());
  EXPECT_THAT(plan.notes.front(), HasSubstr("no-force-push (extra.cedar:2): executing"));
  EXPECT_THAT(plan.notes.front(), HasSubstr("the supervisor checks each exec"));
  EXPECT_TRUE(entry(plan, "/usr")->execute) << "the forbid is not decided for the path: the kernel allows it";
}

TEST_F(Compiler, AnArgvPermitLetsThePathRun) {
  auto plan = compile_with("paranoid", R"(
    permit (principal, action == Action::"ProcessExec", resource == File::"/tmp/tool")
    when { context.argv.contains("--dry-run") };
  )");
  auto tool = entry(plan, "/tmp/tool");
  ASSERT_NE(tool, nullptr);
  EXPECT_TRUE(tool->execute) << "a permit that depends on argv: kernel allows, the supervisor decides";
  EXPECT_TRUE(plan.observe_exec);
}

TEST(CompilerSymlinks, SubRootsReplacedBySymlinksOutOfTheWorkspaceAreNotFollowed) {
  char dir[] = "/tmp/paddock-compile-XXXXXX";
  ASSERT_NE(::mkdtemp(dir), nullptr);
  const std::string ws = std::string(dir) + "/ws";
  std::filesystem::create_directories(ws);
  std::filesystem::create_directories(std::string(dir) + "/secret-home/.ssh");
  std::filesystem::create_directory_symlink(std::string(dir) + "/secret-home", ws + "/data");
  CompileInput in;
  in.workspace = ws;
  in.system_dirs = {"/usr"};
  auto files = policy_files(find_profile("strict"), {});
  files.push_back({"extra.cedar", "permit (principal, action in [Action::\"FileOpenReadOnly\", "
                                  "Action::\"FileOpenReadWrite\"], resource in Dir::\"" + ws + "/data/\");"});
  PolicyEngine engine(load_policy_set(files), {}, locations_for(in));
  auto plan = compile(engine, in);
  for (const auto& a : plan.access) EXPECT_EQ(a.path.find("secret-home"), std::string::npos) << a.path;
  ASSERT_FALSE(plan.notes.empty());
  EXPECT_THAT(plan.notes.back(), HasSubstr("is a symlink out of the workspace"));
  std::filesystem::remove_all(dir);
}

TEST(MentionedPaths, ScopesConditionsAndSets) {
  auto set = load_policy_set({{"p.cedar", R"(
    permit (principal, action, resource == File::"/a/b");
    permit (principal, action, resource in Dir::"/c/") when { resource in [Dir::"/d/", File::"/e", Host::"x"] };
    permit (principal, action, resource) when { resource in Dir::"relative/" };
  )"}});
  std::vector<std::pair<std::string, bool>> found;
  for (const auto& m : mentioned_paths(*set)) found.emplace_back(m.path, m.directory);
  EXPECT_THAT(found, ::testing::ElementsAre(std::pair<std::string, bool>{"/a/b", false},
                                            std::pair<std::string, bool>{"/c", true},
                                            std::pair<std::string, bool>{"/d", true},
                                            std::pair<std::string, bool>{"/e", false}));
}

}  // namespace
}  // namespace paddock::policy
