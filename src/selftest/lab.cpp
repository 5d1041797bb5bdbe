#include "selftest/lab.hpp"

#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "common/error.hpp"

namespace fs = std::filesystem;

namespace paddock::selftest {

const std::vector<std::string> kDecoySecrets = {
    ".ssh/id_rsa",
    ".ssh/id_ed25519",
    ".aws/credentials",
    ".config/gh/hosts.yml",
    ".git-credentials",
    ".npmrc",
    ".docker/config.json",
    ".kube/config",
    ".netrc",
    ".mozilla/firefox/selftest.default/cookies.sqlite",
};

Lab::Lab(LabOptions options) : options_(std::move(options)) {
  char dir[] = "/tmp/paddock-selftest-XXXXXX";
  if (::mkdtemp(dir) == nullptr) throw SysError("create the selftest's directory");
  root_ = dir;
  ::chmod(dir, 0755);
  workspace_ = root_ + "/project";
  home_ = root_ + "/home";
  fs::create_directories(workspace_);
  for (const auto& secret : kDecoySecrets) write(home_ + "/" + secret, "PADDOCK-SELFTEST-DECOY-SECRET\n");
  write(home_ + "/.bashrc", "# the user's own\n");
  write(workspace_ + "/README", "a project\n");
  auto git = run_process({"git", "init", "-q", workspace_}, {.env = std::vector<std::string>{"PATH=/usr/bin:/bin"}});
  if (git.status != 0) throw Error("selftest: git init failed: " + git.err);
}

Lab::~Lab() {
  std::error_code ec;
  fs::remove_all(root_, ec);
}

void Lab::write(const std::string& path, const std::string& content) const {
  fs::create_directories(fs::path(path).parent_path());
  std::ofstream out(path);
  out << content;
  if (!out) throw SysError("write " + path);
}

std::string Lab::read(const std::string& path) const {
  std::ifstream in(path);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

std::string Lab::policy_file(const std::string& name, const std::string& text) const {
  std::string path = root_ + "/" + name;
  write(path, text);
  return path;
}

ProcessResult Lab::run(const std::vector<std::string>& inside, const std::vector<std::string>& flags,
                       const std::vector<std::string>& extra_env) const {
  std::vector<std::string> args = {"run", "--profile", options_.profile, "--mount",
                                   options_.probe + ":/paddock-probe:ro"};
  args.insert(args.end(), flags.begin(), flags.end());
  args.emplace_back("--");
  args.insert(args.end(), inside.begin(), inside.end());
  return paddock_with_env(args, extra_env);
}

ProcessResult Lab::paddock(const std::vector<std::string>& args) const {
  return paddock_with_env(args, {});
}

ProcessResult Lab::paddock_with_env(const std::vector<std::string>& args,
                                    const std::vector<std::string>& extra_env) const {
  std::vector<std::string> argv = {options_.paddock};
  argv.insert(argv.end(), args.begin(), args.end());
  ProcessOptions process;
  process.env =
      std::vector<std::string>{"HOME=" + home_, "PATH=/usr/local/bin:/usr/bin:/bin", "LANG=C.UTF-8", "USER=selftest"};
  process.env->insert(process.env->end(), extra_env.begin(), extra_env.end());
  process.cwd = workspace_;
  process.timeout = std::chrono::seconds(60);
  return run_process(argv, process);
}

std::string Lab::probe(const std::vector<std::string>& args, const std::vector<std::string>& flags) const {
  std::vector<std::string> inside = {"/paddock-probe"};
  inside.insert(inside.end(), args.begin(), args.end());
  auto r = run(inside, flags);
  std::string line = r.out.substr(0, r.out.find('\n'));
  return line.empty() ? "status=" + std::to_string(r.status) : line;
}

std::string Lab::probe_unsandboxed(const std::vector<std::string>& args) const {
  std::vector<std::string> argv = {options_.probe};
  argv.insert(argv.end(), args.begin(), args.end());
  auto r = run_process(argv, {.timeout = std::chrono::seconds(60)});
  std::string line = r.out.substr(0, r.out.find('\n'));
  return line.empty() ? "status=" + std::to_string(r.status) : line;
}

}  // namespace paddock::selftest
