#include "workspace/trust.hpp"

#include <sys/stat.h>
#include <unistd.h>

#include <nlohmann/json.hpp>

#include "common/error.hpp"
#include "common/files.hpp"
#include "common/sha256.hpp"

namespace paddock::workspace {

TrustStore TrustStore::standard() {
  return TrustStore(data_directory() + "/trust.json");
}

namespace {

nlohmann::json load(const std::string& path) {
  if (::access(path.c_str(), F_OK) != 0) return nlohmann::json::object();
  try {
    auto j = nlohmann::json::parse(read_file(path));
    if (j.is_object()) return j;
  } catch (const nlohmann::json::exception&) {
  }
  throw Error(path + ": damaged; remove it and run `paddock trust` again in each project");
}

}  // namespace

std::string sha256_file(const std::string& path) {
  return sha256_hex(read_file(path));
}

TrustStore::State TrustStore::state(const std::string& file) const {
  const auto records = load(path_);
  auto found = records.find(file);
  if (found == records.end() || !found->is_string()) return State::unknown;
  return found->get<std::string>() == sha256_file(file) ? State::trusted : State::changed;
}

void TrustStore::trust(const std::vector<std::string>& files) {
  auto records = load(path_);
  for (const auto& file : files) records[file] = sha256_file(file);
  make_directories(path_.substr(0, path_.rfind('/')), 0700);
  write_file_atomically(path_, records.dump(2) + "\n", 0600);
}

std::vector<std::string> project_files(const std::string& workspace) {
  std::vector<std::string> out;
  for (const char* name : {"/paddock.toml", "/.devcontainer/devcontainer.json", "/.paddock/policy.cedar"})
    // An empty file sets nothing; a running sandbox's placeholder for a missing protected path
    // is one, and must not stop a second run in the same workspace.
    if (struct stat st{}; ::stat((workspace + name).c_str(), &st) == 0 && st.st_size > 0)
      out.push_back(workspace + name);
  return out;
}

}  // namespace paddock::workspace
