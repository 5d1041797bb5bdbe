// The lab of `paddock selftest`: a throw-away project and a fake home full of decoy secrets, and
// a way to run an attack inside a real sandbox over them (the paddock binary itself, with the
// probe program mounted at /paddock-probe), as the user running the selftest.
#pragma once

#include <string>
#include <vector>

#include "common/subprocess.hpp"

namespace paddock::selftest {

struct LabOptions {
  std::string paddock;  // the paddock binary
  std::string probe;    // the paddock-probe binary
  std::string profile;
};

// Files of the fake home that hold decoy secrets (relative to it).
extern const std::vector<std::string> kDecoySecrets;

class Lab {
 public:
  explicit Lab(LabOptions options);
  ~Lab();
  Lab(const Lab&) = delete;
  Lab& operator=(const Lab&) = delete;

  // `paddock run --profile P [flags] -- inside...` from the workspace, with HOME the fake home.
  ProcessResult run(const std::vector<std::string>& inside, const std::vector<std::string>& flags = {},
                    const std::vector<std::string>& extra_env = {}) const;
  // Another paddock subcommand on the host (`audit verify`), with the lab's HOME.
  ProcessResult paddock(const std::vector<std::string>& args) const;
  // The probe's one-line answer ("ok", "errno=EPERM", ...), or "status=N" when it did not answer.
  std::string probe(const std::vector<std::string>& args, const std::vector<std::string>& flags = {}) const;
  // The same probe run on the host, outside any sandbox: what the kernel itself does.
  std::string probe_unsandboxed(const std::vector<std::string>& args) const;
  // A policy file in the lab (not in the workspace), for --policy.
  std::string policy_file(const std::string& name, const std::string& text) const;
  void write(const std::string& path, const std::string& content) const;
  std::string read(const std::string& path) const;

  const std::string& root() const { return root_; }
  const std::string& workspace() const { return workspace_; }
  const std::string& home() const { return home_; }
  const std::string& profile() const { return options_.profile; }

 private:
  ProcessResult paddock_with_env(const std::vector<std::string>& args, const std::vector<std::string>& extra_env) const;

  LabOptions options_;
  std::string root_, workspace_, home_;
};

}  // namespace paddock::selftest
