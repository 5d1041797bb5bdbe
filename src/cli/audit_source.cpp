#include "cli/audit_source.hpp"

#include <sys/stat.h>

#include "audit/bundle.hpp"
#include "cli/command.hpp"
#include "common/error.hpp"
#include "common/files.hpp"

namespace paddock::cli {
namespace {

bool is_directory(const std::string& path) {
  struct stat st {};
  return ::stat(path.c_str(), &st) == 0 && S_ISDIR(st.st_mode);
}

bool is_file(const std::string& path) {
  struct stat st {};
  return ::stat(path.c_str(), &st) == 0 && S_ISREG(st.st_mode);
}

// What the run's metadata says about its trail (TrailContext), besides whether it is live.
void describe_trail(TrailSource& source) {
  source.context.run_id = source.meta.id;
  if (source.meta.end_ns) source.context.closed_records = source.meta.records;
  source.context.writer_error = source.meta.trail_error;
}

TrailSource from_directory(const audit::RunStore& store, const std::string& directory, const std::string& name) {
  TrailSource source;
  source.name = name;
  const std::string meta_path = directory + "/" + std::string(audit::kMetaFile);
  source.meta = audit::parse_meta(read_file(meta_path), meta_path);
  source.text = read_file(directory + "/" + std::string(audit::kTrailFile));
  source.trail = source.text;
  describe_trail(source);
  source.context.live = store.state(source.meta) == audit::RunState::running;
  return source;
}

}  // namespace

TrailSource load_trail_source(const audit::RunStore& store, const std::string& target) {
  const bool looks_like_path = target.find('/') != std::string::npos || target.starts_with('.');
  if (!target.empty() && is_directory(target)) return from_directory(store, target, target);
  if (!target.empty() && is_file(target)) {
    TrailSource source;
    source.name = target;
    source.text = read_file(target);
    if (!audit::is_bundle(source.text))
      throw Error(target + ": not a paddock audit bundle; give a run's id or its directory", kExitUsage);
    auto bundle = audit::parse_bundle(source.text, target);
    source.meta = std::move(bundle.meta);
    source.trail = bundle.trail;
    source.bundle_key_pem = std::move(bundle.public_key_pem);
    describe_trail(source);
    return source;
  }
  if (looks_like_path) throw Error(target + ": no such file or directory", kExitUsage);
  return load_run_trail(store, store.resolve(target));
}

TrailSource load_run_trail(const audit::RunStore& store, const std::string& id) {
  return from_directory(store, store.directory(id), id);
}

std::string installation_key_directory() {
  return data_directory() + "/audit";
}

std::string installation_public_key_path() {
  return installation_key_directory() + "/" + std::string(audit::kPublicKeyFile);
}

audit::SignatureVerifier trusted_key(const TrailSource& source, const std::string& public_key_file) {
  if (!public_key_file.empty()) return audit::SignatureVerifier::from_pem(read_file(public_key_file));
  const std::string local = installation_public_key_path();
  if (!is_file(local))
    throw Error("no audit key on this machine (" + local +
                    "); pass --public-key FILE with the key `paddock audit key` prints where the run was recorded",
                kExitUsage);
  auto key = audit::SignatureVerifier::from_pem(read_file(local));
  if (source.bundle_key_pem &&
      audit::SignatureVerifier::from_pem(*source.bundle_key_pem).public_key_hex() != key.public_key_hex())
    throw Error(source.name +
                    " was signed by another machine's key; pass --public-key FILE with that machine's `paddock audit "
                    "key` (the key inside the bundle proves nothing by itself)",
                kExitUsage);
  return key;
}

}  // namespace paddock::cli
