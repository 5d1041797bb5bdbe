// The JSON schema format (docs: "JSON schema format"):
//   {"NS": {"entityTypes": {"T": {"memberOfTypes": [..], "shape": TYPE, "tags": TYPE, "enum": [..]}},
//           "actions": {"a": {"memberOf": [{"id", "type"?}], "appliesTo": {"principalTypes",
//                         "resourceTypes", "context": TYPE}}},
//           "commonTypes": {"C": TYPE}}}
//   TYPE: {"type": "Long"|"String"|"Boolean"|"Set"(element)|"Record"(attributes)|"Entity"(name)
//          |"Extension"(name)|"EntityOrCommon"(name)|<common type name>}
#include <fmt/core.h>

#include "cedar/diagnostics.hpp"
#include "cedar/schema.hpp"

namespace paddock::cedar {

using nlohmann::json;

namespace {

[[noreturn]] void fail(const std::string& where, const std::string& message) {
  throw PolicyError(fmt::format("schema {}: {}", where, message));
}

std::string qualify(const std::string& ns, const std::string& name) {
  return ns.empty() || name.find("::") != std::string::npos ? name : ns + "::" + name;
}

std::string string_field(const json& j, const char* key, const std::string& where) {
  if (!j.contains(key) || !j[key].is_string()) fail(where, fmt::format("missing string \"{}\"", key));
  return j[key].get<std::string>();
}

std::shared_ptr<const SchemaType> read_type(const json& j, const std::string& ns, const std::string& where,
                                            std::size_t depth) {
  if (depth > 200) fail(where, "type nested too deeply");
  if (!j.is_object()) fail(where, "expected a type object");
  std::string type = string_field(j, "type", where);
  auto t = std::make_shared<SchemaType>();
  if (type == "Long") {
    t->kind = SchemaType::Kind::Long;
  } else if (type == "String") {
    t->kind = SchemaType::Kind::String;
  } else if (type == "Boolean" || type == "Bool") {
    t->kind = SchemaType::Kind::Bool;
  } else if (type == "Set") {
    t->kind = SchemaType::Kind::Set;
    if (!j.contains("element")) fail(where, "a Set needs \"element\"");
    t->element = read_type(j["element"], ns, where + ".element", depth + 1);
  } else if (type == "Record") {
    t->kind = SchemaType::Kind::Record;
    if (j.contains("attributes")) {
      for (const auto& [name, attr] : j["attributes"].items()) {
        SchemaType::Attribute a;
        a.type = read_type(attr, ns, where + "." + name, depth + 1);
        a.required = attr.value("required", true);
        t->attributes.emplace(name, std::move(a));
      }
    }
  } else if (type == "Entity") {
    t->kind = SchemaType::Kind::Entity;
    t->name = qualify(ns, string_field(j, "name", where));
  } else if (type == "Extension") {
    t->kind = SchemaType::Kind::Extension;
    t->name = string_field(j, "name", where);
  } else {
    // "EntityOrCommon" with a name, or the name of a common type directly.
    t->kind = SchemaType::Kind::Unresolved;
    t->name = type == "EntityOrCommon" ? string_field(j, "name", where) : type;
    t->name_space = ns;
  }
  return t;
}

std::vector<std::string> name_list(const json& j, const std::string& ns) {
  std::vector<std::string> out;
  if (j.is_array())
    for (const auto& e : j)
      if (e.is_string()) out.push_back(qualify(ns, e.get<std::string>()));
  return out;
}

}  // namespace

Schema Schema::from_json(const json& j) {
  if (!j.is_object()) fail("", "expected an object of namespaces");
  Schema schema;
  for (const auto& [ns, body] : j.items()) {
    std::string where = ns.empty() ? "\"\"" : ns;
    if (!body.is_object()) fail(where, "expected an object");
    if (body.contains("commonTypes")) {
      for (const auto& [name, type] : body["commonTypes"].items())
        schema.add_common_type(qualify(ns, name), read_type(type, ns, where + ".commonTypes." + name, 0));
    }
    if (body.contains("entityTypes")) {
      for (const auto& [name, decl] : body["entityTypes"].items()) {
        EntityTypeDecl d;
        d.name = qualify(ns, name);
        d.member_of = name_list(decl.value("memberOfTypes", json::array()), ns);
        d.shape = decl.contains("shape") ? read_type(decl["shape"], ns, where + ".entityTypes." + name + ".shape", 0)
                                         : empty_record_type();
        if (decl.contains("tags")) d.tags = read_type(decl["tags"], ns, where + ".entityTypes." + name + ".tags", 0);
        if (decl.contains("enum"))
          for (const auto& id : decl["enum"]) d.enum_ids.push_back(id.get<std::string>());
        schema.add_entity_type(std::move(d));
      }
    }
    if (body.contains("actions")) {
      for (const auto& [name, decl] : body["actions"].items()) {
        ActionDecl a;
        a.uid = EntityUid(qualify(ns, "Action"), name);
        for (const auto& m : decl.value("memberOf", json::array())) {
          std::string type = m.contains("type") ? qualify(ns, m["type"].get<std::string>()) : qualify(ns, "Action");
          a.member_of.emplace_back(type, string_field(m, "id", where + ".actions." + name + ".memberOf"));
        }
        const json applies = decl.value("appliesTo", json::object());
        a.principal_types = name_list(applies.value("principalTypes", json::array()), ns);
        a.resource_types = name_list(applies.value("resourceTypes", json::array()), ns);
        a.context = applies.contains("context")
                        ? read_type(applies["context"], ns, where + ".actions." + name + ".context", 0)
                        : empty_record_type();
        schema.add_action(std::move(a));
      }
    }
  }
  schema.resolve();
  return schema;
}

}  // namespace paddock::cedar
