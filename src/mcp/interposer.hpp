// The MCP interposer's core (DESIGN.md "MCP"): JSON-RPC messages between an MCP client and a
// stdio server, one per line. A tools/call goes to the server only when the Decider allows it;
// a refused one is answered here with an error result the model can read. A tools/list result
// loses the tools the Decider hides. Ids are per direction: only the client's requests are
// tracked, so the server's own requests (roots/list, sampling) pass untouched.
//
// Both directions may run on threads of their own: from_client() and from_server() are safe to
// call concurrently.
#pragma once

#include <mutex>
#include <set>
#include <string>
#include <string_view>

#include "mcp/decider.hpp"

namespace paddock::mcp {

class Interposer {
 public:
  Interposer(std::string server, Decider& decider) : server_(std::move(server)), decider_(decider) {}

  struct Relay {
    std::string to_server;  // a line for the server (without '\n'); empty: nothing
    std::string to_client;  // the interposer's own answer; empty: nothing
  };
  // A line the client wrote. What is not JSON never reaches the server (another parser could
  // read it differently); the server gets the message as it was decided, re-serialised.
  Relay from_client(std::string_view line);
  // A line the server wrote: the line for the client, or empty when it is dropped (not JSON:
  // stdout of a stdio server carries only MCP).
  std::string from_server(std::string_view line);

 private:
  // One message (not a batch); fills `answer` when the interposer answers it itself.
  bool admit(const nlohmann::json& message, nlohmann::json& answer);
  // A tools/list result of the client's: loses the hidden tools. True when it was one.
  bool filter(nlohmann::json& message);

  std::string server_;
  Decider& decider_;
  std::mutex mutex_;
  std::set<std::string> pending_lists_;  // ids (JSON text) of the client's tools/list requests
};

// The reply to a refused tools/call: {"jsonrpc":"2.0","id":ID,"result":{"content":[{"type":
// "text","text":TEXT}],"isError":true}}.
nlohmann::json blocked_result(const nlohmann::json& id, const std::string& text);

}  // namespace paddock::mcp
