// What the first bytes a client sends into an allowed tunnel say about it, so that the tunnel
// carries what was decided (SECURITY-BATTERY rows 38 and 39): a TLS ClientHello's SNI must
// name the authority the CONNECT asked for, and a tunnel is never a second proxy hop.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "net/address.hpp"

namespace paddock::net {

// Enough bytes to decide on: one TLS record.
inline constexpr std::size_t kMaxFirstBytes = 16 * 1024 + 5;

enum class FirstBytes {
  need_more,      // too short to tell yet
  tls,            // a TLS ClientHello (its SNI, if any, in `sni`)
  proxy_request,  // "CONNECT ..." or a SOCKS5 greeting: chaining through the tunnel
  other,          // anything else (SSH, plain protocols): passed through
};

struct FirstBytesVerdict {
  FirstBytes kind = FirstBytes::need_more;
  std::optional<std::string> sni;  // the server_name extension's host_name, as sent
};

// `data`: the bytes received so far. A ClientHello longer than `data` asks for more, up to
// the record's length (at most 16 KiB), so the caller must buffer that much before deciding.
FirstBytesVerdict inspect_first_bytes(std::string_view data);

}  // namespace paddock::net

namespace paddock::net {

// Why a tunnel allowed to `decided` must not carry these first bytes (a proxy request inside
// it, or a ClientHello naming another host), or "" when it may.
std::string first_bytes_refusal(const Authority& decided, const FirstBytesVerdict& first);

}  // namespace paddock::net
