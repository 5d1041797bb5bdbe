#include "policy/compiler.hpp"

#include <fmt/core.h>
#include <sys/stat.h>

#include <algorithm>
#include <climits>
#include <cstdlib>
#include <filesystem>
#include <set>

#include "policy/layers.hpp"
#include "policy/vocabulary.hpp"

namespace fs = std::filesystem;

namespace paddock::policy {
namespace {

void collect_value(const cedar::Value& v, std::set<MentionedPath>& out);

void collect_uid(const cedar::EntityUid& uid, std::set<MentionedPath>& out) {
  if (uid.type() != type::kFile && uid.type() != type::kDir) return;
  std::string path = uid.id();
  if (path.empty() || path[0] != '/') return;  // not a path paddock could place
  while (path.size() > 1 && path.back() == '/') path.pop_back();
  out.insert({fs::path(path).lexically_normal().string(), uid.type() == type::kDir});
}

void collect_value(const cedar::Value& v, std::set<MentionedPath>& out) {
  if (v.is(cedar::ValueType::Entity)) collect_uid(v.as_entity(), out);
  if (v.is(cedar::ValueType::Set))
    for (const auto& element : v.as_set()) collect_value(element, out);
}

void collect_expr(const cedar::Expr& e, std::set<MentionedPath>& out) {
  if (e.kind == cedar::ExprKind::Literal) collect_value(e.value, out);
  for (const auto& child : e.children) collect_expr(child, out);
}

void collect_scope(const cedar::ScopeConstraint& scope, std::set<MentionedPath>& out) {
  if (scope.entity != nullptr) collect_uid(*scope.entity, out);
  for (const auto* uid : scope.entities) collect_uid(*uid, out);
}

// Where a path really is on the host (a policy may name /bin/rm, which is /usr/bin/rm), so the
// mount lands on the inode the kernel will check.
std::string host_path(const std::string& path) {
  char resolved[PATH_MAX];
  return ::realpath(path.c_str(), resolved) != nullptr ? std::string(resolved) : path;
}

bool is_within(std::string_view path, std::string_view dir) {
  return path.size() > dir.size() && path.substr(0, dir.size()) == dir && path[dir.size()] == '/';
}

bool is_directory(const std::string& path) {
  struct stat st {};
  return ::stat(path.c_str(), &st) == 0 && S_ISDIR(st.st_mode);
}

// One note per policy and kind of access, however many paths showed it.
void note_failures(const Verdict& verdict, std::string_view what, std::string_view layer,
                   std::set<std::string>& notes) {
  for (const auto& failure : verdict.errors)
    notes.insert(fmt::format("{} ({}): {} cannot be decided from the path alone ({}); {}", failure.policy.id,
                             failure.policy.location, what, failure.message, layer));
}

}  // namespace

std::vector<Location> locations_for(const CompileInput& input) {
  std::vector<Location> out = {{"workspace", input.workspace}};
  if (!input.home.empty()) out.push_back({"home", input.home});
  for (const auto& dir : input.system_dirs) out.push_back({"system", dir});
  for (const auto& dir : input.scratch_dirs) out.push_back({"scratch", dir});
  return out;
}

std::vector<MentionedPath> mentioned_paths(const cedar::PolicySet& policies) {
  std::set<MentionedPath> out;
  auto scan = [&](const cedar::PolicyAst& ast) {
    collect_scope(ast.resource, out);
    for (const auto& condition : ast.conditions) collect_expr(condition.body, out);
  };
  for (const auto& policy : policies.policies()) {
    scan(*policy.ast);
    if (policy.slots.resource != nullptr) collect_uid(*policy.slots.resource, out);
  }
  return {out.begin(), out.end()};
}

CompiledPlan compile(PolicyEngine& engine, const CompileInput& input) {
  struct Candidate {
    std::string policy_path;  // as policies name it
    bool directory;
  };
  std::vector<Candidate> candidates;
  std::set<std::string> seen;
  auto add = [&](const std::string& path, bool directory) {
    if (seen.insert(path).second) candidates.push_back({path, directory});
  };
  for (const auto& dir : input.system_dirs) add(dir, true);
  add(input.workspace, true);
  if (!input.home.empty()) add(input.home, true);
  for (const auto& dir : input.scratch_dirs) add(dir, true);
  for (const auto& m : mentioned_paths(engine.policies())) add(m.path, m.directory || is_directory(host_path(m.path)));

  CompiledPlan plan;
  std::set<std::string> notes;
  std::set<std::string> placed;
  for (const auto& c : candidates) {
    const std::string& path = c.policy_path;
    Verdict read = engine.file(path, c.directory, false);
    Verdict write = engine.file(path, c.directory, true);
    Verdict exec = engine.exec({path, {}, "", 0, c.directory, true});
    note_failures(read, "reading", "the file layers follow Cedar and skip the policy", notes);
    note_failures(write, "writing", "the file layers follow Cedar and skip the policy", notes);

    // An exec policy that needs the arguments: the kernel lets the path run unless a policy
    // forbids it outright, and the supervisor decides each exec with its arguments.
    bool exec_allowed = exec.allowed;
    if (!exec.errors.empty()) {
      plan.observe_exec = true;
      const bool forbidden = !exec.allowed && !exec.policies.empty();
      const bool permit_pending =
          std::any_of(exec.errors.begin(), exec.errors.end(), [](const auto& f) { return f.permit; });
      if (!forbidden && permit_pending) exec_allowed = true;
      note_failures(exec, "executing",
                    "the kernel layer (Landlock execute) allows the path and the supervisor checks each exec "
                    "against it (best effort)",
                    notes);
    }

    std::string mount_path = host_path(path);
    // A path inside the workspace that resolves outside it was made a symlink by someone who
    // could write there, maybe the agent in an earlier run (battery row 46): never follow it.
    if (is_within(path, input.workspace) && !is_within(mount_path, input.workspace) && mount_path != input.workspace) {
      notes.insert(
          fmt::format("{} is a symlink out of the workspace (to {}); the policy's rules for it are not "
                      "applied to where it points",
                      path, mount_path));
      mount_path = path;
      if (read.allowed) continue;  // nothing to bind: only restrictions may apply to the link's own path
    }
    if (!placed.insert(mount_path).second) continue;
    plan.access.push_back({mount_path, read.allowed, write.allowed, exec_allowed});
  }
  for (const auto& policy : engine.policies().policies())
    if (has_file_path_condition(policy)) notes.insert(file_path_condition_note(policy));
  plan.notes.assign(notes.begin(), notes.end());
  return plan;
}

}  // namespace paddock::policy
