// The abstract syntax of Cedar policies (cedar-policy-core ast/, Lean Spec/Policy.lean and
// Expr.lean). The parser (parser.hpp) and the JSON policy format (est.hpp) produce it, the
// formatter prints it, and the evaluator walks it directly: literals already hold their
// Value, so evaluation needs no conversion.
#pragma once

#include <cstdint>
#include <deque>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "cedar/value.hpp"

namespace paddock::cedar {

// Policy text with the name it was loaded from (kept for diagnostics).
struct Source {
  std::string name;  // a file name, or "<policy>" and the like
  std::string text;
};

// Byte offsets into a Source's text.
struct SourceSpan {
  std::uint32_t begin = 0;
  std::uint32_t end = 0;
};

// Stable storage for the strings and entity UIDs that literal Values point at.
class LiteralStore {
 public:
  std::string_view keep(std::string_view s) { return arena.copy(s); }
  const EntityUid* keep(EntityUid uid) { return &uids.emplace_back(std::move(uid)); }

  Arena arena;
  std::deque<EntityUid> uids;
};

enum class Var : std::uint8_t { Principal, Action, Resource, Context };
enum class SlotId : std::uint8_t { Principal, Resource };
std::string_view var_name(Var v) noexcept;
std::string_view slot_name(SlotId s) noexcept;

// Functions and methods Cedar knows. Function syntax: ip, decimal, datetime, duration;
// everything else is called with method syntax `receiver.name(args)`.
enum class Builtin : std::uint8_t {
  Ip,
  Decimal,
  Datetime,
  Duration,
  Contains,
  ContainsAll,
  ContainsAny,
  IsEmpty,
  GetTag,
  HasTag,
  IsIpv4,
  IsIpv6,
  IsLoopback,
  IsMulticast,
  IsInRange,
  LessThan,
  LessThanOrEqual,
  GreaterThan,
  GreaterThanOrEqual,
  Offset,
  DurationSince,
  ToDate,
  ToTime,
  ToMilliseconds,
  ToSeconds,
  ToMinutes,
  ToHours,
  ToDays,
};

struct BuiltinInfo {
  std::string_view name;
  Builtin id;
  bool method;         // called as receiver.name(...)
  std::uint8_t arity;  // including the receiver of a method
  // Extension functions check their arity when called (an evaluation error), the built-in
  // set and tag methods when parsed.
  bool is_extension() const noexcept { return id < Builtin::Contains || id > Builtin::HasTag; }
};
const BuiltinInfo* find_builtin(std::string_view name) noexcept;
const BuiltinInfo& builtin_info(Builtin id) noexcept;

enum class ExprKind : std::uint8_t {
  Literal,  // value: Bool, Long, String or Entity (or a folded constant)
  Var,      // var
  Slot,     // slot (templates only)
  Not,
  Neg,  // children[0]
  And,
  Or,  // children[0..1], short-circuit
  If,  // children: condition, then, else
  Eq,
  NotEq,
  Less,
  LessEq,
  Greater,
  GreaterEq,
  In,
  Add,
  Sub,
  Mul,  // children[0..1]
  Has,
  GetAttr,  // children[0], name = attribute
  Like,     // children[0], pattern
  Is,       // children[0], name = entity type, optional children[1] (`in`)
  Set,      // children = elements
  Record,   // children = values, keys = their keys (source order)
  Call,     // builtin, children = receiver (for methods) then arguments
};

// A `like` pattern: literal runs separated by wildcards.
struct PatternPart {
  bool wildcard = false;
  std::string literal;  // when !wildcard
};

struct Expr {
  ExprKind kind = ExprKind::Literal;
  Var var = Var::Principal;
  SlotId slot = SlotId::Principal;
  Builtin builtin = Builtin::Ip;
  std::uint32_t height = 1;  // of the tree below, bounded by the parser (kMaxNesting)
  SourceSpan span;
  Value value;                       // Literal
  std::string name;                  // Has/GetAttr attribute, Is entity type
  std::vector<PatternPart> pattern;  // Like
  std::vector<std::string> keys;     // Record
  std::vector<Expr> children;
};

enum class Effect : std::uint8_t { Permit, Forbid };

// One of the three scope constraints (principal, action, resource).
struct ScopeConstraint {
  enum class Op : std::uint8_t { Any, Eq, In, Is, IsIn, InSet };
  Op op = Op::Any;
  const EntityUid* entity = nullptr;       // Eq, In, IsIn when not a slot
  std::optional<SlotId> slot;              // ?principal / ?resource instead of an entity
  std::string entity_type;                 // Is, IsIn
  std::vector<const EntityUid*> entities;  // InSet (action only)
  SourceSpan span;
};

struct Condition {
  bool is_when = true;  // false: unless
  Expr body;
  SourceSpan span;
};

struct Annotation {
  std::string key;
  std::string value;
  SourceSpan span;
};

// One policy or template as written.
struct PolicyAst {
  Effect effect = Effect::Permit;
  ScopeConstraint principal;
  ScopeConstraint action;
  ScopeConstraint resource;
  std::vector<Condition> conditions;
  std::vector<Annotation> annotations;
  SourceSpan span;
  std::shared_ptr<const Source> source;

  bool is_template() const noexcept { return principal.slot.has_value() || resource.slot.has_value(); }
  const Annotation* annotation(std::string_view key) const noexcept;
};

}  // namespace paddock::cedar
