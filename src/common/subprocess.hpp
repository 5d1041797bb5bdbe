// Running another program to completion: given stdin, captured stdout, stderr and status, a
// deadline. Used by `paddock selftest` and by the tests.
#pragma once

#include <sys/types.h>

#include <chrono>
#include <optional>
#include <string>
#include <vector>

namespace paddock {

struct ProcessResult {
  int status = -1;  // exit status, or 128+N when killed by signal N
  std::string out;
  std::string err;
  bool timed_out = false;
};

struct ProcessOptions {
  std::optional<std::vector<std::string>> env{};  // default: the test's own environment
  std::string cwd{};
  std::string stdin_data{};
  std::chrono::milliseconds timeout{60000};
};

// A waitpid() status as a shell's exit status: the exit code, or 128+N for signal N.
int exit_status_of(int wait_status);

ProcessResult run_process(const std::vector<std::string>& argv, const ProcessOptions& options = {});

// Starts a program in the background with stdio on /dev/null; returns its pid.
pid_t spawn_background(const std::vector<std::string>& argv, const ProcessOptions& options = {});

}  // namespace paddock
