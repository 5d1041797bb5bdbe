#include <gtest/gtest.h>

#include "cedar/extensions.hpp"

namespace paddock::cedar {
namespace {

TEST(CedarDecimal, ParsesExactlyCedarsForm) {
  EXPECT_EQ(parse_decimal("1.0"), 10000);
  EXPECT_EQ(parse_decimal("-1.2345"), -12345);
  EXPECT_EQ(parse_decimal("922337203685477.5807"), INT64_MAX);
  EXPECT_EQ(parse_decimal("-922337203685477.5808"), INT64_MIN);
  EXPECT_FALSE(parse_decimal("922337203685477.5808"));
  EXPECT_FALSE(parse_decimal("1.23456"));
  EXPECT_FALSE(parse_decimal("1"));
  EXPECT_FALSE(parse_decimal("1."));
  EXPECT_FALSE(parse_decimal(".5"));
  EXPECT_FALSE(parse_decimal("+1.0"));
  EXPECT_FALSE(parse_decimal("1.0.0"));
  EXPECT_FALSE(parse_decimal("99999999999999999999999999.0"));
  EXPECT_EQ(format_decimal(-12345), "-1.2345");
  EXPECT_EQ(format_decimal(INT64_MIN), "-922337203685477.5808");
}

TEST(CedarIpAddr, ParsesV4AndV6) {
  auto v4 = parse_ip("192.168.0.1/24");
  ASSERT_TRUE(v4);
  EXPECT_TRUE(v4->v4);
  EXPECT_EQ(v4->prefix, 24);
  EXPECT_EQ(format_ip(*v4), "192.168.0.1/24");
  auto v6 = parse_ip("2001:db8::1");
  ASSERT_TRUE(v6);
  EXPECT_FALSE(v6->v4);
  EXPECT_EQ(v6->prefix, 128);
  EXPECT_EQ(format_ip(*v6), "2001:db8::1");
  EXPECT_TRUE(parse_ip("::"));
  EXPECT_TRUE(parse_ip("1:2:3:4:5:6:7:8/64"));
  for (const char* bad : {"01.2.3.4", "1.2.3", "1.2.3.4.5", "256.1.1.1", "1.2.3.4/33", "1.2.3.4/", "::ffff:1.2.3.4",
                          "1::2::3", "1:2:3:4:5:6:7:8:9", "12345::", "::/129", "1.2.3.4/01", "", "a.b.c.d"}) {
    EXPECT_FALSE(parse_ip(bad)) << bad;
  }
}

TEST(CedarIpAddr, RangesLoopbackAndMulticast) {
  auto ip = [](const char* s) { return *parse_ip(s); };
  EXPECT_TRUE(ip_in_range(ip("10.1.2.3"), ip("10.0.0.0/8")));
  EXPECT_FALSE(ip_in_range(ip("10.0.0.0/8"), ip("10.1.0.0/16")));
  EXPECT_TRUE(ip_in_range(ip("10.1.0.0/16"), ip("10.0.0.0/8")));
  EXPECT_FALSE(ip_in_range(ip("10.0.0.1"), ip("::/0")));
  EXPECT_TRUE(ip_in_range(ip("::1"), ip("::/0")));
  EXPECT_TRUE(ip_is_loopback(ip("127.0.0.2")));
  EXPECT_FALSE(ip_is_loopback(ip("127.0.0.0/7")));
  EXPECT_TRUE(ip_is_loopback(ip("::1")));
  EXPECT_FALSE(ip_is_loopback(ip("::2")));
  EXPECT_TRUE(ip_is_multicast(ip("224.0.0.1")));
  EXPECT_TRUE(ip_is_multicast(ip("ff02::1")));
  EXPECT_FALSE(ip_is_multicast(ip("10.0.0.1")));
}

TEST(CedarDatetime, ParsesEveryFormAndRejectsInvalidDates) {
  EXPECT_EQ(parse_datetime("1970-01-01"), 0);
  EXPECT_EQ(parse_datetime("1970-01-01T00:00:01Z"), 1000);
  EXPECT_EQ(parse_datetime("1970-01-01T00:00:01.250Z"), 1250);
  EXPECT_EQ(parse_datetime("1970-01-01T01:00:00+0100"), 0);
  EXPECT_EQ(parse_datetime("1969-12-31T23:00:00.000-0100"), 0);
  EXPECT_EQ(parse_datetime("2024-02-29"), 1709164800000);
  EXPECT_EQ(parse_datetime("0000-01-01"), -62167219200000);
  for (const char* bad :
       {"2023-02-29", "2024-02-30", "2024-13-01", "2024-1-01", "2024-01-01T24:00:00Z", "2024-01-01T23:59:60Z",
        "2024-01-01T00:00:00", "2024-01-01T00:00:00+2400", "2024-01-01T00:00:00+0060", "2024-01-01T00:00:00.1Z",
        "2024-01-01 00:00:00Z", "+2024-01-01"}) {
    EXPECT_FALSE(parse_datetime(bad)) << bad;
  }
  EXPECT_EQ(datetime_to_date(-1), -86400000);
  EXPECT_EQ(datetime_to_time(-1), 86399999);
  EXPECT_FALSE(datetime_to_date(INT64_MIN));
  EXPECT_EQ(format_datetime(1250), "1970-01-01T00:00:01.250Z");
}

TEST(CedarDuration, UnitsInOrderEachOnce) {
  EXPECT_EQ(parse_duration("1d2h3m4s5ms"), 93784005);
  EXPECT_EQ(parse_duration("-1d12h"), -129600000);
  EXPECT_EQ(parse_duration("1h1m"), 3660000);
  EXPECT_EQ(parse_duration("0ms"), 0);
  for (const char* bad : {"", "-", "1", "61m1h", "1h1h", "1x", "h", "1.5h", "9223372036854775807d", "1d-1h", " 1h"}) {
    EXPECT_FALSE(parse_duration(bad)) << bad;
  }
  EXPECT_EQ(format_duration(-129600000), "-1d12h");
}

TEST(CedarChecked, OverflowIsDetected) {
  EXPECT_FALSE(checked_add(INT64_MAX, 1));
  EXPECT_FALSE(checked_sub(INT64_MIN, 1));
  EXPECT_FALSE(checked_mul(INT64_MIN, -1));
  EXPECT_EQ(checked_mul(-3, 4), -12);
}

}  // namespace
}  // namespace paddock::cedar
