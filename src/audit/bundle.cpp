#include "audit/bundle.hpp"

#include <nlohmann/json.hpp>

#include "common/error.hpp"

namespace paddock::audit {

using nlohmann::json;

std::string make_bundle(const RunMeta& meta, std::string_view public_key_pem, std::string_view trail) {
  const json header = {
      {"format", kBundleFormat}, {"meta", meta_to_json(meta)}, {"public_key", std::string(public_key_pem)}};
  std::string out = header.dump();
  out += '\n';
  out += trail;
  return out;
}

bool is_bundle(std::string_view text) {
  return text.starts_with(R"({"format":")");
}

Bundle parse_bundle(std::string_view text, const std::string& where) {
  const auto newline = text.find('\n');
  if (newline == std::string_view::npos) throw Error(where + ": not a paddock audit bundle (no header line)");
  try {
    const json header = json::parse(text.substr(0, newline));
    if (header.at("format").get<std::string>() != kBundleFormat)
      throw Error(where + ": not a " + std::string(kBundleFormat) + " file");
    return {meta_from_json(header.at("meta"), where), header.at("public_key").get<std::string>(),
            text.substr(newline + 1)};
  } catch (const json::exception& e) {
    throw Error(where + ": the bundle's header is damaged (" + std::string(e.what()) + ")");
  }
}

}  // namespace paddock::audit
