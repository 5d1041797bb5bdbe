#include "cedar/schema.hpp"

#include <fmt/core.h>

#include "cedar/diagnostics.hpp"

namespace paddock::cedar {

std::shared_ptr<const SchemaType> empty_record_type() {
  auto t = std::make_shared<SchemaType>();
  t->kind = SchemaType::Kind::Record;
  return t;
}

const EntityTypeDecl* Schema::entity_type(std::string_view name) const noexcept {
  auto it = entity_types_.find(name);
  return it == entity_types_.end() ? nullptr : &it->second;
}

const ActionDecl* Schema::action(const EntityUid& uid) const noexcept {
  for (const auto& a : actions_)
    if (a.uid == uid) return &a;
  return nullptr;
}

void Schema::add_entity_type(EntityTypeDecl decl) {
  std::string name = decl.name;
  if (!entity_types_.emplace(name, std::move(decl)).second)
    throw PolicyError(fmt::format("schema: entity type {} declared twice", name));
}

void Schema::add_action(ActionDecl decl) {
  if (action(decl.uid)) throw PolicyError(fmt::format("schema: action {} declared twice", decl.uid.to_string()));
  actions_.push_back(std::move(decl));
}

void Schema::add_common_type(const std::string& qualified_name, std::shared_ptr<const SchemaType> type) {
  if (!common_types_.emplace(qualified_name, std::move(type)).second)
    throw PolicyError(fmt::format("schema: common type {} declared twice", qualified_name));
}

namespace {

std::string qualify(const std::string& ns, const std::string& name) {
  return ns.empty() ? name : ns + "::" + name;
}

std::shared_ptr<const SchemaType> primitive(std::string_view name) {
  auto make = [](SchemaType::Kind kind, std::string ext = {}) {
    auto t = std::make_shared<SchemaType>();
    t->kind = kind;
    t->name = std::move(ext);
    return t;
  };
  if (name.starts_with("__cedar::")) name.remove_prefix(9);
  if (name == "Long") return make(SchemaType::Kind::Long);
  if (name == "String") return make(SchemaType::Kind::String);
  if (name == "Bool" || name == "Boolean") return make(SchemaType::Kind::Bool);
  if (name == "ipaddr" || name == "decimal" || name == "datetime" || name == "duration")
    return make(SchemaType::Kind::Extension, std::string(name));
  return nullptr;
}

}  // namespace

// Cedar's order for a name written in namespace NS: a common type NS::N, an entity type NS::N,
// a primitive or extension type, then the same two in the empty namespace.
std::shared_ptr<const SchemaType> Schema::resolve_name(const std::string& name, const std::string& ns,
                                                       std::size_t depth) const {
  if (depth > 64) throw PolicyError(fmt::format("schema: common type {} refers to itself", name));
  auto entity = [](const std::string& type) {
    auto t = std::make_shared<SchemaType>();
    t->kind = SchemaType::Kind::Entity;
    t->name = type;
    return t;
  };
  if (name.starts_with("__cedar::")) {
    if (auto p = primitive(name)) return p;
    throw PolicyError(fmt::format("schema: unknown type {}", name));
  }
  std::string local = qualify(ns, name);
  if (auto it = common_types_.find(local); it != common_types_.end()) return resolve_type(it->second, depth + 1);
  if (entity_types_.count(local)) return entity(local);
  if (auto p = primitive(name)) return p;
  if (auto it = common_types_.find(name); it != common_types_.end()) return resolve_type(it->second, depth + 1);
  if (entity_types_.count(name)) return entity(name);
  throw PolicyError(fmt::format("schema: unknown type `{}`{}", name, ns.empty() ? "" : " in namespace " + ns));
}

std::shared_ptr<const SchemaType> Schema::resolve_type(const std::shared_ptr<const SchemaType>& t,
                                                       std::size_t depth) const {
  if (!t) return t;
  switch (t->kind) {
    case SchemaType::Kind::Unresolved:
      return resolve_name(t->name, t->name_space, depth);
    case SchemaType::Kind::Set: {
      auto out = std::make_shared<SchemaType>(*t);
      out->element = resolve_type(t->element, depth);
      return out;
    }
    case SchemaType::Kind::Record: {
      auto out = std::make_shared<SchemaType>(*t);
      for (auto& [name, attr] : out->attributes) attr.type = resolve_type(attr.type, depth);
      return out;
    }
    default:
      return t;
  }
}

void Schema::resolve() {
  for (auto& [name, decl] : entity_types_) {
    decl.shape = resolve_type(decl.shape, 0);
    decl.tags = resolve_type(decl.tags, 0);
  }
  for (auto& a : actions_) a.context = resolve_type(a.context, 0);
}

}  // namespace paddock::cedar
