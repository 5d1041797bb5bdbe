#include "audit/canonical_json.hpp"

#include <array>
#include <charconv>
#include <cstring>

namespace paddock::audit {
namespace {

constexpr char kHex[] = "0123456789abcdef";

// The length of the well-formed UTF-8 sequence at the start of `s` (RFC 3629: no overlong
// forms, no surrogates, nothing above U+10FFFF), or 0 when it is not one.
std::size_t utf8_sequence(std::string_view s) {
  const auto byte = [&](std::size_t i) { return static_cast<unsigned char>(s[i]); };
  const unsigned char lead = byte(0);
  std::size_t length;
  unsigned char low = 0x80, high = 0xBF;  // the range of the second byte
  if (lead >= 0xC2 && lead <= 0xDF) {
    length = 2;
  } else if (lead >= 0xE0 && lead <= 0xEF) {
    length = 3;
    if (lead == 0xE0) low = 0xA0;
    if (lead == 0xED) high = 0x9F;
  } else if (lead >= 0xF0 && lead <= 0xF4) {
    length = 4;
    if (lead == 0xF0) low = 0x90;
    if (lead == 0xF4) high = 0x8F;
  } else {
    return 0;
  }
  if (s.size() < length || byte(1) < low || byte(1) > high) return 0;
  for (std::size_t i = 2; i < length; ++i)
    if (byte(i) < 0x80 || byte(i) > 0xBF) return 0;
  return length;
}

}  // namespace

// The bytes that stand for themselves in a JSON string: printable ASCII except '"' and '\'.
constexpr auto kPlain = [] {
  std::array<bool, 256> plain{};
  for (int c = 0x20; c < 0x80; ++c) plain[static_cast<std::size_t>(c)] = c != '"' && c != '\\';
  return plain;
}();

char* write_json_string(char* out, std::string_view value) {
  *out++ = '"';
  const auto* const begin = reinterpret_cast<const unsigned char*>(value.data());
  const auto* const end = begin + value.size();
  const auto* p = begin;
  while (p != end) {
    const auto* run = p;  // copied as it is, in one go
    while (p != end && kPlain[*p]) ++p;
    if (p != end && *p >= 0x80)
      if (const std::size_t length = utf8_sequence(value.substr(static_cast<std::size_t>(p - begin))); length != 0) {
        p += length;
        std::memcpy(out, run, static_cast<std::size_t>(p - run));
        out += p - run;
        continue;
      }
    std::memcpy(out, run, static_cast<std::size_t>(p - run));
    out += p - run;
    if (p == end) break;
    const unsigned char c = *p++;
    const auto two = [&](char second) { *out++ = '\\', *out++ = second; };
    switch (c) {
      case '"':
        two('"');
        break;
      case '\\':
        two('\\');
        break;
      case '\b':
        two('b');
        break;
      case '\f':
        two('f');
        break;
      case '\n':
        two('n');
        break;
      case '\r':
        two('r');
        break;
      case '\t':
        two('t');
        break;
      default:
        if (c < 0x20) {
          const char escape[] = {'\\', 'u', '0', '0', kHex[c >> 4], kHex[c & 0xF]};
          std::memcpy(out, escape, sizeof escape);
          out += sizeof escape;
        } else {
          std::memcpy(out, "\xEF\xBF\xBD", 3);  // U+FFFD for a byte that starts no valid sequence
          out += 3;
        }
    }
  }
  *out++ = '"';
  return out;
}

void append_json_string(std::string& out, std::string_view value) {
  JsonWriter(out).string(value);
}

void JsonWriter::grow(std::size_t n) {
  // Within the string's capacity this only moves its end; beyond it the string grows
  // geometrically. The slack saves a resize for most of the values that follow.
  out_.resize(length_ + n + 256);
}

char* JsonWriter::begin_value(std::size_t n) {
  char* p = room(n + 1);
  if (after_key_)
    after_key_ = false;
  else if (!first_)
    *p++ = ',';
  first_ = false;
  return p;
}

void JsonWriter::begin_object() {
  char* p = begin_value(1);
  *p++ = '{';
  done(p);
  first_ = true;
}

void JsonWriter::end_object() {
  *room(1) = '}';
  ++length_;
  first_ = false;
}

void JsonWriter::begin_array() {
  char* p = begin_value(1);
  *p++ = '[';
  done(p);
  first_ = true;
}

void JsonWriter::end_array() {
  *room(1) = ']';
  ++length_;
  first_ = false;
}

void JsonWriter::key(std::string_view name) {
  // Keys are paddock's own identifiers ([a-z_]), which need no escaping.
  char* p = room(name.size() + 4);
  if (!first_) *p++ = ',';
  first_ = false;
  *p++ = '"';
  std::memcpy(p, name.data(), name.size());
  p += name.size();
  *p++ = '"';
  *p++ = ':';
  done(p);
  after_key_ = true;
}

void JsonWriter::string(std::string_view value) {
  done(write_json_string(begin_value(json_string_bound(value)), value));
}

void JsonWriter::integer(std::int64_t value) {
  char* p = begin_value(20);
  done(std::to_chars(p, p + 20, value).ptr);
}

void JsonWriter::unsigned_integer(std::uint64_t value) {
  char* p = begin_value(20);
  done(std::to_chars(p, p + 20, value).ptr);
}

void JsonWriter::boolean(bool value) {
  const std::string_view text = value ? "true" : "false";
  char* p = begin_value(text.size());
  std::memcpy(p, text.data(), text.size());
  done(p + text.size());
}

void JsonWriter::strings(const std::vector<std::string>& values) {
  begin_array();
  for (const auto& value : values) string(value);
  end_array();
}

}  // namespace paddock::audit
