#include <gtest/gtest.h>

#include "cedar/format.hpp"
#include "cedar/parser.hpp"
#include "cedar_test_util.hpp"

namespace paddock::cedar {
namespace {

ParsedPolicies parse(const std::string& text, LiteralStore& store) {
  return parse_policies(std::make_shared<const Source>(Source{"p.cedar", text}), store);
}

std::vector<Diagnostic> errors_of(const std::string& text) {
  LiteralStore store;
  return parse(text, store).diagnostics;
}

std::string first_error(const std::string& text) {
  auto d = errors_of(text);
  return d.empty() ? "" : d.front().message;
}

std::string when(const std::string& cond) {
  return "permit(principal, action, resource) when { " + cond + " };";
}

TEST(CedarParser, ParsesEveryScopeForm) {
  LiteralStore store;
  auto parsed = parse(R"(
    permit(principal == User::"a", action == Action::"r", resource == F::"x");
    forbid(principal in G::"g", action in [Action::"r", NS::Action::"w",], resource in D::"d");
    permit(principal is User, action in Action::"all", resource is NS::File in D::"d");
    permit(principal is User in G::"g", action, resource);
    @id("t") @flag permit(principal == ?principal, action, resource in ?resource);
  )",
                      store);
  ASSERT_TRUE(parsed.diagnostics.empty()) << render(parsed.diagnostics);
  ASSERT_EQ(parsed.policies.size(), 5u);
  EXPECT_EQ(parsed.policies[1].action.op, ScopeConstraint::Op::InSet);
  EXPECT_EQ(parsed.policies[1].action.entities.size(), 2u);
  EXPECT_EQ(parsed.policies[2].resource.op, ScopeConstraint::Op::IsIn);
  EXPECT_EQ(parsed.policies[2].resource.entity_type, "NS::File");
  EXPECT_TRUE(parsed.policies[4].is_template());
  EXPECT_EQ(parsed.policies[4].annotation("id")->value, "t");
  EXPECT_EQ(parsed.policies[4].annotation("flag")->value, "");
}

TEST(CedarParser, ReportsEveryBrokenPolicyWithItsPosition) {
  auto d = errors_of(
      "permit(principal, action, resource) when { 1 / 2 };\n"
      "permit(principal, action, resource);\n"
      "permit(principal = User::\"a\", action, resource);\n");
  ASSERT_EQ(d.size(), 2u);
  auto first = line_column(d[0].source->text, d[0].span.begin);
  EXPECT_EQ(first.line, 1u);
  EXPECT_EQ(first.column, 46u);
  auto second = line_column(d[1].source->text, d[1].span.begin);
  EXPECT_EQ(second.line, 3u);
  EXPECT_EQ(second.column, 18u);
  EXPECT_EQ(d[1].hint, "did you mean `==`?");
  std::string text = render(d[1]);
  EXPECT_NE(text.find("p.cedar:3:18: error:"), std::string::npos) << text;
  EXPECT_NE(text.find("                 ^"), std::string::npos) << text;
}

TEST(CedarParser, RejectsWhatCedarRejects) {
  EXPECT_NE(first_error(when("1 < 2 < 3")), "");
  EXPECT_NE(first_error(when("1 % 2 == 1")), "");
  EXPECT_NE(first_error(when("!!!!!true")), "");
  EXPECT_NE(first_error(when("!-1 == 1")), "");
  EXPECT_NE(first_error(when("context.if")), "");
  EXPECT_NE(first_error(when("context has if")), "");
  EXPECT_NE(first_error(when("{a: 1, a: 2} == {}")), "");
  EXPECT_NE(first_error(when("9223372036854775808 > 0")), "");
  EXPECT_NE(first_error(when("foo(1)")), "");
  EXPECT_NE(first_error(when("\"a\".ip()")), "");
  EXPECT_NE(first_error(when("lessThan(1, 2)")), "");
  EXPECT_NE(first_error(when("[1].contains()")), "");
  EXPECT_NE(first_error(when("\"\\q\" == \"\"")), "");
  EXPECT_NE(first_error(when("\"\\x80\" == \"\"")), "");
  EXPECT_NE(first_error(when("principal == ?principal")), "");
  EXPECT_NE(first_error(when("\"unterminated }")), "");
  EXPECT_NE(first_error("permit(principal, action == A::\"x\", resource);"), "");
  EXPECT_NE(first_error("permit(principal, action is Action, resource);"), "");
  EXPECT_NE(first_error("permit(action, principal, resource);"), "");
  EXPECT_NE(first_error("permit(principal, action, resource) when { };"), "");
  EXPECT_NE(first_error("@a(\"1\") @a(\"2\") permit(principal, action, resource);"), "");
  EXPECT_NE(first_error("permit(principal == ?resource, action, resource);"), "");
  EXPECT_NE(first_error("permit(principal, action, resource)"), "");
}

TEST(CedarParser, AcceptsWhatCedarAccepts) {
  EXPECT_EQ(first_error(when("-9223372036854775808 < 0")), "");
  EXPECT_EQ(first_error(when("--1 == 1 && !!!!true")), "");
  EXPECT_EQ(first_error(when("context[\"if\"] == 1 && context has \"if\"")), "");
  EXPECT_EQ(first_error(when("[1,2,].contains(1) && {a:1,}.a == 1")), "");
  EXPECT_EQ(first_error(when("ip(\"1.1.1.1\", \"extra\")")), "");  // extension arity is checked at run time
  EXPECT_EQ(first_error(when("\"\\u{1F600}\\x7F\\0\\'\" like \"\\*\"")), "");
  EXPECT_EQ(first_error(when("principal.permit.principal == 1")), "");
}

TEST(CedarParser, HasPathMeansEachStep) {
  auto r = testing::eval("context has a.b.c && !(context has a.b.d)", "[]", R"({"a": {"b": {"c": 1}}})");
  EXPECT_TRUE(r.ok) << r.message;
  EXPECT_EQ(r.value, "true");
  // `context has a.b` where a is a Long: the second step is a type error, as in Cedar.
  auto t = testing::eval("context has a.b", "[]", R"({"a": 1})");
  EXPECT_FALSE(t.ok);
  EXPECT_EQ(t.error, ErrorKind::TypeError);
}

TEST(CedarParser, DeepNestingIsADiagnosticNotACrash) {
  std::string parens(200000, '(');
  EXPECT_NE(first_error(when(parens + "1" + std::string(200000, ')'))), "");
  std::string chain = "1";
  for (int i = 0; i < 100000; ++i) chain += " + 1";
  EXPECT_NE(first_error(when(chain + " == 0")), "");
  std::string sets(100000, '[');
  EXPECT_NE(first_error(when(sets)), "");
  std::string nots;
  for (int i = 0; i < 50000; ++i) nots += "!(";
  EXPECT_NE(first_error(when(nots)), "");
}

TEST(CedarParser, InvalidUtf8IsRejected) {
  auto d = errors_of(when("\"\xff\xfe\" == \"\""));
  ASSERT_EQ(d.size(), 1u);
  EXPECT_NE(d[0].message.find("UTF-8"), std::string::npos);
  EXPECT_NE(first_error(when("\"\xed\xa0\x80\" == \"\"")), "");  // an encoded surrogate
  EXPECT_NE(first_error(when("\"\xc0\xaf\" == \"\"")), "");      // overlong
}

TEST(CedarParser, HugeLiteralsAreFine) {
  std::string big(1 << 20, 'x');
  EXPECT_EQ(first_error(when("\"" + big + "\" like \"x*\"")), "");
  auto r = testing::eval("\"" + big + "\" like \"*x*x*x*x*y\"");
  EXPECT_TRUE(r.ok);
  EXPECT_EQ(r.value, "false");
}

TEST(CedarParser, ParsesEntityUids) {
  auto uid = parse_entity_uid("NS::User::\"a\\\"b\\u{1F600}\"");
  ASSERT_TRUE(uid);
  EXPECT_EQ(uid->type(), "NS::User");
  EXPECT_EQ(uid->id(), "a\"b\xF0\x9F\x98\x80");
  std::string error;
  EXPECT_FALSE(parse_entity_uid("User", &error));
  EXPECT_FALSE(error.empty());
  EXPECT_FALSE(parse_entity_uid("if::\"x\""));
  EXPECT_TRUE(valid_type_name("A::B0::_c"));
  EXPECT_FALSE(valid_type_name("A:: B"));
  EXPECT_FALSE(valid_type_name("A::in"));
}

TEST(CedarFormat, IsIdempotentAndPreservesMeaning) {
  const char* text = R"(
// leading comment
@id("x")
permit(principal in G::"g", action in [Action::"a", Action::"b"], resource is F in D::"d")
when { (1 + 2) * 3 == 9 && !(context.a < 2 || context["b c"] like "*\*x") && --1 == 1 && - -1 == 1 }
unless { if context has x then [1, {a: -5}].contains(2) else ip("10.0.0.1").isInRange(ip("10.0.0.0/8")) };
forbid(principal, action, resource) when { principal is User in G::"x" && (principal in G::"y") == false };
)";
  LiteralStore store;
  auto parsed = parse(text, store);
  ASSERT_TRUE(parsed.diagnostics.empty()) << render(parsed.diagnostics);
  std::string once = format_policies(text, parsed.policies);
  EXPECT_NE(once.find("// leading comment"), std::string::npos);
  auto reparsed = parse(once, store);
  ASSERT_TRUE(reparsed.diagnostics.empty()) << once << render(reparsed.diagnostics);
  EXPECT_EQ(format_policies(once, reparsed.policies), once);
  for (std::size_t i = 0; i < parsed.policies.size(); ++i) {
    for (std::size_t c = 0; c < parsed.policies[i].conditions.size(); ++c)
      EXPECT_EQ(format_expr(parsed.policies[i].conditions[c].body),
                format_expr(reparsed.policies[i].conditions[c].body));
  }
}

TEST(CedarFormat, KeepsAPolicyWithInnerCommentsAsWritten) {
  const char* text = "permit(principal, action, resource) when {\n  // why\n  true\n};\n";
  LiteralStore store;
  auto parsed = parse(text, store);
  EXPECT_EQ(format_policies(text, parsed.policies), text);
}

}  // namespace
}  // namespace paddock::cedar
