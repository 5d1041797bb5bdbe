// The MCP decision socket: how an interposer inside the sandbox asks the supervisor. A TCP
// socket on the sandbox's own 127.0.0.1 (made by the sandbox's init in its network namespace
// and served on the supervisor's event loop, like the egress proxy's); one JSON object per
// line each way:
//   {"method":"tools/call","server":S,"tool":T,"arguments":{...}} -> {"allowed":B,"message":M}
//   {"method":"tools/list","server":S,"tools":[T...]}              -> {"listed":[T...]}
// A request the supervisor cannot read gets {"error":M}.
#pragma once

#include <cstddef>
#include <cstdint>

namespace paddock::mcp {

inline constexpr std::uint16_t kDecisionPort = 3129;
// The variable naming it inside the sandbox: "127.0.0.1:3129".
inline constexpr const char* kDecisionVariable = "PADDOCK_MCP";
// A request longer than this (a tool call's arguments, mostly) is refused.
inline constexpr std::size_t kMaxRequestBytes = 8 << 20;

}  // namespace paddock::mcp
