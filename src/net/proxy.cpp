#include "net/proxy.hpp"

#include <utility>  // first: Boost 1.74's asio/awaitable.hpp uses std::exchange without it

#include <sys/resource.h>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/use_awaitable.hpp>

#include <optional>

#include "common/error.hpp"
#include "common/log.hpp"
#include "net/dns_stub.hpp"
#include "net/session.hpp"

namespace paddock::net {
namespace {

namespace asio = boost::asio;
using asio::ip::tcp;

void raise_open_file_limit() {
  rlimit limit{};
  if (::getrlimit(RLIMIT_NOFILE, &limit) != 0) throw SysError("getrlimit(RLIMIT_NOFILE)");
  if (limit.rlim_cur >= limit.rlim_max) return;
  limit.rlim_cur = limit.rlim_max;
  if (::setrlimit(RLIMIT_NOFILE, &limit) != 0) throw SysError("setrlimit(RLIMIT_NOFILE)");
}

asio::awaitable<void> accept_loop(std::shared_ptr<ProxyContext> context, std::shared_ptr<tcp::acceptor> acceptor) {
  for (;;) {
    boost::system::error_code ec;
    tcp::socket client = co_await acceptor->async_accept(asio::redirect_error(asio::use_awaitable, ec));
    if (ec == asio::error::operation_aborted || !acceptor->is_open()) co_return;
    if (ec) {
      // EMFILE and the like: say so once per failure and go on; the client sees a reset.
      log::warn("egress proxy: accept failed: {}", ec.message());
      continue;
    }
    boost::system::error_code ignored;
    client.set_option(tcp::no_delay(true), ignored);
    auto session = std::make_shared<Session>(context, std::move(client));
    asio::co_spawn(
        acceptor->get_executor(), [session]() -> asio::awaitable<void> { co_await session->run(); }, asio::detached);
  }
}

}  // namespace

struct Proxy::Servers {
  std::shared_ptr<tcp::acceptor> acceptor;
  std::optional<DnsStub> dns;
};

Proxy::Proxy(asio::io_context& io, policy::PolicyEngine& engine, ProxyReport report, std::unique_ptr<Resolver> resolver,
             Interception interception)
    : io_(io),
      context_(std::make_shared<ProxyContext>(engine,
                                              resolver ? std::move(resolver) : system_resolver(io.get_executor()),
                                              std::move(report), std::move(interception))),
      servers_(std::make_unique<Servers>()) {}

Proxy::~Proxy() {
  stop();
}

void Proxy::serve(UniqueFd tcp_listener, UniqueFd dns_socket) {
  raise_open_file_limit();
  if (tcp_listener) {
    servers_->acceptor = std::make_shared<tcp::acceptor>(io_);
    boost::system::error_code ec;
    const int fd = tcp_listener.release();
    servers_->acceptor->assign(tcp::v4(), fd, ec);
    if (ec) {
      ::close(fd);
      throw Error("egress proxy: cannot serve the sandbox's listening socket: " + ec.message());
    }
    asio::co_spawn(io_, accept_loop(context_, servers_->acceptor), asio::detached);
  }
  if (dns_socket) {
    asio::ip::udp::socket udp(io_);
    boost::system::error_code ec;
    const int fd = dns_socket.release();
    udp.assign(asio::ip::udp::v4(), fd, ec);
    if (ec) {
      ::close(fd);
      throw Error("egress proxy: cannot serve the sandbox's DNS socket: " + ec.message());
    }
    servers_->dns.emplace(context_, std::move(udp));
    servers_->dns->start();
  }
}

void Proxy::stop() {
  if (servers_->acceptor) {
    boost::system::error_code ignored;
    servers_->acceptor->close(ignored);
  }
  if (servers_->dns) servers_->dns->stop();
}

}  // namespace paddock::net
