// A lean HTTPS load generator and upstream for the proxy benchmark's request rate (issue 5, (b)).
// curl spends more CPU per request than the proxy under test does, and the harness shares the
// machine's two cores with the proxy; so the rate is measured with a client and an upstream that
// cost little: one thread each, Asio and OpenSSL, keep-alive, a fixed answer from memory. Every
// contender (direct, paddock, mitmproxy) is driven by the same client against the same upstream.
#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace paddock::bench {

// An HTTPS server on 127.0.0.1 that answers every request with the same 1 KiB body, on a thread
// of its own, and counts the requests whose Authorization header is `expected_authorization`.
class LoadUpstream {
 public:
  LoadUpstream(const std::string& certificate, const std::string& key, std::string expected_authorization);
  ~LoadUpstream();
  LoadUpstream(const LoadUpstream&) = delete;
  LoadUpstream& operator=(const LoadUpstream&) = delete;

  std::string authority() const;  // "127.0.0.1:PORT"
  std::uint64_t requests() const;
  std::uint64_t authorized() const;  // of them, carrying the expected Authorization

 private:
  struct State;
  std::unique_ptr<State> state_;
};

struct LoadOptions {
  std::string target;                // "127.0.0.1:PORT" of the upstream
  std::optional<std::string> proxy;  // "127.0.0.1:PORT": CONNECT through it
  std::string ca_file;               // the certificate the client trusts for the upstream's name
  std::string authorization;         // the Authorization header sent with every request
  int connections = 8;
  int requests = 2000;  // in all, spread over the connections
};

struct LoadResult {
  int completed = 0;                 // requests answered 200 with the full body
  int errors = 0;                    // connections or requests that failed
  std::string first_error;           // what the first failure was
  double seconds = 0;                // from the first request (all connections ready) to the last answer
  std::vector<double> latencies_us;  // each request's time, write to full answer
  double rate() const { return seconds > 0 ? completed / seconds : 0; }
};

// Opens the connections (CONNECT and TLS handshake, not timed) and, once all are ready, sends the
// requests, one at a time per connection, on the calling thread.
LoadResult run_https_load(const LoadOptions& options);

}  // namespace paddock::bench
