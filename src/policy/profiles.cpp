#include "policy/profiles.hpp"

#include "common/error.hpp"

namespace paddock::policy {

std::vector<std::string> profile_names() {
  std::vector<std::string> names;
  for (const auto& p : builtin_profile_texts()) names.emplace_back(p.name);
  return names;
}

Profile find_profile(std::string_view name) {
  for (const auto& p : builtin_profile_texts()) {
    if (p.name != name) continue;
    Profile profile{p.name, p.cedar};
    profile.overlay_workspace = name == "paranoid";
    profile.network = name != "paranoid";
    return profile;
  }
  std::string known;
  for (const auto& n : profile_names()) known += (known.empty() ? "" : ", ") + n;
  throw Error("unknown profile \"" + std::string(name) + "\"; the profiles are " + known, 2);
}

}  // namespace paddock::policy
