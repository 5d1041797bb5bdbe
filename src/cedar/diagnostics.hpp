// Diagnostics a person can act on: where (file:line:col), the source line with a caret under
// the offending text, what is wrong and a hint how to fix it. Parsing collects several at
// once; loaders that cannot continue throw PolicyError carrying all of them.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "cedar/ast.hpp"
#include "common/error.hpp"

namespace paddock::cedar {

struct Diagnostic {
  enum class Severity { Error, Warning };
  Severity severity = Severity::Error;
  std::string message;
  std::string hint;                      // may be empty
  std::shared_ptr<const Source> source;  // may be null (no position)
  SourceSpan span;
};

// Line and column (both 1-based, column in bytes) of a byte offset.
struct LineColumn {
  std::size_t line = 1;
  std::size_t column = 1;
};
LineColumn line_column(std::string_view text, std::size_t offset) noexcept;

// "file:line:col: error: message\n   12 | source line\n      |    ^^^\n      = hint: ..."
std::string render(const Diagnostic& d);
std::string render(const std::vector<Diagnostic>& ds);
// "file:line:col" (or just the name when there is no position).
std::string location(const Diagnostic& d);
std::string location(const Source& source, SourceSpan span);

bool has_errors(const std::vector<Diagnostic>& ds) noexcept;

// Thrown by loaders given malformed policy text, entities or schemas. what() is the first
// diagnostic on one line; diagnostics() has them all for rendering.
class PolicyError : public Error {
 public:
  explicit PolicyError(std::vector<Diagnostic> diagnostics);
  explicit PolicyError(const std::string& message);
  const std::vector<Diagnostic>& diagnostics() const noexcept { return diagnostics_; }

 private:
  std::vector<Diagnostic> diagnostics_;
};

}  // namespace paddock::cedar
