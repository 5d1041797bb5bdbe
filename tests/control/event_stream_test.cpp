#include "control/event_stream.hpp"

#include <gtest/gtest.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <string>
#include <thread>

#include "common/error.hpp"

namespace paddock::control {
namespace {

namespace fs = std::filesystem;
using namespace std::chrono_literals;

class EventStreamTest : public ::testing::Test {
 protected:
  void SetUp() override {
    char name[] = "/tmp/paddock-control-XXXXXX";
    ASSERT_NE(::mkdtemp(name), nullptr) << std::strerror(errno);
    dir_ = name;
  }
  void TearDown() override { fs::remove_all(dir_); }
  std::string dir_;
};

// Connects to `path` as soon as it exists; returns 0, the errno of the first failure other
// than ENOENT (the name not there yet), or ETIMEDOUT when it never appears. On success the
// hello line is read into `hello`.
int connect_when_it_appears(const std::string& path, std::string& hello) {
  sockaddr_un address{};
  address.sun_family = AF_UNIX;
  std::snprintf(address.sun_path, sizeof address.sun_path, "%s", path.c_str());
  for (const auto deadline = std::chrono::steady_clock::now() + 5s;;) {
    if (std::chrono::steady_clock::now() > deadline) return ETIMEDOUT;
    const int fd = ::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd < 0) return errno;
    if (::connect(fd, reinterpret_cast<sockaddr*>(&address), sizeof address) == 0) {
      char chunk[256];
      while (hello.find('\n') == std::string::npos) {
        const ssize_t n = ::read(fd, chunk, sizeof chunk);
        if (n <= 0) break;
        hello.append(chunk, static_cast<std::size_t>(n));
      }
      ::close(fd);
      return 0;
    }
    const int error = errno;
    ::close(fd);
    if (error != ENOENT) return error;
  }
}

TEST_F(EventStreamTest, ASocketThatExistsAcceptsAtOnce) {
  // A client that polls for the socket (as `paddock audit tail -f` and the tests do) must never
  // find a name that refuses it: the socket appears only once it listens.
  const std::string path = dir_ + "/" + std::string(kControlSocket);
  for (int round = 0; round < 300; ++round) {
    std::atomic<bool> done = false;
    int result = -1;
    std::string hello;
    std::jthread client([&] {  // joined even when attach() throws
      result = connect_when_it_appears(path, hello);
      done = true;
    });
    boost::asio::io_context io;
    EventStream stream;
    stream.set_run_id("run-" + std::to_string(round));
    stream.attach(io, path);
    while (!done) io.run_one_for(10ms);
    client.join();
    ASSERT_EQ(result, 0) << "round " << round << ": " << std::strerror(result);
    EXPECT_EQ(hello, hello_line("run-" + std::to_string(round)));
    EXPECT_FALSE(fs::exists(path + ".new")) << "the staging name is left behind";
    stream.detach();
    EXPECT_FALSE(fs::exists(path)) << "detach removes the socket";
  }
}

TEST_F(EventStreamTest, APathTooLongForASocketIsRefusedAndLeavesNothing) {
  const std::string path = dir_ + "/" + std::string(110 - dir_.size(), 's');
  boost::asio::io_context io;
  EventStream stream;
  try {
    stream.attach(io, path);
    FAIL() << "attach accepted a path of " << path.size() << " bytes";
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("the control socket " + path), std::string::npos) << e.what();
    EXPECT_NE(std::string(e.what()).find("over the 107 of a Unix socket"), std::string::npos) << e.what();
  }
  EXPECT_TRUE(fs::is_empty(dir_));
}

TEST_F(EventStreamTest, ADirectoryThatIsMissingIsAnErrorNamingTheSocket) {
  const std::string path = dir_ + "/gone/" + std::string(kControlSocket);
  boost::asio::io_context io;
  EventStream stream;
  try {
    stream.attach(io, path);
    FAIL() << "attach made a socket in a missing directory";
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("the control socket " + path + ": No such file"), std::string::npos)
        << e.what();
  }
  EXPECT_TRUE(fs::is_empty(dir_));
}

}  // namespace
}  // namespace paddock::control
