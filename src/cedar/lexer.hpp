// Tokens of Cedar policy text (cedar-policy-core parser/grammar.lalrpop, the `match` block).
// String literals are kept raw (with their escapes) because strings and `like` patterns
// unescape differently; the parser does it (unescape.hpp).
#pragma once

#include <cstdint>
#include <string_view>
#include <vector>

#include "cedar/ast.hpp"

namespace paddock::cedar {

enum class Tok : std::uint8_t {
  End,
  Ident,
  Int,
  Str,
  Slot,
  At,
  LParen,
  RParen,
  LBracket,
  RBracket,
  LBrace,
  RBrace,
  Comma,
  Semi,
  Colon,
  ColonColon,
  Dot,
  Question,
  EqEq,
  Assign,
  NotEq,
  Less,
  LessEq,
  Greater,
  GreaterEq,
  AndAnd,
  OrOr,
  Bang,
  Plus,
  Minus,
  Star,
  Slash,
  Percent,
  Error,  // text holds what was found; the parser reports it
};

struct Token {
  Tok kind = Tok::End;
  std::string_view text;  // the token's text in the source (for Str: including the quotes)
  SourceSpan span;
};

// Splits `text` into tokens; the last one is End. Never fails: bad input becomes Error tokens.
std::vector<Token> tokenize(std::string_view text);

// Whether `text` is valid UTF-8 (Cedar policy text must be); on failure sets `bad_offset`.
bool valid_utf8(std::string_view text, std::size_t& bad_offset) noexcept;

// Rust-style escapes of a string literal's body (without the quotes): \n \r \t \\ \0 \' \"
// \xHH (up to 7F) and \u{H..HHHHHH}. On failure returns false and describes the problem in
// `error`, with `error_offset` the escape's offset in `body`.
bool unescape_string(std::string_view body, std::string& out, std::string& error, std::size_t& error_offset);
// The same for a `like` pattern, where `\*` is a literal star and `*` a wildcard.
bool unescape_pattern(std::string_view body, std::vector<PatternPart>& out, std::string& error,
                      std::size_t& error_offset);

}  // namespace paddock::cedar
