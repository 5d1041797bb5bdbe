#include "common/error.hpp"

#include <cstring>
#include <string>

namespace paddock {

std::string errno_text(int err) {
  const char* name = strerrorname_np(err);
  std::string text = std::strerror(err);
  if (name != nullptr) text += std::string(" (") + name + ")";
  return text;
}

SysError::SysError(std::string_view what, int err) : Error(std::string(what) + ": " + errno_text(err)), code_(err) {}

}  // namespace paddock
