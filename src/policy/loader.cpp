#include "policy/loader.hpp"

#include <nlohmann/json.hpp>

#include <fstream>
#include <sstream>

#include "cedar/diagnostics.hpp"
#include "common/error.hpp"

namespace paddock::policy {

std::vector<PolicyFile> policy_files(const Profile& profile, const std::vector<std::string>& paths) {
  std::vector<PolicyFile> files;
  files.push_back({"<profile " + std::string(profile.name) + ">", std::string(profile.cedar)});
  for (const auto& path : paths) {
    std::ifstream in(path);
    if (!in) throw SysError("policy file " + path);
    std::stringstream text;
    text << in.rdbuf();
    files.push_back({path, text.str()});
  }
  return files;
}

std::shared_ptr<const cedar::PolicySet> load_policy_set(const std::vector<PolicyFile>& files) {
  cedar::PolicySetBuilder builder(cedar::PolicyIds::Annotations);
  std::vector<cedar::Diagnostic> errors;
  for (const auto& file : files) {
    if (file.name.size() > 5 && file.name.ends_with(".json")) {
      try {
        builder.add_json(nlohmann::json::parse(file.text));
      } catch (const nlohmann::json::exception& e) {
        throw Error(file.name + ": not valid JSON: " + e.what());
      } catch (const cedar::PolicyError& e) {
        throw Error(file.name + ": " + e.what());
      }
      continue;
    }
    auto diagnostics = builder.add_text(file.name, file.text);
    for (auto& d : diagnostics)
      if (d.severity == cedar::Diagnostic::Severity::Error) errors.push_back(std::move(d));
  }
  if (!errors.empty()) throw cedar::PolicyError(std::move(errors));
  return builder.build();
}

}  // namespace paddock::policy
