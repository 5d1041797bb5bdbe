// What answers the MCP interposer: the supervisor, over the sandbox's MCP decision socket
// (decision_client.hpp), or a test's fake. The interposer asks; it never decides itself.
#pragma once

#include <nlohmann/json.hpp>

#include <set>
#include <string>
#include <vector>

namespace paddock::mcp {

struct CallAnswer {
  bool allowed = false;
  std::string message;  // for a refused call: "paddock: denied ...", which policy, what to do
};

class Decider {
 public:
  virtual ~Decider() = default;
  // A tools/call of `tool` on `server` with these arguments.
  virtual CallAnswer call(const std::string& server, const std::string& tool, const nlohmann::json& arguments) = 0;
  // Which of the tools a server lists the client may see (tools/list).
  virtual std::set<std::string> listed(const std::string& server, const std::vector<std::string>& tools) = 0;
};

}  // namespace paddock::mcp
