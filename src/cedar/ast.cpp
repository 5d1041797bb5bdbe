#include "cedar/ast.hpp"

#include <array>

namespace paddock::cedar {

std::string_view var_name(Var v) noexcept {
  switch (v) {
    case Var::Principal:
      return "principal";
    case Var::Action:
      return "action";
    case Var::Resource:
      return "resource";
    case Var::Context:
      return "context";
  }
  return "?";
}

std::string_view slot_name(SlotId s) noexcept {
  return s == SlotId::Principal ? "?principal" : "?resource";
}

namespace {

constexpr std::array kBuiltins = {
    BuiltinInfo{"ip", Builtin::Ip, false, 1},
    BuiltinInfo{"decimal", Builtin::Decimal, false, 1},
    BuiltinInfo{"datetime", Builtin::Datetime, false, 1},
    BuiltinInfo{"duration", Builtin::Duration, false, 1},
    BuiltinInfo{"contains", Builtin::Contains, true, 2},
    BuiltinInfo{"containsAll", Builtin::ContainsAll, true, 2},
    BuiltinInfo{"containsAny", Builtin::ContainsAny, true, 2},
    BuiltinInfo{"isEmpty", Builtin::IsEmpty, true, 1},
    BuiltinInfo{"getTag", Builtin::GetTag, true, 2},
    BuiltinInfo{"hasTag", Builtin::HasTag, true, 2},
    BuiltinInfo{"isIpv4", Builtin::IsIpv4, true, 1},
    BuiltinInfo{"isIpv6", Builtin::IsIpv6, true, 1},
    BuiltinInfo{"isLoopback", Builtin::IsLoopback, true, 1},
    BuiltinInfo{"isMulticast", Builtin::IsMulticast, true, 1},
    BuiltinInfo{"isInRange", Builtin::IsInRange, true, 2},
    BuiltinInfo{"lessThan", Builtin::LessThan, true, 2},
    BuiltinInfo{"lessThanOrEqual", Builtin::LessThanOrEqual, true, 2},
    BuiltinInfo{"greaterThan", Builtin::GreaterThan, true, 2},
    BuiltinInfo{"greaterThanOrEqual", Builtin::GreaterThanOrEqual, true, 2},
    BuiltinInfo{"offset", Builtin::Offset, true, 2},
    BuiltinInfo{"durationSince", Builtin::DurationSince, true, 2},
    BuiltinInfo{"toDate", Builtin::ToDate, true, 1},
    BuiltinInfo{"toTime", Builtin::ToTime, true, 1},
    BuiltinInfo{"toMilliseconds", Builtin::ToMilliseconds, true, 1},
    BuiltinInfo{"toSeconds", Builtin::ToSeconds, true, 1},
    BuiltinInfo{"toMinutes", Builtin::ToMinutes, true, 1},
    BuiltinInfo{"toHours", Builtin::ToHours, true, 1},
    BuiltinInfo{"toDays", Builtin::ToDays, true, 1},
};

}  // namespace

const BuiltinInfo* find_builtin(std::string_view name) noexcept {
  for (const auto& b : kBuiltins)
    if (b.name == name) return &b;
  return nullptr;
}

const BuiltinInfo& builtin_info(Builtin id) noexcept {
  return kBuiltins[static_cast<std::size_t>(id)];
}

const Annotation* PolicyAst::annotation(std::string_view key) const noexcept {
  for (const auto& a : annotations)
    if (a.key == key) return &a;
  return nullptr;
}

}  // namespace paddock::cedar
