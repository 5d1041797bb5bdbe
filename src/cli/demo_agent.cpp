#include "cli/demo_agent.hpp"

namespace paddock::cli {
namespace {

// Each step prints what it tries and what happened; the script never stops early.
constexpr const char* kScript = R"SH(
say() { printf '  %-46s %s\n' "$1" "$2"; }
try() {  # try "description" expectation command...
  desc=$1; expect=$2; shift 2
  if out=$("$@" 2>&1); then result="allowed"; else result="denied: $(printf %s "$out" | tail -n1 | sed 's/^.*: //')"; fi
  say "$desc" "$result  (expected: $expect)"
}
echo "paddock demo agent: trying allowed and forbidden things inside the sandbox"
echo "  workspace: $PADDOCK_WORKSPACE   user: $(id -un 2>/dev/null || id -u)   host: $(hostname)"
echo
try "write a file in the workspace" allowed sh -c 'echo hi > .paddock-demo-file && rm .paddock-demo-file'
try "read the real ~/.ssh/id_rsa" denied cat "$HOME/.ssh/id_rsa"
try "read /etc/shadow" "denied (masked, empty)" sh -c 'test -s /etc/shadow && cat /etc/shadow >/dev/null || { echo "masked: empty file" >&2; exit 1; }'
try "write /etc/paddock-demo" denied sh -c 'echo x > /etc/paddock-demo'
try "write .git/hooks/pre-commit" denied sh -c 'mkdir -p .git/hooks && echo evil > .git/hooks/pre-commit'
if command -v bash >/dev/null; then
  try "reach a host (TCP to 1.1.1.1:443)" denied bash -c 'exec 3<>/dev/tcp/1.1.1.1/443'
fi
try "unshare -Ur (new user namespace)" denied unshare -Ur true
set -- /proc/[0-9]*
say "processes visible (the host has many more)" "$#"
# The bomb fills every process slot; counting and cleaning up use only shell builtins, since no
# fork can succeed until the bomb's processes are gone.
sh -c 'while :; do sleep 30 & done' >/dev/null 2>&1
set -- /proc/[0-9]*
count=$#
kill -9 -1 2>/dev/null
say "fork bomb (spawn until refused)" "stopped at $count processes (the pids limit)"
echo
echo "Each forbidden attempt failed inside the sandbox; nothing on the host was touched."
)SH";

}  // namespace

std::vector<std::string> demo_agent_command() {
  return {"/bin/sh", "-c", kScript, "paddock-demo"};
}

}  // namespace paddock::cli
