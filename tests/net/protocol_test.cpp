// What the proxy parses off the wire: TLS ClientHellos (from a real OpenSSL client), SOCKS5
// greetings and requests, and DNS queries and answers.
#include <gtest/gtest.h>
#include <openssl/ssl.h>

#include <memory>

#include "net/dns_message.hpp"
#include "net/first_bytes.hpp"
#include "net/socks5.hpp"

namespace paddock::net {
namespace {

// The first flight of a real OpenSSL client, with `sni` as its server name (none when empty).
std::string client_hello(const std::string& sni) {
  std::unique_ptr<SSL_CTX, decltype(&SSL_CTX_free)> ctx(SSL_CTX_new(TLS_client_method()), SSL_CTX_free);
  std::unique_ptr<SSL, decltype(&SSL_free)> ssl(SSL_new(ctx.get()), SSL_free);
  BIO* in = BIO_new(BIO_s_mem());
  BIO* out = BIO_new(BIO_s_mem());
  SSL_set_bio(ssl.get(), in, out);  // owned by ssl from here
  // SSL_set_tlsext_host_name is a macro with an old-style cast; this is what it expands to.
  if (!sni.empty())
    SSL_ctrl(ssl.get(), SSL_CTRL_SET_TLSEXT_HOSTNAME, TLSEXT_NAMETYPE_host_name, const_cast<char*>(sni.c_str()));
  SSL_connect(ssl.get());  // wants to read: the ClientHello is in `out`
  char* data = nullptr;
  const long n = BIO_get_mem_data(out, &data);
  return std::string(data, static_cast<std::size_t>(n));
}

TEST(FirstBytes, TlsClientHelloServerName) {
  const std::string hello = client_hello("api.example.com");
  auto verdict = inspect_first_bytes(hello);
  EXPECT_EQ(verdict.kind, FirstBytes::tls);
  ASSERT_TRUE(verdict.sni);
  EXPECT_EQ(*verdict.sni, "api.example.com");

  verdict = inspect_first_bytes(client_hello(""));
  EXPECT_EQ(verdict.kind, FirstBytes::tls);
  EXPECT_FALSE(verdict.sni);
}

TEST(FirstBytes, PartialHelloAsksForMore) {
  const std::string hello = client_hello("api.example.com");
  for (std::size_t cut : {std::size_t{1}, std::size_t{5}, hello.size() / 2, hello.size() - 1})
    EXPECT_EQ(inspect_first_bytes(hello.substr(0, cut)).kind, FirstBytes::need_more) << cut;
}

TEST(FirstBytes, ChainingAndOtherProtocols) {
  EXPECT_EQ(inspect_first_bytes("CONNECT evil.com:443 HTTP/1.1\r\n").kind, FirstBytes::proxy_request);
  EXPECT_EQ(inspect_first_bytes(std::string("\x05\x01\x00", 3)).kind, FirstBytes::proxy_request);
  EXPECT_EQ(inspect_first_bytes("SSH-2.0-OpenSSH_9.2\r\n").kind, FirstBytes::other);
  EXPECT_EQ(inspect_first_bytes("GET / HTTP/1.1\r\n").kind, FirstBytes::other);
}

TEST(Socks5, GreetingAndRequests) {
  auto greeting = socks5::parse_greeting(std::string("\x05\x02\x02\x00", 4));
  EXPECT_EQ(greeting.length, 4u);
  EXPECT_TRUE(greeting.valid);
  EXPECT_TRUE(greeting.no_auth);
  EXPECT_EQ(socks5::parse_greeting(std::string("\x05\x02\x02", 3)).length, 0u) << "incomplete";
  EXPECT_FALSE(socks5::parse_greeting(std::string("\x05\x01\x02", 3)).no_auth) << "password only";

  const std::string domain = std::string("\x05\x01\x00\x03\x0b", 5) + "example.com" + std::string("\x01\xbb", 2);
  auto request = socks5::parse_request(domain);
  EXPECT_EQ(request.length, domain.size());
  EXPECT_FALSE(request.error);
  EXPECT_EQ(request.host, "example.com");
  EXPECT_EQ(request.port, 443);
  EXPECT_EQ(socks5::parse_request(domain.substr(0, domain.size() - 1)).length, 0u);

  const std::string v4("\x05\x01\x00\x01\x7f\x00\x00\x01\x00\x50", 10);
  request = socks5::parse_request(v4);
  EXPECT_EQ(request.host, "127.0.0.1");
  EXPECT_EQ(request.port, 80);

  std::string v6("\x05\x01\x00\x04", 4);
  v6 += std::string(15, '\0') + "\x01" + std::string("\x00\x16", 2);
  request = socks5::parse_request(v6);
  EXPECT_EQ(request.host, "::1");
  EXPECT_EQ(request.port, 22);

  const std::string bind("\x05\x02\x00\x01\x7f\x00\x00\x01\x00\x50", 10);
  request = socks5::parse_request(bind);
  ASSERT_TRUE(request.error);
  EXPECT_EQ(*request.error, socks5::Reply::command_not_supported);
  const std::string udp("\x05\x03\x00\x01\x7f\x00\x00\x01\x00\x50", 10);
  ASSERT_TRUE(socks5::parse_request(udp).error) << "UDP ASSOCIATE is refused (row 44)";
}

// A query as a resolver writes it: id, RD, one question.
std::string query_packet(std::uint16_t id, const std::string& name, std::uint16_t type) {
  std::string p;
  p += static_cast<char>(id >> 8);
  p += static_cast<char>(id & 0xff);
  p += std::string("\x01\x00\x00\x01\x00\x00\x00\x00\x00\x00", 10);
  std::size_t start = 0;
  while (start < name.size()) {
    std::size_t dot = name.find('.', start);
    if (dot == std::string::npos) dot = name.size();
    p += static_cast<char>(dot - start);
    p += name.substr(start, dot - start);
    start = dot + 1;
  }
  p += '\0';
  p += static_cast<char>(type >> 8);
  p += static_cast<char>(type & 0xff);
  p += std::string("\x00\x01", 2);
  return p;
}

TEST(Dns, QueryAndAnswer) {
  const std::string packet = query_packet(0x1234, "api.Example.com", 1);
  auto query = dns::parse_query(packet);
  ASSERT_TRUE(query);
  EXPECT_EQ(query->id, 0x1234);
  EXPECT_EQ(query->name, "api.Example.com");
  EXPECT_EQ(query->type, 1);
  EXPECT_EQ(dns::type_name(query->type), "A");

  const std::string answer =
      dns::response(*query, dns::Rcode::noerror, {boost::asio::ip::make_address("93.184.215.14")});
  ASSERT_GE(answer.size(), packet.size() + 16);
  EXPECT_EQ(answer.substr(0, 2), packet.substr(0, 2)) << "same id";
  EXPECT_EQ(static_cast<unsigned char>(answer[3]) & 0x0f, 0) << "NOERROR";
  EXPECT_EQ(answer.substr(answer.size() - 4), std::string("\x5d\xb8\xd7\x0e", 4)) << "the A record's address";

  const std::string refused = dns::response(*query, dns::Rcode::refused);
  EXPECT_EQ(static_cast<unsigned char>(refused[3]) & 0x0f, 5);
  EXPECT_EQ(refused.size(), packet.size()) << "no answer records";
}

TEST(Dns, MalformedQueriesAreRejected) {
  std::string packet = query_packet(7, "example.com", 28);
  EXPECT_FALSE(dns::parse_query(packet.substr(0, 11)));
  EXPECT_FALSE(dns::parse_query(packet.substr(0, packet.size() - 1)));
  std::string compressed = packet.substr(0, 12) + std::string("\xc0\x0c", 2) + std::string("\x00\x01\x00\x01", 4);
  EXPECT_FALSE(dns::parse_query(compressed)) << "a pointer in the question";
  EXPECT_EQ(dns::packet_id(packet), 7);
  EXPECT_EQ(dns::type_name(16), "TXT");
}

}  // namespace
}  // namespace paddock::net
