// Start-up cost of a sandbox: `paddock run -- /bin/true` against bubblewrap and unshare(1) doing
// comparable work, alternating run by run so the machine's noise hits all three alike. Prints
// medians and the ratio to bwrap, then the supervisor's peak memory. Runs as the invoking user;
// `--as-user UID` repeats the comparison unprivileged (root only). `--baseline OTHER` adds another
// paddock binary (an earlier build) to the alternation, for an A/B of a change.
//
//   startup_comparison PADDOCK [--runs N] [--as-user UID] [--baseline OTHER_PADDOCK]
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>
#include <thread>
#include <vector>

namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;

namespace {

struct Contender {
  std::string name;
  std::vector<std::string> argv;
  std::vector<double> micros;
};

pid_t spawn(const std::vector<std::string>& argv, const std::string& cwd) {
  pid_t pid = ::fork();
  if (pid == 0) {
    if (::chdir(cwd.c_str()) != 0) ::_exit(126);
    std::vector<char*> args;
    for (const auto& a : argv) args.push_back(const_cast<char*>(a.c_str()));
    args.push_back(nullptr);
    ::execvp(args[0], args.data());
    ::_exit(127);
  }
  return pid;
}

double run_once(const Contender& c, const std::string& cwd) {
  auto start = Clock::now();
  pid_t pid = spawn(c.argv, cwd);
  int status = 0;
  ::waitpid(pid, &status, 0);
  auto elapsed = std::chrono::duration<double, std::micro>(Clock::now() - start).count();
  if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
    std::fprintf(stderr, "startup_comparison: %s failed (status %d)\n", c.name.c_str(), status);
    std::exit(1);
  }
  return elapsed;
}

double percentile(std::vector<double> v, double p) {
  std::sort(v.begin(), v.end());
  return v[static_cast<std::size_t>(p * static_cast<double>(v.size() - 1))];
}

// Peak resident memory of the supervisor while a sandbox runs, from /proc/<pid>/status VmHWM.
long supervisor_peak_kib(const std::vector<std::string>& prefix, const std::string& paddock, const std::string& cwd) {
  std::vector<std::string> argv = prefix;
  for (const char* a : {"run", "--", "sleep", "0.5"}) argv.emplace_back(a);
  argv.insert(argv.begin() + static_cast<long>(prefix.size()), paddock);
  pid_t pid = spawn(argv, cwd);
  std::this_thread::sleep_for(std::chrono::milliseconds(300));
  long peak = -1;
  std::ifstream in("/proc/" + std::to_string(pid) + "/status");
  for (std::string line; std::getline(in, line);)
    if (line.rfind("VmHWM:", 0) == 0) peak = std::strtol(line.c_str() + 6, nullptr, 10);
  ::waitpid(pid, nullptr, 0);
  return peak;
}

void compare(const std::string& label, const std::vector<std::string>& prefix, const std::string& paddock,
             const std::string& baseline, const std::string& cwd, int runs) {
  auto with_prefix = [&](std::vector<std::string> argv) {
    argv.insert(argv.begin(), prefix.begin(), prefix.end());
    return argv;
  };
  std::vector<Contender> contenders = {
      {"paddock run (all layers)", with_prefix({paddock, "run", "--", "/bin/true"}), {}},
      {"bwrap --unshare-all",
       with_prefix({"bwrap", "--ro-bind", "/", "/", "--dev", "/dev", "--proc", "/proc", "--unshare-all",
                    "--die-with-parent", "/bin/true"}),
       {}},
      {"unshare -mpfniu",
       with_prefix({"unshare", "--mount", "--pid", "--fork", "--net", "--ipc", "--uts",
                    ::geteuid() == 0 && prefix.empty() ? "--mount-proc" : "--map-root-user", "/bin/true"}),
       {}},
  };
  if (!baseline.empty())
    contenders.push_back({"paddock run (baseline)", with_prefix({baseline, "run", "--", "/bin/true"}), {}});
  for (auto& c : contenders) run_once(c, cwd);  // warm caches
  for (int i = 0; i < runs; ++i)
    for (auto& c : contenders) c.micros.push_back(run_once(c, cwd));

  const double bwrap = percentile(contenders[1].micros, 0.5);
  std::printf("\n%s, %d alternating runs each\n", label.c_str(), runs);
  std::printf("| %-26s | %10s | %10s | %12s |\n", "command", "median µs", "p90 µs", "vs bwrap");
  std::printf("|%s|%s|%s|%s|\n", std::string(28, '-').c_str(), std::string(12, '-').c_str(),
              std::string(12, '-').c_str(), std::string(14, '-').c_str());
  for (const auto& c : contenders)
    std::printf("| %-26s | %10.0f | %10.0f | %11.2fx |\n", c.name.c_str(), percentile(c.micros, 0.5),
                percentile(c.micros, 0.9), percentile(c.micros, 0.5) / bwrap);
  std::printf("supervisor peak memory (VmHWM): %ld KiB\n", supervisor_peak_kib(prefix, paddock, cwd));
  if (!baseline.empty())
    std::printf("baseline's supervisor peak memory (VmHWM): %ld KiB\n", supervisor_peak_kib(prefix, baseline, cwd));
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2) {
    std::fprintf(stderr, "usage: startup_comparison PADDOCK [--runs N] [--as-user UID] [--baseline OTHER_PADDOCK]\n");
    return 2;
  }
  std::string paddock = fs::absolute(argv[1]);
  int runs = 200;
  std::string user, baseline;
  for (int i = 2; i + 1 < argc; i += 2) {
    std::string flag = argv[i];
    if (flag == "--runs") runs = std::atoi(argv[i + 1]);
    if (flag == "--as-user") user = argv[i + 1];
    if (flag == "--baseline") baseline = fs::absolute(argv[i + 1]);
  }
  // A git repository as the workspace, as an agent would have.
  char dir[] = "/tmp/paddock-bench-XXXXXX";
  if (::mkdtemp(dir) == nullptr) return 1;
  std::string cwd = dir;
  if (std::system(("git init -q " + cwd + (user.empty() ? "" : " && chown -R " + user + " " + cwd)).c_str()) != 0)
    return 1;
  ::chmod(cwd.c_str(), 0755);

  compare(::geteuid() == 0 ? "as root" : "as uid " + std::to_string(::geteuid()), {}, paddock, baseline, cwd, runs);
  if (!user.empty()) {
    // The user's own HOME (paddock reads its config and keeps its runs there), set directly:
    // an `env` in the prefix would add one exec to every contender.
    const std::string home = cwd + ".home";
    fs::create_directories(home);
    if (std::system(("chown -R " + user + " " + home).c_str()) != 0) return 1;
    const std::string root_home = std::getenv("HOME") != nullptr ? std::getenv("HOME") : "/root";
    ::setenv("HOME", home.c_str(), 1);
    compare("as uid " + user + " (unprivileged)",
            {"setpriv", "--reuid=" + user, "--regid=" + user, "--clear-groups", "--"}, paddock, baseline, cwd, runs);
    ::setenv("HOME", root_home.c_str(), 1);
    fs::remove_all(home);
  }
  fs::remove_all(cwd);
  return 0;
}
