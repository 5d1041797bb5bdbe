// What this kernel and host offer the sandbox, probed without side effects (`paddock doctor`).
#pragma once

#include <string>
#include <vector>

namespace paddock::sandbox {

struct Feature {
  std::string name;
  bool available = false;
  std::string detail;      // what was found (a version, a list of controllers)
  std::string without_it;  // what a sandbox loses when it is missing
};

std::vector<Feature> probe_features();

}  // namespace paddock::sandbox
