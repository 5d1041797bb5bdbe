// The credentials `paddock secret add` stores for the proxy to inject (DESIGN.md, "Network"):
// one JSON file per secret in <data>/secrets (0700; files 0600), outside every sandbox. Each
// is bound to the hosts and the one request header where its real value may go.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace paddock::creds {

enum class Format {
  bearer,  // the header reads "Bearer <value>" (Authorization)
  raw,     // the header is the value itself (x-api-key)
};

struct Secret {
  std::string name;
  std::vector<std::string> hosts;  // "api.example.com", "api.example.com:8443", "*.example.com"
  std::string header;              // lower-case field name
  Format format = Format::bearer;
  std::string variable;  // the sandbox's environment variable holding the placeholder
  std::string value;     // the real value: never printed, never in a sandbox
};

// One line saying what is wrong with the name, or "" when it is a valid secret name.
std::string name_problem(std::string_view name);
std::optional<Format> parse_format(std::string_view text);
std::string_view format_name(Format format);
// The default variable for a secret: its name upper-cased, other characters as '_'.
std::string default_variable(std::string_view name);

class SecretStore {
 public:
  explicit SecretStore(std::string directory) : directory_(std::move(directory)) {}
  // <data>/secrets.
  static SecretStore standard();

  // Adds or replaces; throws Error for an invalid secret.
  void put(const Secret& secret);
  std::optional<Secret> find(std::string_view name) const;
  std::vector<Secret> list() const;  // by name
  bool remove(std::string_view name);
  const std::string& directory() const noexcept { return directory_; }

 private:
  std::string path_of(std::string_view name) const;
  std::string directory_;
};

}  // namespace paddock::creds
