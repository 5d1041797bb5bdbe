// A real HTTP/1.1 server on the host's 127.0.0.1 for tests of the egress proxy: keep-alive,
// optionally TLS (a self-signed certificate made with the openssl CLI), static files from a
// directory (enough for git's dumb HTTP protocol), and a record of every request it saw, so a
// test can check what reached the upstream (and what did not).
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace paddock::testing {

struct SeenRequest {
  std::string method;
  std::string target;
  std::map<std::string, std::string> headers;  // field names lower-cased
  std::string body;
};

// A certificate for 127.0.0.1 and localhost (ECDSA P-256, one day), written under `dir`.
struct TlsFiles {
  std::string certificate;  // PEM; also the CA file clients trust
  std::string key;
};
TlsFiles make_self_signed(const std::string& dir);

class TestHttpServer {
 public:
  struct Options {
    std::string document_root;  // GET of an existing file under it: the file; otherwise an echo
    std::optional<TlsFiles> tls;
  };
  explicit TestHttpServer(Options options);
  TestHttpServer() : TestHttpServer(Options{}) {}
  ~TestHttpServer();
  TestHttpServer(const TestHttpServer&) = delete;
  TestHttpServer& operator=(const TestHttpServer&) = delete;

  std::uint16_t port() const;
  std::string authority() const;  // "127.0.0.1:PORT"
  std::vector<SeenRequest> requests() const;

 private:
  struct State;
  std::unique_ptr<State> state_;
};

}  // namespace paddock::testing
