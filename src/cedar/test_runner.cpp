#include "cedar/test_runner.hpp"

#include <fmt/core.h>
#include <fmt/ranges.h>

#include <algorithm>
#include <fstream>
#include <optional>
#include <set>
#include <sstream>

#include "cedar/authorizer.hpp"
#include "cedar/json.hpp"
#include "cedar/parser.hpp"
#include "cedar/schema.hpp"

namespace paddock::cedar {

using nlohmann::json;

void TestSummary::add(const TestSummary& other) {
  passed += other.passed;
  failed += other.failed;
  failures.insert(failures.end(), other.failures.begin(), other.failures.end());
}

namespace {

std::string read_file(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw PolicyError(fmt::format("cannot read {}", path.string()));
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

// What one request produced: a response, or a failure before authorization (parse error,
// entity cycle, ...), which is what the reference reports as "failure".
struct Outcome {
  std::optional<std::string> failure;
  std::string decision;
  std::set<std::string> reason;
  std::set<std::string> errors;
};

std::set<std::string> id_set(const json& j) {
  std::set<std::string> out;
  if (!j.is_array()) return out;
  for (const auto& e : j) out.insert(e.is_string() ? e.get<std::string>() : e.value("policyId", ""));
  return out;
}

std::string describe(const Outcome& o) {
  if (o.failure) return "failure: " + *o.failure;
  return fmt::format("{} reason [{}] errors [{}]", o.decision, fmt::join(o.reason, ", "), fmt::join(o.errors, ", "));
}

EntityUid request_uid(const json& j, const std::string& where) {
  if (j.is_string()) {
    std::string error;
    auto uid = parse_entity_uid(j.get<std::string>(), &error);
    if (!uid) throw PolicyError(fmt::format("{}: {}", where, error));
    return *uid;
  }
  return uid_from_json(j, where);
}

// Everything a request needs besides its own fields.
struct Fixture {
  std::shared_ptr<const PolicySet> policies;
  EntityStore entities;
  std::optional<Schema> schema;
};

Outcome authorize_one(const Fixture& f, const json& request) {
  Outcome out;
  try {
    EntityUid principal = request_uid(request.at("principal"), "principal");
    EntityUid action = request_uid(request.at("action"), "action");
    EntityUid resource = request_uid(request.at("resource"), "resource");
    LiteralStore context_store;
    Request r;
    r.principal = &principal;
    r.action = &action;
    r.resource = &resource;
    const Schema* schema = f.schema ? &*f.schema : nullptr;
    r.context =
        context_from_json(request.contains("context") ? request["context"] : json(), context_store, schema, &action);
    Authorizer authorizer;
    Response response = authorizer.authorize(*f.policies, r, f.entities);
    out.decision = std::string(decision_name(response.decision));
    for (const Policy* p : response.determining) out.reason.insert(p->id);
    for (const auto& e : response.errors) out.errors.insert(e.policy->id);
  } catch (const Error& e) {
    out.failure = e.what();
  } catch (const json::exception& e) {
    out.failure = e.what();
  }
  return out;
}

bool matches(const Outcome& got, const json& expected) {
  if (expected.value("failure", false)) return got.failure.has_value();
  if (got.failure) return false;
  return got.decision == expected.value("decision", "") &&
         got.reason == id_set(expected.value("reason", json::array())) &&
         got.errors == id_set(expected.value("errors", json::array()));
}

void record(TestSummary& s, bool ok, const std::string& name, const json& expected, const Outcome& got) {
  if (ok) {
    ++s.passed;
    return;
  }
  ++s.failed;
  s.failures.push_back(fmt::format("{}: expected {}, got {}", name, expected.dump(), describe(got)));
}

std::optional<Schema> load_schema(const std::filesystem::path& path) {
  std::string text = read_file(path);
  if (path.extension() == ".json") return Schema::from_json(parse_json_text(text, path.string()));
  return Schema::from_cedar_text(path.string(), text);
}

}  // namespace

TestSummary run_test_file(const std::filesystem::path& test_file, const std::filesystem::path& root, bool use_schema) {
  TestSummary summary;
  json test;
  Fixture fixture;
  std::optional<std::string> setup_failure;
  try {
    test = parse_json_text(read_file(test_file), test_file.string());
    if (use_schema && test.contains("schema") && test["schema"].is_string())
      fixture.schema = load_schema(root / test["schema"].get<std::string>());
    PolicySetBuilder builder;
    auto policy_path = root / test.at("policies").get<std::string>();
    builder.add_text_or_throw(policy_path.string(), read_file(policy_path));
    fixture.policies = builder.build();
    auto entities_path = root / test.at("entities").get<std::string>();
    load_entities_json(parse_json_text(read_file(entities_path), entities_path.string()), fixture.entities,
                       fixture.schema ? &*fixture.schema : nullptr);
    fixture.entities.finish();
  } catch (const Error& e) {
    setup_failure = e.what();
  } catch (const json::exception& e) {
    setup_failure = e.what();
  }
  const json requests = test.is_object() ? test.value("requests", json::array()) : json::array();
  if (requests.empty() && setup_failure) {
    ++summary.failed;
    summary.failures.push_back(fmt::format("{}: {}", test_file.string(), *setup_failure));
    return summary;
  }
  for (std::size_t i = 0; i < requests.size(); ++i) {
    const json& r = requests[i];
    Outcome got;
    if (setup_failure) {
      got.failure = setup_failure;
    } else {
      got = authorize_one(fixture, r);
    }
    record(summary, matches(got, r), fmt::format("{}#{}", test_file.string(), i), r, got);
  }
  return summary;
}

TestSummary run_probe_file(const std::filesystem::path& jsonl_file) {
  TestSummary summary;
  std::istringstream lines(read_file(jsonl_file));
  std::string line;
  std::size_t number = 0;
  while (std::getline(lines, line)) {
    ++number;
    if (line.find_first_not_of(" \t\r") == std::string::npos) continue;
    json probe;
    Outcome got;
    std::string name = fmt::format("{}:{}", jsonl_file.string(), number);
    try {
      probe = parse_json_text(line, name);
      if (probe.contains("id")) name += " (" + probe["id"].dump() + ")";
      Fixture fixture;
      if (probe.contains("schema") && probe["schema"].is_string()) {
        fixture.schema = Schema::from_cedar_text("<schema>", probe["schema"].get<std::string>());
      }
      PolicySetBuilder builder;
      const json& policies = probe.value("policies", json(""));
      if (policies.is_string()) {
        // Like the reference's "staticPolicies": templates go under "templates".
        PolicySetBuilder check;
        check.add_text_or_throw("<policies>", policies.get<std::string>());
        if (!check.build()->templates().empty())
          throw PolicyError("\"policies\" holds a template (slots); put it under \"templates\"");
        builder.add_text_or_throw("<policies>", policies.get<std::string>());
      } else if (policies.is_object()) {
        for (const auto& [id, text] : policies.items()) {
          PolicySetBuilder single;
          single.add_text_or_throw("<" + id + ">", text.get<std::string>());
          auto parsed = single.build();
          if (parsed->policies().size() != 1) throw PolicyError(fmt::format("policy `{}` must be one policy", id));
          builder.add_policy(id, PolicyAst(*parsed->policies().front().ast));
        }
      }
      if (probe.contains("templates")) {
        for (const auto& [id, text] : probe["templates"].items()) {
          auto diagnostics = builder.add_template_text(id, "<" + id + ">", text.get<std::string>());
          if (has_errors(diagnostics)) throw PolicyError(std::move(diagnostics));
        }
      }
      if (probe.contains("templateLinks")) {
        for (const auto& link : probe["templateLinks"]) {
          std::optional<EntityUid> principal, resource;
          const json& values = link.at("values");
          if (values.contains("?principal")) principal = request_uid(values["?principal"], "?principal");
          if (values.contains("?resource")) resource = request_uid(values["?resource"], "?resource");
          builder.link(link.at("templateId").get<std::string>(), link.at("newId").get<std::string>(), principal,
                       resource);
        }
      }
      fixture.policies = builder.build();
      load_entities_json(probe.value("entities", json::array()), fixture.entities,
                         fixture.schema ? &*fixture.schema : nullptr);
      fixture.entities.finish();
      got = authorize_one(fixture, probe);
    } catch (const Error& e) {
      got.failure = e.what();
    } catch (const json::exception& e) {
      got.failure = e.what();
    }
    const json expected = probe.is_object() ? probe.value("expected", json::object()) : json::object();
    record(summary, matches(got, expected), name, expected, got);
  }
  return summary;
}

}  // namespace paddock::cedar
