#include "https_load.hpp"

#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http.hpp>

#include <atomic>
#include <stdexcept>
#include <thread>

#include "net/address.hpp"

namespace paddock::bench {
namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
namespace ssl = asio::ssl;
using asio::ip::tcp;
using Clock = std::chrono::steady_clock;

constexpr std::size_t kBodySize = 1024;

// The options' authorities are the harness's own "127.0.0.1:PORT": a bad one is a bug here.
tcp::endpoint endpoint_of(const std::string& authority) {
  const auto parsed = net::parse_authority(authority, 0);
  if (!parsed || parsed->port == 0) throw std::invalid_argument("https_load: not host:port: " + authority);
  return {asio::ip::make_address(parsed->host), parsed->port};
}

// ---- the upstream -------------------------------------------------------------------------

// One keep-alive TLS connection: read a request, answer it from memory, again.
class UpstreamSession : public std::enable_shared_from_this<UpstreamSession> {
 public:
  UpstreamSession(tcp::socket socket, ssl::context& tls, const std::string& answer, const std::string& expected,
                  std::atomic<std::uint64_t>& requests, std::atomic<std::uint64_t>& authorized)
      : stream_(std::move(socket), tls),
        answer_(answer),
        expected_(expected),
        requests_(requests),
        authorized_(authorized) {}

  void start() {
    stream_.async_handshake(ssl::stream_base::server, [self = shared_from_this()](const beast::error_code& ec) {
      if (!ec) self->read();
    });
  }

 private:
  void read() {
    request_ = {};
    http::async_read(stream_, buffer_, request_, [self = shared_from_this()](const beast::error_code& ec, std::size_t) {
      if (ec) return;
      self->requests_.fetch_add(1, std::memory_order_relaxed);
      const auto authorization = self->request_.find(http::field::authorization);
      if (authorization != self->request_.end() && authorization->value() == self->expected_)
        self->authorized_.fetch_add(1, std::memory_order_relaxed);
      asio::async_write(self->stream_, asio::buffer(self->answer_),
                        [self](const beast::error_code& write_error, std::size_t) {
                          if (!write_error) self->read();
                        });
    });
  }

  ssl::stream<tcp::socket> stream_;
  const std::string& answer_;
  const std::string& expected_;
  std::atomic<std::uint64_t>& requests_;
  std::atomic<std::uint64_t>& authorized_;
  beast::flat_buffer buffer_;
  http::request<http::string_body> request_;
};

}  // namespace

struct LoadUpstream::State {
  asio::io_context io;
  ssl::context tls{ssl::context::tls_server};
  tcp::acceptor acceptor{io};
  std::string answer;
  std::string expected;
  std::atomic<std::uint64_t> requests{0};
  std::atomic<std::uint64_t> authorized{0};
  std::thread thread;

  void accept() {
    acceptor.async_accept([this](const beast::error_code& ec, tcp::socket socket) {
      if (ec) return;
      socket.set_option(tcp::no_delay(true));
      std::make_shared<UpstreamSession>(std::move(socket), tls, answer, expected, requests, authorized)->start();
      accept();
    });
  }
};

LoadUpstream::LoadUpstream(const std::string& certificate, const std::string& key, std::string expected_authorization)
    : state_(std::make_unique<State>()) {
  state_->tls.use_certificate_chain_file(certificate);
  state_->tls.use_private_key_file(key, ssl::context::pem);
  state_->expected = std::move(expected_authorization);
  state_->answer = "HTTP/1.1 200 OK\r\nServer: paddock-bench\r\nContent-Type: text/plain\r\nContent-Length: " +
                   std::to_string(kBodySize) + "\r\n\r\n" + std::string(kBodySize, 'x');
  const tcp::endpoint endpoint(asio::ip::make_address("127.0.0.1"), 0);
  state_->acceptor.open(endpoint.protocol());
  state_->acceptor.bind(endpoint);
  state_->acceptor.listen(asio::socket_base::max_listen_connections);
  state_->accept();
  state_->thread = std::thread([state = state_.get()] { state->io.run(); });
}

LoadUpstream::~LoadUpstream() {
  state_->io.stop();
  state_->thread.join();
}

std::string LoadUpstream::authority() const {
  return "127.0.0.1:" + std::to_string(state_->acceptor.local_endpoint().port());
}

std::uint64_t LoadUpstream::requests() const {
  return state_->requests.load();
}

std::uint64_t LoadUpstream::authorized() const {
  return state_->authorized.load();
}

// ---- the client ---------------------------------------------------------------------------

namespace {

struct LoadRun {
  explicit LoadRun(const LoadOptions& load) : options(load) {}
  const LoadOptions& options;
  asio::io_context io;
  ssl::context tls{ssl::context::tls_client};
  std::string request;                         // the same bytes every time
  int to_send = 0;                             // requests not yet handed to a connection
  int ready = 0;                               // connections through their handshake
  std::vector<std::function<void()>> waiting;  // connections ready before the others
  Clock::time_point start;
  LoadResult result;

  void fail(const std::string& what, const beast::error_code& ec) {
    if (result.errors++ == 0) result.first_error = what + ": " + ec.message();
  }
};

// One keep-alive connection: (CONNECT,) handshake, then requests one after the other.
class LoadConnection : public std::enable_shared_from_this<LoadConnection> {
 public:
  explicit LoadConnection(LoadRun& run) : run_(run), socket_(run.io), stream_(socket_, run.tls) {}

  void start() {
    const auto first_hop = endpoint_of(run_.options.proxy.value_or(run_.options.target));
    socket_.async_connect(first_hop, [self = shared_from_this()](const beast::error_code& ec) {
      if (ec) return self->run_.fail("connect", ec);
      self->socket_.set_option(tcp::no_delay(true));
      if (self->run_.options.proxy) return self->tunnel();
      self->handshake();
    });
  }

 private:
  void tunnel() {
    connect_ = "CONNECT " + run_.options.target + " HTTP/1.1\r\nHost: " + run_.options.target + "\r\n\r\n";
    asio::async_write(socket_, asio::buffer(connect_),
                      [self = shared_from_this()](const beast::error_code& ec, std::size_t) {
                        if (ec) return self->run_.fail("CONNECT", ec);
                        self->connect_reply_.emplace();
                        self->connect_reply_->skip(true);  // a CONNECT's 200 has no body
                        http::async_read_header(self->socket_, self->buffer_, *self->connect_reply_,
                                                [self](const beast::error_code& read_error, std::size_t) {
                                                  if (read_error) return self->run_.fail("CONNECT reply", read_error);
                                                  if (self->connect_reply_->get().result() != http::status::ok)
                                                    return self->run_.fail("CONNECT refused", http::error::bad_status);
                                                  self->handshake();
                                                });
                      });
  }

  void handshake() {
    stream_.set_verify_mode(ssl::verify_peer);
    stream_.set_verify_callback(ssl::host_name_verification(endpoint_of(run_.options.target).address().to_string()));
    stream_.async_handshake(ssl::stream_base::client, [self = shared_from_this()](const beast::error_code& ec) {
      if (ec) return self->run_.fail("TLS handshake", ec);
      // The clock starts once every connection is ready: the rate is keep-alive requests only.
      self->run_.waiting.push_back([self] { self->next(); });
      if (++self->run_.ready < self->run_.options.connections) return;
      self->run_.start = Clock::now();
      for (auto& go : std::exchange(self->run_.waiting, {})) go();
    });
  }

  void next() {
    if (run_.to_send == 0) return;
    --run_.to_send;
    sent_ = Clock::now();
    asio::async_write(
        stream_, asio::buffer(run_.request), [self = shared_from_this()](const beast::error_code& ec, std::size_t) {
          if (ec) return self->run_.fail("write", ec);
          self->response_ = {};
          http::async_read(
              self->stream_, self->buffer_, self->response_, [self](const beast::error_code& read_error, std::size_t) {
                if (read_error) return self->run_.fail("read", read_error);
                if (self->response_.result() != http::status::ok || self->response_.body().size() != kBodySize)
                  return self->run_.fail("answer", http::error::bad_status);
                const auto now = Clock::now();
                self->run_.result.latencies_us.push_back(
                    std::chrono::duration<double, std::micro>(now - self->sent_).count());
                ++self->run_.result.completed;
                self->run_.result.seconds = std::chrono::duration<double>(now - self->run_.start).count();
                self->next();
              });
        });
  }

  LoadRun& run_;
  tcp::socket socket_;
  ssl::stream<tcp::socket&> stream_;
  beast::flat_buffer buffer_;
  std::string connect_;
  std::optional<http::response_parser<http::empty_body>> connect_reply_;
  http::response<http::string_body> response_;
  Clock::time_point sent_;
};

}  // namespace

LoadResult run_https_load(const LoadOptions& options) {
  LoadRun run(options);
  run.tls.load_verify_file(options.ca_file);
  run.request = "GET /small.txt HTTP/1.1\r\nHost: " + options.target + "\r\nAuthorization: " + options.authorization +
                "\r\nUser-Agent: paddock-bench\r\nAccept: */*\r\n\r\n";
  run.to_send = options.requests;
  run.result.latencies_us.reserve(static_cast<std::size_t>(options.requests));
  for (int i = 0; i < options.connections; ++i) std::make_shared<LoadConnection>(run)->start();
  run.io.run();
  if (run.result.completed < options.requests && run.result.errors == 0) {
    run.result.errors = 1;
    run.result.first_error = "stopped after " + std::to_string(run.result.completed) + " requests";
  }
  return run.result;
}

}  // namespace paddock::bench
