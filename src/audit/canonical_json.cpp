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

// The bytes that stand for themselves in a JSON string: printable ASCII except '"' and '\'.
constexpr auto kPlain = [] {
  std::array<bool, 256> plain{};
  for (int c = 0x20; c < 0x80; ++c) plain[static_cast<std::size_t>(c)] = c != '"' && c != '\\';
  return plain;
}();

// The most bytes that `value` can take as a JSON string: 6 per byte (\u00xx) and the quotes.
std::size_t json_string_bound(std::string_view value) {
  return 6 * value.size() + 2;
}

// Writes `value` as a JSON string at `out`, which has json_string_bound(value) bytes of room;
// returns the end of what it wrote.
char* write_json_string(char* out, std::string_view value) {
  const auto copy = [&](std::string_view bytes) {
    std::memcpy(out, bytes.data(), bytes.size());
    out += bytes.size();
  };
  *out++ = '"';
  std::size_t run = 0;  // start of the bytes not yet copied
  const auto byte = [&](std::size_t i) { return static_cast<unsigned char>(value[i]); };
  for (std::size_t i = 0;;) {
    while (i < value.size() && kPlain[byte(i)]) ++i;  // the common case, in a tight loop
    if (i == value.size()) break;
    const unsigned char c = byte(i);
    if (c >= 0x80)
      if (const std::size_t length = utf8_sequence(value.substr(i)); length != 0) {
        i += length;
        continue;
      }
    copy(value.substr(run, i - run));
    switch (c) {
      case '"':
        copy("\\\"");
        break;
      case '\\':
        copy("\\\\");
        break;
      case '\b':
        copy("\\b");
        break;
      case '\f':
        copy("\\f");
        break;
      case '\n':
        copy("\\n");
        break;
      case '\r':
        copy("\\r");
        break;
      case '\t':
        copy("\\t");
        break;
      default:
        if (c < 0x20) {
          const char escape[] = {'\\', 'u', '0', '0', kHex[c >> 4], kHex[c & 0xF]};
          copy(std::string_view(escape, sizeof escape));
        } else {
          copy("\xEF\xBF\xBD");  // U+FFFD for a byte that starts no valid sequence
        }
    }
    run = ++i;
  }
  copy(value.substr(run));
  *out++ = '"';
  return out;
}

}  // namespace

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

void JsonWriter::open(char bracket) {
  char* p = begin_value(1);
  *p++ = bracket;
  done(p);
  first_ = true;
}

void JsonWriter::close(char bracket) {
  *room(1) = bracket;
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
