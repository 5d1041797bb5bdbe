// The cost of observation on process-heavy workloads: on the host; in a sandbox that observes
// nothing (--no-file-events); in the default sandbox, which as root records every file closed in
// the workspace and scratch trees (fanotify; the sandbox never waits for it); and in a sandbox
// whose every exec is observed too (--exec-log: a seccomp notification round trip to the
// supervisor per exec). Three workloads: a clean `make` build of a small C project (about 5
// execs per compiled file), the exec worst case, a shell loop of N execs of /bin/true, and the
// file worst case, a shell loop writing a file N times (no exec). Alternating rounds; prints
// medians and the overhead against the host and the sandbox that observes nothing.
//
//   exec_comparison PADDOCK [--execs N] [--rounds R]
#include <fcntl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <string>
#include <vector>

namespace fs = std::filesystem;

namespace {

double run_seconds(const std::vector<std::string>& argv, const std::string& cwd) {
  auto start = std::chrono::steady_clock::now();
  pid_t pid = ::fork();
  if (pid == 0) {
    if (::chdir(cwd.c_str()) != 0) ::_exit(126);
    int null = ::open("/dev/null", O_WRONLY);
    ::dup2(null, 2);
    std::vector<char*> args;
    for (const auto& a : argv) args.push_back(const_cast<char*>(a.c_str()));
    args.push_back(nullptr);
    ::execvp(args[0], args.data());
    ::_exit(127);
  }
  int status = 0;
  ::waitpid(pid, &status, 0);
  if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
    std::fprintf(stderr, "exec_comparison: %s failed\n", argv[0].c_str());
    std::exit(1);
  }
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

// A C project of `files` translation units and a Makefile, in `dir`.
void write_c_project(const std::string& dir, int files) {
  std::FILE* mk = std::fopen((dir + "/Makefile").c_str(), "w");
  std::fprintf(mk, "OBJS :=");
  for (int i = 0; i < files; ++i) std::fprintf(mk, " f%d.o", i);
  std::fprintf(mk, "\nprog: $(OBJS) main.o\n\tcc -o $@ $^\n%%.o: %%.c\n\tcc -O1 -c -o $@ $<\n");
  std::fprintf(mk, "clean:\n\trm -f *.o prog\n");
  std::fclose(mk);
  std::FILE* main_c = std::fopen((dir + "/main.c").c_str(), "w");
  std::fprintf(main_c, "#include <stdio.h>\n");
  for (int i = 0; i < files; ++i) std::fprintf(main_c, "int f%d(int);\n", i);
  std::fprintf(main_c, "int main(void) { int s = 0;\n");
  for (int i = 0; i < files; ++i) std::fprintf(main_c, "  s += f%d(%d);\n", i, i);
  std::fprintf(main_c, "  printf(\"%%d\\n\", s); return 0; }\n");
  std::fclose(main_c);
  for (int i = 0; i < files; ++i) {
    std::FILE* f = std::fopen((dir + "/f" + std::to_string(i) + ".c").c_str(), "w");
    std::fprintf(f, "int f%d(int x) { int s = 0; for (int i = 0; i < x; ++i) s += i * %d; return s; }\n", i, i);
    std::fclose(f);
  }
}

double median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  return v[v.size() / 2];
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2) {
    std::fprintf(stderr, "usage: exec_comparison PADDOCK [--execs N] [--rounds R]\n");
    return 2;
  }
  const std::string paddock = fs::absolute(argv[1]);
  int execs = 2000, rounds = 5;
  for (int i = 2; i + 1 < argc; i += 2) {
    if (std::string(argv[i]) == "--execs") execs = std::atoi(argv[i + 1]);
    if (std::string(argv[i]) == "--rounds") rounds = std::atoi(argv[i + 1]);
  }
  char dir[] = "/tmp/paddock-bench-exec-XXXXXX";
  if (::mkdtemp(dir) == nullptr) return 1;
  write_c_project(dir, 20);

  struct Variant {
    const char* name;
    std::vector<std::string> prefix;
    std::vector<double> seconds;
  };
  auto measure = [&](const std::string& title, const std::string& script, int units, const char* unit) {
    std::vector<Variant> variants = {
        {"host", {}, {}},
        {"sandbox, nothing observed", {paddock, "run", "--no-file-events", "--"}, {}},
        {"sandbox (default)", {paddock, "run", "--"}, {}},
        {"sandbox, execs observed", {paddock, "run", "--exec-log", "--"}, {}},
    };
    for (int r = 0; r < rounds; ++r) {
      for (auto& v : variants) {
        std::vector<std::string> command = v.prefix;
        for (const char* a : {"sh", "-c"}) command.emplace_back(a);
        command.push_back(script);
        v.seconds.push_back(run_seconds(command, dir));
      }
    }
    const double host = median(variants[0].seconds), sandbox = median(variants[1].seconds);
    std::printf("\n%s, %d alternating rounds\n", title.c_str(), rounds);
    std::printf("| %-26s | %14s | %10s | %14s |\n", "variant", unit, "vs host", "vs unobserved");
    std::printf("|----------------------------|----------------|------------|----------------|\n");
    for (const auto& v : variants) {
      double m = median(v.seconds);
      std::printf("| %-26s | %14.1f | %+9.1f%% | %+13.1f%% |\n", v.name, m * 1e6 / units, (m / host - 1) * 100,
                  (m / sandbox - 1) * 100);
    }
  };
  measure("make: clean build of a 21-file C project", "make -s clean && make -s -j1", 1, "µs per build");
  measure(std::to_string(execs) + " execs of /bin/true from a shell loop (worst case)",
          "i=0; while [ $i -lt " + std::to_string(execs) + " ]; do /bin/true; i=$((i+1)); done", execs, "µs per exec");
  const int writes = 10 * execs;  // a write costs far less than an exec: more of them, so start-up does not dominate
  measure(std::to_string(writes) + " writes of a file in the workspace from a shell loop (file worst case)",
          "i=0; while [ $i -lt " + std::to_string(writes) + " ]; do echo $i > written; i=$((i+1)); done", writes,
          "µs per write");
  fs::remove_all(dir);
  return 0;
}
