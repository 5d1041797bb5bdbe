#include "policy/request_entities.hpp"

#include <filesystem>

#include "common/error.hpp"
#include "policy/vocabulary.hpp"

namespace paddock::policy {
namespace {

bool path_within(std::string_view path, std::string_view dir) {
  if (dir == "/") return true;
  return path.substr(0, dir.size()) == dir && (path.size() == dir.size() || path[dir.size()] == '/');
}

}  // namespace

RequestEntities::RequestEntities(Identity identity, std::vector<Location> locations)
    : identity_(std::move(identity)), locations_(std::move(locations)) {
  for (auto& location : locations_) {
    location.path = std::filesystem::path(location.path).lexically_normal().string();
    while (location.path.size() > 1 && location.path.back() == '/') location.path.pop_back();
  }
  principal_uid_ = cedar::EntityUid(std::string(type::kAgent), identity_.agent);
  principal_.uid = &principal_uid_;
  const auto& sandbox = fixed_uids_.emplace_back(std::string(type::kSandbox), identity_.sandbox);
  principal_.parents = {&sandbox};
  principal_.ancestors = {&sandbox};
  principal_.sort_ancestors();

  action_uids_.reserve(std::size(kActions));
  for (const auto& info : kActions) action_uids_.emplace_back(std::string(type::kAction), std::string(info.name));
  actions_.resize(action_uids_.size());
  for (std::size_t i = 0; i < action_uids_.size(); ++i) {
    actions_[i].uid = &action_uids_[i];
    if (kActions[i].parent.empty()) continue;
    for (std::size_t j = 0; j < action_uids_.size(); ++j) {
      if (kActions[j].name != kActions[i].parent) continue;
      actions_[i].parents = {&action_uids_[j]};
      actions_[i].ancestors = {&action_uids_[j]};
    }
  }
  resource_.uid = &resource_uid_;
}

const cedar::EntityUid& RequestEntities::action(std::string_view name) const {
  for (std::size_t i = 0; i < action_uids_.size(); ++i)
    if (kActions[i].name == name) return action_uids_[i];
  throw Error("unknown action " + std::string(name));
}

void RequestEntities::reset_resource(std::string_view type, std::string id) {
  resource_uid_ = cedar::EntityUid(std::string(type), std::move(id));
  resource_ancestors_.clear();
  resource_.parents.clear();
  resource_.ancestors.clear();
}

void RequestEntities::add_resource_ancestor(std::string_view type, std::string id) {
  const auto& uid = resource_ancestors_.emplace_back(std::string(type), std::move(id));
  if (resource_.parents.empty()) resource_.parents.push_back(&uid);
  resource_.ancestors.push_back(&uid);
}

void RequestEntities::path_resource(std::string_view path, bool directory) {
  std::string normal = std::filesystem::path(path).lexically_normal().string();
  while (normal.size() > 1 && normal.back() == '/') normal.pop_back();
  reset_resource(directory ? type::kDir : type::kFile, directory ? dir_id(normal) : normal);
  // A directory is also named without its trailing slash (Leash's policies do both).
  if (directory && normal != "/") add_resource_ancestor(type::kDir, normal);
  for (auto& id : path_ancestor_ids(normal)) add_resource_ancestor(type::kDir, std::move(id));
  for (const auto& location : locations_)
    if (path_within(normal, location.path)) add_resource_ancestor(type::kLocation, location.name);
  resource_.sort_ancestors();
}

void RequestEntities::host_resource(std::string_view host, std::uint16_t port, bool in_wildcard) {
  auto ancestors = host_ancestor_ids(host);
  if (!in_wildcard) ancestors.pop_back();  // host_ancestor_ids ends with "*"
  if (port == 0) {
    reset_resource(type::kHost, ancestors.front());
    ancestors.erase(ancestors.begin());
  } else {
    reset_resource(type::kHost, host_id(host, port));
  }
  for (auto& id : ancestors) add_resource_ancestor(type::kHost, std::move(id));
  resource_.sort_ancestors();
}

void RequestEntities::secret_resource(std::string_view name) {
  reset_resource(type::kSecret, std::string(name));
}

void RequestEntities::mcp_tool_resource(std::string_view server, std::string_view tool) {
  reset_resource(type::kMcpTool, std::string(tool));
  add_resource_ancestor(type::kMcpServer, std::string(server));
  resource_.sort_ancestors();
}

const cedar::Entity* RequestEntities::find(const cedar::EntityUid& uid) const noexcept {
  if (uid == resource_uid_) return &resource_;
  if (uid == principal_uid_) return &principal_;
  for (std::size_t i = 0; i < action_uids_.size(); ++i)
    if (uid == action_uids_[i]) return &actions_[i];
  return nullptr;
}

}  // namespace paddock::policy
