#include "net/tunnel.hpp"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>

#include <memory>
#include <vector>

namespace paddock::net {
namespace {

namespace asio = boost::asio;
using asio::ip::tcp;

constexpr std::size_t kChunk = 64 * 1024;

bool clean_end(const boost::system::error_code& ec) {
  return !ec || ec == asio::error::eof || ec == asio::error::operation_aborted;
}

// Copies `from` to `to` until `from` ends, then half-closes `to`.
asio::awaitable<boost::system::error_code> pump(tcp::socket& from, tcp::socket& to, std::uint64_t& count) {
  std::vector<char> buffer(kChunk);
  boost::system::error_code ec;
  for (;;) {
    const std::size_t n =
        co_await from.async_read_some(asio::buffer(buffer), asio::redirect_error(asio::use_awaitable, ec));
    if (ec) break;
    co_await asio::async_write(to, asio::buffer(buffer.data(), n), asio::redirect_error(asio::use_awaitable, ec));
    if (ec) break;
    count += n;
  }
  boost::system::error_code ignored;
  to.shutdown(tcp::socket::shutdown_send, ignored);
  co_return ec == asio::error::eof ? boost::system::error_code{} : ec;
}

}  // namespace

asio::awaitable<TunnelResult> run_tunnel(tcp::socket& client, tcp::socket& upstream, std::string pending,
                                         FirstBytesCheck check) {
  TunnelResult result;
  auto executor = co_await asio::this_coro::executor;

  // Upstream -> client runs on its own from the start; `done` wakes this coroutine when it ends.
  auto done = std::make_shared<asio::steady_timer>(executor, asio::steady_timer::time_point::max());
  auto down_error = std::make_shared<boost::system::error_code>();
  auto down_finished = std::make_shared<bool>(false);
  asio::co_spawn(executor, pump(upstream, client, result.bytes_down),
                 [done, down_error, down_finished](std::exception_ptr, boost::system::error_code ec) {
                   *down_error = ec;
                   *down_finished = true;
                   done->cancel();
                 });

  // The client's first bytes: enough of them to tell what they are, then the check.
  boost::system::error_code ec;
  FirstBytesVerdict verdict = inspect_first_bytes(pending);
  std::vector<char> buffer(kChunk);
  while (verdict.kind == FirstBytes::need_more && pending.size() < kMaxFirstBytes) {
    const std::size_t n =
        co_await client.async_read_some(asio::buffer(buffer), asio::redirect_error(asio::use_awaitable, ec));
    if (ec) break;
    pending.append(buffer.data(), n);
    verdict = inspect_first_bytes(pending);
  }
  if (!pending.empty()) {
    if (verdict.kind == FirstBytes::need_more) verdict.kind = FirstBytes::other;
    result.error = check ? check(verdict) : std::string();
    result.refused = !result.error.empty();
    if (result.error.empty()) {
      co_await asio::async_write(upstream, asio::buffer(pending), asio::redirect_error(asio::use_awaitable, ec));
      if (!ec) result.bytes_up += pending.size();
    }
  }
  if (result.error.empty() && !ec) {
    ec = co_await pump(client, upstream, result.bytes_up);
  } else if (result.error.empty() && ec == asio::error::eof) {
    boost::system::error_code ignored;
    upstream.shutdown(tcp::socket::shutdown_send, ignored);
    ec = {};
  }
  if (!result.error.empty() || !clean_end(ec)) {
    // Refused, or the client's side failed: tear both down (this also ends the other pump).
    boost::system::error_code ignored;
    upstream.close(ignored);
    client.close(ignored);
  }
  if (!*down_finished) {
    boost::system::error_code waited;
    co_await done->async_wait(asio::redirect_error(asio::use_awaitable, waited));
  }
  if (result.error.empty()) {
    if (!clean_end(ec))
      result.error = ec.message();
    else if (!clean_end(*down_error))
      result.error = down_error->message();
  }
  co_return result;
}

}  // namespace paddock::net
