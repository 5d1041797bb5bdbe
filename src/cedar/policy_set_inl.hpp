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
  if (const auto* list = index.by_resource.find(resource)) emit(*list);
  if (!resource_entity) return;
  for (const EntityUid* ancestor : resource_entity->ancestors)
    if (const auto* list = index.by_resource.find(*ancestor)) emit(*list);
}

template <class F>
void PolicySet::for_each_candidate(const EntityUid& action, const Entity* action_entity, const EntityUid& resource,
                                   const Entity* resource_entity, std::uint32_t* seen, std::uint32_t stamp,
                                   F&& f) const {
  visit(any_action_, resource, resource_entity, seen, stamp, f);
  if (by_action_.empty()) return;
  if (const auto* index = by_action_.find(action)) visit(*index, resource, resource_entity, seen, stamp, f);
  if (!action_entity) return;
  for (const EntityUid* ancestor : action_entity->ancestors)
    if (const auto* index = by_action_.find(*ancestor)) visit(*index, resource, resource_entity, seen, stamp, f);
}

}  // namespace paddock::cedar
