#include "sandbox/cgroups.hpp"

#include <fcntl.h>
#include <fmt/core.h>
#include <signal.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <fstream>
#include <map>
#include <optional>
#include <sstream>
#include <thread>

#include "common/error.hpp"
#include "common/unique_fd.hpp"

namespace paddock::sandbox::cgroups {
namespace {

struct Hierarchy {
  std::string mount_point;
  std::vector<std::string> controllers;  // v1 only
};

std::vector<std::string> split(const std::string& text, char sep) {
  std::vector<std::string> out;
  std::stringstream in(text);
  for (std::string item; std::getline(in, item, sep);)
    if (!item.empty()) out.push_back(item);
  return out;
}

bool contains(const std::vector<std::string>& list, const std::string& item) {
  return std::find(list.begin(), list.end(), item) != list.end();
}

std::string read_text(const std::string& path) {
  std::ifstream in(path);
  std::stringstream buf;
  buf << in.rdbuf();
  return buf.str();
}

void write_text(const std::string& path, const std::string& value) {
  UniqueFd fd(::open(path.c_str(), O_WRONLY | O_CLOEXEC));
  if (!fd) throw SysError("open " + path);
  if (::write(fd.get(), value.data(), value.size()) < 0) throw SysError("write " + value + " to " + path);
}

// cgroup mounts: the v2 mount, and each v1 mount with its controllers (from mountinfo).
std::pair<std::optional<Hierarchy>, std::vector<Hierarchy>> mounted_hierarchies() {
  std::optional<Hierarchy> v2;
  std::vector<Hierarchy> v1;
  std::ifstream in("/proc/self/mountinfo");
  for (std::string line; std::getline(in, line);) {
    auto dash = line.find(" - ");
    if (dash == std::string::npos) continue;
    auto fields = split(line.substr(0, dash), ' ');
    auto tail = split(line.substr(dash + 3), ' ');
    if (fields.size() < 5 || tail.size() < 3) continue;
    if (tail[0] == "cgroup2" && !v2) v2 = Hierarchy{fields[4], {}};
    if (tail[0] == "cgroup") v1.push_back({fields[4], split(tail[2], ',')});
  }
  return {v2, v1};
}

// This process's cgroup path per hierarchy: "" for v2, else each v1 controller name.
std::map<std::string, std::string> own_paths() {
  std::map<std::string, std::string> paths;
  std::ifstream in("/proc/self/cgroup");
  for (std::string line; std::getline(in, line);) {
    auto first = line.find(':');
    auto second = line.find(':', first + 1);
    if (first == std::string::npos || second == std::string::npos) continue;
    std::string controllers = line.substr(first + 1, second - first - 1);
    std::string path = line.substr(second + 1);
    if (controllers.empty()) paths[""] = path;
    for (const auto& c : split(controllers, ',')) paths[c] = path;
  }
  return paths;
}

std::vector<std::string> needed_controllers(const Limits& limits) {
  std::vector<std::string> needed;
  if (limits.memory_bytes) needed.emplace_back("memory");
  if (limits.pids) needed.emplace_back("pids");
  if (limits.cpus) needed.emplace_back("cpu");
  return needed;
}

void write_limits_v2(const std::string& dir, const Limits& limits) {
  if (limits.memory_bytes) {
    write_text(dir + "/memory.max", std::to_string(*limits.memory_bytes));
    if (::access((dir + "/memory.swap.max").c_str(), F_OK) == 0) write_text(dir + "/memory.swap.max", "0");
  }
  if (limits.pids) write_text(dir + "/pids.max", std::to_string(*limits.pids));
  if (limits.cpus) write_text(dir + "/cpu.max", fmt::format("{} 100000", static_cast<long>(*limits.cpus * 100000)));
}

void write_limit_v1(const std::string& dir, const std::string& controller, const Limits& limits) {
  if (controller == "memory") {
    write_text(dir + "/memory.limit_in_bytes", std::to_string(*limits.memory_bytes));
    // Without swap accounting the file is absent; with it, swap cannot extend the limit.
    if (::access((dir + "/memory.memsw.limit_in_bytes").c_str(), F_OK) == 0)
      write_text(dir + "/memory.memsw.limit_in_bytes", std::to_string(*limits.memory_bytes));
  } else if (controller == "pids") {
    write_text(dir + "/pids.max", std::to_string(*limits.pids));
  } else if (controller == "cpu") {
    write_text(dir + "/cpu.cfs_period_us", "100000");
    write_text(dir + "/cpu.cfs_quota_us", std::to_string(static_cast<long>(*limits.cpus * 100000)));
  }
}

std::vector<std::string> v2_delegated(const std::string& dir) {
  return split(read_text(dir + "/cgroup.subtree_control"), ' ');
}

}  // namespace

Group Group::create(const Limits& limits, const std::string& name) {
  Group group;
  auto needed = needed_controllers(limits);
  if (needed.empty()) return group;
  auto [v2, v1] = mounted_hierarchies();
  auto paths = own_paths();
  for (auto& c : needed) c.erase(std::remove(c.begin(), c.end(), '\n'), c.end());

  // v2: a subtree that delegates every needed controller (ours, or the root when we are root).
  if (v2) {
    std::vector<std::string> candidates;
    if (paths.contains("")) candidates.push_back(v2->mount_point + (paths[""] == "/" ? "" : paths[""]));
    if (::geteuid() == 0) candidates.push_back(v2->mount_point);
    for (const auto& parent : candidates) {
      auto delegated = v2_delegated(parent);
      for (auto& d : delegated) d.erase(std::remove(d.begin(), d.end(), '\n'), d.end());
      if (!std::all_of(needed.begin(), needed.end(), [&](const auto& c) { return contains(delegated, c); })) continue;
      std::string dir = parent + "/" + name;
      if (::mkdir(dir.c_str(), 0755) != 0) continue;
      group.directories_.push_back(dir);
      try {
        write_limits_v2(dir, limits);
      } catch (...) {
        group.remove();
        throw;
      }
      group.pids_ = limits.pids.has_value();
      return group;
    }
  }

  // v1 (hybrid hosts): one directory per controller hierarchy, root only.
  const bool privileged = ::geteuid() == 0;
  try {
    for (const auto& controller : needed) {
      auto hierarchy =
          std::find_if(v1.begin(), v1.end(), [&](const auto& h) { return contains(h.controllers, controller); });
      if (!privileged || hierarchy == v1.end()) {
        if (controller == "pids") continue;  // the caller falls back to RLIMIT_NPROC
        throw Error(fmt::format(
            "--{} needs the cgroup {} controller: none is delegated to this user on cgroup v2{}; run as root, or "
            "delegate it (systemd-run --user --scope -p Delegate=yes paddock run ...)",
            controller == "cpu" ? "cpus" : controller, controller, privileged ? " or mounted on v1" : ""));
      }
      std::string parent = hierarchy->mount_point + (paths[controller] == "/" ? "" : paths[controller]);
      std::string dir = parent + "/" + name;
      if (::mkdir(dir.c_str(), 0755) != 0) throw SysError("create cgroup " + dir);
      group.directories_.push_back(dir);
      write_limit_v1(dir, controller, limits);
      if (controller == "pids") group.pids_ = true;
    }
  } catch (...) {
    group.remove();
    throw;
  }
  return group;
}

void Group::add(pid_t pid) const {
  for (const auto& dir : directories_) write_text(dir + "/cgroup.procs", std::to_string(pid));
}

void Group::remove() noexcept {
  kill_and_remove(directories_);
  directories_.clear();
}

void kill_and_remove(const std::vector<std::string>& directories) noexcept {
  using namespace std::chrono_literals;
  for (auto it = directories.rbegin(); it != directories.rend(); ++it) {
    const auto& dir = *it;
    if (::access((dir + "/cgroup.kill").c_str(), F_OK) == 0) {
      try {
        write_text(dir + "/cgroup.kill", "1");
      } catch (const Error&) {
      }
    }
    // v1 has no cgroup.kill: signal every member until none is left (about a second at most).
    for (int attempt = 0; attempt < 100; ++attempt) {
      auto pids = split(read_text(dir + "/cgroup.procs"), '\n');
      if (pids.empty() && ::rmdir(dir.c_str()) == 0) break;
      if (errno == ENOENT) break;
      for (const auto& pid : pids) ::kill(static_cast<pid_t>(std::stol(pid)), SIGKILL);
      std::this_thread::sleep_for(10ms);
    }
  }
}

Support probe() {
  Support support;
  auto [v2, v1] = mounted_hierarchies();
  auto paths = own_paths();
  if (v2) {
    support.v2 = true;
    std::string dir = v2->mount_point + (paths[""] == "/" ? "" : paths[""]);
    support.v2_controllers = split(read_text(dir + "/cgroup.controllers"), ' ');
    for (auto& c : support.v2_controllers) c.erase(std::remove(c.begin(), c.end(), '\n'), c.end());
  }
  for (const auto& h : v1)
    for (const auto& c : h.controllers)
      if (c == "memory" || c == "pids" || c == "cpu") support.v1_controllers.push_back(c);
  return support;
}

}  // namespace paddock::sandbox::cgroups
