// `paddock audit tail` and `paddock audit query`: the records of the trails, for people (one
// summary line each) or as JSON lines.
#pragma once

#include "cli/command.hpp"

namespace paddock::cli {

void add_audit_read_commands(CLI::App* audit, Action& action);

}  // namespace paddock::cli
