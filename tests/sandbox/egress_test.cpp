// The runtime's hooks, driven in-process: the egress sockets made inside the sandbox's network
// namespace reach the supervisor's event loop, and placed files replace host files.
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ip/udp.hpp>
#include <boost/asio/read_until.hpp>
#include <boost/asio/streambuf.hpp>
#include <boost/asio/write.hpp>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <stdexcept>

#include "common/error.hpp"
#include "in_process_run.hpp"
#include "sandbox/layout.hpp"
#include "sandbox/supervisor.hpp"

namespace fs = std::filesystem;
namespace asio = boost::asio;

namespace paddock::sandbox {
namespace {

// Answers one TCP line with "pong:<line>" and one UDP datagram with "dns:<datagram>".
class EchoObserver : public Observer {
 public:
  void egress_sockets(UniqueFd proxy, UniqueFd dns) override {
    proxy_ = std::move(proxy);
    dns_ = std::move(dns);
  }
  void event_loop(asio::io_context& io) override {
    ASSERT_TRUE(proxy_) << "egress sockets must arrive before the loop starts";
    acceptor_.emplace(io, asio::ip::tcp::v4(), proxy_.release());
    udp_.emplace(io, asio::ip::udp::v4(), dns_.release());
    acceptor_->async_accept([this](const boost::system::error_code& ec, asio::ip::tcp::socket socket) {
      if (ec) return;
      peer_.emplace(std::move(socket));
      asio::async_read_until(*peer_, line_, '\n', [this](const boost::system::error_code& e, std::size_t) {
        if (e) return;
        std::istream in(&line_);
        std::string text;
        std::getline(in, text);
        reply_ = "pong:" + text + "\n";
        asio::async_write(*peer_, asio::buffer(reply_), [](auto, auto) {});
      });
    });
    udp_->async_receive_from(asio::buffer(datagram_), sender_,
                             [this](const boost::system::error_code& ec, std::size_t n) {
                               if (ec) return;
                               dns_reply_ = "dns:" + std::string(datagram_.data(), n);
                               udp_->async_send_to(asio::buffer(dns_reply_), sender_, [](auto, auto) {});
                             });
  }
  void sandbox_exited(int status) override { exit_status_ = status; }

  int exit_status_ = -1;

 private:
  UniqueFd proxy_, dns_;
  std::optional<asio::ip::tcp::acceptor> acceptor_;
  std::optional<asio::ip::tcp::socket> peer_;
  std::optional<asio::ip::udp::socket> udp_;
  asio::ip::udp::endpoint sender_;
  std::array<char, 512> datagram_{};
  asio::streambuf line_;
  std::string reply_, dns_reply_;
};

TEST(Egress, SocketsFromInsideTheSandboxAreServedByTheSupervisor) {
  const std::string ws = make_workspace("egress");
  RunRequest request;
  request.egress = Egress{3128, 53};
  // Placed files: one whose host base lacks its final newline (one is put between), one whose
  // base ends in one (nothing is added), one without a base.
  const std::string base1 = ws + ".base1", base2 = ws + ".base2";
  std::ofstream(base1) << "search example";
  std::ofstream(base2) << "ROOTS\n";
  request.files = {{"/etc/resolv.conf", "nameserver 127.0.0.1\n", base1, false},
                   {"/etc/ssl/certs/ca-certificates.crt", "CA\n", base2, false},
                   {"/etc/hostname", "sandbox\n", {}, false}};
  request.command = {"python3", "-c",
                     "import socket\n"
                     "c = socket.create_connection(('127.0.0.1', 3128)); c.sendall(b'ping\\n')\n"
                     "print(c.makefile().readline().strip())\n"
                     "u = socket.socket(socket.AF_INET, socket.SOCK_DGRAM); u.sendto(b'query', ('127.0.0.1', 53))\n"
                     "print(u.recv(100).decode())\n"
                     "print(repr(open('/etc/resolv.conf').read()))\n"
                     "print(repr(open('/etc/ssl/certs/ca-certificates.crt').read()))\n"
                     "print(repr(open('/etc/hostname').read()))\n"
                     "open('out.txt', 'w').write('done')\n"};
  Spec spec = plan_in(ws, request);

  // The command's stdout is this test's stdout; its effects are checked through out.txt.
  asio::io_context io;
  EchoObserver observer;
  testing::internal::CaptureStdout();
  int status = run(spec, io, observer);
  std::string output = testing::internal::GetCapturedStdout();
  EXPECT_EQ(status, 0);
  EXPECT_EQ(observer.exit_status_, 0);
  EXPECT_EQ(output,
            "pong:ping\ndns:query\n'search example\\nnameserver 127.0.0.1\\n'\n'ROOTS\\nCA\\n'\n'sandbox\\n'\n");
  EXPECT_TRUE(fs::exists(ws + "/out.txt"));
  fs::remove_all(ws);
  fs::remove(base1);
  fs::remove(base2);
}

// Runs `request` (its command prints to stdout) in a fresh workspace; returns status and output.
std::pair<int, std::string> run_printing(RunRequest request) {
  const std::string ws = make_workspace("egress");
  Spec spec = plan_in(ws, std::move(request));
  asio::io_context io;
  Observer observer;
  testing::internal::CaptureStdout();
  int status = -1;
  try {
    status = run(spec, io, observer);
  } catch (...) {
    testing::internal::GetCapturedStdout();
    fs::remove_all(ws);
    throw;
  }
  std::string output = testing::internal::GetCapturedStdout();
  fs::remove_all(ws);
  return {status, output};
}

TEST(Egress, ALargeBaseFitsAndOneBaseWithOneContentIsOneCopy) {
  // 3 MiB: a corporate trust bundle outgrows the root tmpfs's own 1 MiB.
  const std::string base = "/tmp/paddock-egress-large-" + std::to_string(::getpid());
  std::ofstream(base) << std::string(3 << 20, 'R') << "\n";
  RunRequest request;
  request.files = {{"/etc/ssl/certs/ca-certificates.crt", "CA\n", base, false},
                   {"/run/paddock/ca-bundle.crt", "CA\n", base, false}};
  request.command = {"python3", "-c",
                     "import os\n"
                     "a, b = os.stat('/etc/ssl/certs/ca-certificates.crt'), os.stat('/run/paddock/ca-bundle.crt')\n"
                     "print(a.st_size, a.st_ino == b.st_ino)\n"
                     "print(open('/run/paddock/ca-bundle.crt').read().endswith('R\\nCA\\n'))\n"};
  auto [status, output] = run_printing(request);
  fs::remove(base);
  EXPECT_EQ(status, 0);
  EXPECT_EQ(output, std::to_string((3 << 20) + 4) + " True\nTrue\n");
}

TEST(Egress, AnOptionalPlacedFileWhoseBaseIsGoneIsSkipped) {
  RunRequest request;
  request.files = {{"/etc/pki/tls/certs/ca-bundle.crt", "CA\n", "/nonexistent/ca-bundle.crt", true},
                   {"/etc/hostname", "sandbox\n", {}, false}};
  request.command = {"sh", "-c", "test -e /etc/pki/tls/certs/ca-bundle.crt && echo placed; cat /etc/hostname"};
  auto [status, output] = run_printing(request);
  EXPECT_EQ(status, 0);
  EXPECT_EQ(output, "sandbox\n");
}

TEST(Egress, APlacedFileWhoseHostBaseIsMissingStopsTheSetUpWithItsName) {
  const std::string ws = make_workspace("egress");
  RunRequest request;
  request.files = {{"/etc/resolv.conf", "nameserver 127.0.0.1\n", ws + ".missing", false}};
  request.command = {"true"};
  Spec spec = plan_in(ws, request);
  asio::io_context io;
  EchoObserver observer;
  try {
    run(spec, io, observer);
    ADD_FAILURE() << "the sandbox started without its placed file";
  } catch (const Error& e) {
    EXPECT_THAT(e.what(), ::testing::HasSubstr("open " + ws + ".missing, the start of /etc/resolv.conf"));
    EXPECT_THAT(e.what(), ::testing::HasSubstr("No such file or directory"));
  }
  fs::remove_all(ws);
}

}  // namespace
}  // namespace paddock::sandbox
