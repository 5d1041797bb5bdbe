#include <gtest/gtest.h>

#include "cedar/diagnostics.hpp"
#include "cedar/schema.hpp"
#include "cedar_test_util.hpp"

namespace paddock::cedar {
namespace {

using nlohmann::json;

TEST(CedarEntities, TransitiveClosureAndDanglingParents) {
  auto store = testing::entities(R"([
    {"uid": {"type": "U", "id": "u"}, "attrs": {}, "parents": [{"type": "G", "id": "mid"}, {"type": "G", "id": "ghost"}]},
    {"uid": {"type": "G", "id": "mid"}, "attrs": {}, "parents": [{"type": "G", "id": "top"}]},
    {"uid": {"type": "G", "id": "top"}, "attrs": {}, "parents": []}])");
  const Entity* u = store.find(EntityUid("U", "u"));
  ASSERT_NE(u, nullptr);
  EXPECT_TRUE(u->has_ancestor(EntityUid("G", "top")));
  EXPECT_TRUE(u->has_ancestor(EntityUid("G", "ghost")));  // a parent nobody defined is still a parent
  EXPECT_FALSE(u->has_ancestor(EntityUid("U", "u")));
  EXPECT_EQ(u->ancestors.size(), 3u);
}

TEST(CedarEntities, CyclesAreRejected) {
  EXPECT_THROW(testing::entities(R"([
    {"uid": {"type": "G", "id": "a"}, "attrs": {}, "parents": [{"type": "G", "id": "b"}]},
    {"uid": {"type": "G", "id": "b"}, "attrs": {}, "parents": [{"type": "G", "id": "a"}]}])"),
               PolicyError);
  EXPECT_THROW(testing::entities(R"([{"uid": {"type": "G", "id": "a"}, "parents": [{"type": "G", "id": "a"}]}])"),
               PolicyError);
}

TEST(CedarEntities, DeepHierarchiesDoNotExhaustTheStack) {
  json list = json::array();
  const int depth = 20000;
  for (int i = 0; i < depth; ++i) {
    json e{{"uid", {{"type", "G"}, {"id", std::to_string(i)}}}, {"attrs", json::object()}, {"parents", json::array()}};
    if (i + 1 < depth) e["parents"].push_back({{"type", "G"}, {"id", std::to_string(i + 1)}});
    list.push_back(e);
  }
  // A chain is fine (closure sizes grow, so keep it moderate) ...
  json chain(list.begin(), list.begin() + 2000);
  EntityStore store;
  load_entities_json(chain, store);
  store.finish();
  EXPECT_TRUE(store.find(EntityUid("G", "0"))->has_ancestor(EntityUid("G", "1999")));
  // ... and a long cycle is found without recursion.
  list.back()["parents"].push_back({{"type", "G"}, {"id", "0"}});
  EntityStore cyclic;
  load_entities_json(list, cyclic);
  EXPECT_THROW(cyclic.finish(), PolicyError);
}

TEST(CedarEntities, DuplicatesMustBeIdentical) {
  EXPECT_NO_THROW(testing::entities(R"([{"uid": {"type": "U", "id": "a"}, "attrs": {"x": 1}, "parents": []},
                                        {"uid": {"type": "U", "id": "a"}, "attrs": {"x": 1}, "parents": []}])"));
  EXPECT_THROW(testing::entities(R"([{"uid": {"type": "U", "id": "a"}, "attrs": {"x": 1}, "parents": []},
                                     {"uid": {"type": "U", "id": "a"}, "attrs": {"x": 2}, "parents": []}])"),
               PolicyError);
}

TEST(CedarJson, IntegersAreExact64BitValues) {
  LiteralStore store;
  auto v = value_from_json(parse_json_text("[9223372036854775807, -9223372036854775808]", "t"), store, "v");
  EXPECT_EQ(to_cedar(v), "[-9223372036854775808, 9223372036854775807]");
  EXPECT_THROW(value_from_json(parse_json_text("9223372036854775808", "t"), store, "v"), PolicyError);
  EXPECT_THROW(value_from_json(parse_json_text("1.5", "t"), store, "v"), PolicyError);
  EXPECT_THROW(value_from_json(parse_json_text("null", "t"), store, "v"), PolicyError);
}

TEST(CedarJson, EscapesAndErrors) {
  LiteralStore store;
  auto v = value_from_json(parse_json_text(R"({"e": {"__entity": {"type": "NS::U", "id": "x"}},
      "i": {"__extn": {"fn": "ip", "arg": "10.0.0.0/8"}},
      "o": {"__extn": {"fn": "offset", "args": [{"__extn": {"fn": "datetime", "arg": "1970-01-01"}},
                                                 {"__extn": {"fn": "duration", "arg": "1s"}}]}},
      "r": {"type": "U", "id": "y"}})",
                                           "t"),
                           store, "v");
  EXPECT_EQ(to_cedar(*v.find("e")), "NS::U::\"x\"");
  EXPECT_EQ(to_cedar(*v.find("i")), "ip(\"10.0.0.0/8\")");
  EXPECT_EQ(v.find("o")->as_int(), 1000);
  EXPECT_TRUE(v.find("r")->is(ValueType::Record));  // without a schema, not an entity reference
  EXPECT_THROW(parse_json_text(R"({"a": 1, "a": 2})", "t"), PolicyError);
  EXPECT_THROW(value_from_json(parse_json_text(R"({"__extn": {"fn": "ip", "arg": "nope"}})", "t"), store, "v"),
               PolicyError);
  EXPECT_THROW(uid_from_json(parse_json_text(R"({"type": "A B", "id": "x"})", "t"), "uid"), PolicyError);
  EXPECT_THROW(parse_json_text(std::string(100000, '['), "t"), PolicyError);
  EXPECT_EQ(value_to_json(v)["e"], json::parse(R"({"__entity": {"type": "NS::U", "id": "x"}})"));
}

TEST(CedarJson, EnormousSetsAreCanonicalised) {
  json big = json::array();
  for (int i = 200000; i > 0; --i) big.push_back(i % 100000);
  LiteralStore store;
  auto v = value_from_json(big, store, "v");
  EXPECT_EQ(v.as_set().size(), 100000u);
  EXPECT_EQ(v.as_set().front().as_int(), 0);
}

TEST(CedarSchema, DirectsTheParsingOfEntitiesAndContext) {
  Schema schema = Schema::from_cedar_text("s.cedarschema", R"(
    namespace App {
      type Net = { src: ipaddr, when?: datetime };
      entity Group;
      entity User in [Group] = { manager?: User, limit: decimal, friends: Set<User> } tags String;
      action read, write in [readAll] appliesTo { principal: User, resource: User, context: Net };
      action readAll;
    }
  )");
  EntityStore store;
  load_entities_json(parse_json_text(R"([{"uid": {"type": "App::User", "id": "a"}, "parents": [],
      "attrs": {"manager": {"type": "App::User", "id": "b"}, "limit": "1.5", "friends": [{"type": "App::User", "id": "c"}]},
      "tags": {"t": "x"}}])",
                                     "e"),
                     store, &schema);
  store.finish();
  const Entity* a = store.find(EntityUid("App::User", "a"));
  ASSERT_NE(a, nullptr);
  EXPECT_TRUE(a->attrs.find("manager")->is(ValueType::Entity));
  EXPECT_TRUE(a->attrs.find("limit")->is(ValueType::Decimal));
  EXPECT_TRUE(a->attrs.find("friends")->as_set().front().is(ValueType::Entity));
  // The schema's actions become entities, with their groups.
  const Entity* write = store.find(EntityUid("App::Action", "write"));
  ASSERT_NE(write, nullptr);
  EXPECT_TRUE(write->has_ancestor(EntityUid("App::Action", "readAll")));
  EntityUid read("App::Action", "read");
  LiteralStore context_store;
  auto ctx = context_from_json(parse_json_text(R"({"src": "10.0.0.1", "when": "2024-01-01"})", "c"), context_store,
                               &schema, &read);
  EXPECT_TRUE(ctx.find("src")->is(ValueType::IpAddr));
  EXPECT_TRUE(ctx.find("when")->is(ValueType::DateTime));
  EXPECT_THROW(Schema::from_cedar_text("bad", "entity User = { a: };"), PolicyError);
}

TEST(CedarSchema, ReadsTheJsonFormat) {
  Schema schema = Schema::from_json(json::parse(R"({"NS": {
    "commonTypes": {"Ctx": {"type": "Record", "attributes": {"ip": {"type": "Extension", "name": "ipaddr"}}}},
    "entityTypes": {"User": {"memberOfTypes": ["Team"], "shape": {"type": "Record", "attributes": {
        "boss": {"type": "Entity", "name": "User", "required": false}}}}, "Team": {}},
    "actions": {"view": {"appliesTo": {"principalTypes": ["User"], "resourceTypes": ["Team"], "context": {"type": "Ctx"}},
                         "memberOf": [{"id": "all"}]}}}})"));
  const EntityTypeDecl* user = schema.entity_type("NS::User");
  ASSERT_NE(user, nullptr);
  EXPECT_EQ(user->member_of, std::vector<std::string>{"NS::Team"});
  EXPECT_EQ(user->shape->attributes.at("boss").type->name, "NS::User");
  EXPECT_FALSE(user->shape->attributes.at("boss").required);
  const ActionDecl* view = schema.action(EntityUid("NS::Action", "view"));
  ASSERT_NE(view, nullptr);
  EXPECT_EQ(view->context->attributes.at("ip").type->kind, SchemaType::Kind::Extension);
  EXPECT_EQ(view->member_of.front(), EntityUid("NS::Action", "all"));
}

}  // namespace
}  // namespace paddock::cedar
