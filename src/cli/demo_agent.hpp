// The built-in demo agent that `paddock run` starts when no command is given: a shell script
// that tries allowed and forbidden things and shows each outcome.
#pragma once

#include <string>
#include <vector>

namespace paddock::cli {

std::vector<std::string> demo_agent_command();

}  // namespace paddock::cli
