#include "audit/run_store.hpp"

#include <sys/random.h>
#include <sys/stat.h>

#include <fmt/core.h>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <cerrno>
#include <filesystem>
#include <fstream>
#include <tuple>

#include "audit/record.hpp"
#include "common/error.hpp"
#include "common/files.hpp"
#include "common/sha256.hpp"

namespace paddock::audit {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

// "20261206T231000Z-3fa9c2": the start time to the second, then 24 random bits.
std::string new_run_id(std::int64_t start_ns) {
  const std::string time = format_time(start_ns);  // 2026-12-06T23:10:00.123456789Z
  std::string id;
  for (std::size_t i = 0; i < 19; ++i)
    if (time[i] != '-' && time[i] != ':') id += time[i];
  unsigned char random[3];
  if (::getrandom(random, sizeof random, 0) != sizeof random) throw SysError("getrandom");
  return id + "Z-" + to_hex(std::string_view(reinterpret_cast<const char*>(random), sizeof random));
}

}  // namespace

json meta_to_json(const RunMeta& meta) {
  json out = {{"id", meta.id},
              {"command", meta.command},
              {"workspace", meta.workspace},
              {"profile", meta.profile},
              {"policy_hash", meta.policy_hash},
              {"start", format_time(meta.start_ns)},
              {"supervisor_pid", meta.supervisor_pid},
              {"supervisor_start", meta.supervisor_start},
              {"public_key", meta.public_key}};
  if (meta.end_ns) out["end"] = format_time(*meta.end_ns);
  if (meta.exit_status) out["exit_status"] = *meta.exit_status;
  if (meta.records) {
    out["records"] = *meta.records;
    out["last_hash"] = meta.last_hash;
  }
  if (!meta.trail_error.empty()) out["trail_error"] = meta.trail_error;
  return out;
}

namespace {

std::int64_t time_member(const json& in, const char* name, const std::string& path) {
  const auto time = parse_time(in.at(name).get<std::string>());
  if (!time) throw Error(path + ": \"" + name + "\" is not an RFC 3339 time as paddock writes it");
  return *time;
}

}  // namespace

RunMeta meta_from_json(const json& in, const std::string& path) try {
  RunMeta meta;
  meta.id = in.at("id").get<std::string>();
  meta.command = in.at("command").get<std::vector<std::string>>();
  meta.workspace = in.at("workspace").get<std::string>();
  meta.profile = in.at("profile").get<std::string>();
  meta.policy_hash = in.at("policy_hash").get<std::string>();
  meta.start_ns = time_member(in, "start", path);
  meta.supervisor_pid = in.at("supervisor_pid").get<pid_t>();
  meta.supervisor_start = in.at("supervisor_start").get<std::uint64_t>();
  meta.public_key = in.at("public_key").get<std::string>();
  if (in.contains("end")) meta.end_ns = time_member(in, "end", path);
  if (in.contains("exit_status")) meta.exit_status = in.at("exit_status").get<int>();
  if (in.contains("records")) {
    meta.records = in.at("records").get<std::uint64_t>();
    meta.last_hash = in.at("last_hash").get<std::string>();
  }
  if (in.contains("trail_error")) meta.trail_error = in.at("trail_error").get<std::string>();
  return meta;
} catch (const json::exception& e) {
  throw Error(path + ": not a run's metadata (" + e.what() + ")");
}

std::string meta_json(const RunMeta& meta) {
  return meta_to_json(meta).dump(2) + "\n";
}

RunMeta parse_meta(std::string_view text, const std::string& where) {
  json parsed;
  try {
    parsed = json::parse(text);
  } catch (const json::exception& e) {
    throw Error(where + ": not a run's metadata (" + e.what() + ")");
  }
  return meta_from_json(parsed, where);
}

std::string_view state_name(RunState state) {
  switch (state) {
    case RunState::running:
      return "running";
    case RunState::exited:
      return "exited";
    case RunState::crashed:
      return "crashed";
  }
  return "?";
}

std::uint64_t process_start_time(pid_t pid) {
  std::ifstream in(fmt::format("/proc/{}/stat", pid));
  std::string stat((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  // The name (field 2) may hold spaces and parentheses: fields 3 on start after the last ')'.
  const auto close = stat.rfind(')');
  if (close == std::string::npos || close + 2 >= stat.size()) return 0;
  if (stat[close + 2] == 'Z' || stat[close + 2] == 'X') return 0;  // it has exited, only not been reaped
  std::size_t field = 2, at = close + 1;
  while (field < 22 && at < stat.size()) {
    at = stat.find(' ', at);
    if (at == std::string::npos) return 0;
    ++at;
    ++field;
  }
  return std::strtoull(stat.c_str() + at, nullptr, 10);
}

RunStore::RunStore(std::string root) : root_(std::move(root)) {}

RunStore RunStore::open_default() {
  return RunStore(state_directory() + "/runs");
}

std::string RunStore::directory(std::string_view id) const {
  return root_ + "/" + std::string(id);
}

void RunStore::create(RunMeta& meta) const {
  make_directories(root_, 0700);
  for (int attempt = 0;; ++attempt) {
    meta.id = new_run_id(meta.start_ns);
    if (::mkdir(directory(meta.id).c_str(), 0700) == 0) break;
    if (errno != EEXIST || attempt == 8) throw SysError("create the run directory " + directory(meta.id));
  }
  save(meta);
}

void RunStore::save(const RunMeta& meta) const {
  write_file_atomically(directory(meta.id) + "/" + std::string(kMetaFile), meta_json(meta), 0600);
}

RunMeta RunStore::load(std::string_view id) const {
  const std::string path = directory(id) + "/" + std::string(kMetaFile);
  return parse_meta(read_file(path), path);
}

std::vector<RunMeta> RunStore::list() const {
  std::vector<RunMeta> runs;
  std::error_code ec;
  for (const auto& entry : fs::directory_iterator(root_, ec)) {
    if (!entry.is_directory()) continue;
    try {
      runs.push_back(load(entry.path().filename().string()));
    } catch (const Error&) {
      // A directory without readable metadata is not a run (or one whose creation was cut off).
    }
  }
  std::sort(runs.begin(), runs.end(),
            [](const RunMeta& a, const RunMeta& b) { return std::tie(a.start_ns, a.id) < std::tie(b.start_ns, b.id); });
  return runs;
}

std::string RunStore::resolve(std::string_view id_or_prefix) const {
  const auto runs = list();
  if (runs.empty()) throw Error("no runs recorded yet in " + root_);
  if (id_or_prefix.empty()) return runs.back().id;
  std::vector<std::string> matches;
  for (const auto& run : runs) {
    if (run.id == id_or_prefix) return run.id;
    if (run.id.starts_with(id_or_prefix)) matches.push_back(run.id);
  }
  if (matches.empty()) throw Error(fmt::format("no run {} in {}; `paddock runs` lists them", id_or_prefix, root_), 2);
  if (matches.size() > 1)
    throw Error(fmt::format("{} names {} runs ({}, {}, ...); give more of the id", id_or_prefix, matches.size(),
                            matches[0], matches[1]),
                2);
  return matches.front();
}

void RunStore::remove(std::string_view id) const {
  std::error_code ec;
  fs::remove_all(directory(id), ec);
  if (ec) throw Error("remove " + directory(id) + ": " + ec.message());
}

RunState RunStore::state(const RunMeta& meta) const {
  if (meta.end_ns) return RunState::exited;
  if (meta.supervisor_pid > 0 && process_start_time(meta.supervisor_pid) == meta.supervisor_start)
    return RunState::running;
  return RunState::crashed;
}

}  // namespace paddock::audit
