#include "sandbox/workspace.hpp"

#include <gtest/gtest.h>
#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <fstream>

namespace fs = std::filesystem;

namespace paddock::sandbox {
namespace {

class Workspace : public ::testing::Test {
 protected:
  void SetUp() override {
    char dir[] = "/tmp/paddock-ws-XXXXXX";
    ASSERT_NE(::mkdtemp(dir), nullptr);
    root_ = dir;
  }
  void TearDown() override { fs::remove_all(root_); }

  const ProtectedPath* find(const std::vector<ProtectedPath>& paths, const std::string& rel) {
    auto it = std::find_if(paths.begin(), paths.end(), [&](const auto& p) { return p.path == root_ + "/" + rel; });
    return it == paths.end() ? nullptr : &*it;
  }

  std::string root_;
};

TEST_F(Workspace, RootIsTheNearestDirectoryWithDotGit) {
  fs::create_directories(root_ + "/repo/.git");
  fs::create_directories(root_ + "/repo/a/b");
  EXPECT_EQ(find_workspace_root(root_ + "/repo/a/b"), root_ + "/repo");
  std::ofstream(root_ + "/repo/a/.git") << "gitdir: ../.git/worktrees/a\n";
  EXPECT_EQ(find_workspace_root(root_ + "/repo/a/b"), root_ + "/repo/a");
}

TEST_F(Workspace, WithoutRepositoryTheCwdIsTheRoot) {
  fs::create_directories(root_ + "/plain/x");
  auto found = find_workspace_root(root_ + "/plain/x");
  // Some ancestor of /tmp might be a repository on a developer's machine; not here.
  EXPECT_EQ(found, root_ + "/plain/x");
}

TEST_F(Workspace, MissingPathsNameTheirFirstMissingComponent) {
  fs::create_directories(root_ + "/.git/hooks");
  std::ofstream(root_ + "/.git/config") << "";
  auto paths = protected_paths(root_);
  ASSERT_NE(find(paths, ".git/hooks"), nullptr);
  EXPECT_TRUE(find(paths, ".git/hooks")->exists);
  ASSERT_NE(find(paths, ".claude"), nullptr);
  EXPECT_FALSE(find(paths, ".claude")->exists);
  EXPECT_TRUE(find(paths, ".claude")->directory);
  EXPECT_EQ(find(paths, ".claude/settings.json"), nullptr) << "deduplicated into its first missing component";
  ASSERT_NE(find(paths, ".envrc"), nullptr);
  EXPECT_FALSE(find(paths, ".envrc")->directory);
}

TEST_F(Workspace, WithoutRepositoryDotGitItselfIsProtected) {
  auto paths = protected_paths(root_);
  ASSERT_NE(find(paths, ".git"), nullptr);
  EXPECT_FALSE(find(paths, ".git")->exists);
}

TEST_F(Workspace, WorktreeGitdirInsideTheWorkspaceIsFollowed) {
  fs::create_directories(root_ + "/.git/worktrees/wt/hooks");
  fs::create_directories(root_ + "/wt");
  std::ofstream(root_ + "/wt/.git") << "gitdir: " << root_ << "/.git/worktrees/wt\n";
  auto paths = protected_paths(root_);
  EXPECT_NE(find(paths, "wt/.git"), nullptr);
  EXPECT_NE(find(paths, ".git/worktrees/wt/hooks"), nullptr);
  EXPECT_NE(find(paths, ".git/worktrees/wt/config"), nullptr);
}

TEST_F(Workspace, NestedRepositoriesAndSubmodulesAreCovered) {
  fs::create_directories(root_ + "/.git/modules/sub/hooks");
  fs::create_directories(root_ + "/.git/modules/sub/objects");
  std::ofstream(root_ + "/.git/modules/sub/HEAD") << "ref: refs/heads/main\n";
  fs::create_directories(root_ + "/vendor/lib/.git/hooks");
  auto paths = protected_paths(root_);
  EXPECT_NE(find(paths, ".git/modules/sub/hooks"), nullptr);
  EXPECT_NE(find(paths, ".git/modules/sub/config"), nullptr);
  EXPECT_NE(find(paths, "vendor/lib/.git/hooks"), nullptr);
}

TEST_F(Workspace, WorktreeConfigOnlyWhenGitReadsIt) {
  fs::create_directories(root_ + "/.git/hooks");
  std::ofstream(root_ + "/.git/config") << "[core]\n\tbare = false\n";
  EXPECT_EQ(find(protected_paths(root_), ".git/config.worktree"), nullptr);
  std::ofstream(root_ + "/.git/config") << "[extensions]\n\tworktreeConfig = true\n";
  auto paths = protected_paths(root_);
  ASSERT_NE(find(paths, ".git/config.worktree"), nullptr);
  EXPECT_FALSE(find(paths, ".git/config.worktree")->exists);
}

TEST_F(Workspace, RcFilesOnlyWhenPresent) {
  std::ofstream(root_ + "/.bashrc") << "";
  auto paths = protected_paths(root_);
  EXPECT_NE(find(paths, ".bashrc"), nullptr);
  EXPECT_EQ(find(paths, ".zshrc"), nullptr);
}

}  // namespace
}  // namespace paddock::sandbox
