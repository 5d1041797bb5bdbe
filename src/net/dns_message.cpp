#include "net/dns_message.hpp"

namespace paddock::net::dns {
namespace {

unsigned u8(std::string_view s, std::size_t i) {
  return static_cast<unsigned char>(s[i]);
}
std::uint16_t u16(std::string_view s, std::size_t i) {
  return static_cast<std::uint16_t>(u8(s, i) << 8 | u8(s, i + 1));
}

void put16(std::string& out, std::uint32_t v) {
  out += static_cast<char>((v >> 8) & 0xff);
  out += static_cast<char>(v & 0xff);
}

void put32(std::string& out, std::uint32_t v) {
  put16(out, v >> 16);
  put16(out, v & 0xffff);
}

}  // namespace

std::optional<std::uint16_t> packet_id(std::string_view packet) {
  if (packet.size() < 2) return std::nullopt;
  return u16(packet, 0);
}

std::optional<Query> parse_query(std::string_view packet) {
  if (packet.size() < 12) return std::nullopt;
  Query q;
  q.id = u16(packet, 0);
  const unsigned flags = u16(packet, 2);
  if (flags & 0x8000) return std::nullopt;              // a response, not a query
  if (((flags >> 11) & 0xf) != 0) return std::nullopt;  // opcode: only QUERY
  q.recursion_desired = flags & 0x0100;
  if (u16(packet, 4) != 1) return std::nullopt;  // exactly one question
  std::size_t pos = 12;
  for (;;) {
    if (pos >= packet.size()) return std::nullopt;
    const unsigned length = u8(packet, pos++);
    if (length == 0) break;
    if (length > 63 || pos + length > packet.size()) return std::nullopt;  // compression or overflow
    if (!q.name.empty()) q.name += '.';
    q.name.append(packet.substr(pos, length));
    pos += length;
    if (q.name.size() > 253) return std::nullopt;
  }
  if (pos + 4 > packet.size()) return std::nullopt;
  q.type = u16(packet, pos);
  q.klass = u16(packet, pos + 2);
  q.question = packet.substr(12, pos + 4 - 12);
  return q;
}

std::string response(const Query& query, Rcode rcode, const std::vector<boost::asio::ip::address>& answers,
                     std::uint32_t ttl) {
  std::string out;
  put16(out, query.id);
  // QR, opcode 0, RD as asked, RA, the rcode.
  put16(out, 0x8000u | (query.recursion_desired ? 0x0100u : 0u) | 0x0080u | static_cast<unsigned>(rcode));
  put16(out, 1);
  put16(out, static_cast<std::uint32_t>(answers.size()));
  put16(out, 0);
  put16(out, 0);
  out += query.question;
  for (const auto& a : answers) {
    put16(out, 0xc00c);  // the name: a pointer to the question's
    put16(out, a.is_v4() ? 1 : 28);
    put16(out, 1);  // IN
    put32(out, ttl);
    if (a.is_v4()) {
      const auto bytes = a.to_v4().to_bytes();
      put16(out, 4);
      out.append(reinterpret_cast<const char*>(bytes.data()), bytes.size());
    } else {
      const auto bytes = a.to_v6().to_bytes();
      put16(out, 16);
      out.append(reinterpret_cast<const char*>(bytes.data()), bytes.size());
    }
  }
  return out;
}

std::string format_error(std::uint16_t id) {
  std::string out;
  put16(out, id);
  put16(out, 0x8000u | 0x0080u | static_cast<unsigned>(Rcode::formerr));
  for (int i = 0; i < 4; ++i) put16(out, 0);
  return out;
}

std::string type_name(std::uint16_t type) {
  switch (type) {
    case 1:
      return "A";
    case 2:
      return "NS";
    case 5:
      return "CNAME";
    case 6:
      return "SOA";
    case 12:
      return "PTR";
    case 15:
      return "MX";
    case 16:
      return "TXT";
    case 28:
      return "AAAA";
    case 33:
      return "SRV";
    case 65:
      return "HTTPS";
    case 255:
      return "ANY";
    default:
      return std::to_string(type);
  }
}

}  // namespace paddock::net::dns
