// Cedar schemas, in both the human-readable (.cedarschema) and the JSON format. Used today for
// schema-directed parsing of entity and context data (an `{"type","id"}` object where the
// schema declares an entity, a string where it declares ipaddr/decimal/datetime/duration) and
// for the schema's action entities and their groups. The model is complete enough for policy
// validation (type checking) to be added on top later: entity types with their attributes,
// tags and parent types; actions with their groups, principal/resource types and context.
#pragma once

#include <nlohmann/json.hpp>

#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "cedar/value.hpp"

namespace paddock::cedar {

struct SchemaType {
  // Unresolved only exists while a schema is being read: a type name not yet looked up.
  enum class Kind { Bool, Long, String, Entity, Set, Record, Extension, Unresolved };
  Kind kind = Kind::Bool;
  std::string name;                           // Entity: the type; Extension: ipaddr, decimal, datetime, duration
  std::string name_space;                     // Unresolved: the namespace the name was written in
  std::shared_ptr<const SchemaType> element;  // Set
  struct Attribute {
    std::shared_ptr<const SchemaType> type;
    bool required = true;
  };
  std::map<std::string, Attribute, std::less<>> attributes;  // Record
};

// `{}`: the shape of an entity type without attributes, the context of an action without one.
std::shared_ptr<const SchemaType> empty_record_type();

struct EntityTypeDecl {
  std::string name;                         // fully qualified
  std::vector<std::string> member_of;       // parent entity types
  std::shared_ptr<const SchemaType> shape;  // a Record
  std::shared_ptr<const SchemaType> tags;   // null when the type has no tags
  std::vector<std::string> enum_ids;        // enumerated entity ids, if any
};

struct ActionDecl {
  EntityUid uid;
  std::vector<EntityUid> member_of;
  std::vector<std::string> principal_types;
  std::vector<std::string> resource_types;
  std::shared_ptr<const SchemaType> context;  // a Record
};

class Schema {
 public:
  // Throw PolicyError with file:line:col diagnostics on malformed input.
  static Schema from_cedar_text(const std::string& name, const std::string& text);
  static Schema from_json(const nlohmann::json& j);

  const EntityTypeDecl* entity_type(std::string_view name) const noexcept;
  const ActionDecl* action(const EntityUid& uid) const noexcept;
  const std::map<std::string, EntityTypeDecl, std::less<>>& entity_types() const noexcept { return entity_types_; }
  const std::vector<ActionDecl>& actions() const noexcept { return actions_; }

  // Used by the readers of both formats: adds declarations, then resolve() looks up every type
  // name (common types, entity types, primitives, extensions) as Cedar does.
  void add_entity_type(EntityTypeDecl decl);
  void add_action(ActionDecl decl);
  void add_common_type(const std::string& qualified_name, std::shared_ptr<const SchemaType> type);
  void resolve();

 private:
  std::shared_ptr<const SchemaType> resolve_type(const std::shared_ptr<const SchemaType>& t, std::size_t depth) const;
  std::shared_ptr<const SchemaType> resolve_name(const std::string& name, const std::string& ns,
                                                 std::size_t depth) const;

  std::map<std::string, std::shared_ptr<const SchemaType>, std::less<>> common_types_;
  std::map<std::string, EntityTypeDecl, std::less<>> entity_types_;
  std::vector<ActionDecl> actions_;
};

}  // namespace paddock::cedar
