// Test support for integration tests: each test runs the real paddock binary, as root and as an
// unprivileged user (uid 65534 through setpriv), over a fresh workspace and $HOME of its own.
#pragma once

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include <string>
#include <vector>

#include "common/subprocess.hpp"

namespace paddock::testing {

enum class Mode { root, unprivileged };
std::string mode_name(const ::testing::TestParamInfo<Mode>& info);

inline constexpr unsigned kUnprivilegedUid = 65534;

// Absolute paths of the binaries under test (set by CMake).
std::string paddock_binary();
std::string probe_binary();

class SandboxTest : public ::testing::TestWithParam<Mode> {
 protected:
  void SetUp() override;
  void TearDown() override;

  // `paddock run <options> -- <command>` from the workspace, as this test's user.
  ProcessResult paddock_run(const std::vector<std::string>& options, const std::vector<std::string>& command,
                            ProcessOptions process = {});
  // `paddock run <options> -- <command>` in the background (stdio on /dev/null); its pid.
  pid_t spawn_paddock_run(const std::vector<std::string>& options, const std::vector<std::string>& command);
  // `options` plus emptied NO_PROXY/no_proxy: the test servers listen on the host's 127.0.0.1,
  // which the sandbox reaches only through the proxy (its own 127.0.0.1 is its own loopback).
  static std::vector<std::string> via_proxy_to_loopback(std::vector<std::string> options);
  // Same, with the probe binary mounted at /paddock-probe.
  ProcessResult probe(const std::vector<std::string>& args, const std::vector<std::string>& options = {});
  // Any paddock subcommand, as this test's user.
  // The `event` members of every record of `kind` in this test's runs (`paddock audit query`).
  std::vector<nlohmann::json> audit_events(const std::string& kind);
  ProcessResult paddock(const std::vector<std::string>& args, ProcessOptions process = {});
  // The argv prefix that runs a program as this test's user.
  std::vector<std::string> as_user(std::vector<std::string> argv) const;
  std::vector<std::string> environment() const;
  // Creates a file (and its parents) owned by the test's user.
  void write_file(const std::string& path, const std::string& content) const;
  void make_git_repository() const;
  // A directory of the test's user outside every location of the default profiles (under
  // /srv, not /tmp, which is scratch space in policies), removed after the test.
  std::string outside_directory();

  bool privileged() const { return GetParam() == Mode::root; }
  unsigned uid() const;

  std::string root_;       // the test's temporary directory
  std::string workspace_;  // root_/ws
  std::string home_;       // root_/home: the "real" home of the test's user
  std::string outside_;    // see outside_directory()
};

}  // namespace paddock::testing
