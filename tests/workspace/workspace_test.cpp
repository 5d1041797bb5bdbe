// Configuration files: what each key gives, errors with file:line, the merge order, the
// devcontainer import, and the trust store.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "common/error.hpp"
#include "common/sha256.hpp"
#include "workspace/config_file.hpp"
#include "workspace/devcontainer.hpp"
#include "workspace/trust.hpp"

namespace paddock::workspace {
namespace {

namespace fs = std::filesystem;
using ::testing::ElementsAre;
using ::testing::HasSubstr;

class Files : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = (fs::temp_directory_path() / ("paddock-workspace-" + std::to_string(::getpid()))).string();
    fs::remove_all(dir_);
    fs::create_directories(dir_);
  }
  void TearDown() override { fs::remove_all(dir_); }
  std::string write(const std::string& name, const std::string& text) {
    const std::string path = dir_ + "/" + name;
    fs::create_directories(fs::path(path).parent_path());
    std::ofstream(path) << text;
    return path;
  }
  std::string error_of(const std::string& path) {
    try {
      load_config_file(path, "/home/me");
    } catch (const Error& e) {
      return e.what();
    }
    return "no error";
  }
  std::string dir_;
};

TEST_F(Files, EveryKeyOfPaddockToml) {
  auto s = load_config_file(write("paddock.toml", R"(
profile = "standard"
policies = ["policy/extra.cedar", "/abs/p.cedar"]
mounts = ["~/.cache/pip:/cache:ro", "data:/data"]
grants = ["anthropic", "github=GH_TOKEN"]
agent = "claude"
[env]
RUST_LOG = "debug"
[limits]
memory = "4G"
pids = 2048
cpus = 1.5
)"),
                            "/home/me");
  EXPECT_EQ(s.profile, "standard");
  EXPECT_THAT(s.policies, ElementsAre(dir_ + "/policy/extra.cedar", "/abs/p.cedar")) << "relative to the file";
  EXPECT_THAT(s.mounts, ElementsAre("/home/me/.cache/pip:/cache:ro", dir_ + "/data:/data"));
  EXPECT_THAT(s.grants, ElementsAre("anthropic", "github=GH_TOKEN"));
  EXPECT_EQ(s.agent, "claude");
  EXPECT_THAT(s.env, ElementsAre("RUST_LOG=debug"));
  EXPECT_EQ(s.memory, "4G");
  EXPECT_EQ(s.pids, 2048u);
  EXPECT_EQ(s.cpus, 1.5);
}

TEST_F(Files, UnknownKeysWrongTypesAndSyntaxErrorsNameFileAndLine) {
  const auto unknown = write("a.toml", "profile = \"strict\"\nprofiles = \"x\"\n");
  EXPECT_EQ(error_of(unknown), unknown +
                                   ":2: unknown key `profiles` (known: profile, policies, mounts, env, limits, "
                                   "grants, agent)");
  const auto type = write("b.toml", "\n\n[limits]\npids = \"many\"\n");
  EXPECT_EQ(error_of(type), type + ":4: `limits.pids` must be a non-negative integer");
  const auto array = write("c.toml", "mounts = \"/a:/b\"\n");
  EXPECT_EQ(error_of(array), array + ":1: `mounts` must be an array of strings");
  const auto element = write("d.toml", "policies = [\"a\", 3]\n");
  EXPECT_EQ(error_of(element), element + ":1: `policies[]` must be a string");
  const auto syntax = write("e.toml", "profile = \n");
  EXPECT_THAT(error_of(syntax), HasSubstr(syntax + ":1:"));
  const auto limit = write("f.toml", "[limits]\nswap = 1\n");
  EXPECT_EQ(error_of(limit), limit + ":2: unknown key `limits.swap` (known: memory, pids, cpus)");
}

TEST_F(Files, LaterLayersWinAndListsAppend) {
  Settings user =
      load_config_file(write("user.toml", "profile = \"strict\"\nagent = \"a\"\n[env]\nK = \"user\"\n"), "/h");
  Settings project = load_config_file(write("p.toml", "profile = \"standard\"\n[env]\nK = \"project\"\n"), "/h");
  Settings flags;
  flags.profile = "paranoid";
  merge_into(user, project);
  EXPECT_EQ(user.profile, "standard");
  EXPECT_EQ(user.agent, "a") << "unset in the later layer: kept";
  EXPECT_THAT(user.env, ElementsAre("K=user", "K=project")) << "the sandbox's environment takes the last";
  merge_into(user, flags);
  EXPECT_EQ(user.profile, "paranoid") << "flags win";
}

TEST_F(Files, DevcontainerJsonWithComments) {
  const auto path = write(".devcontainer/devcontainer.json", R"({
  // a comment, as VS Code writes them
  "image": "mcr.microsoft.com/devcontainers/base",
  "containerEnv": {"WS": "${containerWorkspaceFolder}/bin", "MODE": "dev"},
  "mounts": ["source=/data,target=/data,type=bind,readonly", {"source": "/cache", "target": "/c", "type": "bind"},
             "source=vol,target=/v,type=volume"],
  "runArgs": ["--memory=2g", "--cpus", "1.5", "--pids-limit", "300", "--cap-drop=ALL"],
  "workspaceFolder": "/workspaces/project",
  /* block comment */
  "postCreateCommand": ["npm", "install", "it's"]
})");
  auto d = load_devcontainer(path, "/ws");
  EXPECT_THAT(d.settings.env, ElementsAre("MODE=dev", "WS=/ws/bin"));
  EXPECT_THAT(d.settings.mounts, ElementsAre("/data:/data:ro", "/cache:/c"));
  EXPECT_EQ(d.settings.memory, "2g");
  EXPECT_EQ(d.settings.cpus, 1.5);
  EXPECT_EQ(d.settings.pids, 300u);
  EXPECT_EQ(d.post_create_command, "'npm' 'install' 'it'\\''s'");
  std::string notes;
  for (const auto& n : d.settings.notes) notes += n + "\n";
  EXPECT_THAT(notes, HasSubstr("type=volume"));
  EXPECT_THAT(notes, HasSubstr("--cap-drop ALL"));
  EXPECT_THAT(notes, HasSubstr("workspaceFolder /workspaces/project ignored"));
  EXPECT_THAT(notes, HasSubstr("image ignored"));

  const auto bad = write("bad.json", "{\"runArgs\": [\"--cpus\", \"many\"]}");
  EXPECT_THROW(load_devcontainer(bad, "/ws"), Error);
  const auto broken = write("broken.json", "{\"containerEnv\": }");
  try {
    load_devcontainer(broken, "/ws");
    FAIL() << "no error";
  } catch (const Error& e) {
    EXPECT_THAT(e.what(), HasSubstr(broken + ": not JSON with comments"));
  }
}

TEST_F(Files, TrustIsPerFileAndHash) {
  TrustStore store(dir_ + "/state/trust.json");
  const auto file = write("paddock.toml", "profile = \"strict\"\n");
  EXPECT_EQ(store.state(file), TrustStore::State::unknown);
  store.trust({file});
  EXPECT_EQ(store.state(file), TrustStore::State::trusted);
  EXPECT_EQ(fs::status(dir_ + "/state/trust.json").permissions() & fs::perms::all,
            fs::perms::owner_read | fs::perms::owner_write);
  write("paddock.toml", "profile = \"trusted\"\n");
  EXPECT_EQ(store.state(file), TrustStore::State::changed);
  EXPECT_EQ(sha256_hex("abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
}

}  // namespace
}  // namespace paddock::workspace
