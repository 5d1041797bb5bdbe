#include "support/http_server.hpp"

#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>

#include <filesystem>
#include <fstream>
#include <mutex>
#include <sstream>
#include <stdexcept>
#include <thread>

#include "common/subprocess.hpp"

namespace paddock::testing {
namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using asio::ip::tcp;

std::string lower(std::string text) {
  for (auto& c : text) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return text;
}

}  // namespace

TlsFiles make_self_signed(const std::string& dir) {
  TlsFiles files{dir + "/server.pem", dir + "/server.key"};
  auto r = run_process({"openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes",
                        "-keyout", files.key, "-out", files.certificate, "-days", "1", "-subj", "/CN=paddock test",
                        "-addext", "subjectAltName=IP:127.0.0.1,DNS:localhost"});
  if (r.status != 0) throw std::runtime_error("openssl req failed: " + r.err);
  std::filesystem::permissions(files.certificate, std::filesystem::perms::others_read,
                               std::filesystem::perm_options::add);
  return files;
}

struct TestHttpServer::State {
  Options options;
  asio::io_context io;
  tcp::acceptor acceptor{io};
  std::optional<asio::ssl::context> tls;
  mutable std::mutex mutex;
  std::vector<SeenRequest> seen;
  std::vector<std::thread> threads;
  std::vector<std::shared_ptr<tcp::socket>> sockets;
  bool stopping = false;

  http::response<http::string_body> answer(const http::request<http::string_body>& request) {
    http::response<http::string_body> response{http::status::ok, request.version()};
    response.set(http::field::server, "paddock-test");
    response.keep_alive(request.keep_alive());
    std::string target(request.target());
    const std::string path = target.substr(0, target.find('?'));
    if (!options.document_root.empty() && path.find("..") == std::string::npos) {
      const std::string file = options.document_root + path;
      if (std::filesystem::is_regular_file(file)) {
        std::ifstream in(file, std::ios::binary);
        response.body().assign(std::istreambuf_iterator<char>(in), {});
        response.prepare_payload();
        return response;
      }
      if (std::filesystem::exists(options.document_root)) {
        response.result(http::status::not_found);
        response.body() = "not found\n";
        response.prepare_payload();
        return response;
      }
    }
    response.body() = "hello from the test server: " + std::string(request.method_string()) + " " + target + "\n";
    response.prepare_payload();
    return response;
  }

  template <class Stream>
  void serve(Stream& stream) {
    beast::flat_buffer buffer;
    for (;;) {
      http::request<http::string_body> request;
      beast::error_code ec;
      http::read(stream, buffer, request, ec);
      if (ec) return;
      SeenRequest record{std::string(request.method_string()), std::string(request.target()), {}, request.body()};
      for (const auto& field : request)
        record.headers[lower(std::string(field.name_string()))] = std::string(field.value());
      {
        std::lock_guard lock(mutex);
        seen.push_back(std::move(record));
      }
      auto response = answer(request);
      http::write(stream, response, ec);
      if (ec || !response.keep_alive()) return;
    }
  }

  void connection(std::shared_ptr<tcp::socket> socket) {
    if (!tls) {
      serve(*socket);
    } else {
      asio::ssl::stream<tcp::socket&> stream(*socket, *tls);
      beast::error_code ec;
      stream.handshake(asio::ssl::stream_base::server, ec);
      if (!ec) serve(stream);
    }
    beast::error_code ignored;
    socket->shutdown(tcp::socket::shutdown_both, ignored);
  }

  void accept_loop() {
    for (;;) {
      auto socket = std::make_shared<tcp::socket>(io);
      beast::error_code ec;
      acceptor.accept(*socket, ec);
      std::lock_guard lock(mutex);
      if (stopping) return;
      if (ec) continue;
      sockets.push_back(socket);
      threads.emplace_back([this, socket] { connection(socket); });
    }
  }
};

TestHttpServer::TestHttpServer(Options options) : state_(std::make_unique<State>()) {
  state_->options = std::move(options);
  if (state_->options.tls) {
    state_->tls.emplace(asio::ssl::context::tls_server);
    state_->tls->use_certificate_chain_file(state_->options.tls->certificate);
    state_->tls->use_private_key_file(state_->options.tls->key, asio::ssl::context::pem);
  }
  tcp::endpoint endpoint(asio::ip::make_address("127.0.0.1"), 0);
  state_->acceptor.open(endpoint.protocol());
  state_->acceptor.set_option(tcp::acceptor::reuse_address(true));
  state_->acceptor.bind(endpoint);
  state_->acceptor.listen();
  std::thread accepting([state = state_.get()] { state->accept_loop(); });
  std::lock_guard lock(state_->mutex);
  state_->threads.push_back(std::move(accepting));
}

TestHttpServer::~TestHttpServer() {
  std::vector<std::thread> threads;
  {
    std::lock_guard lock(state_->mutex);
    state_->stopping = true;
    beast::error_code ignored;
    // shutdown() wakes the blocking accept() and reads; close() alone would not.
    ::shutdown(state_->acceptor.native_handle(), SHUT_RDWR);
    for (auto& socket : state_->sockets) socket->shutdown(tcp::socket::shutdown_both, ignored);
    threads = std::move(state_->threads);
  }
  for (auto& thread : threads) thread.join();
}

std::uint16_t TestHttpServer::port() const {
  return state_->acceptor.local_endpoint().port();
}

std::string TestHttpServer::authority() const {
  return "127.0.0.1:" + std::to_string(port());
}

std::vector<SeenRequest> TestHttpServer::requests() const {
  std::lock_guard lock(state_->mutex);
  return state_->seen;
}

}  // namespace paddock::testing
