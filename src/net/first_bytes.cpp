#include "net/first_bytes.hpp"

#include <fmt/core.h>

#include <cstdint>

namespace paddock::net {
namespace {

// A bounds-checked reader over the ClientHello; every read past the end makes it fail.
class Reader {
 public:
  explicit Reader(std::string_view data) : data_(data) {}
  bool ok() const { return ok_; }
  std::uint32_t u8() { return take(1); }
  std::uint32_t u16() { return take(2); }
  std::uint32_t u24() { return take(3); }
  std::string_view bytes(std::size_t n) {
    if (!ok_ || data_.size() - pos_ < n) {
      ok_ = false;
      return {};
    }
    auto out = data_.substr(pos_, n);
    pos_ += n;
    return out;
  }
  void skip(std::size_t n) { bytes(n); }

 private:
  std::uint32_t take(int n) {
    std::uint32_t v = 0;
    for (unsigned char c : bytes(static_cast<std::size_t>(n))) v = v << 8 | c;
    return v;
  }
  std::string_view data_;
  std::size_t pos_ = 0;
  bool ok_ = true;
};

std::optional<std::string> server_name(std::string_view hello) {
  Reader r(hello);
  if (r.u8() != 1) return std::nullopt;  // handshake type: client_hello
  Reader body(r.bytes(r.u24()));
  body.skip(2 + 32);      // legacy_version, random
  body.skip(body.u8());   // session id
  body.skip(body.u16());  // cipher suites
  body.skip(body.u8());   // compression methods
  Reader extensions(body.bytes(body.u16()));
  while (body.ok() && extensions.ok()) {
    const auto type = extensions.u16();
    Reader ext(extensions.bytes(extensions.u16()));
    if (!extensions.ok()) break;
    if (type != 0) continue;  // server_name
    Reader list(ext.bytes(ext.u16()));
    while (list.ok()) {
      const auto name_type = list.u8();
      const auto name = list.bytes(list.u16());
      if (!list.ok()) break;
      if (name_type == 0) return std::string(name);
    }
  }
  return std::nullopt;
}

}  // namespace

FirstBytesVerdict inspect_first_bytes(std::string_view data) {
  if (data.empty()) return {};
  const auto first = static_cast<unsigned char>(data[0]);
  if (first == 0x16) {  // TLS handshake record
    if (data.size() < 5) return {};
    const std::size_t length = (static_cast<unsigned char>(data[3]) << 8) | static_cast<unsigned char>(data[4]);
    if (data.size() < 5 + length) return {};
    return {FirstBytes::tls, server_name(data.substr(5, length))};
  }
  if (first == 0x05) return {FirstBytes::proxy_request, std::nullopt};  // SOCKS5 greeting
  constexpr std::string_view kConnect = "CONNECT ";
  if (data.size() < kConnect.size() && kConnect.substr(0, data.size()) == data) return {};
  if (data.substr(0, kConnect.size()) == kConnect) return {FirstBytes::proxy_request, std::nullopt};
  return {FirstBytes::other, std::nullopt};
}

}  // namespace paddock::net

namespace paddock::net {

std::string first_bytes_refusal(const Authority& decided, const FirstBytesVerdict& first) {
  const std::string authority = authority_text(decided.host, decided.port);
  if (first.kind == FirstBytes::proxy_request)
    return fmt::format("a proxy request inside the tunnel to {} (no proxy chaining)", authority);
  if (first.kind == FirstBytes::tls && first.sni && !parse_ip_literal(decided.host)) {
    const auto sni = canonical_host(*first.sni);
    if (!sni || *sni != decided.host)
      return fmt::format("TLS server name {} in the tunnel to {}: it must name the host that was allowed", *first.sni,
                         authority);
  }
  return {};
}

}  // namespace paddock::net
