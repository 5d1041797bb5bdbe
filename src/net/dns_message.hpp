// The DNS wire format (RFC 1035), as much as a stub needs: one question in, its answers out.
#pragma once

#include <boost/asio/ip/address.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace paddock::net::dns {

enum class Type : std::uint16_t { a = 1, aaaa = 28 };
enum class Rcode : std::uint8_t { noerror = 0, formerr = 1, servfail = 2, nxdomain = 3, notimp = 4, refused = 5 };

struct Query {
  std::uint16_t id = 0;
  bool recursion_desired = false;
  std::string name;  // as asked (canonical_host makes it comparable), no trailing dot
  std::uint16_t type = 0;
  std::uint16_t klass = 0;
  std::string_view question;  // the question's bytes as sent (echoed in the answer)
};

// nullopt for anything but a standard query (opcode 0) with exactly one question whose name
// is uncompressed and well-formed.
std::optional<Query> parse_query(std::string_view packet);

// The 16-bit id of any packet of at least 2 bytes (to answer FORMERR).
std::optional<std::uint16_t> packet_id(std::string_view packet);

// A response to `query` with `rcode` and `answers` as A or AAAA records (each by its family).
std::string response(const Query& query, Rcode rcode, const std::vector<boost::asio::ip::address>& answers = {},
                     std::uint32_t ttl = 60);

// FORMERR for a packet that could not be parsed.
std::string format_error(std::uint16_t id);

// "A", "AAAA", "TXT", ... or the number.
std::string type_name(std::uint16_t type);

}  // namespace paddock::net::dns
