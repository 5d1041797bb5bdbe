// The candidate lookup of PolicySet, inline because it runs for every request.
#pragma once

namespace paddock::cedar {

template <class F>
void PolicySet::visit(const ResourceIndex& index, const EntityUid& resource, const Entity* resource_entity,
                      std::uint32_t* seen, std::uint32_t stamp, F& f) const {
  auto emit = [&](const std::vector<std::uint32_t>& list) {
    for (std::uint32_t i : list) {
      if (seen[i] != stamp) {
        seen[i] = stamp;
        f(i);
      }
    }
  };
  emit(index.any_resource);
  if (index.by_resource.empty()) return;
  if (auto it = index.by_resource.find(&resource); it != index.by_resource.end()) emit(it->second);
  if (!resource_entity) return;
  for (const EntityUid* ancestor : resource_entity->ancestors)
    if (auto it = index.by_resource.find(ancestor); it != index.by_resource.end()) emit(it->second);
}

template <class F>
void PolicySet::for_each_candidate(const EntityUid& action, const Entity* action_entity, const EntityUid& resource,
                                   const Entity* resource_entity, std::uint32_t* seen, std::uint32_t stamp,
                                   F&& f) const {
  visit(any_action_, resource, resource_entity, seen, stamp, f);
  if (by_action_.empty()) return;
  if (auto it = by_action_.find(&action); it != by_action_.end()) visit(it->second, resource, resource_entity, seen, stamp, f);
  if (!action_entity) return;
  for (const EntityUid* ancestor : action_entity->ancestors)
    if (auto it = by_action_.find(ancestor); it != by_action_.end())
      visit(it->second, resource, resource_entity, seen, stamp, f);
}

}  // namespace paddock::cedar
