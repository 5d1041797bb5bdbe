// The run's side of TLS interception and credentials: the installation's CA trusted inside the
// sandbox, the granted secrets' placeholders in its environment, and what the proxy needs to
// read TLS and swap placeholders for values. Only `paddock run` does this (`paddock plan`
// creates no CA and reads no secret).
#pragma once

#include "cli/run_options.hpp"
#include "net/proxy_context.hpp"

namespace paddock::cli {

// Adds the trust files and variables and the placeholders to `run.request` (before --env, which
// may override them) and returns the proxy's interception. Throws Error (status 2) for a grant
// of an unknown secret, or grants and --intercept under a profile without network.
net::Interception prepare_interception(const RunOptions& options, PreparedRun& run);

}  // namespace paddock::cli
