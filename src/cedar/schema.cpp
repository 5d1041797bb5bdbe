#include "cedar/schema.hpp"

namespace paddock::cedar {

const EntityTypeDecl* Schema::entity_type(std::string_view name) const noexcept {
  auto it = entity_types_.find(name);
  return it == entity_types_.end() ? nullptr : &it->second;
}

const ActionDecl* Schema::action(const EntityUid& uid) const noexcept {
  for (const auto& a : actions_)
    if (a.uid == uid) return &a;
  return nullptr;
}

}  // namespace paddock::cedar

// TEMPORARY until the schema parsers land
#include "cedar/diagnostics.hpp"
namespace paddock::cedar {
Schema Schema::from_cedar_text(const std::string&, const std::string&) { throw PolicyError("schema: not yet"); }
Schema Schema::from_json(const nlohmann::json&) { throw PolicyError("schema: not yet"); }
}
