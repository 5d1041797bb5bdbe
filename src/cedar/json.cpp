#include "cedar/json.hpp"

#include <fmt/core.h>

#include <set>

#include "cedar/diagnostics.hpp"
#include "cedar/evaluator.hpp"
#include "cedar/extensions.hpp"
#include "cedar/parser.hpp"
#include "cedar/schema.hpp"

namespace paddock::cedar {

using nlohmann::json;

namespace {

// Where a value sits in a document (`entities[3].attrs.owner`). Formatted only when an error
// names it, so reading well-formed data builds no path strings.
class Where {
 public:
  Where(const char* root) : root_(root) {}         // NOLINT(google-explicit-constructor): paths start as text
  Where(const std::string& root) : root_(root) {}  // NOLINT(google-explicit-constructor)
  Where(const Where& parent, std::string_view key) : parent_(&parent), key_(key) {}
  Where(const Where& parent, std::size_t index) : parent_(&parent), index_(index), is_index_(true) {}

  std::string str() const {
    if (!parent_) return std::string(root_);
    return is_index_ ? fmt::format("{}[{}]", parent_->str(), index_) : fmt::format("{}.{}", parent_->str(), key_);
  }

 private:
  const Where* parent_ = nullptr;
  std::string_view root_;
  std::string_view key_;
  std::size_t index_ = 0;
  bool is_index_ = false;
};

[[noreturn]] void fail(const Where& where, const std::string& message) {
  throw PolicyError(fmt::format("{}: {}", where.str(), message));
}

EntityUid uid_at(const json& j, const Where& where) {
  const json* body = &j;
  if (j.is_object() && j.size() == 1 && j.contains("__entity")) body = &j["__entity"];
  if (!body->is_object() || body->size() != 2 || !body->contains("type") || !body->contains("id"))
    fail(where, "expected an entity reference {\"type\": \"T\", \"id\": \"x\"}");
  const json& type = (*body)["type"];
  const json& id = (*body)["id"];
  if (!type.is_string() || !id.is_string()) fail(where, "entity type and id must be strings");
  const std::string& type_name = type.get_ref<const std::string&>();
  if (!valid_type_name(type_name)) fail(where, fmt::format("`{}` is not a valid entity type name", type_name));
  return EntityUid(type_name, id.get<std::string>());
}

}  // namespace

json parse_json_text(std::string_view text, const std::string& what) {
  // One set of keys per open object, to reject duplicates (nlohmann keeps the last silently).
  std::vector<std::set<std::string>> keys;
  std::string duplicate;
  std::size_t depth = 0;
  auto callback = [&](int /*depth*/, json::parse_event_t event, json& parsed) {
    switch (event) {
      case json::parse_event_t::object_start:
        keys.emplace_back();
        [[fallthrough]];
      case json::parse_event_t::array_start:
        if (++depth > kMaxNesting)
          throw PolicyError(fmt::format("{}: JSON nested deeper than {} levels", what, kMaxNesting));
        break;
      case json::parse_event_t::object_end:
        keys.pop_back();
        --depth;
        break;
      case json::parse_event_t::array_end:
        --depth;
        break;
      case json::parse_event_t::key:
        if (!keys.back().insert(parsed.get<std::string>()).second && duplicate.empty())
          duplicate = parsed.get<std::string>();
        break;
      default:
        break;
    }
    return true;
  };
  try {
    json j = json::parse(text.begin(), text.end(), callback);
    if (!duplicate.empty())
      throw PolicyError(fmt::format("{}: duplicate key \"{}\" in a JSON object", what, duplicate));
    return j;
  } catch (const json::exception& e) {
    throw PolicyError(fmt::format("{}: invalid JSON: {}", what, e.what()));
  }
}

EntityUid uid_from_json(const json& j, const std::string& where) {
  return uid_at(j, Where(where));
}

bool is_action_type(std::string_view type) noexcept {
  return type == "Action" || type.ends_with("::Action");
}

json uid_to_json(const EntityUid& uid) {
  return json{{"type", uid.type()}, {"id", uid.id()}};
}

namespace {

// The extension constructor that makes values of a schema extension type.
std::string_view constructor_of(std::string_view extension_type) {
  if (extension_type == "ipaddr") return "ip";
  return extension_type;
}

Value extension_value(std::string_view fn, const json& arg, const Where& where) {
  if (!arg.is_string()) fail(where, fmt::format("the argument of {}() must be a string", fn));
  std::string text = arg.get<std::string>();
  if (fn == "ip" || fn == "ipaddr") {
    if (auto v = parse_ip(text)) return Value::ip(*v);
  } else if (fn == "decimal") {
    if (auto v = parse_decimal(text)) return Value::decimal(*v);
  } else if (fn == "datetime") {
    if (auto v = parse_datetime(text)) return Value::datetime(*v);
  } else if (fn == "duration") {
    if (auto v = parse_duration(text)) return Value::duration(*v);
  } else {
    fail(where, fmt::format("unknown extension function `{}`", fn));
  }
  fail(where, fmt::format("{}({}) is not a valid value", fn, quote_string(text)));
}

// `{"fn": F, "args": [...]}`: any extension function applied to values (e.g. offset of a
// datetime by a duration); evaluated as the call expression would be.
Value apply_extension(const std::string& fn, const std::vector<Value>& args, LiteralStore& store, const Where& where) {
  const BuiltinInfo* info = find_builtin(fn);
  if (!info || !info->is_extension()) fail(where, fmt::format("unknown extension function `{}`", fn));
  Expr call;
  call.kind = ExprKind::Call;
  call.builtin = info->id;
  for (const Value& v : args) {
    Expr arg;
    arg.value = v;
    call.children.push_back(std::move(arg));
  }
  static const EmptyEntities kNoEntities;
  Request request;
  Arena scratch;
  Evaluator evaluator(request, kNoEntities, scratch);
  Value out;
  if (!evaluator.eval(call, out)) fail(where, evaluator.error().message);
  if (out.type() < ValueType::Decimal) fail(where, fmt::format("`{}` does not make an extension value", fn));
  return copy_value(out, store.arena, [&](const EntityUid& uid) { return store.keep(uid); });
}

class ValueReader {
 public:
  ValueReader(LiteralStore& store, const Schema* schema) : store_(store), schema_(schema) {}

  Value read(const json& j, const Where& where, const SchemaType* expected, std::size_t depth) {
    if (depth > kMaxNesting) fail(where, fmt::format("value nested deeper than {} levels", kMaxNesting));
    using Kind = SchemaType::Kind;
    if (expected && expected->kind == Kind::Entity && j.is_object() && !j.contains("__entity"))
      return Value::entity(store_.keep(uid_at(j, where)));
    if (expected && expected->kind == Kind::Extension && j.is_string())
      return extension_value(constructor_of(expected->name), j, where);
    switch (j.type()) {
      case json::value_t::boolean:
        return Value::boolean(j.get<bool>());
      case json::value_t::number_integer:
        return Value::long_(j.get<std::int64_t>());
      case json::value_t::number_unsigned: {
        auto u = j.get<std::uint64_t>();
        if (u > static_cast<std::uint64_t>(INT64_MAX))
          fail(where, fmt::format("integer {} does not fit in 64 bits", u));
        return Value::long_(static_cast<std::int64_t>(u));
      }
      case json::value_t::number_float:
        fail(where, "numbers must be integers (Cedar has no floating point)");
      case json::value_t::string:
        return Value::string(store_.keep(j.get_ref<const std::string&>()));
      case json::value_t::array: {
        const SchemaType* element = expected && expected->kind == Kind::Set ? expected->element.get() : nullptr;
        std::vector<Value> elements;
        elements.reserve(j.size());
        for (std::size_t i = 0; i < j.size(); ++i) elements.push_back(read(j[i], Where(where, i), element, depth + 1));
        return make_set(store_.arena, elements);
      }
      case json::value_t::object: {
        if (j.size() == 1 && j.contains("__entity")) return Value::entity(store_.keep(uid_at(j, where)));
        if (j.size() == 1 && j.contains("__extn")) return extn_escape(j["__extn"], Where(where, "__extn"), depth);
        if (j.size() == 1 && j.contains("__expr"))
          fail(where, "the __expr escape is not supported; use __entity or __extn");
        return read_record(j, where, expected && expected->kind == Kind::Record ? expected : nullptr, depth);
      }
      case json::value_t::null:
        fail(where, "null is not a Cedar value");
      default:
        fail(where, "unsupported JSON value");
    }
  }

  Value extn_escape(const json& body, const Where& where, std::size_t depth) {
    if (!body.is_object() || !body.contains("fn") || !body["fn"].is_string())
      fail(where, "expected {\"__extn\": {\"fn\": \"ip\", \"arg\": \"...\"}}");
    std::string fn = body["fn"].get<std::string>();
    if (body.contains("arg") && body.size() == 2) return extension_value(fn, body["arg"], where);
    if (!body.contains("args") || body.size() != 2 || !body["args"].is_array())
      fail(where, fmt::format("expected \"arg\" or \"args\" for extension function `{}`", fn));
    std::vector<Value> args;
    Where args_at(where, "args");
    for (std::size_t i = 0; i < body["args"].size(); ++i)
      args.push_back(read(body["args"][i], Where(args_at, i), nullptr, depth + 1));
    return apply_extension(fn, args, store_, where);
  }

  Value read_record(const json& j, const Where& where, const SchemaType* expected, std::size_t depth) {
    if (!j.is_object()) fail(where, "expected a JSON object");
    std::vector<RecordEntry> entries;
    entries.reserve(j.size());
    for (const auto& [key, value] : j.items()) {
      const SchemaType* attr_type = nullptr;
      if (expected) {
        if (auto it = expected->attributes.find(key); it != expected->attributes.end())
          attr_type = it->second.type.get();
      }
      entries.push_back(RecordEntry{store_.keep(key), read(value, Where(where, key), attr_type, depth + 1)});
    }
    Value out;
    if (!make_record(store_.arena, entries, out)) fail(where, "duplicate key in record");
    return out;
  }

 private:
  LiteralStore& store_;
  const Schema* schema_;
};

}  // namespace

Value value_from_json(const json& j, LiteralStore& store, const std::string& where, const SchemaType* expected,
                      const Schema* schema) {
  return ValueReader(store, schema).read(j, Where(where), expected, 0);
}

json value_to_json(const Value& v) {
  switch (v.type()) {
    case ValueType::Bool:
      return v.as_bool();
    case ValueType::Long:
      return v.as_int();
    case ValueType::String:
      return std::string(v.as_string());
    case ValueType::Entity:
      return json{{"__entity", uid_to_json(v.as_entity())}};
    case ValueType::Set: {
      json out = json::array();
      for (const auto& e : v.as_set()) out.push_back(value_to_json(e));
      return out;
    }
    case ValueType::Record: {
      json out = json::object();
      for (const auto& e : v.as_record()) out[std::string(e.key)] = value_to_json(e.value);
      return out;
    }
    case ValueType::Decimal:
      return json{{"__extn", {{"fn", "decimal"}, {"arg", format_decimal(v.as_int())}}}};
    case ValueType::IpAddr:
      return json{{"__extn", {{"fn", "ip"}, {"arg", format_ip(v.as_ip())}}}};
    case ValueType::DateTime:
      return json{{"__extn", {{"fn", "datetime"}, {"arg", format_datetime(v.as_int())}}}};
    case ValueType::Duration:
      return json{{"__extn", {{"fn", "duration"}, {"arg", format_duration(v.as_int())}}}};
  }
  return nullptr;
}

void load_entities_json(const json& j, EntityStore& store, const Schema* schema) {
  if (!j.is_array()) fail("entities", "expected a JSON array of entities");
  ValueReader reader(store.storage(), schema);
  const Where root("entities");
  for (std::size_t i = 0; i < j.size(); ++i) {
    const Where where(root, i);
    const json& e = j[i];
    if (!e.is_object()) fail(where, "expected an object with uid, attrs and parents");
    for (const auto& [key, value] : e.items()) {
      if (key != "uid" && key != "attrs" && key != "parents" && key != "tags")
        fail(where, fmt::format("unexpected key \"{}\" (expected uid, attrs, parents, tags)", key));
    }
    if (!e.contains("uid")) fail(where, "missing \"uid\"");
    EntityUid uid = uid_at(e["uid"], Where(where, "uid"));
    const EntityTypeDecl* decl = schema ? schema->entity_type(uid.type()) : nullptr;
    Value attrs = Value::record({});
    if (e.contains("attrs"))
      attrs = reader.read_record(e["attrs"], Where(where, "attrs"), decl ? decl->shape.get() : nullptr, 0);
    Value tags = Value::record({});
    if (e.contains("tags")) {
      const json& t = e["tags"];
      const Where tags_at(where, "tags");
      if (!t.is_object()) fail(tags_at, "expected a JSON object");
      std::vector<RecordEntry> entries;
      for (const auto& [key, value] : t.items()) {
        const SchemaType* tag_type = decl && decl->tags ? decl->tags.get() : nullptr;
        entries.push_back(RecordEntry{store.storage().keep(key), reader.read(value, Where(tags_at, key), tag_type, 1)});
      }
      make_record(store.storage().arena, entries, tags);
    }
    std::vector<const EntityUid*> parents;
    if (e.contains("parents")) {
      const json& p = e["parents"];
      const Where parents_at(where, "parents");
      if (!p.is_array()) fail(parents_at, "expected an array of entity references");
      for (std::size_t k = 0; k < p.size(); ++k) {
        EntityUid parent = uid_at(p[k], Where(parents_at, k));
        // Cedar: actions may only be grouped under actions.
        if (is_action_type(uid.type()) && !is_action_type(parent.type()))
          fail(where, fmt::format("action {} has a non-action parent {}", uid.to_string(), parent.to_string()));
        parents.push_back(store.storage().keep(std::move(parent)));
      }
    }
    if (Entity* existing = store.find_mutable(uid)) {
      // Cedar accepts a repeated entity only when it is identical.
      bool same = existing->attrs == attrs && existing->tags == tags && existing->parents.size() == parents.size();
      for (std::size_t k = 0; same && k < parents.size(); ++k) same = *existing->parents[k] == *parents[k];
      if (!same) fail(where, fmt::format("entity {} is defined twice, differently", uid.to_string()));
      continue;
    }
    Entity& entity = store.add(uid);
    entity.attrs = attrs;
    entity.tags = tags;
    entity.parents = std::move(parents);
  }
  if (schema) {
    // The schema's actions are entities too, with their groups as parents.
    for (const ActionDecl& a : schema->actions()) {
      if (store.find(a.uid)) continue;
      Entity& entity = store.add(a.uid);
      for (const EntityUid& parent : a.member_of) entity.parents.push_back(store.storage().keep(parent));
    }
  }
}

Value context_from_json(const json& j, LiteralStore& store, const Schema* schema, const EntityUid* action) {
  if (j.is_null()) return Value::record({});
  const SchemaType* type = nullptr;
  if (schema && action) {
    if (const ActionDecl* a = schema->action(*action)) type = a->context.get();
  }
  return ValueReader(store, schema).read_record(j, "context", type, 0);
}

}  // namespace paddock::cedar
