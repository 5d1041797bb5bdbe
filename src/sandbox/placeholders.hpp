// Placeholders: empty files or directories created in the host workspace where a protected path
// does not exist yet, so a read-only mount can cover it. Removed after the run, but only while
// still empty and still the very inode paddock created (never a file the user made meanwhile).
#pragma once

#include <sys/types.h>

#include <string>

#include "sandbox/spec.hpp"

namespace paddock::sandbox::placeholders {

struct Created {
  std::string path;
  bool directory = false;
  dev_t dev = 0;
  ino_t ino = 0;
};

Created create(const Placeholder& placeholder);
void remove(const Created& created) noexcept;

// "<d|f> <dev> <ino> <path>" and back, for the watchdog.
std::string encode(const Created& created);
Created decode(const std::string& text);

}  // namespace paddock::sandbox::placeholders
