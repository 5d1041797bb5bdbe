// Messages from paddock itself (not from the sandboxed command) go to stderr with a prefix,
// so they stand apart from the command's own output.
#pragma once

#include <fmt/core.h>

#include <cstdio>
#include <string_view>

namespace paddock::log {

template <typename... Args>
void warn(fmt::format_string<Args...> format, Args&&... args) {
  fmt::print(stderr, "paddock: warning: {}\n", fmt::format(format, std::forward<Args>(args)...));
}

template <typename... Args>
void note(fmt::format_string<Args...> format, Args&&... args) {
  fmt::print(stderr, "paddock: {}\n", fmt::format(format, std::forward<Args>(args)...));
}

}  // namespace paddock::log
