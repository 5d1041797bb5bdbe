// The canonical JSON of the audit trail (docs/audit.md): no whitespace, object keys in
// ascending byte order, integers in decimal, strings with the minimal escapes of RFC 8259
// (", \, and control characters; \b \f \n \r \t in their short forms, the rest as \u00xx) and
// invalid UTF-8 replaced by U+FFFD. For the values paddock writes this is RFC 8785 (JCS), and
// exactly what nlohmann::json::dump() prints for the same document (tests check both).
//
// A hand-written writer rather than nlohmann::json, because the trail's append rate (issue 6:
// a million events a second) leaves no room for building a DOM per event. The caller writes
// keys in ascending order; the writer only places commas and escapes. It writes through a
// cursor into room it makes at the end of the string (one capacity check per value rather than
// one per character), and cuts the string to what it wrote when it goes out of scope.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <type_traits>
#include <vector>

namespace paddock::audit {

class JsonWriter {
 public:
  explicit JsonWriter(std::string& out) : out_(out), length_(out.size()) {}
  ~JsonWriter() { out_.resize(length_); }
  JsonWriter(const JsonWriter&) = delete;
  JsonWriter& operator=(const JsonWriter&) = delete;

  void begin_object() { open('{'); }
  void end_object() { close('}'); }
  void begin_array() { open('['); }
  void end_array() { close(']'); }
  // The next member's key: lower-case letters and '_' only (written as they are), and the keys
  // of one object in ascending byte order.
  void key(std::string_view name);

  void string(std::string_view value);
  void integer(std::int64_t value);
  void unsigned_integer(std::uint64_t value);
  void boolean(bool value);
  void strings(const std::vector<std::string>& values);

  // key(name), then the value in the form its type calls for.
  template <class T>
  void field(std::string_view name, const T& value) {
    key(name);
    if constexpr (std::is_same_v<T, bool>)
      boolean(value);
    else if constexpr (std::is_integral_v<T> && std::is_signed_v<T>)
      integer(value);
    else if constexpr (std::is_integral_v<T>)
      unsigned_integer(value);
    else if constexpr (std::is_same_v<T, std::vector<std::string>>)
      strings(value);
    else
      string(value);
  }

 private:
  // A cursor with room for a value of at most `n` bytes, after the comma it needs if any;
  // the value's writer ends with done(cursor).
  char* begin_value(std::size_t n);
  char* room(std::size_t n) {
    if (out_.size() - length_ < n) grow(n);
    return out_.data() + length_;
  }
  void done(const char* end) { length_ = static_cast<std::size_t>(end - out_.data()); }
  void grow(std::size_t n);
  void open(char bracket);
  void close(char bracket);

  std::string& out_;
  std::size_t length_;      // bytes of out_ written; beyond them is room not yet used
  bool first_ = true;       // nothing written yet in the innermost container
  bool after_key_ = false;  // a key was written and its value comes next
};

// Appends `value` as a JSON string (with its quotes) in the canonical form.
void append_json_string(std::string& out, std::string_view value);

}  // namespace paddock::audit
