// Differential testing against the reference engine, part 1: generates random Cedar cases
// (policies as text, entities, requests) and this engine's answer to each, as JSON lines that
// tools/cedar/difftest.mjs replays through @cedar-policy/cedar-wasm and compares.
//   cedar_difftest_gen SEED COUNT > cases.jsonl
// Expressions are generated loosely typed on purpose: many are ill-typed, overflow, read
// missing attributes or tags, or call extension functions on bad strings, because errors and
// their effect on decisions are where engines disagree. Policy text sometimes does not parse,
// and entity hierarchies are sometimes cyclic; then both engines must fail.
#include <fmt/core.h>

#include <iostream>
#include <random>

#include "cedar/authorizer.hpp"
#include "cedar/diagnostics.hpp"
#include "cedar/json.hpp"

namespace {

using namespace paddock::cedar;
using nlohmann::json;

class Generator {
 public:
  explicit Generator(std::uint64_t seed) : rng_(seed) {}

  int below(int n) { return std::uniform_int_distribution<int>(0, n - 1)(rng_); }
  bool chance(double p) { return std::bernoulli_distribution(p)(rng_); }
  template <class T>
  const T& pick(const std::vector<T>& v) {
    return v[static_cast<std::size_t>(below(static_cast<int>(v.size())))];
  }

  const std::vector<std::string> types = {"User", "Group", "NS::Doc", "Action"};
  const std::vector<std::string> ids = {"a", "b", "c", "", "q\"t", "\xC3\xBC"};
  const std::vector<std::string> attrs = {"n", "s", "flag", "ref", "set", "rec", "ip", "when"};

  json uid() { return json{{"type", pick(types)}, {"id", pick(ids)}}; }
  std::string uid_text(const json& u) {
    return u["type"].get<std::string>() + "::" + quote_string(u["id"].get<std::string>());
  }

  std::string long_literal() {
    static const std::vector<std::string> kLongs = {
        "0", "1", "-1", "7", "9223372036854775807", "-9223372036854775808", "4611686018427387904", "-3", "100"};
    return pick(kLongs);
  }
  std::string string_literal() {
    static const std::vector<std::string> kStrings = {"\"\"",        "\"a\"",      "\"abc\"", "\"a*c\"",
                                                      "\"\\u{FC}\"", "\"q\\\"t\"", "\"n\""};
    return pick(kStrings);
  }
  std::string pattern() {
    static const std::vector<std::string> kPatterns = {"\"*\"", "\"a*\"",  "\"*c\"",   "\"a\\*c\"",
                                                       "\"\"",  "\"*b*\"", "\"a**c\"", "\"abc\""};
    return pick(kPatterns);
  }
  std::string ext_call() {
    static const std::vector<std::string> kIps = {"10.0.0.1", "10.0.0.0/8", "::1",      "127.0.0.1/7",
                                                  "ff00::/8", "1.2.3",      "01.2.3.4", "::ffff:1.2.3.4"};
    static const std::vector<std::string> kDecimals = {"1.0",    "-1.2345", "1.23456", "922337203685477.5807",
                                                       "0.0001", "1"};
    static const std::vector<std::string> kDatetimes = {"2024-01-01", "2024-02-30", "1970-01-01T00:00:00Z",
                                                        "2024-10-15T11:35:00+0100", "2024-01-01T23:59:60Z"};
    static const std::vector<std::string> kDurations = {"1d2h", "-1h", "61m1h", "1ms", "9223372036854775807ms", "0s"};
    switch (below(4)) {
      case 0:
        return fmt::format("ip({})", quote_string(pick(kIps)));
      case 1:
        return fmt::format("decimal({})", quote_string(pick(kDecimals)));
      case 2:
        return fmt::format("datetime({})", quote_string(pick(kDatetimes)));
      default:
        return fmt::format("duration({})", quote_string(pick(kDurations)));
    }
  }

  std::string var() {
    static const std::vector<std::string> kVars = {"principal", "resource", "action", "context"};
    return pick(kVars);
  }

  // An expression of roughly the requested kind: 'b'ool, 'l'ong, 's'tring, 'e'ntity, 'S'et, any ('?').
  std::string expr(char kind, int depth) {
    if (depth <= 0 || chance(0.25)) return leaf(kind);
    if (chance(0.08)) kind = "blseS?"[below(6)];  // deliberately ill-typed
    switch (kind) {
      case 'b':
        return bool_expr(depth - 1);
      case 'l': {
        static const std::vector<std::string> kOps = {"+", "-", "*"};
        switch (below(5)) {
          case 0:
            return fmt::format("{} {} {}", expr('l', depth - 1), pick(kOps), expr('l', depth - 1));
          case 1:
            return fmt::format("-({})", expr('l', depth - 1));
          case 2:
            return fmt::format("(if {} then {} else {})", expr('b', depth - 1), expr('l', depth - 1),
                               expr('l', depth - 1));
          case 3:
            return fmt::format("duration({}).toHours()",
                               quote_string(pick(std::vector<std::string>{"1d", "-90m", "1x"})));
          default:
            return fmt::format("({}).{}", expr('e', depth - 1), pick(attrs));
        }
      }
      case 'S':
        switch (below(3)) {
          case 0:
            return fmt::format("[{}, {}]", expr('?', depth - 1), expr('?', depth - 1));
          case 1:
            return fmt::format("{}.set", pick(std::vector<std::string>{"principal", "resource", "context"}));
          default:
            return "[]";
        }
      case 'e':
        return below(2) ? fmt::format("{}.ref", pick(std::vector<std::string>{"principal", "resource", "context"}))
                        : fmt::format("principal.getTag({})", string_literal());
      default:
        return leaf(kind);
    }
  }

  std::string bool_expr(int depth) {
    static const std::vector<std::string> kCmp = {"<", "<=", ">", ">=", "==", "!="};
    switch (below(16)) {
      case 0:
        return fmt::format("({} && {})", expr('b', depth), expr('b', depth));
      case 1:
        return fmt::format("({} || {})", expr('b', depth), expr('b', depth));
      case 2:
        return fmt::format("!({})", expr('b', depth));
      case 3:
        return fmt::format("{} {} {}", expr('l', depth), pick(kCmp), expr('l', depth));
      case 4:
        return fmt::format("{} == {}", expr('?', depth), expr('?', depth));
      case 5:
        return fmt::format("{} in {}", expr('e', depth),
                           below(2) ? expr('e', depth) : fmt::format("[{}, {}]", expr('e', depth), expr('e', depth)));
      case 6:
        return fmt::format("{} like {}", expr('s', depth), pattern());
      case 7:
        return fmt::format(
            "{} has {}",
            pick(std::vector<std::string>{"principal", "resource", "context", "principal.rec", "context.rec"}),
            pick(attrs));
      case 8:
        return fmt::format("{} is {}", expr('e', depth), pick(types));
      case 9:
        return fmt::format("{} is {} in {}", expr('e', depth), pick(types), expr('e', depth));
      case 10:
        return fmt::format("{}.{}({})", expr('S', depth),
                           pick(std::vector<std::string>{"contains", "containsAll", "containsAny"}),
                           expr(below(2) ? 'S' : '?', depth));
      case 11:
        return fmt::format("{}.isEmpty()", expr('S', depth));
      case 12:
        return fmt::format("{}.hasTag({})", expr('e', depth), string_literal());
      case 13: {
        static const std::vector<std::string> kMethods = {"isIpv4()",
                                                          "isLoopback()",
                                                          "isMulticast()",
                                                          "isInRange(ip(\"10.0.0.0/8\"))",
                                                          "lessThan(decimal(\"1.5\"))",
                                                          "greaterThanOrEqual(decimal(\"-1.0\"))"};
        return fmt::format("{}.{}", ext_call(), pick(kMethods));
      }
      case 14: {
        static const std::vector<std::string> kTimes = {
            "datetime(\"2024-01-01\").offset(duration(\"1d\")) > datetime(\"2024-01-01T12:00:00Z\")",
            "datetime(\"1969-12-31T23:00:00Z\").toDate() == datetime(\"1969-12-31\")",
            "datetime(\"2024-01-01\").durationSince(datetime(\"2023-12-31\")) == duration(\"24h\")",
            "context.when.toTime() < duration(\"12h\")"};
        return pick(kTimes);
      }
      default:
        return fmt::format("(if {} then {} else {})", expr('b', depth), expr('b', depth), expr('b', depth));
    }
  }

  std::string leaf(char kind) {
    switch (kind) {
      case 'b':
        return below(3) ? fmt::format("{}.flag", pick(std::vector<std::string>{"principal", "resource", "context"}))
                        : (below(2) ? "true" : "false");
      case 'l':
        return below(2) ? long_literal()
                        : fmt::format("{}.n", pick(std::vector<std::string>{"principal", "resource", "context"}));
      case 's':
        return below(2) ? string_literal()
                        : fmt::format("{}.s", pick(std::vector<std::string>{"principal", "resource", "context"}));
      case 'e':
        return below(2) ? var() : uid_text(uid());
      case 'S':
        return "[1, \"a\"]";
      default: {
        switch (below(5)) {
          case 0:
            return long_literal();
          case 1:
            return string_literal();
          case 2:
            return var();
          case 3:
            return ext_call();
          default:
            return fmt::format("{{a: {}, b: {}}}", long_literal(), string_literal());
        }
      }
    }
  }

  std::string scope(const char* var, bool action) {
    if (chance(0.5)) return var;  // unconstrained scopes let the conditions run
    switch (below(action ? 4 : 6)) {
      case 0:
        return var;
      case 1:
        return fmt::format("{} == {}", var, uid_text(action ? json{{"type", "Action"}, {"id", pick(ids)}} : uid()));
      case 2:
        return fmt::format("{} in {}", var, uid_text(action ? json{{"type", "Action"}, {"id", pick(ids)}} : uid()));
      case 3:
        if (action)
          return fmt::format("action in [Action::{}, Action::{}]", quote_string(pick(ids)), quote_string(pick(ids)));
        return fmt::format("{} is {}", var, pick(types));
      default:
        return fmt::format("{} is {} in {}", var, pick(types), uid_text(uid()));
    }
  }

  std::string policies() {
    std::string out;
    int n = 1 + below(4);
    for (int i = 0; i < n; ++i) {
      if (chance(0.1)) out += "@id(\"x\") ";
      out += fmt::format("{}({}, {}, {})", chance(0.7) ? "permit" : "forbid", scope("principal", false),
                         scope("action", true), scope("resource", false));
      int conditions = below(3);
      for (int c = 0; c < conditions; ++c)
        out += fmt::format(" {} {{ {} }}", chance(0.75) ? "when" : "unless", expr('b', 1 + below(4)));
      out += ";\n";
    }
    if (chance(0.02)) out += "permit(principal, action, resource) when { 1 / 2 };\n";  // must fail in both engines
    return out;
  }

  // A JSON value of a random type (integers within +-2^53, which JavaScript carries exactly).
  json value(int depth) {
    switch (below(depth > 0 ? 9 : 6)) {
      case 0:
        return chance(0.5);
      case 1:
        return pick(std::vector<std::int64_t>{0, 1, -1, 42, 9007199254740991, -9007199254740991});
      case 2:
        return pick(std::vector<std::string>{"", "a", "abc", "a*c", "n"});
      case 3:
        return json{{"__entity", uid()}};
      case 4:
        return json{
            {"__extn", {{"fn", "ip"}, {"arg", pick(std::vector<std::string>{"10.1.2.3", "::1", "224.0.0.1"})}}}};
      case 5:
        return json{{"__extn", {{"fn", "datetime"}, {"arg", "2024-01-01T10:00:00Z"}}}};
      case 6:
        return json::array({value(depth - 1), value(depth - 1)});
      default: {
        json r = json::object();
        for (int i = below(3); i > 0; --i) r[pick(attrs)] = value(depth - 1);
        return r;
      }
    }
  }

  json record(int depth) {
    json r = json::object();
    for (const auto& a : attrs)
      if (chance(0.5)) r[a] = a == "n" && chance(0.7) ? json(below(10)) : value(depth);
    return r;
  }

  // A template with ?principal and/or ?resource, and links filling them (sometimes wrongly:
  // a missing or extra slot value must make both engines fail).
  void template_and_links(json& templates, json& links) {
    bool p = chance(0.7);
    bool r = !p || chance(0.5);
    std::string principal = p ? (below(2) ? "principal == ?principal" : "principal in ?principal") : "principal";
    std::string resource =
        r ? (below(2) ? "resource in ?resource" : fmt::format("resource is {} in ?resource", pick(types))) : "resource";
    std::string text =
        fmt::format("{}({}, {}, {})", chance(0.7) ? "permit" : "forbid", principal, scope("action", true), resource);
    if (chance(0.5)) text += fmt::format(" when {{ {} }}", expr('b', 2));
    templates["t0"] = text + ";";
    for (int i = 0, n = 1 + below(2); i < n; ++i) {
      json values = json::object();
      if (p || chance(0.03)) values["?principal"] = uid();
      if (r || chance(0.03)) values["?resource"] = uid();
      links.push_back({{"templateId", "t0"}, {"newId", fmt::format("link{}", i)}, {"values", values}});
    }
  }

  json entities() {
    json out = json::array();
    std::vector<json> uids;
    for (int i = 0, n = 2 + below(6); i < n; ++i) {
      json u = uid();
      bool fresh = true;
      for (const auto& x : uids) fresh = fresh && x != u;
      if (fresh) uids.push_back(u);
    }
    for (std::size_t i = 0; i < uids.size(); ++i) {
      json parents = json::array();
      // Parents come later in the list, so the hierarchy is acyclic, except rarely on purpose.
      // Actions may only have action parents (anything else fails to load), so mostly keep to that.
      bool action = uids[i]["type"] == "Action";
      for (std::size_t k = i + 1; k < uids.size(); ++k)
        if (chance(0.3) && (!action || uids[k]["type"] == "Action" || chance(0.05))) parents.push_back(uids[k]);
      if (i > 0 && chance(0.01)) parents.push_back(uids[0]);
      json e{{"uid", uids[i]}, {"attrs", record(2)}, {"parents", parents}};
      if (chance(0.3)) e["tags"] = json{{"a", value(1)}, {"n", 3}};
      out.push_back(e);
    }
    return out;
  }

 private:
  std::mt19937_64 rng_;
};

json answer(const std::string& policies_text, const json& templates, const json& links, const json& entities_json,
            const json& request) {
  try {
    PolicySetBuilder builder;
    builder.add_text_or_throw("case.cedar", policies_text);
    for (const auto& [id, text] : templates.items()) {
      auto diagnostics = builder.add_template_text(id, id, text.get<std::string>());
      if (has_errors(diagnostics)) throw PolicyError(std::move(diagnostics));
    }
    for (const auto& link : links) {
      std::optional<EntityUid> principal, resource;
      if (link["values"].contains("?principal")) principal = uid_from_json(link["values"]["?principal"], "link");
      if (link["values"].contains("?resource")) resource = uid_from_json(link["values"]["?resource"], "link");
      builder.link(link["templateId"].get<std::string>(), link["newId"].get<std::string>(), principal, resource);
    }
    auto set = builder.build();
    if (set->templates().size() != templates.size()) throw PolicyError("static policies hold a template");
    EntityStore store;
    load_entities_json(entities_json, store);
    store.finish();
    EntityUid principal = uid_from_json(request["principal"], "principal");
    EntityUid action = uid_from_json(request["action"], "action");
    EntityUid resource = uid_from_json(request["resource"], "resource");
    LiteralStore context_store;
    Request r{&principal, &action, &resource, context_from_json(request["context"], context_store)};
    Authorizer authorizer;
    Response response = authorizer.authorize(*set, r, store);
    json reason = json::array(), errors = json::array();
    for (const Policy* p : response.determining) reason.push_back(p->id);
    for (const auto& e : response.errors) errors.push_back(e.policy->id);
    return json{{"decision", decision_name(response.decision)}, {"reason", reason}, {"errors", errors}};
  } catch (const paddock::Error& e) {
    return json{{"failure", e.what()}};
  }
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 3) {
    fmt::print(stderr, "usage: cedar_difftest_gen SEED COUNT\n");
    return 2;
  }
  Generator gen(std::stoull(argv[1]));
  long count = std::stol(argv[2]);
  for (long i = 0; i < count; ++i) {
    std::string policies = gen.policies();
    json templates = json::object(), links = json::array();
    if (gen.chance(0.2)) gen.template_and_links(templates, links);
    json entities = gen.entities();
    for (int r = 0; r < 3; ++r) {
      json request{{"id", fmt::format("{}:{}#{}", argv[1], i, r)},
                   {"policies", policies},
                   {"entities", entities},
                   {"principal", entities.empty() || gen.chance(0.2)
                                     ? gen.uid()
                                     : gen.pick(std::vector<json>(entities.begin(), entities.end()))["uid"]},
                   {"action", json{{"type", "Action"}, {"id", gen.pick(gen.ids)}}},
                   {"resource", entities.empty() || gen.chance(0.2)
                                    ? gen.uid()
                                    : gen.pick(std::vector<json>(entities.begin(), entities.end()))["uid"]},
                   {"context", gen.record(2)}};
      if (!links.empty()) {
        request["templates"] = templates;
        request["templateLinks"] = links;
      }
      request["ours"] = answer(policies, templates, links, entities, request);
      std::cout << request.dump() << '\n';
    }
  }
  return 0;
}
