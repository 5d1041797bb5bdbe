#include "creds/secret_store.hpp"

#include <fmt/core.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <filesystem>
#include <nlohmann/json.hpp>

#include "common/error.hpp"
#include "common/files.hpp"

namespace paddock::creds {
namespace {

Secret from_json(const std::string& path, const std::string& text) {
  try {
    const auto j = nlohmann::json::parse(text);
    Secret s;
    s.name = j.at("name").get<std::string>();
    s.hosts = j.at("hosts").get<std::vector<std::string>>();
    s.header = j.at("header").get<std::string>();
    auto format = parse_format(j.at("format").get<std::string>());
    if (!format) throw Error("unknown format");
    s.format = *format;
    s.variable = j.at("variable").get<std::string>();
    s.value = j.at("value").get<std::string>();
    return s;
  } catch (const std::exception& e) {
    throw Error(fmt::format("{}: not a paddock secret ({}); remove it with `paddock secret rm` and add it again", path,
                            e.what()));
  }
}

}  // namespace

std::string name_problem(std::string_view name) {
  if (name.empty() || name.size() > 64) return "a secret's name has 1 to 64 characters";
  for (char c : name)
    if (!std::isalnum(static_cast<unsigned char>(c)) && c != '_' && c != '-' && c != '.')
      return fmt::format("secret name {}: use letters, digits, '_', '-' and '.'", name);
  if (name.front() == '.') return fmt::format("secret name {}: must not start with '.'", name);
  return {};
}

std::optional<Format> parse_format(std::string_view text) {
  if (text == "bearer") return Format::bearer;
  if (text == "raw") return Format::raw;
  return std::nullopt;
}

std::string_view format_name(Format format) {
  return format == Format::bearer ? "bearer" : "raw";
}

std::string default_variable(std::string_view name) {
  std::string out;
  for (char c : name) out += std::isalnum(static_cast<unsigned char>(c)) ? static_cast<char>(std::toupper(c)) : '_';
  return out;
}

SecretStore SecretStore::standard() {
  return SecretStore(data_directory() + "/secrets");
}

std::string SecretStore::path_of(std::string_view name) const {
  return directory_ + "/" + std::string(name) + ".json";
}

void SecretStore::put(const Secret& secret) {
  if (auto problem = name_problem(secret.name); !problem.empty()) throw Error(problem);
  if (secret.hosts.empty()) throw Error(fmt::format("secret {}: bind it to at least one --host", secret.name));
  if (secret.header.empty()) throw Error(fmt::format("secret {}: name the --header it goes in", secret.name));
  if (secret.value.empty()) throw Error(fmt::format("secret {}: the value is empty", secret.name));
  nlohmann::json j = {{"name", secret.name},         {"hosts", secret.hosts},
                      {"header", secret.header},     {"format", format_name(secret.format)},
                      {"variable", secret.variable}, {"value", secret.value}};
  make_directories(directory_, 0700);
  write_file_atomically(path_of(secret.name), j.dump() + "\n", 0600);
}

std::optional<Secret> SecretStore::find(std::string_view name) const {
  if (!name_problem(name).empty()) return std::nullopt;
  const std::string path = path_of(name);
  if (::access(path.c_str(), F_OK) != 0) return std::nullopt;
  return from_json(path, read_file(path));
}

std::vector<Secret> SecretStore::list() const {
  std::vector<Secret> out;
  std::error_code ec;
  for (const auto& entry : std::filesystem::directory_iterator(directory_, ec)) {
    const auto path = entry.path();
    if (path.extension() == ".json" && entry.is_regular_file()) out.push_back(from_json(path, read_file(path)));
  }
  std::sort(out.begin(), out.end(), [](const Secret& a, const Secret& b) { return a.name < b.name; });
  return out;
}

bool SecretStore::remove(std::string_view name) {
  if (!name_problem(name).empty()) return false;
  const std::string path = path_of(name);
  if (::unlink(path.c_str()) == 0) return true;
  if (errno == ENOENT) return false;
  throw SysError("remove " + path);
}

}  // namespace paddock::creds
