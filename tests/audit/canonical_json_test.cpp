// The canonical JSON of the trail: the writer's output is what nlohmann::json::dump() prints for
// the same document (sorted keys, no whitespace, minimal escapes), for every event kind and for
// hostile strings; times and records round-trip; the hash is the documented formula.
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <random>

#include "audit/canonical_json.hpp"
#include "audit/event_json.hpp"
#include "audit/record.hpp"
#include "common/error.hpp"
#include "common/sha256.hpp"

namespace paddock::audit {
namespace {

std::string canonical(const std::string& json_text) {
  return nlohmann::json::parse(json_text).dump(-1, ' ', false, nlohmann::json::error_handler_t::strict);
}

std::string as_json_string(std::string_view s) {
  std::string out;
  append_json_string(out, s);
  return out;
}

TEST(CanonicalJson, StringsMatchNlohmannForEveryByteAndRandomText) {
  for (int c = 0; c < 0x80; ++c) {
    const std::string s(1, static_cast<char>(c));
    EXPECT_EQ(as_json_string(s), nlohmann::json(s).dump()) << "byte " << c;
  }
  std::mt19937 random(7);
  const std::vector<std::string> pieces = {"a",    "\"", "\\", "\n", "\t", "\x01", "\x1f",
                                           "\x7f", "é",  "€",  "😀",  "/",  " "};
  for (int i = 0; i < 2000; ++i) {
    std::string s;
    for (int n = random() % 12; n > 0; --n) s += pieces[random() % pieces.size()];
    EXPECT_EQ(as_json_string(s), nlohmann::json(s).dump()) << s;
  }
}

TEST(CanonicalJson, InvalidUtf8BecomesReplacementCharacters) {
  for (const std::string bad : {"\xff", "a\xc0\xaf", "\xed\xa0\x80", "\xf4\x90\x80\x80", "\xe2\x82", "x\x80y"}) {
    const std::string out = as_json_string(bad);
    const auto parsed = nlohmann::json::parse(out);  // throws on invalid UTF-8
    EXPECT_NE(parsed.get<std::string>().find("\xEF\xBF\xBD"), std::string::npos) << out;
  }
}

TEST(CanonicalJson, EveryEventKindIsCanonical) {
  Decision denied{false, {{"deny-ssh", "strict.cedar:12"}}, {"p1: type error"}, "resolved to \"10.0.0.1\""};
  const std::vector<Body> bodies = {
      Exec{4, 1, "/usr/bin/git", {"git", "push", "--force"}, "/work\nspace", false, denied},
      File{9, "/etc/shadow", "read", denied},
      NetConnect{3, "connect", "example.com", 443, "93.184.216.34", true, {}},
      NetClose{3, 100, 2000, 5000, "reset"},
      HttpRequest{3, "GET", "https://example.com/?q=1", "example.com", 443, 200, 10, 20, 30, {"gh"}, {"X-A"}, {}},
      Dns{"evil.example", "TXT", {}, denied},
      McpCall{"fs", "tools/call", "read_file", R"({"path":"/etc"})", {}},
      SecretUse{3, "github", "api.github.com", "Authorization", {}},
      Policy{Policy::Change::reject, "strict", {"a.cedar"}, "abc", 3, {"a.cedar:1: unexpected token"}},
      SandboxStart{{"sh", "-c", "echo hi"}, "/work", "strict", "claude", 42},
      SandboxExit{137, 99},
  };
  for (const auto& body : bodies) {
    std::string out;
    append_event_json(out, body);
    EXPECT_EQ(out, canonical(out)) << kind({0, body});
    std::string again;  // and the readers get the same event back
    append_event_json(again, parse_event_json(kind({0, body}), out));
    EXPECT_EQ(again, out);
  }
  EXPECT_THROW(parse_event_json("exec", R"({"pid":1})"), Error);
  EXPECT_THROW(parse_event_json("teleport", "{}"), Error);
}

TEST(Record, TimeFormatRoundTrips) {
  EXPECT_EQ(format_time(0), "1970-01-01T00:00:00.000000000Z");
  EXPECT_EQ(format_time(1'796'771'400'123'456'789), "2026-12-08T23:10:00.123456789Z");
  std::mt19937_64 random(3);
  for (int i = 0; i < 1000; ++i) {
    const auto ns = static_cast<std::int64_t>(random() % 4'000'000'000'000'000'000ULL);
    EXPECT_EQ(parse_time(format_time(ns)), ns);
  }
  EXPECT_FALSE(parse_time("2026-02-30T00:00:00.000000000Z"));
  EXPECT_FALSE(parse_time("2026-12-06T24:00:00.000000000Z"));
  EXPECT_FALSE(parse_time("2026-12-06 23:00:00.000000000Z"));
}

TEST(Record, TimeFormatterSpellsWhatFormatTimeSpells) {
  // Steps within a second, across seconds, days and years, and backwards (a clock set back).
  TimeFormatter formatter;
  std::mt19937_64 random(5);
  std::int64_t ns = 1'796'771'399'999'999'990;
  const std::int64_t steps[] = {1, 7, 999'999'999, 1'000'000'000, 86'400'000'000'000, -3, -1'000'000'001, 0};
  for (int i = 0; i < 20000; ++i) {
    ns += i % 3 == 0 ? steps[random() % std::size(steps)] : static_cast<std::int64_t>(random() % 1000);
    char text[kTimeLength];
    formatter.format(ns, text);
    ASSERT_EQ(std::string(text, kTimeLength), format_time(ns)) << ns;
  }
}

TEST(Record, LineRoundTripsAndTheHashIsTheDocumentedFormula) {
  const std::string event = R"({"a":"}\",\"hash\":\""})";  // looks like the record's own members
  const std::string time = format_time(1'000'000'000);
  const std::string prev = genesis_hash("run-1");
  EXPECT_EQ(prev, sha256_hex("paddock audit v1\nrun-1"));
  char hash[kHashLength];
  RecordHasher().hash(12, time, "net.connect", prev, event, hash);
  EXPECT_EQ(std::string(hash, kHashLength), sha256_hex("12\n" + time + "\nnet.connect\n" + prev + "\n" + event));

  std::string line;
  append_record(line, {12, time, "net.connect", prev, std::string_view(hash, kHashLength), event});
  ASSERT_EQ(line.back(), '\n');
  line.pop_back();
  EXPECT_EQ(line, canonical(line));  // the whole line is canonical JSON too
  const auto parsed = parse_record(line);
  ASSERT_TRUE(parsed);
  EXPECT_EQ(parsed->seq, 12u);
  EXPECT_EQ(parsed->time, time);
  EXPECT_EQ(parsed->kind, "net.connect");
  EXPECT_EQ(parsed->prev, prev);
  EXPECT_EQ(parsed->hash, std::string_view(hash, kHashLength));
  EXPECT_EQ(parsed->event, event);

  EXPECT_FALSE(parse_record(line.substr(1)));
  EXPECT_FALSE(parse_record(line.substr(0, line.size() - 1)));
  std::string leading_zero = line;
  leading_zero.replace(leading_zero.find(R"("seq":12)"), 8, R"("seq":012)");
  EXPECT_FALSE(parse_record(leading_zero));
}

}  // namespace
}  // namespace paddock::audit
