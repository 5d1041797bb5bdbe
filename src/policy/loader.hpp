// Loading a run's policy: the profile's Cedar text first, then each extra policy file (Cedar
// text, or the JSON policy format when the name ends in .json), into one compiled set. Policy
// ids come from @id("...") annotations, else they are positional. Anything that does not parse
// is an error carrying every diagnostic; nothing half-loaded is returned.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "cedar/policy_set.hpp"
#include "policy/profiles.hpp"

namespace paddock::policy {

struct PolicyFile {
  std::string name;  // for diagnostics: a path, or "<profile strict>"
  std::string text;
};

// Throws cedar::PolicyError (all diagnostics) or Error (an unreadable file).
std::shared_ptr<const cedar::PolicySet> load_policy_set(const std::vector<PolicyFile>& files);
// The profile followed by the files at `paths`, read from disk.
std::vector<PolicyFile> policy_files(const Profile& profile, const std::vector<std::string>& paths);

}  // namespace paddock::policy
