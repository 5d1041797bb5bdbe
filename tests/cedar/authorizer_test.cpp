#include <gtest/gtest.h>

#include <deque>

#include "cedar_test_util.hpp"

namespace paddock::cedar {
namespace {

using testing::authorize;
using testing::policies;
using Ids = std::set<std::string>;

const EntityUid kAlice("User", "alice");
const EntityUid kView("Action", "view");
const EntityUid kPhoto("Photo", "p");

TEST(CedarAuthorizer, DefaultDenyForbidWinsErrorsAreSkipped) {
  EmptyEntities none;
  auto r = authorize(*policies(""), none, kAlice, kView, kPhoto);
  EXPECT_EQ(r.decision, "deny");
  EXPECT_TRUE(r.reason.empty());

  r = authorize(
      *policies("permit(principal, action, resource);\nforbid(principal == User::\"alice\", action, resource);"), none,
      kAlice, kView, kPhoto);
  EXPECT_EQ(r.decision, "deny");
  EXPECT_EQ(r.reason, Ids{"policy1"});

  r = authorize(*policies("permit(principal, action, resource);\n"
                          "forbid(principal, action, resource) when { 1 + \"a\" == 2 };\n"
                          "permit(principal, action, resource) when { 1 };"),
                none, kAlice, kView, kPhoto);
  EXPECT_EQ(r.decision, "allow");
  EXPECT_EQ(r.reason, Ids{"policy0"});
  EXPECT_EQ(r.errors, (Ids{"policy1", "policy2"}));
}

TEST(CedarAuthorizer, ConditionsApplyInOrder) {
  EmptyEntities none;
  auto r = authorize(*policies("permit(principal, action, resource) when { false } when { 1 };\n"
                               "permit(principal, action, resource) unless { false } when { true };\n"
                               "permit(principal, action, resource) unless { 1 };"),
                     none, kAlice, kView, kPhoto);
  EXPECT_EQ(r.reason, Ids{"policy1"});
  EXPECT_EQ(r.errors, Ids{"policy2"});
}

TEST(CedarAuthorizer, TemplatesAndLinks) {
  PolicySetBuilder builder;
  builder.add_text_or_throw("t.cedar", "permit(principal == ?principal, action, resource in ?resource);");
  builder.link("policy0", "alice-photos", kAlice, EntityUid("Album", "a"));
  builder.link("policy0", "bob-photos", EntityUid("User", "bob"), EntityUid("Album", "a"));
  EXPECT_THROW(builder.link("policy0", "x", kAlice, std::nullopt), PolicyError);
  EXPECT_THROW(builder.link("nope", "y", kAlice, kPhoto), PolicyError);
  EXPECT_THROW(builder.link("policy0", "alice-photos", kAlice, kPhoto), PolicyError);
  auto set = builder.build();
  auto store =
      testing::entities(R"([{"uid": {"type": "Photo", "id": "p"}, "parents": [{"type": "Album", "id": "a"}]}])");
  auto r = authorize(*set, store, kAlice, kView, kPhoto);
  EXPECT_EQ(r.decision, "allow");
  EXPECT_EQ(r.reason, Ids{"alice-photos"});
  EXPECT_EQ(set->find("alice-photos")->template_id, "policy0");
}

TEST(CedarAuthorizer, IdsFromAnnotationsAndLocations) {
  auto set = policies("@id(\"read\")\npermit(principal, action, resource);\n\npermit(principal, action, resource);",
                      PolicyIds::Annotations);
  ASSERT_NE(set->find("read"), nullptr);
  EXPECT_EQ(set->find("read")->location(), "test.cedar:1");
  ASSERT_NE(set->find("policy1"), nullptr);
  EXPECT_EQ(set->find("policy1")->location(), "test.cedar:4");
  // Cedar itself names policies by position: @id is only an annotation there.
  EXPECT_NE(policies("@id(\"read\") permit(principal, action, resource);")->find("policy0"), nullptr);
  EXPECT_THROW(
      policies("@id(\"x\") permit(principal, action, resource);\n@id(\"x\") forbid(principal, action, resource);",
               PolicyIds::Annotations),
      PolicyError);
}

TEST(CedarAuthorizer, TheIndexOnlyNarrowsNeverDrops) {
  // Policies reached through action groups and resource ancestors must still be found.
  auto store = testing::entities(R"([
    {"uid": {"type": "Action", "id": "view"}, "parents": [{"type": "Action", "id": "read"}]},
    {"uid": {"type": "Action", "id": "read"}, "parents": [{"type": "Action", "id": "any"}]},
    {"uid": {"type": "Photo", "id": "p"}, "parents": [{"type": "Album", "id": "a"}]},
    {"uid": {"type": "Album", "id": "a"}, "parents": [{"type": "Album", "id": "root"}]}])");
  auto set = policies(R"(
    permit(principal, action == Action::"view", resource == Photo::"p");
    permit(principal, action in Action::"any", resource in Album::"root");
    permit(principal, action in [Action::"edit", Action::"read"], resource in Album::"a");
    permit(principal, action, resource is Photo);
    permit(principal, action == Action::"edit", resource);
    permit(principal, action in [], resource);
    permit(principal, action, resource == Photo::"other");
    permit(principal, action == Action::"view", resource in Album::"elsewhere");
  )");
  auto r = authorize(*set, store, kAlice, kView, kPhoto);
  EXPECT_EQ(r.reason, (Ids{"policy0", "policy1", "policy2", "policy3"}));
  EXPECT_EQ(r.candidates, 4u);  // the other four are never looked at
}

TEST(CedarAuthorizer, OneAuthorizerServesManyRequests) {
  auto set = policies("permit(principal, action, resource) when { [principal, resource].contains(User::\"alice\") };");
  EmptyEntities none;
  Authorizer authorizer;
  Response response;
  for (int i = 0; i < 1000; ++i) {
    EntityUid who("User", i % 2 ? "alice" : "bob");
    Request request{&who, &kView, &kPhoto, Value::record({})};
    authorizer.authorize(*set, request, none, response);
    EXPECT_EQ(response.decision, i % 2 ? Decision::Allow : Decision::Deny);
  }
}

}  // namespace
}  // namespace paddock::cedar

namespace paddock::cedar {
namespace {

// What paddock's policy layer will do: no store of files, each file's ancestor directories made
// up when asked, layered over a store of the long-lived entities.
class PathEntities final : public EntitySource {
 public:
  const Entity* find(const EntityUid& uid) const noexcept override {
    if (uid.type() != "File" && uid.type() != "Dir") return nullptr;
    auto& e = made_.emplace_back();
    e.uid = &uid;
    const std::string& path = uid.id();
    for (std::size_t slash = path.rfind('/', path.size() - 2); slash != std::string::npos && path.size() > 1;
         slash = slash == 0 ? std::string::npos : path.rfind('/', slash - 1)) {
      e.ancestors.push_back(&uids_.emplace_back("Dir", path.substr(0, slash + 1)));
    }
    e.sort_ancestors();
    return &e;
  }
  mutable std::deque<Entity> made_;
  mutable std::deque<EntityUid> uids_;
};

TEST(CedarAuthorizer, LazySourcesNeedNoStore) {
  auto set = policies(R"(
    permit(principal in Sandbox::"s", action == Action::"FileOpenReadOnly", resource in Dir::"/home/u/p/");
    forbid(principal, action, resource in Dir::"/home/u/p/.git/hooks/");
  )");
  auto agents =
      testing::entities(R"([{"uid": {"type": "Agent", "id": "claude"}, "parents": [{"type": "Sandbox", "id": "s"}]}])");
  PathEntities paths;
  LayeredEntities entities(paths, agents);
  EntityUid agent("Agent", "claude"), read("Action", "FileOpenReadOnly");
  auto allowed = authorize(*set, entities, agent, read, EntityUid("File", "/home/u/p/src/main.c"));
  EXPECT_EQ(allowed.decision, "allow");
  auto hook = authorize(*set, entities, agent, read, EntityUid("File", "/home/u/p/.git/hooks/pre-commit"));
  EXPECT_EQ(hook.decision, "deny");
  EXPECT_EQ(hook.reason, Ids{"policy1"});
  EXPECT_EQ(authorize(*set, entities, agent, read, EntityUid("File", "/etc/passwd")).decision, "deny");
}

}  // namespace
}  // namespace paddock::cedar
