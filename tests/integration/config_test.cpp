// Configuration files with the real binary: the trust gate on a project's paddock.toml and
// devcontainer.json, what they set inside the sandbox, flags winning, the user's own config,
// postCreateCommand run once, and errors with file:line.
#include <filesystem>
#include <fstream>

#include "support/sandbox_fixture.hpp"

namespace fs = std::filesystem;

namespace paddock::testing {
namespace {

using ::testing::HasSubstr;

class Config : public SandboxTest {
 protected:
  ProcessResult trust() { return paddock({"trust", "-w", workspace_}); }
};
INSTANTIATE_TEST_SUITE_P(Modes, Config, ::testing::Values(Mode::root, Mode::unprivileged), mode_name);

TEST_P(Config, AProjectFileIsAppliedOnlyOnceTrustedAndAgainAfterAChange) {
  write_file(workspace_ + "/paddock.toml", "[env]\nFROM_PROJECT = \"yes\"\n");
  auto r = paddock_run({}, {"sh", "-c", "touch ran"});
  EXPECT_EQ(r.status, 2);
  EXPECT_THAT(r.err, HasSubstr(workspace_ + "/paddock.toml: not trusted yet"));
  EXPECT_THAT(r.err, HasSubstr("paddock trust -w " + workspace_));
  EXPECT_FALSE(fs::exists(workspace_ + "/ran")) << "nothing ran";

  auto t = trust();
  EXPECT_EQ(t.status, 0) << t.err;
  EXPECT_THAT(t.err, HasSubstr("trusted " + workspace_ + "/paddock.toml (sha256 "));
  r = paddock_run({}, {"sh", "-c", "echo $FROM_PROJECT"});
  EXPECT_EQ(r.status, 0) << r.err;
  EXPECT_EQ(r.out, "yes\n");

  write_file(workspace_ + "/paddock.toml", "profile = \"trusted\"\n");
  r = paddock_run({}, {"true"});
  EXPECT_EQ(r.status, 2);
  EXPECT_THAT(r.err, HasSubstr("paddock.toml: changed since you trusted it"));
}

TEST_P(Config, TheProjectChoosesTheProfileAndFlagsWin) {
  write_file(workspace_ + "/paddock.toml", "profile = \"paranoid\"\n[env]\nK = \"project\"\n");
  ASSERT_EQ(trust().status, 0);
  auto r = paddock({"plan", "-w", workspace_});
  EXPECT_THAT(r.out, HasSubstr("profile paranoid")) << r.err;
  r = paddock({"plan", "-w", workspace_, "--profile", "standard"});
  EXPECT_THAT(r.out, HasSubstr("profile standard")) << r.err;
  // paranoid: the workspace's writes go to a throw-away layer.
  r = paddock_run({}, {"sh", "-c", "echo $K; echo x > written"});
  EXPECT_EQ(r.out, "project\n") << r.err;
  EXPECT_FALSE(fs::exists(workspace_ + "/written"));
  r = paddock_run({"--env", "K=flag", "--profile", "strict"}, {"sh", "-c", "echo $K; echo x > written"});
  EXPECT_EQ(r.out, "flag\n") << r.err;
  EXPECT_TRUE(fs::exists(workspace_ + "/written"));
}

TEST_P(Config, TheUsersOwnConfigNeedsNoTrust) {
  write_file(home_ + "/.config/paddock/config.toml", "[env]\nFROM_USER = \"1\"\n[limits]\npids = 64\n");
  auto r = paddock_run({}, {"sh", "-c", "echo $FROM_USER"});
  EXPECT_EQ(r.status, 0) << r.err;
  EXPECT_EQ(r.out, "1\n");
}

TEST_P(Config, AnUnreadableUserConfigIsOneLineNamingHome) {
  if (GetParam() == Mode::root) GTEST_SKIP() << "root reads any directory";
  fs::create_directories(home_ + "/.config/paddock");
  fs::permissions(home_ + "/.config/paddock", fs::perms::none);
  auto r = paddock_run({}, {"sh", "-c", "touch ran"});
  fs::permissions(home_ + "/.config/paddock", fs::perms::owner_all);
  EXPECT_EQ(r.status, 2) << "a configuration error, as a bad file is";
  EXPECT_EQ(r.err, "paddock: " + home_ + "/.config/paddock/config.toml: Permission denied; HOME is " + home_ +
                       ", set it to your own home directory\n");
  EXPECT_FALSE(fs::exists(workspace_ + "/ran")) << "nothing ran";
}

TEST_P(Config, BadFilesAreOneLineWithFileAndLine) {
  write_file(home_ + "/.config/paddock/config.toml", "profile = \"strict\"\n\n[limits]\ncpus = \"two\"\n");
  auto r = paddock_run({}, {"true"});
  EXPECT_EQ(r.status, 2);
  EXPECT_THAT(r.err, HasSubstr(home_ + "/.config/paddock/config.toml:4: `limits.cpus` must be a positive number"));
  write_file(home_ + "/.config/paddock/config.toml", "profile = \"nonesuch\"\n");
  r = paddock_run({}, {"true"});
  EXPECT_EQ(r.status, 2);
  EXPECT_THAT(r.err, HasSubstr("nonesuch"));
}

TEST_P(Config, DevcontainerEnvLimitsAndPostCreateOnce) {
  write_file(workspace_ + "/.devcontainer/devcontainer.json", R"({
    // JSON with comments
    "containerEnv": {"DEV": "${containerWorkspaceFolder}"},
    "runArgs": ["--pids-limit", "200"],
    "postCreateCommand": "echo setup >> setup.log"
  })");
  auto r = paddock_run({}, {"true"});
  EXPECT_EQ(r.status, 2);
  EXPECT_THAT(r.err, HasSubstr("devcontainer.json: not trusted yet"));
  ASSERT_EQ(trust().status, 0);
  r = paddock_run({}, {"sh", "-c", "echo $DEV; cat setup.log"});
  EXPECT_EQ(r.status, 0) << r.err;
  EXPECT_EQ(r.out, workspace_ + "\nsetup\n");
  r = paddock_run({}, {"cat", "setup.log"});
  EXPECT_EQ(r.out, "setup\n") << "postCreateCommand ran once";
}

TEST_P(Config, AProjectPolicyThatCameWithTheRepositoryNeedsTrust) {
  // As a clone would bring it: paddock allow did not write it.
  write_file(workspace_ + "/.paddock/policy.cedar", "permit (principal, action, resource);\n");
  auto r = paddock_run({}, {"true"});
  EXPECT_EQ(r.status, 2);
  EXPECT_THAT(r.err, HasSubstr(".paddock/policy.cedar: not trusted yet"));
  r = paddock({"allow", "host", "example.com:443", "-w", workspace_});
  EXPECT_EQ(r.status, 0) << r.err;
  EXPECT_EQ(paddock_run({}, {"true"}).status, 2) << "appending a permit does not trust what was there";
  ASSERT_EQ(trust().status, 0);
  EXPECT_EQ(paddock_run({}, {"true"}).status, 0);
}

TEST_P(Config, PaddockAllowKeepsItsOwnPolicyTrusted) {
  auto r = paddock({"allow", "host", "example.com:443", "-w", workspace_});
  EXPECT_EQ(r.status, 0) << r.err;
  r = paddock({"allow", "host", "example.org:443", "-w", workspace_});
  EXPECT_EQ(r.status, 0) << r.err;
  r = paddock_run({}, {"true"});
  EXPECT_EQ(r.status, 0) << r.err;
}

TEST_P(Config, AnEmptyFileSetsNothingAndNeedsNoTrust) {
  // A running sandbox's placeholder for the missing protected paddock.toml is an empty file on
  // the host; a second run in the same workspace meanwhile must still start.
  write_file(workspace_ + "/paddock.toml", "");
  auto r = paddock_run({}, {"true"});
  EXPECT_EQ(r.status, 0) << r.err;
}

}  // namespace
}  // namespace paddock::testing
