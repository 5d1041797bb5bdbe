// TLS interception of an allowed tunnel (DESIGN.md, "Network"): the client's ClientHello must
// name the decided host; the client gets a leaf for that host from paddock's CA; the upstream
// is reached over TLS with its certificate verified against the system's trust store for the
// decided host (never the one a request later names). Then every request is read in the
// clear, decided (HttpRequest), edited (HttpRewrite, secrets) and relayed.
#include <utility>  // first: Boost 1.74's asio/awaitable.hpp uses std::exchange without it

#include <fmt/core.h>
#include <openssl/ssl.h>
#include <openssl/x509.h>

#include <boost/asio/redirect_error.hpp>
#include <boost/asio/ssl/stream.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>

#include "common/error.hpp"
#include "net/first_bytes.hpp"
#include "net/session.hpp"
#include "net/tls_contexts.hpp"

namespace paddock::net {
namespace {

namespace asio = boost::asio;
namespace ssl = asio::ssl;
using asio::ip::tcp;
using TlsStream = ssl::stream<tcp::socket&>;

constexpr auto use_awaitable_ec = [](boost::system::error_code& ec) {
  return asio::redirect_error(asio::use_awaitable, ec);
};

template <class Stream>
asio::awaitable<void> refuse(Stream& stream, unsigned status, const std::string& body, const std::string& policies) {
  auto response = refusal_response(status, body, policies);
  boost::system::error_code ignored;
  co_await http::async_write(stream, response, use_awaitable_ec(ignored));
}

// close_notify, so that a client reading to the end sees a clean end; bounded, since the
// peer need not answer.
asio::awaitable<void> shut_down(TlsStream& stream) {
  asio::steady_timer timer(stream.get_executor(), std::chrono::seconds(2));
  timer.async_wait([&stream](boost::system::error_code ec) {
    if (ec) return;
    boost::system::error_code ignored;
    stream.next_layer().close(ignored);
  });
  boost::system::error_code ignored;
  co_await stream.async_shutdown(use_awaitable_ec(ignored));
  timer.cancel();
}

bool clean_end(const boost::system::error_code& ec) {
  return ec == http::error::end_of_stream || ec == asio::error::eof || ec == asio::error::connection_reset ||
         ec == ssl::error::stream_truncated;
}

}  // namespace

asio::awaitable<void> Session::intercept(Upstream& upstream) {
  const Authority decided = upstream.authority;
  const std::string what = authority_text(decided.host, decided.port);

  FirstBytesVerdict first = inspect_first_bytes(buffered(buffer_));
  while (first.kind == FirstBytes::need_more && buffer_.size() < kMaxFirstBytes) {
    const bool more = co_await read_at_least(buffer_.size() + 1);
    if (!more) break;
    first = inspect_first_bytes(buffered(buffer_));
  }
  if (buffer_.size() == 0) {
    close_upstream(upstream, "");
    co_return;
  }
  std::string refusal = first.kind == FirstBytes::tls
                            ? first_bytes_refusal(decided, first)
                            : fmt::format(
                                  "{} in the clear: the proxy reads this host's requests (request rules or "
                                  "secrets), so the client must speak TLS to it",
                                  what);
  if (!refusal.empty()) {
    report_denial("paddock: denied " + refusal);
    close_upstream(upstream, refusal);
    co_return;
  }

  std::shared_ptr<ssl::context> leaf;
  ssl::context* upstream_context = nullptr;
  try {
    leaf = context_->interception.tls->server(decided.host);
    upstream_context = &context_->interception.tls->upstream();
  } catch (const Error& e) {
    report_denial(fmt::format("paddock: cannot intercept {}: {}", what, e.what()));
    close_upstream(upstream, e.what());
    co_return;
  }
  boost::system::error_code ec;
  TlsStream client(client_, *leaf);
  co_await client.async_handshake(ssl::stream_base::server, buffer_.data(), use_awaitable_ec(ec));
  buffer_.consume(buffer_.size());
  if (ec) {
    report_denial(
        fmt::format("paddock: TLS with the sandbox's client for {} failed ({}): does it trust paddock's CA "
                    "(SSL_CERT_FILE, NODE_EXTRA_CA_CERTS)?",
                    what, ec.message()));
    close_upstream(upstream, "client TLS: " + ec.message());
    co_return;
  }

  TlsStream server(upstream.socket, *upstream_context);
  std::string error;
  if (TlsContexts::expect_peer(server.native_handle(), decided.host, error))
    co_await server.async_handshake(ssl::stream_base::client, use_awaitable_ec(ec));
  if (!error.empty() || ec) {
    const long verify = SSL_get_verify_result(server.native_handle());
    const std::string reason = !error.empty()        ? error
                               : verify != X509_V_OK ? X509_verify_cert_error_string(verify)
                                                     : ec.message();
    const std::string line = fmt::format("paddock: denied {}: the upstream's TLS failed: {}", what, reason);
    report_denial(line);
    co_await refuse(client, 502, line, "");
    co_await shut_down(client);
    close_upstream(upstream, reason);
    co_return;
  }

  boost::beast::flat_buffer decrypted;  // the client's bytes read and not yet relayed
  std::string close_error;
  for (;;) {
    const auto started = std::chrono::steady_clock::now();
    http::request_parser<http::empty_body> parser;
    parser.header_limit(64 * 1024);
    parser.body_limit(kNoBodyLimit);
    co_await http::async_read_header(client, decrypted, parser, use_awaitable_ec(ec));
    if (ec) {
      if (!clean_end(ec)) {
        co_await refuse(client, 400, "paddock: not an HTTP/1.1 request (" + ec.message() + ")", "");
        close_error = ec.message();
      }
      break;
    }
    auto& request = parser.get();
    const std::string target(request.target());
    const std::string request_line = fmt::format("{} https://{}{}", std::string(request.method_string()), what, target);
    auto origin = split_origin_form(target);
    if (request.method() == http::verb::connect || !origin) {
      const std::string line =
          request.method() == http::verb::connect
              ? fmt::format("paddock: denied CONNECT {} inside the tunnel to {} (no proxy chaining)", target, what)
              : fmt::format("paddock: {}: inside the tunnel, send origin-form targets (/path)", request_line);
      report_denial(line);
      co_await refuse(client, request.method() == http::verb::connect ? 403 : 400, line, "");
      break;
    }
    if (auto mismatch = host_field_mismatch(request, request_line, decided, 443)) {
      co_await refuse(client, 403, *mismatch, "");
      break;
    }
    const bool client_keep_alive = request.keep_alive();
    strip_hop_by_hop(request.base());
    audit::HttpRequest event;
    event.connection = upstream.connection;
    if (auto denied = admit_request(request, decided, "https", *origin, event)) {
      co_await refuse(client, denied->http_status, denied->message, denied->policies);
      break;
    }
    auto outcome = co_await exchange(client, decrypted, server, upstream.buffer, parser, client_keep_alive);
    upstream.bytes_up += outcome.request_bytes;
    upstream.bytes_down += outcome.response_bytes;
    const bool nothing_sent = outcome.response_bytes == 0;
    const auto failed = outcome.ec;
    const bool again = outcome.keep_alive;
    record_request(std::move(event), outcome, started);
    if (failed) {
      if (nothing_sent) co_await refuse(client, 502, "paddock: the upstream failed: " + failed.message(), "");
      close_error = failed.message();
      break;
    }
    if (!again) break;
  }
  co_await shut_down(client);
  close_upstream(upstream, close_error);
}

}  // namespace paddock::net
