#include "sandbox/landlock.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <cstdint>

#include "common/error.hpp"
#include "common/unique_fd.hpp"

namespace paddock::sandbox::landlock {
namespace {

// The uapi constants, spelled out: Debian's kernel headers stop at ABI 2.
constexpr std::uint64_t kExecute = 1ULL << 0, kWriteFile = 1ULL << 1, kReadFile = 1ULL << 2, kReadDir = 1ULL << 3,
                        kRemoveDir = 1ULL << 4, kRemoveFile = 1ULL << 5, kMakeChar = 1ULL << 6, kMakeDir = 1ULL << 7,
                        kMakeReg = 1ULL << 8, kMakeSock = 1ULL << 9, kMakeFifo = 1ULL << 10, kMakeBlock = 1ULL << 11,
                        kMakeSym = 1ULL << 12, kRefer = 1ULL << 13, kTruncate = 1ULL << 14, kIoctlDev = 1ULL << 15;
constexpr std::uint64_t kScopeAbstractUnix = 1ULL << 0, kScopeSignal = 1ULL << 1;
constexpr unsigned kCreateRulesetVersion = 1U << 0;
constexpr int kRulePathBeneath = 1;

struct RulesetAttr {
  std::uint64_t handled_access_fs;
  std::uint64_t handled_access_net;
  std::uint64_t scoped;
};
struct __attribute__((packed)) PathBeneathAttr {
  std::uint64_t allowed_access;
  std::int32_t parent_fd;
};

// Rights that apply to a regular file; directories accept all.
constexpr std::uint64_t kFileRights = kExecute | kWriteFile | kReadFile | kTruncate | kIoctlDev;

std::uint64_t handled_for(int version) {
  std::uint64_t handled = kExecute | kWriteFile | kReadFile | kReadDir | kRemoveDir | kRemoveFile | kMakeChar |
                          kMakeDir | kMakeReg | kMakeSock | kMakeFifo | kMakeBlock | kMakeSym;
  if (version >= 2) handled |= kRefer;
  if (version >= 3) handled |= kTruncate;
  if (version >= 5) handled |= kIoctlDev;
  return handled;
}

std::uint64_t rights_for(std::uint8_t bits) {
  std::uint64_t rights = 0;
  if (bits & access::list) rights |= kReadDir;
  if (bits & access::read) rights |= kReadFile | kReadDir;
  if (bits & access::execute) rights |= kExecute;
  if (bits & access::write)
    rights |= kWriteFile | kRemoveDir | kRemoveFile | kMakeDir | kMakeReg | kMakeSock | kMakeFifo | kMakeSym | kRefer |
              kTruncate | kIoctlDev;
  return rights;
}

}  // namespace

int abi() {
  long version = ::syscall(SYS_landlock_create_ruleset, nullptr, 0, kCreateRulesetVersion);
  return version < 0 ? 0 : static_cast<int>(version);
}

void restrict_self(const std::vector<FsRule>& rules) {
  const int version = abi();
  if (version == 0) return;
  RulesetAttr attr{handled_for(version), 0, 0};
  std::size_t size = sizeof(std::uint64_t);
  if (version >= 6) {
    attr.scoped = kScopeAbstractUnix | kScopeSignal;
    size = sizeof(RulesetAttr);
  }
  UniqueFd ruleset(static_cast<int>(::syscall(SYS_landlock_create_ruleset, &attr, size, 0)));
  if (!ruleset) throw SysError("landlock_create_ruleset");

  for (const auto& rule : rules) {
    UniqueFd fd(::open(rule.path.c_str(), O_PATH | O_CLOEXEC));
    if (!fd) {
      if (errno == ENOENT) continue;  // an optional mount that was absent
      throw SysError("landlock rule for " + rule.path);
    }
    struct stat st {};
    if (::fstat(fd.get(), &st) != 0) throw SysError("stat " + rule.path);
    std::uint64_t allowed = rights_for(rule.access) & attr.handled_access_fs;
    if (!S_ISDIR(st.st_mode)) allowed &= kFileRights;
    if (allowed == 0) continue;
    PathBeneathAttr beneath{allowed, fd.get()};
    if (::syscall(SYS_landlock_add_rule, ruleset.get(), kRulePathBeneath, &beneath, 0) != 0)
      throw SysError("landlock_add_rule " + rule.path);
  }
  if (::syscall(SYS_landlock_restrict_self, ruleset.get(), 0) != 0) throw SysError("landlock_restrict_self");
}

}  // namespace paddock::sandbox::landlock
