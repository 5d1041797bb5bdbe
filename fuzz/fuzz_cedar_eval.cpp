// libFuzzer target for evaluation: the input is "POLICIES \0 ENTITIES-JSON \0 CONTEXT-JSON".
// Anything may fail to load (that is reported as paddock::Error), but loading and authorizing
// must never crash, hang or leak, whatever the hierarchy (cycles, dangling parents, depth) or
// the values (huge sets, deep records, overflowing arithmetic, bad extension strings).
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "cedar/authorizer.hpp"
#include "cedar/json.hpp"

using namespace paddock::cedar;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string input(reinterpret_cast<const char*>(data), size);
  std::vector<std::string> parts;
  std::size_t start = 0;
  for (std::size_t i = 0; i <= input.size() && parts.size() < 3; ++i) {
    if (i == input.size() || input[i] == '\0') {
      parts.push_back(input.substr(start, i - start));
      start = i + 1;
    }
  }
  while (parts.size() < 3) parts.emplace_back();
  try {
    PolicySetBuilder builder;
    builder.add_text_or_throw("fuzz.cedar", parts[0]);
    auto set = builder.build();
    EntityStore store;
    if (!parts[1].empty()) load_entities_json(parse_json_text(parts[1], "entities"), store);
    store.finish();
    LiteralStore context_store;
    Value context =
        parts[2].empty() ? Value::record({}) : context_from_json(parse_json_text(parts[2], "context"), context_store);
    // Every entity in turn as principal and resource, plus ones the store does not know.
    std::vector<EntityUid> uids{EntityUid("User", "a"), EntityUid("Action", "view")};
    store.for_each([&](const Entity& e) {
      if (uids.size() < 8) uids.push_back(*e.uid);
    });
    Authorizer authorizer;
    Response response;
    for (std::size_t i = 0; i < uids.size(); ++i) {
      const EntityUid& principal = uids[i];
      const EntityUid& resource = uids[(i + 1) % uids.size()];
      Request request{&principal, &uids[1], &resource, context};
      authorizer.authorize(*set, request, store, response);
    }
  } catch (const paddock::Error&) {
  }
  return 0;
}
