// The entities of one authorization request, synthesised on the fly: the principal (the agent,
// in its sandbox), the action (in its group) and the resource (a path, a host, a secret, an MCP
// tool) with everything it is in. Nothing is stored ahead of time: a path's ancestors are its
// directories and the named locations that contain it, a host's ancestors its wildcard domains.
#pragma once

#include <cstdint>
#include <deque>
#include <string>
#include <string_view>
#include <vector>

#include "cedar/entities.hpp"

namespace paddock::policy {

// A named place in the sandbox's filesystem: policies say `resource in Location::"workspace"`
// instead of a path that differs per project. Several entries may share a name.
struct Location {
  std::string name;  // "workspace", "home", "system", "scratch"
  std::string path;  // absolute, inside the sandbox
};

struct Identity {
  std::string agent = "agent";      // Agent::"<agent>"
  std::string sandbox = "sandbox";  // Sandbox::"<sandbox>"
};

class RequestEntities final : public cedar::EntitySource {
 public:
  RequestEntities(Identity identity, std::vector<Location> locations);
  RequestEntities(const RequestEntities&) = delete;
  RequestEntities& operator=(const RequestEntities&) = delete;

  // Set the resource of the next request.
  void path_resource(std::string_view path, bool directory);
  // Host::"name:port" (connections) or, with port 0, Host::"name" (requests: Leash writes
  // `resource == Host::"api.example.com"` for HTTP rules, with the port in the context).
  // `in_wildcard` false leaves Host::"*" out of the ancestors: the proxy asks so about loopback,
  // private and metadata addresses, which only a policy naming the address itself may allow.
  void host_resource(std::string_view host, std::uint16_t port, bool in_wildcard = true);
  void secret_resource(std::string_view name);
  void mcp_tool_resource(std::string_view server, std::string_view tool);

  const cedar::EntityUid& principal() const noexcept { return principal_uid_; }
  const cedar::EntityUid& resource() const noexcept { return resource_uid_; }
  // Action::"<name>"; the name must be one of vocabulary.hpp's kActions.
  const cedar::EntityUid& action(std::string_view name) const;

  const cedar::Entity* find(const cedar::EntityUid& uid) const noexcept override;

  const Identity& identity() const noexcept { return identity_; }
  const std::vector<Location>& locations() const noexcept { return locations_; }

 private:
  void reset_resource(std::string_view type, std::string id);
  void add_resource_ancestor(std::string_view type, std::string id);

  Identity identity_;
  std::vector<Location> locations_;
  std::deque<cedar::EntityUid> fixed_uids_;  // principal, sandbox, actions: stable for the object's life
  cedar::EntityUid principal_uid_;
  cedar::Entity principal_;
  std::vector<cedar::EntityUid> action_uids_;
  std::vector<cedar::Entity> actions_;
  cedar::EntityUid resource_uid_;
  cedar::Entity resource_;
  std::deque<cedar::EntityUid> resource_ancestors_;  // rebuilt per request
};

}  // namespace paddock::policy
