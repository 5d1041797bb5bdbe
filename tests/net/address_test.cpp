// Literal normalisation and special ranges (SECURITY-BATTERY rows 41 and 42).
#include "net/address.hpp"

#include <gtest/gtest.h>

namespace paddock::net {
namespace {

std::string canon(std::string_view host) {
  return canonical_host(host).value_or("<invalid>");
}

TEST(Address, EveryIpv4SpellingOfLoopbackIsOneText) {
  for (const char* spelling : {"127.0.0.1", "2130706433", "0177.0.0.1", "0x7f.0.0.1", "0x7f000001", "127.1",
                               "[::ffff:127.0.0.1]", "::ffff:7f00:1", "[::FFFF:7F00:1]"})
    EXPECT_EQ(canon(spelling), "127.0.0.1") << spelling;
}

TEST(Address, NamesAreLowerCasedWithoutTrailingDot) {
  EXPECT_EQ(canon("API.Example.COM."), "api.example.com");
  EXPECT_EQ(canon("[2001:DB8::1]"), "2001:db8::1");
  EXPECT_EQ(canon("under_score.example"), "under_score.example");
}

TEST(Address, MalformedHostsAreRejected) {
  for (const char* bad : {"", ".", "a..b", "exa mple.com", "evil.com/x", "a\x01.com", "[::1", "host:80"})
    EXPECT_FALSE(canonical_host(bad)) << bad;
}

TEST(Address, SpecialRanges) {
  auto range = [](const char* text) {
    auto address = parse_ip_literal(text);
    EXPECT_TRUE(address) << text;
    auto r = special_range(*address);
    return r ? std::string(*r) : std::string("public");
  };
  EXPECT_EQ(range("127.0.0.1"), "loopback");
  EXPECT_EQ(range("10.1.2.3"), "private (RFC 1918)");
  EXPECT_EQ(range("172.16.0.1"), "private (RFC 1918)");
  EXPECT_EQ(range("192.168.1.1"), "private (RFC 1918)");
  EXPECT_EQ(range("169.254.169.254"), "cloud metadata");
  EXPECT_EQ(range("169.254.1.1"), "link-local");
  EXPECT_EQ(range("100.64.0.1"), "carrier-grade NAT");
  EXPECT_EQ(range("0.0.0.0"), "unspecified (reaches this host)");
  EXPECT_EQ(range("::1"), "loopback");
  EXPECT_EQ(range("fd00::1"), "unique local (IPv6)");
  EXPECT_EQ(range("fe80::1"), "link-local");
  EXPECT_EQ(range("::ffff:10.0.0.1"), "private (RFC 1918)") << "IPv4-mapped is judged as IPv4";
  EXPECT_EQ(range("93.184.215.14"), "public");
  EXPECT_EQ(range("2606:4700::1111"), "public");
  EXPECT_EQ(range("172.32.0.1"), "public") << "just outside 172.16/12";
}

TEST(Address, Authorities) {
  auto a = parse_authority("Example.com:8443", 443);
  ASSERT_TRUE(a);
  EXPECT_EQ(a->host, "example.com");
  EXPECT_EQ(a->port, 8443);
  a = parse_authority("[::1]:80", 0);
  ASSERT_TRUE(a);
  EXPECT_EQ(a->host, "::1");
  EXPECT_EQ(authority_text(a->host, a->port), "[::1]:80");
  a = parse_authority("0x7f.1", 443);
  ASSERT_TRUE(a);
  EXPECT_EQ(authority_text(a->host, a->port), "127.0.0.1:443");
  for (const char* bad : {":80", "host:0", "host:65536", "host:x", "::1:80", "host:80:90"})
    EXPECT_FALSE(parse_authority(bad, 443)) << bad;
}

}  // namespace
}  // namespace paddock::net
