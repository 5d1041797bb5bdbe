// Warnings about policies that parse but are probably not what the author meant (used by
// `paddock policy check`): a policy that matches every request, a condition that is not a
// boolean, an extension constructor whose literal argument can never parse (the policy then
// errors whenever it is reached, and Cedar skips it).
#pragma once

#include <vector>

#include "cedar/ast.hpp"
#include "cedar/diagnostics.hpp"

namespace paddock::cedar {

std::vector<Diagnostic> lint(const PolicyAst& policy);

}  // namespace paddock::cedar
