#include <gtest/gtest.h>

#include "cedar/evaluator.hpp"
#include "cedar_test_util.hpp"

namespace paddock::cedar {
namespace {

using testing::eval;

void expect_value(const std::string& expr, const std::string& value, const std::string& entities = "[]",
                  const std::string& context = "{}") {
  auto r = eval(expr, entities, context);
  ASSERT_TRUE(r.parsed) << expr << ": " << r.message;
  EXPECT_TRUE(r.ok) << expr << ": " << r.message;
  EXPECT_EQ(r.value, value) << expr;
}

void expect_error(const std::string& expr, ErrorKind kind, const std::string& entities = "[]",
                  const std::string& context = "{}") {
  auto r = eval(expr, entities, context);
  ASSERT_TRUE(r.parsed) << expr << ": " << r.message;
  EXPECT_FALSE(r.ok) << expr << " gave " << r.value;
  EXPECT_EQ(r.error, kind) << expr << ": " << r.message;
}

const char* kPeople = R"([
  {"uid": {"type": "User", "id": "alice"}, "attrs": {"age": 30, "tags": ["a", "b"]}, "parents": [{"type": "Group", "id": "staff"}],
   "tags": {"level": 3}},
  {"uid": {"type": "Group", "id": "staff"}, "attrs": {}, "parents": [{"type": "Group", "id": "all"}]},
  {"uid": {"type": "Group", "id": "all"}, "attrs": {}, "parents": []}
])";

TEST(CedarEvaluator, ShortCircuitHidesErrors) {
  expect_value("false && (1 + \"x\")", "false");
  expect_value("true || principal.nope", "true");
  expect_value("if false then 1 + \"x\" else 2", "2");
  expect_error("true && 1", ErrorKind::TypeError);
  expect_error("1 && true", ErrorKind::TypeError);
  expect_error("false || 1", ErrorKind::TypeError);
  expect_error("if 1 then 2 else 3", ErrorKind::TypeError);
}

TEST(CedarEvaluator, ArithmeticOverflowIsAnError) {
  expect_error("9223372036854775807 + 1", ErrorKind::ArithBounds);
  expect_error("-9223372036854775808 - 1", ErrorKind::ArithBounds);
  expect_error("4611686018427387904 * 2", ErrorKind::ArithBounds);
  expect_error("-(-9223372036854775808)", ErrorKind::ArithBounds);
  expect_value("-9223372036854775807 - 1", "-9223372036854775808");
  expect_value("3 * -4 + 2 - 1", "-11");
  expect_error("1 + \"a\"", ErrorKind::TypeError);
  expect_error("-\"a\"", ErrorKind::TypeError);
}

TEST(CedarEvaluator, EqualityIsStructuralAndNeverFails) {
  expect_value("1 == \"1\"", "false");
  expect_value("[1, 2, 2] == [2, 1]", "true");
  expect_value("{a: 1, b: [true]} == {b: [true], a: 1}", "true");
  expect_value("[[1, 2], {x: User::\"a\"}] == [{x: User::\"a\"}, [2, 1]]", "true");
  expect_value("ip(\"10.0.0.1\") == ip(\"10.0.0.1/32\")", "true");
  expect_value("ip(\"10.0.0.1/24\") == ip(\"10.0.0.2/24\")", "false");
  expect_value("decimal(\"1.0\") == decimal(\"1.0000\")", "true");
  expect_value("User::\"a\" != User::\"b\" && User::\"a\" != Group::\"a\"", "true");
}

TEST(CedarEvaluator, ComparisonsTakeLongsDatetimesAndDurations) {
  expect_value("1 < 2 && 2 <= 2 && 3 > 2 && !(2 >= 3)", "true");
  expect_value("datetime(\"2024-01-01\") < datetime(\"2024-01-02\")", "true");
  expect_value("duration(\"1h\") > duration(\"59m\")", "true");
  expect_error("decimal(\"1.0\") < decimal(\"2.0\")", ErrorKind::TypeError);
  expect_error("\"a\" < \"b\"", ErrorKind::TypeError);
  expect_error("duration(\"1h\") < 3", ErrorKind::TypeError);
  expect_value("decimal(\"1.5\").lessThan(decimal(\"1.51\"))", "true");
}

TEST(CedarEvaluator, HierarchyAndMembership) {
  expect_value("principal in Group::\"all\"", "true", kPeople);
  expect_value("principal in [Group::\"x\", Group::\"staff\"]", "true", kPeople);
  expect_value("principal in []", "false", kPeople);
  expect_value("User::\"bob\" in User::\"bob\"", "true", kPeople);  // equality holds without the entity
  expect_value("User::\"bob\" in Group::\"all\"", "false", kPeople);
  expect_error("principal in [Group::\"staff\", 1]", ErrorKind::TypeError, kPeople);  // whole set is checked
  expect_error("1 in Group::\"all\"", ErrorKind::TypeError, kPeople);
  expect_value("principal is User && !(principal is Group) && principal is User in Group::\"all\"", "true", kPeople);
  // `is T in x` does not evaluate x when the type differs.
  expect_value("principal is Group in (1 + \"x\")", "false", kPeople);
  expect_error("1 is User", ErrorKind::TypeError, kPeople);
}

TEST(CedarEvaluator, AttributesAndTags) {
  expect_value("principal.age == 30 && principal has age && !(principal has nope)", "true", kPeople);
  expect_value("User::\"ghost\" has age", "false", kPeople);
  expect_error("User::\"ghost\".age", ErrorKind::EntityDoesNotExist, kPeople);
  expect_error("principal.nope", ErrorKind::AttrDoesNotExist, kPeople);
  expect_error("context.nope", ErrorKind::AttrDoesNotExist, kPeople);
  expect_error("1 has a", ErrorKind::TypeError);
  expect_value("principal.hasTag(\"level\") && principal.getTag(\"level\") == 3 && !principal.hasTag(\"x\")", "true",
               kPeople);
  expect_value("User::\"ghost\".hasTag(\"level\")", "false", kPeople);
  expect_error("principal.getTag(\"x\")", ErrorKind::TagDoesNotExist, kPeople);
  expect_error("User::\"ghost\".getTag(\"level\")", ErrorKind::EntityDoesNotExist, kPeople);
  expect_error("principal.getTag(1)", ErrorKind::TypeError, kPeople);
}

TEST(CedarEvaluator, SetOperations) {
  expect_value("[1, [2]].contains([2]) && [1, 2, 3].containsAll([3, 1]) && [1].containsAny([5, 1])", "true");
  expect_value("[1, 2].containsAll([]) && ![1].containsAny([])", "true");
  expect_value("[].isEmpty() && ![1].isEmpty()", "true");
  expect_error("\"x\".isEmpty()", ErrorKind::TypeError);
  expect_error("[1].containsAll(1)", ErrorKind::TypeError);
  expect_error("1.contains(1)", ErrorKind::TypeError);
  expect_value("principal.tags.contains(\"b\")", "true", kPeople);
}

TEST(CedarEvaluator, LikePatterns) {
  expect_value("\"a*b\" like \"a\\*b\" && !(\"axb\" like \"a\\*b\") && \"axxb\" like \"a*b\"", "true");
  expect_value("\"\" like \"\" && \"\" like \"*\" && !(\"a\" like \"\")", "true");
  expect_value("\"abcabc\" like \"*abc\" && \"abcabc\" like \"abc*abc\" && !(\"abcab\" like \"abc*abc\")", "true");
  expect_value("\"aaa\" like \"a*a*a\" && !(\"aa\" like \"a*a*a\")", "true");
  expect_value("\"\xF0\x9F\x98\x80x\" like \"*x\" && \"\xF0\x9F\x98\x80\" like \"\\u{1F600}\"", "true");
  expect_error("1 like \"*\"", ErrorKind::TypeError);
  // Backtracking matchers take exponential time on this; ours is linear per literal run.
  std::string text(100000, 'a');
  expect_value("\"" + text + "\" like \"*a*a*a*a*a*a*a*a*a*a*b\"", "false");
}

TEST(CedarEvaluator, RecordsAndContext) {
  expect_value("context.a.b == [1, 2]", "true", "[]", R"({"a": {"b": [2, 1]}})");
  expect_value("{a: principal}.a == principal", "true");
  expect_value("context.big == 9223372036854775807", "true", "[]", R"({"big": 9223372036854775807})");
}

TEST(CedarEvaluator, ExtensionErrorsHappenAtRunTime) {
  expect_error("ip(\"1.2.3\")", ErrorKind::ExtensionError);
  expect_error("decimal(\"1.23456\")", ErrorKind::ExtensionError);
  expect_error("ip(1)", ErrorKind::TypeError);
  expect_error("ip(\"1.1.1.1\", \"x\")", ErrorKind::ExtensionError);
  expect_error("decimal(\"1.0\").lessThan()", ErrorKind::ExtensionError);
  expect_error("datetime(\"1970-01-02\").offset(duration(\"9223372036854775807ms\"))", ErrorKind::ArithBounds);
}

TEST(CedarEvaluator, EvaluationAllocatesOnlyInTheScratchArena) {
  // Evaluating with a pre-grown arena twice gives the same answer: nothing depends on leftovers.
  auto a = eval("[principal, resource, {a: [1, 2]}].contains({a: [2, 1]})");
  auto b = eval("[principal, resource, {a: [1, 2]}].contains({a: [2, 1]})");
  EXPECT_EQ(a.value, "true");
  EXPECT_EQ(b.value, "true");
}

}  // namespace
}  // namespace paddock::cedar
