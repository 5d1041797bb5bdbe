#include "workspace/config_file.hpp"

#include <fmt/core.h>

#include <toml++/toml.h>
#include <cstdlib>
#include <filesystem>

#include "common/error.hpp"

namespace fs = std::filesystem;

namespace paddock::workspace {
namespace {

class Reader {
 public:
  Reader(std::string path, std::string home) : path_(std::move(path)), home_(std::move(home)) {
    dir_ = fs::path(path_).parent_path().string();
  }

  Error error(const toml::node& node, const std::string& what) const {
    return Error(fmt::format("{}:{}: {}", path_, node.source().begin.line, what));
  }

  std::string string(const toml::node& node, const std::string& key) const {
    if (auto v = node.value<std::string>(); v && node.is_string()) return *v;
    throw error(node, fmt::format("`{}` must be a string", key));
  }

  std::vector<std::string> strings(const toml::node& node, const std::string& key) const {
    const auto* array = node.as_array();
    if (array == nullptr) throw error(node, fmt::format("`{}` must be an array of strings", key));
    std::vector<std::string> out;
    for (const auto& element : *array) out.push_back(string(element, key + "[]"));
    return out;
  }

  std::string relative_to_file(const std::string& path) const {
    if (path.rfind("~/", 0) == 0) return home_ + path.substr(1);
    return fs::path(path).is_absolute() ? path : (fs::path(dir_) / path).lexically_normal().string();
  }

  void limits(const toml::table& table, Settings& out) const {
    for (const auto& [key, node] : table) {
      const std::string name(key.str());
      if (name == "memory") {
        out.memory = string(node, "limits.memory");
      } else if (name == "pids") {
        auto v = node.value<std::int64_t>();
        if (!node.is_integer() || !v || *v < 0) throw error(node, "`limits.pids` must be a non-negative integer");
        out.pids = static_cast<std::uint64_t>(*v);
      } else if (name == "cpus") {
        auto v = node.value<double>();
        if (!(node.is_integer() || node.is_floating_point()) || !v || *v <= 0)
          throw error(node, "`limits.cpus` must be a positive number");
        out.cpus = *v;
      } else {
        throw error(node, fmt::format("unknown key `limits.{}` (known: memory, pids, cpus)", name));
      }
    }
  }

  Settings read(const toml::table& root) const {
    Settings out;
    for (const auto& [key, node] : root) {
      const std::string name(key.str());
      if (name == "profile") {
        out.profile = string(node, name);
      } else if (name == "agent") {
        out.agent = string(node, name);
      } else if (name == "policies") {
        for (auto& p : strings(node, name)) out.policies.push_back(relative_to_file(p));
      } else if (name == "mounts") {
        for (auto& m : strings(node, name)) out.mounts.push_back(relative_to_file(m));
      } else if (name == "grants") {
        out.grants = strings(node, name);
      } else if (name == "env") {
        const auto* table = node.as_table();
        if (table == nullptr) throw error(node, "`env` must be a table of strings ([env] K = \"V\")");
        for (const auto& [k, v] : *table)
          out.env.push_back(std::string(k.str()) + "=" + string(v, "env." + std::string(k.str())));
      } else if (name == "limits") {
        const auto* table = node.as_table();
        if (table == nullptr) throw error(node, "`limits` must be a table ([limits] memory, pids, cpus)");
        limits(*table, out);
      } else {
        throw error(
            node, fmt::format("unknown key `{}` (known: profile, policies, mounts, env, limits, grants, agent)", name));
      }
    }
    return out;
  }

 private:
  std::string path_, home_, dir_;
};

}  // namespace

Settings load_config_file(const std::string& path, const std::string& home) {
  toml::table root;
  try {
    root = toml::parse_file(path);
  } catch (const toml::parse_error& e) {
    throw Error(fmt::format("{}:{}:{}: {}", path, e.source().begin.line, e.source().begin.column, e.description()));
  }
  return Reader(path, home).read(root);
}

std::string user_config_path(const std::string& home) {
  const char* xdg = std::getenv("XDG_CONFIG_HOME");
  const std::string base = xdg != nullptr && *xdg == '/' ? std::string(xdg) : home + "/.config";
  return base + "/paddock/config.toml";
}

}  // namespace paddock::workspace
