#include "sandbox/workspace.hpp"

#include <sys/stat.h>

#include <algorithm>
#include <cctype>
#include <filesystem>
#include <fstream>
#include <optional>
#include <set>

namespace fs = std::filesystem;

namespace paddock::sandbox {
namespace {

// Relative to the workspace root; protected even before they exist (a missing one gets a
// placeholder). Directories are marked so a missing one is created as one.
struct Rule {
  const char* path;
  bool directory;
};
constexpr Rule kProtected[] = {
    // paddock's own configuration: an agent that could edit it would widen its next run.
    {".paddock", true},
    {"paddock.toml", false},
    {".devcontainer", true},
    {".codex", true},
    {".vscode", true},
    {".mcp.json", false},
    {".envrc", false},
    {".claude/settings.json", false},
    {".claude/settings.local.json", false},
    {".claude/commands", true},
    {".claude/agents", true},
    {".claude/hooks", true},
};
// Read by a shell or by git only from $HOME. The workspace is never $HOME (plan() refuses it)
// and the sandbox's $HOME is fresh, so these are protected only where they already exist.
// An IDE's project files run code only when the user acts on them in the IDE, so they too are
// protected only where present.
constexpr const char* kProtectedIfPresent[] = {
    ".bashrc", ".bash_profile", ".bash_login", ".bash_logout", ".profile", ".zshrc",
    ".zshenv", ".zprofile",     ".zlogin",     ".gitconfig",   ".idea",
};
// Inside each git directory (the workspace's own and every nested one found).
constexpr Rule kGitProtected[] = {{"hooks", true}, {"config", false}};

// Nested repositories deeper than this are not searched for (node_modules-sized trees would make
// start-up slow); the workspace's own .git and its submodules are always covered.
constexpr int kNestedRepoDepth = 3;

bool lexists(const fs::path& p) {
  struct stat st {};
  return ::lstat(p.c_str(), &st) == 0;
}

// Appends `root/rel`, or its first missing component when part of it does not exist.
void add(std::vector<ProtectedPath>& out, const fs::path& root, const fs::path& rel, bool directory) {
  fs::path current = root;
  for (auto it = rel.begin(); it != rel.end(); ++it) {
    current /= *it;
    if (!lexists(current)) {
      bool last = std::next(it) == rel.end();
      out.push_back({current.string(), false, last ? directory : true});
      return;
    }
  }
  std::error_code ec;
  out.push_back({current.string(), true, fs::is_directory(fs::symlink_status(current, ec))});
}

// The git directory named by a `.git` file ("gitdir: <path>"), if it lies inside `workspace`.
std::optional<fs::path> resolve_gitdir_file(const fs::path& dotgit, const fs::path& workspace) {
  std::ifstream in(dotgit);
  std::string line;
  if (!std::getline(in, line) || line.rfind("gitdir:", 0) != 0) return std::nullopt;
  std::string target = line.substr(7);
  target.erase(0, target.find_first_not_of(" \t"));
  while (!target.empty() && (target.back() == '\r' || target.back() == ' ')) target.pop_back();
  fs::path gitdir = fs::path(target).is_absolute() ? fs::path(target) : dotgit.parent_path() / target;
  std::error_code ec;
  gitdir = fs::weakly_canonical(gitdir, ec);
  if (ec) return std::nullopt;
  auto rel = gitdir.lexically_relative(workspace);
  if (rel.empty() || *rel.begin() == "..") return std::nullopt;
  return gitdir;
}

// Git reads config.worktree only when extensions.worktreeConfig is set in config (itself
// protected), so a missing one needs protecting only then.
bool uses_worktree_config(const fs::path& gitdir) {
  std::ifstream in(gitdir / "config");
  for (std::string line; std::getline(in, line);) {
    std::transform(line.begin(), line.end(), line.begin(), [](unsigned char c) { return std::tolower(c); });
    if (line.find("worktreeconfig") != std::string::npos) return true;
  }
  return false;
}

void protect_gitdir(std::vector<ProtectedPath>& out, const fs::path& gitdir) {
  for (const auto& rule : kGitProtected) add(out, gitdir, rule.path, rule.directory);
  if (lexists(gitdir / "config.worktree") || uses_worktree_config(gitdir)) add(out, gitdir, "config.worktree", false);
  // Submodules keep their own hooks and config under .git/modules/<name>/.
  std::error_code ec;
  fs::path modules = gitdir / "modules";
  if (!fs::is_directory(modules, ec)) return;
  for (auto it = fs::recursive_directory_iterator(modules, ec); !ec && it != fs::recursive_directory_iterator();
       it.increment(ec)) {
    if (it->is_directory(ec) && lexists(it->path() / "HEAD") && lexists(it->path() / "objects")) {
      for (const auto& rule : kGitProtected) add(out, it->path(), rule.path, rule.directory);
      it.disable_recursion_pending();
    }
  }
}

// The git metadata of a directory: a `.git` directory, or a `.git` file pointing into the
// workspace (worktrees, submodules).
void protect_repository(std::vector<ProtectedPath>& out, const fs::path& dir, const fs::path& workspace) {
  fs::path dotgit = dir / ".git";
  std::error_code ec;
  auto status = fs::symlink_status(dotgit, ec);
  if (fs::is_directory(status)) {
    protect_gitdir(out, dotgit);
  } else if (fs::is_regular_file(status)) {
    out.push_back({dotgit.string(), true, false});
    if (auto gitdir = resolve_gitdir_file(dotgit, workspace)) protect_gitdir(out, *gitdir);
  }
}

void find_nested_repositories(std::vector<ProtectedPath>& out, const fs::path& dir, const fs::path& workspace,
                              int depth) {
  if (depth > kNestedRepoDepth) return;
  std::error_code ec;
  for (auto it = fs::directory_iterator(dir, ec); !ec && it != fs::directory_iterator(); it.increment(ec)) {
    const auto& name = it->path().filename().string();
    if (name == ".git" || name == "node_modules" || !it->is_directory(ec) || it->is_symlink(ec)) continue;
    protect_repository(out, it->path(), workspace);
    find_nested_repositories(out, it->path(), workspace, depth + 1);
  }
}

}  // namespace

std::string find_workspace_root(const std::string& cwd) {
  for (fs::path dir = cwd;; dir = dir.parent_path()) {
    if (lexists(dir / ".git")) return dir.string();
    if (dir == dir.root_path()) break;
  }
  return cwd;
}

std::vector<ProtectedPath> protected_paths(const std::string& workspace) {
  fs::path root = workspace;
  std::vector<ProtectedPath> out;
  if (lexists(root / ".git")) {
    protect_repository(out, root, root);
  } else {
    // No repository yet: a `git init` by the agent would create hooks the host's git runs later.
    out.push_back({(root / ".git").string(), false, true});
  }
  for (const auto& rule : kProtected) add(out, root, rule.path, rule.directory);
  for (const char* name : kProtectedIfPresent)
    if (lexists(root / name)) out.push_back({(root / name).string(), true, false});
  find_nested_repositories(out, root, root, 1);

  // Several rules can name the same first missing component (.claude for every .claude/ rule).
  std::sort(out.begin(), out.end(), [](const auto& a, const auto& b) { return a.path < b.path; });
  out.erase(std::unique(out.begin(), out.end(), [](const auto& a, const auto& b) { return a.path == b.path; }),
            out.end());
  return out;
}

}  // namespace paddock::sandbox
