// `paddock audit verify|tail|query|export|key`: reading, checking and exporting the runs'
// audit trails (docs/audit.md). tail and query live in audit_read.cpp.
#include <fcntl.h>
#include <unistd.h>

#include <fmt/core.h>

#include <memory>

#include "audit/bundle.hpp"
#include "cli/audit_read.hpp"
#include "cli/audit_source.hpp"
#include "cli/command.hpp"
#include "common/error.hpp"
#include "common/files.hpp"

namespace paddock::cli {
namespace {

struct VerifyFlags {
  std::string target;
  std::string public_key;
};

int verify(const VerifyFlags& flags) {
  const auto store = audit::RunStore::open_default();
  const TrailSource source = load_trail_source(store, flags.target);
  const auto key = trusted_key(source, flags.public_key);
  const auto report = audit::verify_trail(source.trail, source.context, key);
  switch (report.status) {
    case audit::TrailStatus::ok:
      fmt::print("{}: ok: {} records, {} checkpoints, every record signed\n", source.name, report.records,
                 report.checkpoints);
      return 0;
    case audit::TrailStatus::open:
      fmt::print("{}: open (the run is still going): {} records intact so far, {} of them signed\n", source.name,
                 report.records, report.signed_records);
      return 0;
    case audit::TrailStatus::torn:
      fmt::print("{}: torn: {}\n", source.name, report.problem);
      return kExitTorn;
    case audit::TrailStatus::tampered:
      fmt::print("{}: TAMPERED at line {}: {}\n", source.name, report.bad_line, report.problem);
      return kExitTampered;
  }
  return kExitTampered;
}

struct ExportFlags {
  std::string run;
  std::string output;
};

int export_run(const ExportFlags& flags) {
  const auto store = audit::RunStore::open_default();
  const std::string id = store.resolve(flags.run);
  const TrailSource source = load_run_trail(store, id);
  const std::string output = flags.output.empty() ? id + ".paddock-audit" : flags.output;
  if (::access(output.c_str(), F_OK) == 0)
    throw Error(output + " exists already; remove it or pass -o with another name", kExitUsage);
  write_file_atomically(
      output,
      audit::make_bundle(source.meta, audit::SignatureVerifier::from_hex(source.meta.public_key).public_key_pem(),
                         source.trail),
      0644);
  fmt::print("{}\n", output);
  fmt::print(stderr,
             "paddock: verify it anywhere with `paddock audit verify {} --public-key FILE`, FILE holding this "
             "machine's `paddock audit key`\n",
             output);
  return 0;
}

int print_key() {
  const auto key = audit::SigningKey::load_or_create(installation_key_directory());
  fmt::print("{}", key.public_key_pem());
  return 0;
}

}  // namespace

void add_audit_command(CLI::App& app, Action& action) {
  auto* audit = app.add_subcommand("audit", "Verify, read and export the runs' audit trails");
  audit->require_subcommand(1);

  auto verify_flags = std::make_shared<VerifyFlags>();
  auto* verify_cmd = audit->add_subcommand(
      "verify", "Check a run's trail: chain, sequence, checkpoints, signatures (exit 0 ok, 1 tampered, 3 torn)");
  verify_cmd->add_option("run", verify_flags->target,
                         "A run's id (or unique prefix), its directory, or a bundle (default: the newest run)");
  verify_cmd->add_option("--public-key", verify_flags->public_key,
                         "The signer's public key (PEM, from `paddock audit key` on the recording machine)");
  verify_cmd->callback([verify_flags, &action] { action = [verify_flags] { return verify(*verify_flags); }; });

  auto export_flags = std::make_shared<ExportFlags>();
  auto* export_cmd = audit->add_subcommand("export", "Write a run as one self-contained file that verifies elsewhere");
  export_cmd->add_option("run", export_flags->run, "A run's id or unique prefix (default: the newest run)");
  export_cmd->add_option("-o,--output", export_flags->output, "The file to write (default: <id>.paddock-audit)");
  export_cmd->callback([export_flags, &action] { action = [export_flags] { return export_run(*export_flags); }; });

  auto* key_cmd = audit->add_subcommand("key", "Print this machine's public key that signs the trails' checkpoints");
  key_cmd->callback([&action] { action = [] { return print_key(); }; });

  add_audit_read_commands(audit, action);
}

}  // namespace paddock::cli
