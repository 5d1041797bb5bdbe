// `paddock policy check|eval|test|format`: the Cedar engine from the command line.
//   check FILE...        parse and lint; diagnostics with file:line:col, caret and hint; exit 1 on errors
//   eval --policies F... [--entities F] [--schema F] --principal 'T::"id"' --action .. --resource ..
//        [--context JSON|@FILE] [--json]
//                        the decision, the determining policies (id, file:line) and the errors
//   test FILE...         Cedar integration-test files (.json) or oracle probes (.jsonl)
//   format FILE [-w|--json]  canonical formatting to stdout (or in place), or the JSON policy format
// Policy files ending in .json are read in the JSON policy format.
#include <fmt/core.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <sstream>

#include "cedar/authorizer.hpp"
#include "cedar/diagnostics.hpp"
#include "cedar/est.hpp"
#include "cedar/format.hpp"
#include "cedar/json.hpp"
#include "cedar/lint.hpp"
#include "cedar/parser.hpp"
#include "cedar/schema.hpp"
#include "cedar/test_runner.hpp"
#include "cli/command.hpp"
#include "common/error.hpp"
#include "policy/layers.hpp"
#include "policy/profiles.hpp"

namespace paddock::cli {
namespace {

using namespace paddock::cedar;

constexpr int kExitInvalid = 1;  // the input has errors (diagnostics printed)

std::string read_text(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw SysError(fmt::format("cannot read {}", path));
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

// Parses every file into one builder (ids from @id when present, so messages name them);
// prints all diagnostics. Returns whether there were errors.
bool load_policies(const std::vector<std::string>& files, PolicySetBuilder& builder, bool with_lint) {
  bool errors = false;
  for (const auto& file : files) {
    std::string text = read_text(file);
    if (file.ends_with(".json")) {  // the JSON policy format
      try {
        builder.add_json(parse_json_text(text, file));
      } catch (const PolicyError& e) {
        fmt::print(stderr, "{}", render(e.diagnostics()));
        errors = true;
      }
      continue;
    }
    std::vector<Diagnostic> diagnostics;
    if (with_lint) {
      // Lint the text on its own parse so that warnings come in source order with the errors.
      LiteralStore scratch;
      auto parsed = parse_policies(std::make_shared<const Source>(Source{file, text}), scratch);
      for (const auto& p : parsed.policies)
        for (auto& d : lint(p)) diagnostics.push_back(std::move(d));
    }
    for (auto& d : builder.add_text(file, text)) diagnostics.push_back(std::move(d));
    std::stable_sort(diagnostics.begin(), diagnostics.end(),
                     [](const Diagnostic& a, const Diagnostic& b) { return a.span.begin < b.span.begin; });
    fmt::print(stderr, "{}", render(diagnostics));
    errors = errors || has_errors(diagnostics);
  }
  return errors;
}

int check(const std::vector<std::string>& files) {
  PolicySetBuilder builder(PolicyIds::Annotations);
  if (load_policies(files, builder, true)) return kExitInvalid;
  std::shared_ptr<const PolicySet> set;
  try {
    set = builder.build();
  } catch (const PolicyError& e) {
    fmt::print(stderr, "{}", render(e.diagnostics()));
    return kExitInvalid;
  }
  fmt::print("ok: {} polic{}, {} template{} in {} file{}\n", set->policies().size(),
             set->policies().size() == 1 ? "y" : "ies", set->templates().size(),
             set->templates().size() == 1 ? "" : "s", files.size(), files.size() == 1 ? "" : "s");
  // Which layer enforces each policy, and what none enforces exactly.
  for (const auto& p : policy::describe_layers(*set)) {
    fmt::print("\n{} ({})\n", p.id, p.location);
    if (p.layers.empty()) fmt::print("  no layer: paddock never asks a question this policy answers\n");
    for (const auto& layer : p.layers) fmt::print("  {}\n", layer);
    for (const auto& warning : p.warnings) fmt::print("  warning: {}\n", warning);
  }
  return 0;
}

int show_profile(const std::string& name) {
  fmt::print("{}", policy::find_profile(name).cedar);
  return 0;
}

struct EvalOptions {
  std::vector<std::string> policies;
  std::string entities;
  std::string schema;
  std::string principal, action, resource;
  std::string context;
  bool json = false;
};

EntityUid uid_option(const std::string& text, const char* flag) {
  std::string error;
  auto uid = parse_entity_uid(text, &error);
  if (!uid) throw Error(fmt::format("{} {}: {}; write it as Type::\"id\"", flag, text, error), kExitUsage);
  return *uid;
}

int eval(const EvalOptions& o) {
  PolicySetBuilder builder(PolicyIds::Annotations);
  if (load_policies(o.policies, builder, false)) return kExitInvalid;
  try {
    auto set = builder.build();
    std::optional<Schema> schema;
    if (!o.schema.empty()) {
      std::string text = read_text(o.schema);
      schema = o.schema.ends_with(".json") ? Schema::from_json(parse_json_text(text, o.schema))
                                           : Schema::from_cedar_text(o.schema, text);
    }
    const Schema* schema_ptr = schema ? &*schema : nullptr;
    EntityStore entities;
    if (!o.entities.empty())
      load_entities_json(parse_json_text(read_text(o.entities), o.entities), entities, schema_ptr);
    entities.finish();
    EntityUid principal = uid_option(o.principal, "--principal");
    EntityUid action = uid_option(o.action, "--action");
    EntityUid resource = uid_option(o.resource, "--resource");
    LiteralStore context_store;
    Request request{&principal, &action, &resource, Value::record({})};
    if (!o.context.empty()) {
      std::string text = o.context.starts_with("@") ? read_text(o.context.substr(1)) : o.context;
      request.context = context_from_json(parse_json_text(text, "--context"), context_store, schema_ptr, &action);
    }
    Authorizer authorizer;
    Response r = authorizer.authorize(*set, request, entities);
    auto error_location = [](const PolicyEvalError& e) {
      return e.policy->ast->source ? location(*e.policy->ast->source, e.error.span) : e.policy->id;
    };
    if (o.json) {
      nlohmann::json out{{"decision", decision_name(r.decision)},
                         {"reason", nlohmann::json::array()},
                         {"errors", nlohmann::json::array()}};
      for (const Policy* p : r.determining) out["reason"].push_back({{"id", p->id}, {"location", p->location()}});
      for (const auto& e : r.errors)
        out["errors"].push_back(
            {{"policyId", e.policy->id}, {"location", error_location(e)}, {"message", e.error.message}});
      fmt::print("{}\n", out.dump(2));
      return 0;
    }
    fmt::print("{}\n", r.decision == Decision::Allow ? "ALLOW" : "DENY");
    if (r.determining.empty()) fmt::print("  no policy permits this request (default deny)\n");
    for (const Policy* p : r.determining)
      fmt::print("  {} by {} ({})\n", r.decision == Decision::Allow ? "permitted" : "forbidden", p->id, p->location());
    for (const auto& e : r.errors)
      fmt::print("  error in {} at {}: {} (the policy was skipped)\n", e.policy->id, error_location(e),
                 e.error.message);
    return 0;
  } catch (const PolicyError& e) {
    fmt::print(stderr, "{}", render(e.diagnostics()));
    return kExitInvalid;
  }
}

int test(const std::vector<std::string>& files, const std::string& root) {
  TestSummary total;
  for (const auto& f : files) {
    std::filesystem::path path(f);
    TestSummary s =
        path.extension() == ".jsonl" ? run_probe_file(path) : run_test_file(path, root.empty() ? "." : root);
    total.add(s);
  }
  for (const auto& failure : total.failures) fmt::print("FAIL {}\n", failure);
  fmt::print("{} passed, {} failed\n", total.passed, total.failed);
  return total.failed == 0 ? 0 : kExitInvalid;
}

int format(const std::string& file, bool write, bool to_json) {
  std::string text = read_text(file);
  LiteralStore store;
  auto parsed = parse_policies(std::make_shared<const Source>(Source{file, text}), store);
  if (has_errors(parsed.diagnostics)) {
    fmt::print(stderr, "{}", render(parsed.diagnostics));
    return kExitInvalid;
  }
  if (to_json) {
    nlohmann::json out = nlohmann::json::array();
    for (const auto& p : parsed.policies) out.push_back(policy_to_json(p));
    fmt::print("{}\n", out.dump(2));
    return 0;
  }
  std::string formatted = format_policies(text, parsed.policies);
  if (!write) {
    fmt::print("{}", formatted);
    return 0;
  }
  std::ofstream out(file, std::ios::binary | std::ios::trunc);
  out << formatted;
  if (!out.flush()) throw SysError(fmt::format("cannot write {}", file));
  return 0;
}

}  // namespace

void add_policy_command(CLI::App& app, Action& action) {
  auto* policy = app.add_subcommand("policy", "Check, evaluate, test and format Cedar policies");
  policy->require_subcommand(1);

  auto check_files = std::make_shared<std::vector<std::string>>();
  auto* check_cmd = policy->add_subcommand("check", "Parse and lint policy files; exit 1 on errors");
  check_cmd->add_option("files", *check_files, "Cedar policy files")->required();
  check_cmd->callback([&action, check_files] { action = [check_files] { return check(*check_files); }; });

  auto eval_options = std::make_shared<EvalOptions>();
  auto profile_name = std::make_shared<std::string>();
  auto* show_cmd = policy->add_subcommand("show", "Print a built-in profile (paranoid, strict, standard, trusted)");
  show_cmd->add_option("profile", *profile_name, "The profile")->required();
  show_cmd->callback([&action, profile_name] { action = [profile_name] { return show_profile(*profile_name); }; });

  auto* eval_cmd = policy->add_subcommand("eval", "Authorize one request against policy files");
  eval_cmd->add_option("--policies", eval_options->policies, "Cedar policy files")->required();
  eval_cmd->add_option("--entities", eval_options->entities, "Entities JSON file");
  eval_cmd->add_option("--schema", eval_options->schema,
                       "Schema (.cedarschema or .json) for reading entities and context");
  eval_cmd->add_option("--principal", eval_options->principal, "e.g. 'User::\"alice\"'")->required();
  eval_cmd->add_option("--action", eval_options->action, "e.g. 'Action::\"read\"'")->required();
  eval_cmd->add_option("--resource", eval_options->resource, "e.g. 'File::\"/etc/hosts\"'")->required();
  eval_cmd->add_option("--context", eval_options->context, "Context as a JSON object, or @FILE");
  eval_cmd->add_flag("--json", eval_options->json, "Print the answer as JSON");
  eval_cmd->callback([&action, eval_options] { action = [eval_options] { return eval(*eval_options); }; });

  auto test_files = std::make_shared<std::vector<std::string>>();
  auto test_root = std::make_shared<std::string>();
  auto* test_cmd = policy->add_subcommand("test", "Run Cedar test files (integration-test .json, probe .jsonl)");
  test_cmd->add_option("files", *test_files, "Test files")->required();
  test_cmd->add_option("--root", *test_root, "Folder the paths inside test files are relative to (default: .)");
  test_cmd->callback(
      [&action, test_files, test_root] { action = [test_files, test_root] { return test(*test_files, *test_root); }; });

  auto format_file = std::make_shared<std::string>();
  auto format_write = std::make_shared<bool>(false);
  auto format_json = std::make_shared<bool>(false);
  auto* format_cmd = policy->add_subcommand("format", "Print a policy file in canonical form");
  format_cmd->add_option("file", *format_file, "Cedar policy file")->required();
  format_cmd->add_flag("-w,--write", *format_write, "Rewrite the file in place");
  format_cmd->add_flag("--json", *format_json, "Print the policies in Cedar's JSON policy format instead");
  format_cmd->callback([&action, format_file, format_write, format_json] {
    action = [format_file, format_write, format_json] { return format(*format_file, *format_write, *format_json); };
  });
}

}  // namespace paddock::cli
