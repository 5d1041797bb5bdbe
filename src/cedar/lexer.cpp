#include "cedar/lexer.hpp"

namespace paddock::cedar {

namespace {

bool ident_start(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
}
bool ident_char(char c) {
  return ident_start(c) || (c >= '0' && c <= '9');
}
bool digit(char c) {
  return c >= '0' && c <= '9';
}

}  // namespace

std::vector<Token> tokenize(std::string_view text) {
  std::vector<Token> tokens;
  std::size_t i = 0;
  const std::size_t n = text.size();
  auto emit = [&](Tok kind, std::size_t begin, std::size_t end) {
    tokens.push_back(Token{kind, text.substr(begin, end - begin),
                           SourceSpan{static_cast<std::uint32_t>(begin), static_cast<std::uint32_t>(end)}});
  };
  while (i < n) {
    char c = text[i];
    if (c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v') {
      ++i;
      continue;
    }
    if (c == '/' && i + 1 < n && text[i + 1] == '/') {
      while (i < n && text[i] != '\n') ++i;
      continue;
    }
    std::size_t begin = i;
    if (ident_start(c)) {
      while (i < n && ident_char(text[i])) ++i;
      emit(Tok::Ident, begin, i);
      continue;
    }
    if (digit(c)) {
      while (i < n && digit(text[i])) ++i;
      // "1a" is one malformed token, not a number followed by a name.
      if (i < n && ident_start(text[i])) {
        while (i < n && ident_char(text[i])) ++i;
        emit(Tok::Error, begin, i);
      } else {
        emit(Tok::Int, begin, i);
      }
      continue;
    }
    if (c == '"') {
      ++i;
      while (i < n && text[i] != '"') i += text[i] == '\\' ? 2 : 1;
      if (i >= n) {
        emit(Tok::Error, begin, n);
        i = n;
      } else {
        ++i;
        emit(Tok::Str, begin, i);
      }
      continue;
    }
    if (c == '?') {
      ++i;
      while (i < n && ident_char(text[i])) ++i;
      emit(i - begin > 1 ? Tok::Slot : Tok::Question, begin, i);
      continue;
    }
    auto two = [&](char second) { return i + 1 < n && text[i + 1] == second; };
    Tok kind = Tok::Error;
    std::size_t len = 1;
    switch (c) {
      case '@':
        kind = Tok::At;
        break;
      case '(':
        kind = Tok::LParen;
        break;
      case ')':
        kind = Tok::RParen;
        break;
      case '[':
        kind = Tok::LBracket;
        break;
      case ']':
        kind = Tok::RBracket;
        break;
      case '{':
        kind = Tok::LBrace;
        break;
      case '}':
        kind = Tok::RBrace;
        break;
      case ',':
        kind = Tok::Comma;
        break;
      case ';':
        kind = Tok::Semi;
        break;
      case '.':
        kind = Tok::Dot;
        break;
      case '+':
        kind = Tok::Plus;
        break;
      case '-':
        kind = Tok::Minus;
        break;
      case '*':
        kind = Tok::Star;
        break;
      case '/':
        kind = Tok::Slash;
        break;
      case '%':
        kind = Tok::Percent;
        break;
      case ':':
        kind = two(':') ? Tok::ColonColon : Tok::Colon;
        len = two(':') ? 2 : 1;
        break;
      case '=':
        kind = two('=') ? Tok::EqEq : Tok::Assign;
        len = two('=') ? 2 : 1;
        break;
      case '!':
        kind = two('=') ? Tok::NotEq : Tok::Bang;
        len = two('=') ? 2 : 1;
        break;
      case '<':
        kind = two('=') ? Tok::LessEq : Tok::Less;
        len = two('=') ? 2 : 1;
        break;
      case '>':
        kind = two('=') ? Tok::GreaterEq : Tok::Greater;
        len = two('=') ? 2 : 1;
        break;
      case '&':
        kind = two('&') ? Tok::AndAnd : Tok::Error;
        len = two('&') ? 2 : 1;
        break;
      case '|':
        kind = two('|') ? Tok::OrOr : Tok::Error;
        len = two('|') ? 2 : 1;
        break;
      default: {
        // One whole UTF-8 character, so the diagnostic shows it intact.
        auto lead = static_cast<unsigned char>(c);
        len = lead >= 0xf0 ? 4 : lead >= 0xe0 ? 3 : lead >= 0xc0 ? 2 : 1;
        len = std::min(len, n - i);
      }
    }
    i += len;
    emit(kind, begin, i);
  }
  emit(Tok::End, n, n);
  return tokens;
}

bool valid_utf8(std::string_view text, std::size_t& bad_offset) noexcept {
  std::size_t i = 0;
  const std::size_t n = text.size();
  while (i < n) {
    auto c = static_cast<unsigned char>(text[i]);
    std::size_t len;
    std::uint32_t cp;
    if (c < 0x80) {
      ++i;
      continue;
    } else if ((c & 0xe0) == 0xc0) {
      len = 2;
      cp = c & 0x1f;
    } else if ((c & 0xf0) == 0xe0) {
      len = 3;
      cp = c & 0x0f;
    } else if ((c & 0xf8) == 0xf0) {
      len = 4;
      cp = c & 0x07;
    } else {
      bad_offset = i;
      return false;
    }
    if (i + len > n) {
      bad_offset = i;
      return false;
    }
    for (std::size_t k = 1; k < len; ++k) {
      auto cc = static_cast<unsigned char>(text[i + k]);
      if ((cc & 0xc0) != 0x80) {
        bad_offset = i;
        return false;
      }
      cp = (cp << 6) | (cc & 0x3f);
    }
    // Overlong forms, surrogates and values past U+10FFFF are not UTF-8.
    static constexpr std::uint32_t kMin[] = {0, 0, 0x80, 0x800, 0x10000};
    if (cp < kMin[len] || (cp >= 0xd800 && cp <= 0xdfff) || cp > 0x10ffff) {
      bad_offset = i;
      return false;
    }
    i += len;
  }
  return true;
}

}  // namespace paddock::cedar

namespace paddock::cedar {

namespace {

void append_utf8(std::string& out, std::uint32_t cp) {
  if (cp < 0x80) {
    out += static_cast<char>(cp);
  } else if (cp < 0x800) {
    out += static_cast<char>(0xc0 | (cp >> 6));
    out += static_cast<char>(0x80 | (cp & 0x3f));
  } else if (cp < 0x10000) {
    out += static_cast<char>(0xe0 | (cp >> 12));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3f));
    out += static_cast<char>(0x80 | (cp & 0x3f));
  } else {
    out += static_cast<char>(0xf0 | (cp >> 18));
    out += static_cast<char>(0x80 | ((cp >> 12) & 0x3f));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3f));
    out += static_cast<char>(0x80 | (cp & 0x3f));
  }
}

int hex_digit(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// Decodes the escape at body[i] == '\\'; appends to `out`, advances `i`. `star` reports `\*`.
bool unescape_one(std::string_view body, std::size_t& i, bool allow_star, std::string& out, bool& star,
                  std::string& error) {
  star = false;
  if (i + 1 >= body.size()) {
    error = "a string cannot end with a lone backslash";
    return false;
  }
  char e = body[i + 1];
  i += 2;
  switch (e) {
    case 'n':
      out += '\n';
      return true;
    case 'r':
      out += '\r';
      return true;
    case 't':
      out += '\t';
      return true;
    case '0':
      out += '\0';
      return true;
    case '\\':
      out += '\\';
      return true;
    case '\'':
      out += '\'';
      return true;
    case '"':
      out += '"';
      return true;
    case '*':
      if (!allow_star) break;
      star = true;
      return true;
    case 'x': {
      int hi = i < body.size() ? hex_digit(body[i]) : -1;
      int lo = i + 1 < body.size() ? hex_digit(body[i + 1]) : -1;
      if (hi < 0 || lo < 0 || hi > 7) {
        error = "\\x escapes take two hex digits from 00 to 7F";
        return false;
      }
      out += static_cast<char>(hi * 16 + lo);
      i += 2;
      return true;
    }
    case 'u': {
      if (i >= body.size() || body[i] != '{') {
        error = "\\u escapes are written \\u{1F600}";
        return false;
      }
      std::size_t close = body.find('}', i);
      std::uint32_t cp = 0;
      std::size_t digits = close == std::string_view::npos ? 0 : close - i - 1;
      bool ok = digits >= 1 && digits <= 6;
      for (std::size_t k = i + 1; ok && k < close; ++k) {
        int h = hex_digit(body[k]);
        ok = h >= 0;
        cp = cp * 16 + static_cast<std::uint32_t>(h < 0 ? 0 : h);
      }
      if (!ok || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) {
        error = "\\u{...} must hold 1 to 6 hex digits naming a Unicode scalar value";
        return false;
      }
      append_utf8(out, cp);
      i = close + 1;
      return true;
    }
    default:
      break;
  }
  error = std::string("unknown escape \\") + e;
  return false;
}

}  // namespace

bool unescape_string(std::string_view body, std::string& out, std::string& error, std::size_t& error_offset) {
  out.clear();
  for (std::size_t i = 0; i < body.size();) {
    if (body[i] != '\\') {
      out += body[i++];
      continue;
    }
    std::size_t at = i;
    bool star = false;
    if (!unescape_one(body, i, false, out, star, error)) {
      error_offset = at;
      return false;
    }
  }
  return true;
}

bool unescape_pattern(std::string_view body, std::vector<PatternPart>& out, std::string& error,
                      std::size_t& error_offset) {
  out.clear();
  auto literal = [&]() -> std::string& {
    if (out.empty() || out.back().wildcard) out.push_back(PatternPart{false, {}});
    return out.back().literal;
  };
  for (std::size_t i = 0; i < body.size();) {
    if (body[i] == '*') {
      if (out.empty() || !out.back().wildcard) out.push_back(PatternPart{true, {}});  // `**` is `*`
      ++i;
    } else if (body[i] == '\\') {
      std::size_t at = i;
      std::string decoded;
      bool star = false;
      if (!unescape_one(body, i, true, decoded, star, error)) {
        error_offset = at;
        return false;
      }
      if (star) {
        literal() += '*';
      } else if (decoded == "*") {
        // Cedar unescapes first and then reads stars: only `\*` is a literal star, `\u{2A}` is
        // a wildcard like `*`.
        if (out.empty() || !out.back().wildcard) out.push_back(PatternPart{true, {}});
      } else {
        literal() += decoded;
      }
    } else {
      literal() += body[i++];
    }
  }
  return true;
}

}  // namespace paddock::cedar
