#include "sandbox/layout.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <algorithm>
#include <filesystem>

#include "common/error.hpp"

namespace fs = std::filesystem;

namespace paddock::sandbox {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

class Layout : public ::testing::Test {
 protected:
  void SetUp() override {
    char dir[] = "/tmp/paddock-layout-XXXXXX";
    ASSERT_NE(::mkdtemp(dir), nullptr);
    root_ = dir;
    fs::create_directories(root_ + "/home/u");
    fs::create_directories(root_ + "/proj/.git/hooks");
    fs::create_directories(root_ + "/proj/src/deep");
    host_.cwd = root_ + "/proj/src/deep";
    host_.home = root_ + "/home/u";
    host_.user = "u";
    host_.uid = 1000;
    host_.gid = 1000;
    host_.environ = {"PATH=/usr/bin:/bin", "TERM=xterm", "AWS_SECRET_ACCESS_KEY=x"};
    request_.command = {"true"};
  }
  void TearDown() override { fs::remove_all(root_); }

  const Mount* find(const Spec& spec, const std::string& target) {
    auto it = std::find_if(spec.mounts.begin(), spec.mounts.end(), [&](const Mount& m) { return m.target == target; });
    return it == spec.mounts.end() ? nullptr : &*it;
  }

  std::string root_;
  Host host_;
  RunRequest request_;
};

TEST_F(Layout, WorkspaceIsTheEnclosingRepositoryAndCwdIsKept) {
  Spec spec = plan(request_, host_);
  EXPECT_EQ(spec.workspace, root_ + "/proj");
  EXPECT_EQ(spec.cwd, root_ + "/proj/src/deep");
  const Mount* ws = find(spec, root_ + "/proj");
  ASSERT_NE(ws, nullptr);
  EXPECT_EQ(ws->kind, Mount::Kind::bind);
  EXPECT_FALSE(ws->read_only);
  EXPECT_TRUE(spec.user_namespace);
}

TEST_F(Layout, SystemIsReadOnlyAndHomeIsFresh) {
  Spec spec = plan(request_, host_);
  const Mount* usr = find(spec, "/usr");
  ASSERT_NE(usr, nullptr);
  EXPECT_TRUE(usr->read_only);
  const Mount* home = find(spec, root_ + "/home/u");
  ASSERT_NE(home, nullptr);
  EXPECT_EQ(home->kind, Mount::Kind::tmpfs);
  EXPECT_EQ(find(spec, "/home"), nullptr);
  EXPECT_EQ(find(spec, "/root"), nullptr);
  EXPECT_NE(find(spec, "/etc/shadow"), nullptr);
}

TEST_F(Layout, RootRunsObserveTheWorkspaceTheUsersMountsAndTheWritableTreesOnly) {
  fs::create_directories(root_ + "/data");
  request_.observe_files = true;
  request_.mounts = {root_ + "/data:/data"};
  EXPECT_THAT(plan(request_, host_).observed_mounts, ::testing::IsEmpty()) << "fanotify needs root";

  host_.uid = 0;
  const Spec spec = plan(request_, host_);
  const auto& observed = spec.observed_mounts;
  for (const std::string& target :
       {root_ + "/proj", root_ + "/proj/.git/hooks", std::string("/data"), std::string("/tmp"), std::string("/var"),
        std::string("/dev/shm"), root_ + "/home/u"})
    EXPECT_THAT(observed, ::testing::Contains(target));
  for (const char* target : {"/usr", "/etc", "/proc", "/dev", "/sys"})
    EXPECT_THAT(observed, Not(::testing::Contains(target))) << "read-only system and kernel trees";

  request_.observe_files = false;
  EXPECT_THAT(plan(request_, host_).observed_mounts, ::testing::IsEmpty());
}

TEST_F(Layout, MountsAreOrderedParentsFirst) {
  Spec spec = plan(request_, host_);
  auto index = [&](const std::string& target) {
    return std::find_if(spec.mounts.begin(), spec.mounts.end(), [&](const Mount& m) { return m.target == target; }) -
           spec.mounts.begin();
  };
  EXPECT_LT(index("/dev"), index("/dev/null"));
  EXPECT_LT(index("/proc"), index("/proc/sys"));
  EXPECT_LT(index(root_ + "/proj"), index(root_ + "/proj/.git/hooks"));
}

TEST_F(Layout, MissingProtectedPathsBecomePlaceholders) {
  Spec spec = plan(request_, host_);
  auto has = [&](const std::string& rel, bool dir) {
    return std::any_of(spec.placeholders.begin(), spec.placeholders.end(), [&](const Placeholder& p) {
      return p.host_path == root_ + "/proj/" + rel && p.directory == dir;
    });
  };
  EXPECT_TRUE(has(".git/config", false));
  EXPECT_TRUE(has(".vscode", true));
  EXPECT_TRUE(has(".claude", true));
  EXPECT_TRUE(has(".envrc", false));
  EXPECT_FALSE(has(".git/hooks", true)) << "it exists";
  EXPECT_FALSE(has(".bashrc", false)) << "rc files are protected only where present";
}

TEST_F(Layout, ReadOnlyWorkspaceNeedsNoPlaceholders) {
  request_.read_only_workspace = true;
  Spec spec = plan(request_, host_);
  EXPECT_TRUE(spec.placeholders.empty());
  EXPECT_TRUE(find(spec, root_ + "/proj")->read_only);
}

TEST_F(Layout, RootNeedsNoUserNamespace) {
  host_.uid = 0;
  EXPECT_FALSE(plan(request_, host_).user_namespace);
}

TEST_F(Layout, RefusesWorkspacesThatExposeHome) {
  request_.workspace = root_ + "/home";
  EXPECT_THAT([&] { plan(request_, host_); },
              ::testing::ThrowsMessage<Error>(HasSubstr("contains your home directory")));
  request_.workspace = "/";
  EXPECT_THROW(plan(request_, host_), Error);
  request_.workspace = "/usr/share";
  EXPECT_THAT([&] { plan(request_, host_); }, ::testing::ThrowsMessage<Error>(HasSubstr("system directory /usr")));
}

TEST_F(Layout, PathKeepsOnlyDirectoriesThatExistInside) {
  fs::create_directories(root_ + "/proj/bin");
  host_.environ = {"PATH=" + root_ + "/home/u/.cargo/bin:/usr/bin:/no/such/dir:" + root_ + "/proj/bin:relative:/bin"};
  Spec spec = plan(request_, host_);
  EXPECT_THAT(spec.env, ::testing::Contains("PATH=/usr/bin:" + root_ + "/proj/bin:/bin"));
}

TEST_F(Layout, RefusesAnEmptyCommand) {
  request_.command.clear();
  EXPECT_THAT([&] { plan(request_, host_); }, ::testing::ThrowsMessage<Error>(HasSubstr("no command given")));
}

TEST(MountSpec, Parses) {
  Mount m = parse_mount_spec("/etc:/data:ro", "/");
  EXPECT_EQ(m.source, "/etc");
  EXPECT_EQ(m.target, "/data");
  EXPECT_TRUE(m.read_only);
  EXPECT_FALSE(parse_mount_spec("/etc:/data", "/").read_only);
  EXPECT_FALSE(parse_mount_spec("/etc:/data:rw", "/").read_only);
  EXPECT_EQ(parse_mount_spec("etc:/data", "/").source, "/etc") << "relative to the cwd";
}

TEST(MountSpec, RejectsMalformedSpecs) {
  for (const char* bad : {"", "/etc", ":/x", "/etc:x", "/etc:/", "/etc:/a/../b", "/etc:/x:maybe", "/etc:/proc/x",
                          "/etc:/dev", "/no/such/path:/x"})
    EXPECT_THROW(parse_mount_spec(bad, "/"), Error) << bad;
}

}  // namespace
}  // namespace paddock::sandbox
