#include "net/socks5.hpp"

#include <boost/asio/ip/address.hpp>

namespace paddock::net::socks5 {
namespace {

unsigned byte(std::string_view data, std::size_t i) {
  return static_cast<unsigned char>(data[i]);
}

}  // namespace

Greeting parse_greeting(std::string_view data) {
  Greeting out;
  if (data.size() < 2) return out;
  const std::size_t length = 2 + byte(data, 1);
  if (data.size() < length) return out;
  out.length = length;
  out.valid = byte(data, 0) == kVersion && length > 2;
  for (std::size_t i = 2; i < length; ++i) out.no_auth = out.no_auth || byte(data, i) == 0x00;
  return out;
}

Request parse_request(std::string_view data) {
  Request out;
  if (data.size() < 5) return out;
  out.command = static_cast<unsigned char>(data[1]);
  const unsigned type = byte(data, 3);
  std::size_t address_length = 0;
  switch (type) {
    case 0x01:
      address_length = 4;
      break;
    case 0x03:
      address_length = 1 + byte(data, 4);
      break;
    case 0x04:
      address_length = 16;
      break;
    default:
      out.length = data.size();
      out.error = Reply::address_type_not_supported;
      return out;
  }
  const std::size_t length = 4 + address_length + 2;
  if (data.size() < length) return out;
  out.length = length;
  if (byte(data, 0) != kVersion) {
    out.error = Reply::general_failure;
    return out;
  }
  const auto address = data.substr(4, address_length);
  if (type == 0x01) {
    boost::asio::ip::address_v4::bytes_type bytes;
    for (std::size_t i = 0; i < 4; ++i) bytes[i] = static_cast<unsigned char>(address[i]);
    out.host = boost::asio::ip::address_v4(bytes).to_string();
  } else if (type == 0x04) {
    boost::asio::ip::address_v6::bytes_type bytes;
    for (std::size_t i = 0; i < 16; ++i) bytes[i] = static_cast<unsigned char>(address[i]);
    out.host = boost::asio::ip::address_v6(bytes).to_string();
  } else {
    out.host = std::string(address.substr(1));
  }
  out.port = static_cast<std::uint16_t>(byte(data, length - 2) << 8 | byte(data, length - 1));
  if (out.command != 0x01) out.error = Reply::command_not_supported;
  return out;
}

std::string reply(Reply code) {
  return std::string{static_cast<char>(kVersion), static_cast<char>(code), 0, 1, 0, 0, 0, 0, 0, 0};
}

}  // namespace paddock::net::socks5
