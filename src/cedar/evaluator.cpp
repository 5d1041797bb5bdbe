#include "cedar/evaluator.hpp"

#include <fmt/core.h>

#include <algorithm>

#include "cedar/extensions.hpp"

namespace paddock::cedar {

std::string_view error_kind_name(ErrorKind kind) noexcept {
  switch (kind) {
    case ErrorKind::EntityDoesNotExist:
      return "entityDoesNotExist";
    case ErrorKind::AttrDoesNotExist:
      return "attrDoesNotExist";
    case ErrorKind::TagDoesNotExist:
      return "tagDoesNotExist";
    case ErrorKind::TypeError:
      return "typeError";
    case ErrorKind::ArithBounds:
      return "arithBoundsError";
    case ErrorKind::ExtensionError:
      return "extensionError";
  }
  return "?";
}

bool pattern_matches(const std::vector<PatternPart>& parts, std::string_view text) noexcept {
  // Literal runs are matched leftmost-first: with `*` as the only wildcard that is never worse
  // than any other choice, so one forward pass decides (no backtracking).
  std::size_t first = 0;
  std::size_t last = parts.size();
  std::size_t pos = 0;
  std::size_t end = text.size();
  if (parts.empty()) return text.empty();
  if (!parts.front().wildcard) {
    const std::string& lit = parts.front().literal;
    if (!text.starts_with(lit)) return false;
    if (parts.size() == 1) return text.size() == lit.size();
    pos = lit.size();
    first = 1;
  }
  if (!parts.back().wildcard) {
    const std::string& lit = parts.back().literal;
    if (text.size() - pos < lit.size() || !text.ends_with(lit)) return false;
    end = text.size() - lit.size();
    last = parts.size() - 1;
  }
  for (std::size_t k = first; k < last; ++k) {
    if (parts[k].wildcard) continue;
    std::size_t found = text.substr(0, end).find(parts[k].literal, pos);
    if (found == std::string_view::npos) return false;
    pos = found + parts[k].literal.size();
  }
  return pos <= end;
}

Evaluator::Evaluator(const Request& request, const EntitySource& entities, Arena& scratch) noexcept
    : request_(request), entities_(entities), scratch_(scratch) {
  if (request.principal) principal_entity_ = entities.find(*request.principal);
  if (request.action) action_entity_ = entities.find(*request.action);
  if (request.resource) resource_entity_ = entities.find(*request.resource);
}

bool Evaluator::fail(ErrorKind kind, const Expr& at, std::string message) {
  error_.kind = kind;
  error_.span = at.span;
  error_.message = std::move(message);
  return false;
}

bool Evaluator::type_error(const Expr& at, std::string_view expected, const Value& got) {
  return fail(ErrorKind::TypeError, at,
              fmt::format("type error: expected {}, got {}", expected, type_name(got.type())));
}

bool Evaluator::entity_in(const EntityUid& e, const EntityUid& target) const noexcept {
  if (e == target) return true;
  const Entity* entity = find_entity(e);
  return entity && entity->has_ancestor(target);
}

bool Evaluator::scope_matches(const ScopeConstraint& c, const EntityUid& var, const SlotValues& slots) const noexcept {
  using Op = ScopeConstraint::Op;
  const EntityUid* target = c.entity;
  if (c.slot) target = *c.slot == SlotId::Principal ? slots.principal : slots.resource;
  switch (c.op) {
    case Op::Any:
      return true;
    case Op::Eq:
      return var == *target;
    case Op::In:
      return entity_in(var, *target);
    case Op::Is:
      return var.type() == c.entity_type;
    case Op::IsIn:
      return var.type() == c.entity_type && entity_in(var, *target);
    case Op::InSet:
      for (const EntityUid* u : c.entities)
        if (entity_in(var, *u)) return true;
      return false;
  }
  return false;
}

bool Evaluator::eval(const Expr& e, Value& out, const SlotValues& slots) {
  slots_ = &slots;
  switch (e.kind) {
    case ExprKind::Literal:
      out = e.value;
      return true;
    case ExprKind::Var:
      switch (e.var) {
        case Var::Principal:
          out = Value::entity(request_.principal);
          return true;
        case Var::Action:
          out = Value::entity(request_.action);
          return true;
        case Var::Resource:
          out = Value::entity(request_.resource);
          return true;
        case Var::Context:
          out = request_.context;
          return true;
      }
      return true;
    case ExprKind::Slot: {
      const EntityUid* uid = e.slot == SlotId::Principal ? slots.principal : slots.resource;
      if (!uid) return fail(ErrorKind::TypeError, e, fmt::format("slot {} is not linked", slot_name(e.slot)));
      out = Value::entity(uid);
      return true;
    }
    case ExprKind::Not:
      if (!eval(e.children[0], out, slots)) return false;
      if (!out.is(ValueType::Bool)) return type_error(e, "bool", out);
      out = Value::boolean(!out.as_bool());
      return true;
    case ExprKind::Neg: {
      if (!eval(e.children[0], out, slots)) return false;
      if (!out.is(ValueType::Long)) return type_error(e, "long", out);
      auto r = checked_sub(0, out.as_int());
      if (!r) return fail(ErrorKind::ArithBounds, e, fmt::format("integer overflow negating {}", out.as_int()));
      out = Value::long_(*r);
      return true;
    }
    case ExprKind::And:
    case ExprKind::Or: {
      const bool is_and = e.kind == ExprKind::And;
      if (!eval(e.children[0], out, slots)) return false;
      if (!out.is(ValueType::Bool)) return type_error(e.children[0], "bool", out);
      if (out.as_bool() != is_and) return true;  // short-circuit: false && _, true || _
      if (!eval(e.children[1], out, slots)) return false;
      if (!out.is(ValueType::Bool)) return type_error(e.children[1], "bool", out);
      return true;
    }
    case ExprKind::If: {
      if (!eval(e.children[0], out, slots)) return false;
      if (!out.is(ValueType::Bool)) return type_error(e.children[0], "bool", out);
      return eval(e.children[out.as_bool() ? 1 : 2], out, slots);
    }
    case ExprKind::Has:
    case ExprKind::GetAttr: {
      Value target;
      if (!eval(e.children[0], target, slots)) return false;
      return e.kind == ExprKind::Has ? has_attr(e, target, out) : get_attr(e, target, out);
    }
    case ExprKind::Like: {
      if (!eval(e.children[0], out, slots)) return false;
      if (!out.is(ValueType::String)) return type_error(e, "string", out);
      out = Value::boolean(pattern_matches(e.pattern, out.as_string()));
      return true;
    }
    case ExprKind::Is: {
      if (!eval(e.children[0], out, slots)) return false;
      if (!out.is(ValueType::Entity)) return type_error(e, "entity", out);
      if (out.as_entity().type() != e.name || e.children.size() == 1) {
        out = Value::boolean(out.as_entity().type() == e.name);
        return true;
      }
      Value target;
      if (!eval(e.children[1], target, slots)) return false;
      Value l = out;
      return eval_in(e, l, target, out);
    }
    case ExprKind::Set: {
      Value* elements = scratch_.allocate_array<Value>(e.children.size());
      for (std::size_t i = 0; i < e.children.size(); ++i)
        if (!eval(e.children[i], elements[i], slots)) return false;
      out = make_set(scratch_, {elements, e.children.size()});
      return true;
    }
    case ExprKind::Record: {
      RecordEntry* entries = scratch_.allocate_array<RecordEntry>(e.children.size());
      for (std::size_t i = 0; i < e.children.size(); ++i) {
        entries[i].key = e.keys[i];
        if (!eval(e.children[i], entries[i].value, slots)) return false;
      }
      if (!make_record(scratch_, {entries, e.children.size()}, out))
        return fail(ErrorKind::TypeError, e, "duplicate key in record");
      return true;
    }
    case ExprKind::Call:
      return eval_call(e, out);
    default:
      return eval_binary(e, out);
  }
}

bool Evaluator::eval_binary(const Expr& e, Value& out) {
  Value l, r;
  const SlotValues& slots = *slots_;
  if (!eval(e.children[0], l, slots)) return false;
  if (!eval(e.children[1], r, slots)) return false;
  switch (e.kind) {
    case ExprKind::Eq:
      out = Value::boolean(l == r);
      return true;
    case ExprKind::NotEq:
      out = Value::boolean(!(l == r));
      return true;
    case ExprKind::In:
      return eval_in(e, l, r, out);
    case ExprKind::Less:
    case ExprKind::LessEq:
    case ExprKind::Greater:
    case ExprKind::GreaterEq: {
      bool comparable =
          l.type() == r.type() && (l.is(ValueType::Long) || l.is(ValueType::DateTime) || l.is(ValueType::Duration));
      if (!comparable) {
        if (l.is(ValueType::Long) || l.is(ValueType::DateTime) || l.is(ValueType::Duration))
          return type_error(e.children[1], type_name(l.type()), r);
        return type_error(e.children[0], "long, datetime or duration", l);
      }
      std::int64_t a = l.as_int(), b = r.as_int();
      bool result = e.kind == ExprKind::Less      ? a < b
                    : e.kind == ExprKind::LessEq  ? a <= b
                    : e.kind == ExprKind::Greater ? a > b
                                                  : a >= b;
      out = Value::boolean(result);
      return true;
    }
    case ExprKind::Add:
    case ExprKind::Sub:
    case ExprKind::Mul: {
      if (!l.is(ValueType::Long)) return type_error(e.children[0], "long", l);
      if (!r.is(ValueType::Long)) return type_error(e.children[1], "long", r);
      auto v = e.kind == ExprKind::Add   ? checked_add(l.as_int(), r.as_int())
               : e.kind == ExprKind::Sub ? checked_sub(l.as_int(), r.as_int())
                                         : checked_mul(l.as_int(), r.as_int());
      if (!v) {
        const char* op = e.kind == ExprKind::Add ? "+" : e.kind == ExprKind::Sub ? "-" : "*";
        return fail(ErrorKind::ArithBounds, e, fmt::format("integer overflow: {} {} {}", l.as_int(), op, r.as_int()));
      }
      out = Value::long_(*v);
      return true;
    }
    default:
      return fail(ErrorKind::TypeError, e, "unsupported expression");
  }
}

bool Evaluator::eval_in(const Expr& e, const Value& l, const Value& r, Value& out) {
  if (!l.is(ValueType::Entity)) return type_error(e.children[0], "entity", l);
  if (r.is(ValueType::Entity)) {
    out = Value::boolean(entity_in(l.as_entity(), r.as_entity()));
    return true;
  }
  if (!r.is(ValueType::Set)) return type_error(e.children.back(), "entity or set of entities", r);
  // Every element must be an entity, even after a match (Cedar converts the set first).
  for (const Value& v : r.as_set())
    if (!v.is(ValueType::Entity)) return type_error(e.children.back(), "set of entities", v);
  const Entity* entity = find_entity(l.as_entity());
  for (const Value& v : r.as_set()) {
    if (l.as_entity() == v.as_entity() || (entity && entity->has_ancestor(v.as_entity()))) {
      out = Value::boolean(true);
      return true;
    }
  }
  out = Value::boolean(false);
  return true;
}

bool Evaluator::get_attr(const Expr& e, const Value& target, Value& out) {
  if (target.is(ValueType::Record)) {
    const Value* v = target.find(e.name);
    if (!v) return fail(ErrorKind::AttrDoesNotExist, e, fmt::format("record does not have the attribute `{}`", e.name));
    out = *v;
    return true;
  }
  if (!target.is(ValueType::Entity)) return type_error(e.children[0], "entity or record", target);
  const Entity* entity = find_entity(target.as_entity());
  if (!entity)
    return fail(ErrorKind::EntityDoesNotExist, e,
                fmt::format("entity {} does not exist", target.as_entity().to_string()));
  const Value* v = entity->attrs.find(e.name);
  if (!v) {
    return fail(ErrorKind::AttrDoesNotExist, e,
                fmt::format("{} does not have the attribute `{}`", target.as_entity().to_string(), e.name));
  }
  out = *v;
  return true;
}

bool Evaluator::has_attr(const Expr& e, const Value& target, Value& out) {
  if (target.is(ValueType::Record)) {
    out = Value::boolean(target.find(e.name) != nullptr);
    return true;
  }
  if (!target.is(ValueType::Entity)) return type_error(e.children[0], "entity or record", target);
  const Entity* entity = find_entity(target.as_entity());
  out = Value::boolean(entity && entity->attrs.find(e.name));
  return true;
}

namespace {

bool set_contains(std::span<const Value> set, const Value& v) {
  auto it = std::lower_bound(set.begin(), set.end(), v, value_less);
  return it != set.end() && *it == v;
}

}  // namespace

bool Evaluator::eval_call(const Expr& e, Value& out) {
  // Operands left to right; every builtin takes at most two, so keep those. An extension
  // function called with the wrong number of arguments fails here, after its arguments.
  Value args[2];
  const std::size_t n = e.children.size();
  for (std::size_t i = 0; i < n; ++i) {
    Value extra;
    if (!eval(e.children[i], i < 2 ? args[i] : extra, *slots_)) return false;
  }
  const BuiltinInfo& info = builtin_info(e.builtin);
  if (n != info.arity) {
    return fail(ErrorKind::ExtensionError, e,
                fmt::format("wrong number of arguments to `{}`: expected {}, got {}", info.name,
                            info.arity - (info.method ? 1 : 0), n - (info.method ? 1 : 0)));
  }
  const Value& a = args[0];
  const Value& b = args[1];
  auto expect = [&](std::size_t i, ValueType t) {
    if (args[i].is(t)) return true;
    type_error(e.children[i], type_name(t), args[i]);
    return false;
  };
  auto ext_error = [&](std::string_view fn, std::string_view text) {
    return fail(ErrorKind::ExtensionError, e, fmt::format("{}(): invalid argument {}", fn, quote_string(text)));
  };
  auto overflow = [&]() {
    return fail(ErrorKind::ArithBounds, e, fmt::format("overflow in {}()", builtin_info(e.builtin).name));
  };
  switch (e.builtin) {
    case Builtin::Ip: {
      if (!expect(0, ValueType::String)) return false;
      auto ip = parse_ip(a.as_string());
      if (!ip) return ext_error("ip", a.as_string());
      out = Value::ip(*ip);
      return true;
    }
    case Builtin::Decimal: {
      if (!expect(0, ValueType::String)) return false;
      auto d = parse_decimal(a.as_string());
      if (!d) return ext_error("decimal", a.as_string());
      out = Value::decimal(*d);
      return true;
    }
    case Builtin::Datetime: {
      if (!expect(0, ValueType::String)) return false;
      auto d = parse_datetime(a.as_string());
      if (!d) return ext_error("datetime", a.as_string());
      out = Value::datetime(*d);
      return true;
    }
    case Builtin::Duration: {
      if (!expect(0, ValueType::String)) return false;
      auto d = parse_duration(a.as_string());
      if (!d) return ext_error("duration", a.as_string());
      out = Value::duration(*d);
      return true;
    }
    case Builtin::Contains:
      if (!expect(0, ValueType::Set)) return false;
      out = Value::boolean(set_contains(a.as_set(), b));
      return true;
    case Builtin::ContainsAll:
    case Builtin::ContainsAny: {
      if (!expect(0, ValueType::Set) || !expect(1, ValueType::Set)) return false;
      bool all = e.builtin == Builtin::ContainsAll;
      bool result = all;
      for (const Value& v : b.as_set()) {
        if (set_contains(a.as_set(), v) != all) {
          result = !all;
          break;
        }
      }
      out = Value::boolean(result);
      return true;
    }
    case Builtin::IsEmpty:
      if (!expect(0, ValueType::Set)) return false;
      out = Value::boolean(a.as_set().empty());
      return true;
    case Builtin::GetTag:
    case Builtin::HasTag: {
      if (!expect(0, ValueType::Entity) || !expect(1, ValueType::String)) return false;
      const Entity* entity = find_entity(a.as_entity());
      const Value* tag = entity ? entity->tags.find(b.as_string()) : nullptr;
      if (e.builtin == Builtin::HasTag) {
        out = Value::boolean(tag != nullptr);
        return true;
      }
      if (!entity)
        return fail(ErrorKind::EntityDoesNotExist, e,
                    fmt::format("entity {} does not exist", a.as_entity().to_string()));
      if (!tag) {
        return fail(ErrorKind::TagDoesNotExist, e,
                    fmt::format("{} does not have the tag {}", a.as_entity().to_string(), quote_string(b.as_string())));
      }
      out = *tag;
      return true;
    }
    case Builtin::IsIpv4:
    case Builtin::IsIpv6:
    case Builtin::IsLoopback:
    case Builtin::IsMulticast: {
      if (!expect(0, ValueType::IpAddr)) return false;
      IpAddr ip = a.as_ip();
      bool r = e.builtin == Builtin::IsIpv4       ? ip.v4
               : e.builtin == Builtin::IsIpv6     ? !ip.v4
               : e.builtin == Builtin::IsLoopback ? ip_is_loopback(ip)
                                                  : ip_is_multicast(ip);
      out = Value::boolean(r);
      return true;
    }
    case Builtin::IsInRange:
      if (!expect(0, ValueType::IpAddr) || !expect(1, ValueType::IpAddr)) return false;
      out = Value::boolean(ip_in_range(a.as_ip(), b.as_ip()));
      return true;
    case Builtin::LessThan:
    case Builtin::LessThanOrEqual:
    case Builtin::GreaterThan:
    case Builtin::GreaterThanOrEqual: {
      if (!expect(0, ValueType::Decimal) || !expect(1, ValueType::Decimal)) return false;
      std::int64_t x = a.as_int(), y = b.as_int();
      bool r = e.builtin == Builtin::LessThan          ? x < y
               : e.builtin == Builtin::LessThanOrEqual ? x <= y
               : e.builtin == Builtin::GreaterThan     ? x > y
                                                       : x >= y;
      out = Value::boolean(r);
      return true;
    }
    case Builtin::Offset: {
      if (!expect(0, ValueType::DateTime) || !expect(1, ValueType::Duration)) return false;
      auto r = checked_add(a.as_int(), b.as_int());
      if (!r) return overflow();
      out = Value::datetime(*r);
      return true;
    }
    case Builtin::DurationSince: {
      if (!expect(0, ValueType::DateTime) || !expect(1, ValueType::DateTime)) return false;
      auto r = checked_sub(a.as_int(), b.as_int());
      if (!r) return overflow();
      out = Value::duration(*r);
      return true;
    }
    case Builtin::ToDate: {
      if (!expect(0, ValueType::DateTime)) return false;
      auto r = datetime_to_date(a.as_int());
      if (!r) return overflow();
      out = Value::datetime(*r);
      return true;
    }
    case Builtin::ToTime:
      if (!expect(0, ValueType::DateTime)) return false;
      out = Value::duration(datetime_to_time(a.as_int()));
      return true;
    case Builtin::ToMilliseconds:
    case Builtin::ToSeconds:
    case Builtin::ToMinutes:
    case Builtin::ToHours:
    case Builtin::ToDays: {
      if (!expect(0, ValueType::Duration)) return false;
      static constexpr std::int64_t kDivisors[] = {1, 1000, 60'000, 3'600'000, 86'400'000};
      auto unit = static_cast<std::size_t>(e.builtin) - static_cast<std::size_t>(Builtin::ToMilliseconds);
      out = Value::long_(a.as_int() / kDivisors[unit]);
      return true;
    }
  }
  return fail(ErrorKind::TypeError, e, "unknown function");
}

}  // namespace paddock::cedar
