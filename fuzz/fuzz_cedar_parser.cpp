// libFuzzer target: arbitrary bytes as Cedar policy text. Parsing must never crash or hang,
// and whatever parses must survive the round trips the tools rely on: formatting parses back
// to the same formatting, the JSON policy format reads back to the same policy, and the
// compiled set evaluates (against no entities) without crashing.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>

#include "cedar/authorizer.hpp"
#include "cedar/est.hpp"
#include "cedar/format.hpp"
#include "cedar/parser.hpp"

using namespace paddock::cedar;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string text(reinterpret_cast<const char*>(data), size);
  LiteralStore store;
  auto source = std::make_shared<const Source>(Source{"fuzz.cedar", text});
  ParsedPolicies parsed = parse_policies(source, store);
  (void)render(parsed.diagnostics);
  if (has_errors(parsed.diagnostics)) return 0;

  std::string once = format_policies(text, parsed.policies);
  auto reparsed = parse_policies(std::make_shared<const Source>(Source{"formatted.cedar", once}), store);
  if (has_errors(reparsed.diagnostics) || reparsed.policies.size() != parsed.policies.size()) std::abort();
  if (format_policies(once, reparsed.policies) != once) std::abort();

  // (Compared as JSON: a JSON object does not keep the source order of record keys.)
  for (const auto& p : parsed.policies) {
    nlohmann::json j = policy_to_json(p);
    PolicyAst back = policy_from_json(nlohmann::json::parse(j.dump()), store);
    if (policy_to_json(back) != j) std::abort();
  }

  try {
    PolicySetBuilder builder;
    builder.add_text_or_throw("fuzz.cedar", text);
    auto set = builder.build();
    EntityUid principal("User", "a"), action("Action", "view"), resource("Doc", "d");
    EmptyEntities none;
    Authorizer authorizer;
    (void)authorizer.authorize(*set, Request{&principal, &action, &resource, Value::record({})}, none);
  } catch (const paddock::Error&) {
    // duplicate @id values and the like: reported, never a crash
  }
  return 0;
}
