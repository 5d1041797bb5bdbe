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

// A tunnel's copy buffer starts small, so that a thousand idle or chatty connections cost little,
// and grows while reads fill it, so that a bulk transfer makes few system calls.
constexpr std::size_t kPumpStart = 8 * 1024;
constexpr std::size_t kPumpMax = 256 * 1024;

bool clean_end(const boost::system::error_code& ec) {
  return !ec || ec == asio::error::eof || ec == asio::error::operation_aborted;
}

// Copies `from` to `to` until `from` ends, then half-closes `to`.
asio::awaitable<boost::system::error_code> pump(tcp::socket& from, tcp::socket& to, std::uint64_t& count) {
  std::vector<char> buffer(kPumpStart);
  boost::system::error_code ec;
  for (;;) {
    const std::size_t n =
        co_await from.async_read_some(asio::buffer(buffer), asio::redirect_error(asio::use_awaitable, ec));
    if (ec) break;
    co_await asio::async_write(to, asio::buffer(buffer.data(), n), asio::redirect_error(asio::use_awaitable, ec));
    if (ec) break;
    count += n;
    if (n == buffer.size() && buffer.size() < kPumpMax) buffer.resize(buffer.size() * 2);
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
  while (verdict.kind == FirstBytes::need_more && pending.size() < kMaxFirstBytes) {
    // Read straight into `pending`: no buffer of its own stays in the coroutine's frame.
    const std::size_t had = pending.size();
    pending.resize(kMaxFirstBytes);
    auto space = asio::buffer(pending.data() + had, kMaxFirstBytes - had);
    const std::size_t n = co_await client.async_read_some(space, asio::redirect_error(asio::use_awaitable, ec));
    pending.resize(had + (ec ? 0 : n));
    if (ec) break;
    verdict = inspect_first_bytes(pending);
  }
  pending.shrink_to_fit();
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
