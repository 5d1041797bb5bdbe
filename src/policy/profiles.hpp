// The built-in profiles (DESIGN.md, "Profiles"): paranoid, strict (the default), standard and
// trusted. Each is Cedar text (src/policy/profiles/*.cedar, embedded at build time) plus the few
// settings a policy cannot express.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace paddock::policy {

struct ProfileText {
  std::string_view name;
  std::string_view cedar;
};
// Generated from the .cedar files (embed_profiles.cmake).
const std::vector<ProfileText>& builtin_profile_texts();

struct Profile {
  std::string_view name;
  std::string_view cedar;
  // Writes to the workspace go to a throw-away layer (an overlay), never to the host.
  bool overlay_workspace = false;
  // The sandbox gets the egress proxy (otherwise its network namespace has no way out at all).
  bool network = true;
};

inline constexpr std::string_view kDefaultProfile = "strict";

// Throws Error naming the known profiles when `name` is not one.
Profile find_profile(std::string_view name);
std::vector<std::string> profile_names();

}  // namespace paddock::policy
