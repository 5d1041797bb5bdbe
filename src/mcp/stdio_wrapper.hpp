// `paddock mcp wrap`'s relay: starts a stdio MCP server and stands between it and the client
// (this process's stdin and stdout) through an Interposer. The server's stderr is left alone.
#pragma once

#include <string>
#include <vector>

#include "mcp/interposer.hpp"

namespace paddock::mcp {

// Runs until the server exits (its stdout closes); returns its exit status (128+N for signal
// N). When the client closes stdin, the server's stdin is closed too, as a client would.
// Throws Error (status 127) when the server cannot be started.
int relay_stdio_server(const std::vector<std::string>& command, Interposer& interposer);

}  // namespace paddock::mcp
