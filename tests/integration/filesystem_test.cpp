// The sandbox's view of the filesystem, checked from inside a real sandbox.
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

#include "support/sandbox_fixture.hpp"

namespace fs = std::filesystem;

namespace paddock::testing {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

class Filesystem : public SandboxTest {};
INSTANTIATE_TEST_SUITE_P(Modes, Filesystem, ::testing::Values(Mode::root, Mode::unprivileged), mode_name);

TEST_P(Filesystem, RealHomeIsHiddenAndHomeIsFresh) {
  write_file(home_ + "/.ssh/id_rsa", "PRIVATE KEY");
  write_file(home_ + "/.aws/credentials", "aws_secret");
  auto r = paddock_run(
      {},
      {"sh", "-c", "cat \"$HOME/.ssh/id_rsa\"; ls -A \"$HOME\" | wc -l; touch \"$HOME/new\" && echo home-writable"});
  EXPECT_THAT(r.err, HasSubstr("No such file or directory"));
  EXPECT_THAT(r.out, Not(HasSubstr("PRIVATE KEY")));
  EXPECT_THAT(r.out, HasSubstr("0\nhome-writable"));
  EXPECT_FALSE(fs::exists(home_ + "/new")) << "writes to $HOME must stay in the sandbox";
}

TEST_P(Filesystem, SystemIsReadOnly) {
  auto r = probe({"write", "/etc/paddock-test"});
  EXPECT_EQ(r.out, "errno=EROFS\n") << r.err;
  r = probe({"write", "/usr/local/bin/paddock-test"});
  EXPECT_EQ(r.out, "errno=EROFS\n") << r.err;
  r = probe({"write", "/paddock-test"});
  EXPECT_EQ(r.out, "errno=EROFS\n") << r.err;
  EXPECT_FALSE(fs::exists("/etc/paddock-test"));
}

TEST_P(Filesystem, ShadowFilesAreMasked) {
  ASSERT_TRUE(fs::exists("/etc/shadow"));
  auto r = paddock_run({}, {"sh", "-c", "wc -c < /etc/shadow; ls /etc/passwd"});
  EXPECT_EQ(r.out, "0\n/etc/passwd\n") << r.err;
}

TEST_P(Filesystem, WorkspaceIsWritableAtItsOwnPath) {
  auto r = paddock_run({}, {"sh", "-c", "pwd; echo data > file.txt"});
  EXPECT_EQ(r.status, 0) << r.err;
  EXPECT_EQ(r.out, workspace_ + "\n");
  std::ifstream in(workspace_ + "/file.txt");
  std::string content;
  std::getline(in, content);
  EXPECT_EQ(content, "data");
}

TEST_P(Filesystem, ReadOnlyWorkspace) {
  auto r = probe({"write", workspace_ + "/x"}, {"--read-only-workspace"});
  EXPECT_EQ(r.out, "errno=EROFS\n") << r.err;
}

TEST_P(Filesystem, ExistingProtectedPathsAreReadOnly) {
  make_git_repository();
  write_file(workspace_ + "/.mcp.json", "{}");
  for (const auto& path : {".git/config", ".git/hooks/pre-commit", ".mcp.json"}) {
    auto r = probe({"write", workspace_ + "/" + path});
    EXPECT_EQ(r.out, "errno=EROFS\n") << path << ": " << r.err;
  }
  auto r = probe({"write", workspace_ + "/.git/HEAD.lock"});
  EXPECT_EQ(r.out, "ok\n") << "the rest of .git stays writable: " << r.err;
}

TEST_P(Filesystem, MissingProtectedPathsCannotBeCreatedAndLeaveNothingBehind) {
  make_git_repository();
  fs::remove_all(workspace_ + "/.git/hooks");
  auto before = std::distance(fs::directory_iterator(workspace_), fs::directory_iterator());
  for (const auto& path : {".git/hooks/pre-commit", ".envrc", ".vscode/tasks.json", ".codex/config.toml",
                           ".claude/settings.json", ".mcp.json"}) {
    auto r = probe({"write", workspace_ + "/" + path});
    EXPECT_EQ(r.out, "errno=EROFS\n") << path << ": " << r.err;
  }
  auto after = std::distance(fs::directory_iterator(workspace_), fs::directory_iterator());
  EXPECT_EQ(before, after) << "placeholders must be removed after the run";
  EXPECT_FALSE(fs::exists(workspace_ + "/.git/hooks"));
}

TEST_P(Filesystem, ProtectedPathCannotBeRenamedAway) {
  make_git_repository();
  auto r = paddock_run({}, {"sh", "-c", "mv .git/hooks .git/h2 2>&1; mv .git/config .git/c2 2>&1; true"});
  EXPECT_THAT(r.out, HasSubstr("Device or resource busy"));
  EXPECT_TRUE(fs::exists(workspace_ + "/.git/hooks"));
}

TEST_P(Filesystem, ExtraMountsHonourReadOnly) {
  write_file(root_ + "/data/in.txt", "input");
  auto r = paddock_run({"--mount", root_ + "/data:/data:ro"}, {"sh", "-c", "cat /data/in.txt; echo x > /data/y"});
  EXPECT_EQ(r.out, "input");
  EXPECT_THAT(r.err, HasSubstr("Read-only file system"));
  r = paddock_run({"--mount", root_ + "/data:/data"}, {"sh", "-c", "echo out > /data/out.txt"});
  EXPECT_EQ(r.status, 0) << r.err;
  EXPECT_TRUE(fs::exists(root_ + "/data/out.txt"));
}

TEST_P(Filesystem, HostRunAndSocketsAreHidden) {
  // A socket in the host's /run (docker.sock, the user bus, ssh-agent live there or in /tmp).
  std::string socket_path = "/run/paddock-test-" + std::to_string(::getpid()) + ".sock";
  if (privileged()) {
    int fd = ::socket(AF_UNIX, SOCK_STREAM, 0);
    sockaddr_un addr{};
    addr.sun_family = AF_UNIX;
    socket_path.copy(addr.sun_path, sizeof addr.sun_path - 1);
    ASSERT_EQ(::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr), 0);
    auto r = paddock_run({}, {"sh", "-c", "ls -A /run; test -e " + socket_path + " || echo hidden"});
    EXPECT_THAT(r.out, HasSubstr("hidden"));
    EXPECT_THAT(r.out, Not(HasSubstr("paddock-test")));
    ::close(fd);
    ::unlink(socket_path.c_str());
  }
  auto r = paddock_run({}, {"sh", "-c", "ls -A /run /var; ls /home 2>&1; ls /root"});
  EXPECT_THAT(r.out, Not(HasSubstr("docker")));
  EXPECT_THAT(r.out, Not(HasSubstr("user")));
}

TEST_P(Filesystem, KernelInterfacesAreReducedAndReadOnly) {
  auto r = paddock_run({}, {"sh", "-c", "ls /sys; wc -c < /proc/kallsyms; echo 1 > /proc/sys/kernel/ns_last_pid"});
  EXPECT_EQ(r.out, "devices\n0\n");
  EXPECT_THAT(r.err, HasSubstr("Read-only file system"));
}

TEST_P(Filesystem, DevicesAreMinimal) {
  auto r = paddock_run({}, {"sh", "-c", "ls /dev | tr '\\n' ' '; echo; echo x > /dev/null && echo null-ok"});
  EXPECT_EQ(r.out, "fd full null ptmx pts random shm stderr stdin stdout tty urandom zero \nnull-ok\n") << r.err;
}

TEST_P(Filesystem, ForeignRootFilesystem) {
  fs::create_directories(root_ + "/rootfs/bin");
  fs::copy_file(probe_binary(), root_ + "/rootfs/bin/probe");
  write_file(root_ + "/rootfs/etc/marker", "foreign");
  auto r = paddock_run({"--rootfs", root_ + "/rootfs"}, {"/bin/probe", "read", "/etc/marker"});
  EXPECT_EQ(r.out, "ok\n") << r.err;
  r = paddock_run({"--rootfs", root_ + "/rootfs"}, {"/bin/probe", "read", "/etc/passwd"});
  EXPECT_EQ(r.out, "errno=ENOENT\n") << "the host's /etc must not appear: " << r.err;
}

}  // namespace
}  // namespace paddock::testing
