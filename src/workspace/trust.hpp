// The trust gate for project files. A workspace's paddock.toml and devcontainer.json come with
// the repository, so a cloned project could ask for the trusted profile, mount ~/.ssh or grant
// secrets. paddock applies such a file only after the user has reviewed it and run
// `paddock trust`, which records its SHA-256; a file that changed since is refused again.
// (Inside the sandbox these files are read-only, so the agent cannot change them either.)
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

std::string sha256_hex(std::string_view data);
std::string sha256_file(const std::string& path);

// The project files of a workspace that exist: paddock.toml, .devcontainer/devcontainer.json.
std::vector<std::string> project_files(const std::string& workspace);

}  // namespace paddock::workspace
