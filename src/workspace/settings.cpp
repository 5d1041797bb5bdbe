#include "workspace/settings.hpp"

namespace paddock::workspace {
namespace {

template <class T>
void take(std::optional<T>& base, const std::optional<T>& over) {
  if (over) base = over;
}

void append(std::vector<std::string>& base, const std::vector<std::string>& over) {
  base.insert(base.end(), over.begin(), over.end());
}

}  // namespace

void merge_into(Settings& base, const Settings& over) {
  take(base.profile, over.profile);
  take(base.memory, over.memory);
  take(base.pids, over.pids);
  take(base.cpus, over.cpus);
  take(base.agent, over.agent);
  append(base.policies, over.policies);
  append(base.mounts, over.mounts);
  append(base.env, over.env);  // the sandbox's environment is built in order: the last K=V wins
  append(base.grants, over.grants);
  append(base.notes, over.notes);
}

}  // namespace paddock::workspace
