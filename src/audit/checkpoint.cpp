#include "audit/checkpoint.hpp"

#include <nlohmann/json.hpp>

#include "audit/canonical_json.hpp"

namespace paddock::audit {

std::string checkpoint_message(std::string_view run_id, std::uint64_t seq, std::string_view prev, bool final) {
  std::string message = "paddock audit checkpoint v1\n";
  message += run_id;
  message += '\n';
  message += std::to_string(seq);
  message += '\n';
  message += prev;
  message += '\n';
  message += final ? "final" : "open";
  return message;
}

void append_checkpoint_event(std::string& out, const CheckpointEvent& checkpoint) {
  JsonWriter json(out);
  json.begin_object();
  json.field("final", checkpoint.final);
  json.field("key", checkpoint.key);
  json.field("signature", checkpoint.signature);
  json.end_object();
}

std::optional<CheckpointEvent> parse_checkpoint_event(std::string_view event_json) {
  const auto json = nlohmann::json::parse(event_json, nullptr, false);
  if (!json.is_object() || json.size() != 3) return std::nullopt;
  const auto final = json.find("final");
  const auto key = json.find("key");
  const auto signature = json.find("signature");
  if (final == json.end() || !final->is_boolean() || key == json.end() || !key->is_string() ||
      signature == json.end() || !signature->is_string())
    return std::nullopt;
  return CheckpointEvent{final->get<bool>(), key->get<std::string>(), signature->get<std::string>()};
}

}  // namespace paddock::audit
