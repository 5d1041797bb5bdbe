#include "workspace/devcontainer.hpp"

#include <fmt/core.h>
#include <nlohmann/json.hpp>

#include <fstream>
#include <sstream>

#include "common/error.hpp"
#include "common/files.hpp"

namespace paddock::workspace {
namespace {

using nlohmann::json;

// ${localWorkspaceFolder} and ${containerWorkspaceFolder}: the workspace (paddock mounts it at
// its own path, so both are the same).
std::string substitute(std::string text, const std::string& workspace) {
  for (const char* variable : {"${localWorkspaceFolder}", "${containerWorkspaceFolder}"})
    for (auto at = text.find(variable); at != std::string::npos; at = text.find(variable, at + workspace.size()))
      text.replace(at, std::string_view(variable).size(), workspace);
  return text;
}

// "source=/a,target=/b,type=bind,readonly" or {"source": ..., "target": ..., "type": ...}.
std::optional<std::string> bind_mount(const json& mount, const std::string& workspace, std::string& note) {
  std::string source, target, type = "bind";
  bool readonly = false;
  if (mount.is_string()) {
    std::stringstream parts(mount.get<std::string>());
    for (std::string part; std::getline(parts, part, ',');) {
      const auto eq = part.find('=');
      const std::string key = part.substr(0, eq);
      const std::string value = eq == std::string::npos ? "" : part.substr(eq + 1);
      if (key == "source" || key == "src") source = value;
      if (key == "target" || key == "dst" || key == "destination") target = value;
      if (key == "type") type = value;
      if (key == "readonly" || key == "ro") readonly = value.empty() || value == "true" || value == "1";
    }
  } else if (mount.is_object()) {
    source = mount.value("source", "");
    target = mount.value("target", "");
    type = mount.value("type", "bind");
  }
  if (type != "bind" || source.empty() || target.empty()) {
    note = fmt::format("mount {} skipped: only bind mounts with a source and a target are imported", mount.dump());
    return std::nullopt;
  }
  return substitute(source, workspace) + ":" + substitute(target, workspace) + (readonly ? ":ro" : "");
}

void run_args(const json& args, Settings& out, const std::string& path) {
  if (!args.is_array()) throw Error(path + ": `runArgs` must be an array of strings");
  for (std::size_t i = 0; i < args.size(); ++i) {
    if (!args[i].is_string()) throw Error(path + ": `runArgs` must be an array of strings");
    std::string arg = args[i].get<std::string>();
    std::string value;
    if (const auto eq = arg.find('='); eq != std::string::npos) {
      value = arg.substr(eq + 1);
      arg = arg.substr(0, eq);
    } else if (arg.rfind("--", 0) == 0 && i + 1 < args.size() && args[i + 1].is_string() &&
               (arg == "--memory" || arg == "-m" || arg == "--cpus" || arg == "--pids-limit" || arg == "--cap-drop" ||
                arg == "--cap-add")) {
      value = args[++i].get<std::string>();
    }
    try {
      if (arg == "--memory" || arg == "-m") {
        out.memory = value;
      } else if (arg == "--cpus") {
        out.cpus = std::stod(value);
      } else if (arg == "--pids-limit") {
        out.pids = std::stoull(value);
      } else if (arg == "--cap-drop") {
        out.notes.push_back("runArgs --cap-drop " + value + ": every capability is dropped in paddock's sandbox");
      } else {
        out.notes.push_back("runArgs " + arg + (value.empty() ? "" : " " + value) +
                            " ignored: not a limit paddock imports");
      }
    } catch (const std::exception&) {
      throw Error(fmt::format("{}: runArgs {} {}: expected a number", path, arg, value));
    }
  }
}

}  // namespace

Devcontainer load_devcontainer(const std::string& path, const std::string& workspace) {
  json doc;
  try {
    doc = json::parse(read_file(path), nullptr, /*allow_exceptions=*/true, /*ignore_comments=*/true);
  } catch (const json::parse_error& e) {
    throw Error(fmt::format("{}: not JSON with comments: {}", path, e.what()));
  }
  if (!doc.is_object()) throw Error(path + ": expected a JSON object");
  Devcontainer out;
  auto& s = out.settings;
  if (auto env = doc.find("containerEnv"); env != doc.end()) {
    if (!env->is_object()) throw Error(path + ": `containerEnv` must be an object of strings");
    for (const auto& [k, v] : env->items()) {
      if (!v.is_string()) throw Error(fmt::format("{}: containerEnv.{} must be a string", path, k));
      s.env.push_back(k + "=" + substitute(v.get<std::string>(), workspace));
    }
  }
  if (auto mounts = doc.find("mounts"); mounts != doc.end() && mounts->is_array()) {
    for (const auto& m : *mounts) {
      std::string note;
      if (auto spec = bind_mount(m, workspace, note))
        s.mounts.push_back(*spec);
      else
        s.notes.push_back(note);
    }
  }
  if (auto args = doc.find("runArgs"); args != doc.end()) run_args(*args, s, path);
  if (auto folder = doc.find("workspaceFolder");
      folder != doc.end() && folder->is_string() && substitute(folder->get<std::string>(), workspace) != workspace)
    s.notes.push_back("workspaceFolder " + folder->get<std::string>() + " ignored: the workspace stays at " +
                      workspace);
  if (auto post = doc.find("postCreateCommand"); post != doc.end()) {
    if (post->is_string()) {
      out.post_create_command = post->get<std::string>();
    } else if (post->is_array()) {
      std::string line;
      for (const auto& part : *post) {
        if (!part.is_string()) throw Error(path + ": `postCreateCommand` must be a string or an array of strings");
        std::string quoted;
        for (char c : part.get<std::string>()) quoted += c == '\'' ? std::string("'\\''") : std::string(1, c);
        line += (line.empty() ? "'" : " '") + quoted + "'";
      }
      out.post_create_command = line;
    } else {
      s.notes.push_back("postCreateCommand as an object (parallel commands) is not imported");
    }
  }
  for (const char* key : {"image", "build", "dockerFile", "features"})
    if (doc.contains(key))
      s.notes.push_back(fmt::format("{} ignored: paddock runs on the host's system (or --rootfs), not an image", key));
  return out;
}

}  // namespace paddock::workspace
