#include "cedar/diagnostics.hpp"

#include <fmt/core.h>

#include <algorithm>

namespace paddock::cedar {

LineColumn line_column(std::string_view text, std::size_t offset) noexcept {
  offset = std::min(offset, text.size());
  LineColumn lc;
  std::size_t line_start = 0;
  for (std::size_t i = 0; i < offset; ++i) {
    if (text[i] == '\n') {
      ++lc.line;
      line_start = i + 1;
    }
  }
  lc.column = offset - line_start + 1;
  return lc;
}

std::string location(const Source& source, SourceSpan span) {
  auto lc = line_column(source.text, span.begin);
  return fmt::format("{}:{}:{}", source.name, lc.line, lc.column);
}

std::string location(const Diagnostic& d) {
  return d.source ? location(*d.source, d.span) : std::string{};
}

namespace {

// Control characters would garble the terminal; show them as spaces (columns stay aligned).
std::string printable(std::string_view line) {
  std::string out(line);
  for (auto& c : out)
    if (static_cast<unsigned char>(c) < 0x20 && c != '\t') c = ' ';
  return out;
}

}  // namespace

std::string render(const Diagnostic& d) {
  const char* severity = d.severity == Diagnostic::Severity::Error ? "error" : "warning";
  std::string out;
  if (!d.source) {
    out = fmt::format("{}: {}\n", severity, d.message);
  } else {
    const std::string& text = d.source->text;
    auto lc = line_column(text, d.span.begin);
    out = fmt::format("{}:{}:{}: {}: {}\n", d.source->name, lc.line, lc.column, severity, d.message);
    std::size_t begin = std::min<std::size_t>(d.span.begin, text.size());
    std::size_t newline = begin == 0 ? std::string::npos : text.rfind('\n', begin - 1);
    std::size_t line_start = newline == std::string::npos ? 0 : newline + 1;
    std::size_t line_end = text.find('\n', begin);
    if (line_end == std::string::npos) line_end = text.size();
    std::string line = printable(std::string_view(text).substr(line_start, line_end - line_start));
    std::size_t end = std::clamp<std::size_t>(d.span.end, begin + 1, std::max(line_end, begin + 1));
    std::string caret(begin - line_start, ' ');
    for (std::size_t i = 0; i < caret.size(); ++i)
      if (line[i] == '\t') caret[i] = '\t';
    caret.append(end - begin, '^');
    std::string gutter = std::to_string(lc.line);
    out += fmt::format(" {} | {}\n {} | {}\n", gutter, line, std::string(gutter.size(), ' '), caret);
  }
  if (!d.hint.empty()) out += fmt::format("  = hint: {}\n", d.hint);
  return out;
}

std::string render(const std::vector<Diagnostic>& ds) {
  std::string out;
  for (const auto& d : ds) out += render(d);
  return out;
}

bool has_errors(const std::vector<Diagnostic>& ds) noexcept {
  return std::any_of(ds.begin(), ds.end(),
                     [](const Diagnostic& d) { return d.severity == Diagnostic::Severity::Error; });
}

namespace {

std::string first_line(const std::vector<Diagnostic>& ds) {
  if (ds.empty()) return "invalid Cedar input";
  const auto& d = ds.front();
  std::string where = location(d);
  std::string text = where.empty() ? d.message : where + ": " + d.message;
  if (ds.size() > 1) text += fmt::format(" (and {} more)", ds.size() - 1);
  return text;
}

}  // namespace

PolicyError::PolicyError(std::vector<Diagnostic> diagnostics)
    : Error(first_line(diagnostics)), diagnostics_(std::move(diagnostics)) {}

PolicyError::PolicyError(const std::string& message) : Error(message) {
  diagnostics_.push_back(Diagnostic{Diagnostic::Severity::Error, message, {}, nullptr, {}});
}

}  // namespace paddock::cedar
