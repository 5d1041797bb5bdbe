// Which layer enforces each policy (issue 4, `paddock policy check`): the kernel (mounts and
// Landlock) for file access and the paths programs run from, the supervisor for exec argument
// rules (best effort), the egress proxy for network and HTTP rules. What a layer cannot see
// exactly is said, with the layer that checks it instead; a policy no layer ever asks about is
// said too.
#pragma once

#include <set>
#include <string>
#include <vector>

#include "cedar/policy_set.hpp"

namespace paddock::policy {

struct PolicyLayers {
  std::string id;
  std::string location;
  std::vector<std::string> actions;   // the actions paddock asks that it can apply to
  std::vector<std::string> layers;    // one line per action kind
  std::vector<std::string> warnings;  // inexact or missing enforcement
};

// Whether a policy on file access has a condition on context.path (a pattern, a comparison):
// the kernel layers decide it only at the directories they place, not per file. A run notes each
// such policy (file_path_condition_note) before the command starts.
bool has_file_path_condition(const cedar::Policy& policy);
std::string file_path_condition_note(const cedar::Policy& policy);

// Whether a policy on McpCall has a condition on context.arguments: a tools/list cannot say
// whether some call of a tool would be allowed, so the MCP interposer keeps such tools listed.
bool has_mcp_arguments_condition(const cedar::Policy& policy);

// The actions paddock asks about that a scope constraint lets through; a warning for each
// action named that paddock never asks about.
std::set<std::string> actions_of(const cedar::ScopeConstraint& scope, std::vector<std::string>& warnings);

std::vector<PolicyLayers> describe_layers(const cedar::PolicySet& policies);

}  // namespace paddock::policy
