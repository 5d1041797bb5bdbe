// The trust gate for project files. A workspace's paddock.toml, devcontainer.json and
// .paddock/policy.cedar come with the repository, so a cloned project could ask for the trusted
// profile, mount ~/.ssh, grant secrets or permit everything. paddock applies such a file only after the user has
// reviewed it and run `paddock trust`, which records its SHA-256; a file that changed since is refused again. (Inside
// the sandbox these files are read-only, so the agent cannot change them either.)
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace paddock::workspace {

// <data>/trust.json: the trusted project files, by absolute path, with their SHA-256.
class TrustStore {
 public:
  explicit TrustStore(std::string path) : path_(std::move(path)) {}
  static TrustStore standard();

  enum class State { trusted, unknown, changed };
  State state(const std::string& file) const;
  void trust(const std::vector<std::string>& files);  // records their current hashes

 private:
  std::string path_;
};

std::string sha256_file(const std::string& path);

// The project files of a workspace that exist and are not empty: paddock.toml, .devcontainer/devcontainer.json,
// .paddock/policy.cedar (which `paddock allow` writes, and trusts when it was trusted before).
std::vector<std::string> project_files(const std::string& workspace);

}  // namespace paddock::workspace
