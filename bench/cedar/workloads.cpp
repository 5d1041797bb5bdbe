#include "workloads.hpp"

#include <fmt/core.h>

#include <fstream>
#include <random>
#include <sstream>
#include <stdexcept>

namespace paddock::cedar::bench {

using nlohmann::json;

namespace {

std::string read_file(const std::string& path) {
  std::ifstream in(path);
  if (!in) throw std::runtime_error("cannot read " + path);
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

json uid(const std::string& type, const std::string& id) {
  return json{{"type", type}, {"id", id}};
}
json ref(const std::string& type, const std::string& id) {
  return json{{"__entity", uid(type, id)}};
}

json entity(const std::string& type, const std::string& id, json parents = json::array(), json attrs = json::object()) {
  return json{{"uid", uid(type, id)}, {"attrs", std::move(attrs)}, {"parents", std::move(parents)}};
}

// A deterministic source of choices.
class Dice {
 public:
  explicit Dice(unsigned seed) : rng_(seed) {}
  std::size_t below(std::size_t n) { return std::uniform_int_distribution<std::size_t>(0, n - 1)(rng_); }
  bool chance(double p) { return std::bernoulli_distribution(p)(rng_); }
  template <class T>
  const T& pick(const std::vector<T>& v) {
    return v[below(v.size())];
  }

 private:
  std::mt19937 rng_;
};

std::vector<std::string> names(const std::string& prefix, std::size_t n) {
  std::vector<std::string> out;
  for (std::size_t i = 0; i < n; ++i) out.push_back(fmt::format("{}{}", prefix, i));
  return out;
}

// Up to `max` distinct picks of `type` entities as parents/references.
json some(Dice& dice, const std::string& type, const std::vector<std::string>& ids, std::size_t max, bool as_ref) {
  json out = json::array();
  std::vector<std::string> chosen;
  std::size_t n = dice.below(max + 1);
  for (std::size_t i = 0; i < n && !ids.empty(); ++i) {
    const std::string& id = dice.pick(ids);
    if (std::find(chosen.begin(), chosen.end(), id) != chosen.end()) continue;
    chosen.push_back(id);
    out.push_back(as_ref ? ref(type, id) : uid(type, id));
  }
  return out;
}

// Parents among entities created before this one, so hierarchies stay acyclic.
json earlier(Dice& dice, const std::string& type, const std::vector<std::string>& ids, std::size_t index) {
  json out = json::array();
  if (index > 0 && dice.chance(0.7)) out.push_back(uid(type, ids[dice.below(index)]));
  return out;
}

void gdrive(Dice& dice, std::size_t n, json& entities, std::vector<RequestSpec>& requests, std::size_t count,
            std::size_t scenario) {
  auto users = names("user", std::max<std::size_t>(1, n / 5));
  auto groups = names("group", std::max<std::size_t>(1, n / 10));
  auto views = names("view", std::max<std::size_t>(1, n / 5));
  auto folders = names("folder", std::max<std::size_t>(1, n / 5));
  std::size_t used = users.size() + groups.size() + views.size() + folders.size();
  auto documents = names("doc", n > used ? n - used : 1);
  for (const auto& g : groups) entities.push_back(entity("Group", g));
  for (std::size_t i = 0; i < views.size(); ++i)
    entities.push_back(entity("View", views[i], earlier(dice, "View", views, i)));
  for (std::size_t i = 0; i < folders.size(); ++i) {
    json parents = earlier(dice, "Folder", folders, i);
    parents.push_back(uid("View", dice.pick(views)));
    entities.push_back(entity("Folder", folders[i], parents));
  }
  for (const auto& d : documents) {
    json parents = json::array({uid("Folder", dice.pick(folders)), uid("View", dice.pick(views))});
    entities.push_back(entity("Document", d, parents, {{"isPublic", dice.chance(0.1)}}));
  }
  for (const auto& u : users) {
    json attrs{{"documentsAndFoldersWithViewAccess", ref("View", dice.pick(views))},
               {"ownedDocuments", some(dice, "Document", documents, 3, true)},
               {"ownedFolders", some(dice, "Folder", folders, 2, true)}};
    entities.push_back(entity("User", u, some(dice, "Group", groups, 2, false), attrs));
  }
  static const std::vector<std::string> kActions = {"read", "write", "share", "changeOwner", "createDocument"};
  for (std::size_t i = 0; i < count; ++i) {
    const std::string& action = dice.pick(kActions);
    json resource =
        action == "createDocument" ? uid("Folder", dice.pick(folders)) : uid("Document", dice.pick(documents));
    requests.push_back(
        RequestSpec{uid("User", dice.pick(users)), uid("Action", action), resource, json::object(), scenario});
  }
}

void github(Dice& dice, std::size_t n, json& entities, std::vector<RequestSpec>& requests, std::size_t count,
            std::size_t scenario) {
  auto orgs = names("org", std::max<std::size_t>(1, n / 20));
  auto repos = names("repo", std::max<std::size_t>(1, n / 10));
  auto teams = names("team", std::max<std::size_t>(1, n / 10));
  std::size_t used = orgs.size() * 4 + repos.size() * 6 + teams.size();
  auto users = names("user", n > used ? n - used : 1);
  static const std::vector<std::string> kRepoRoles = {"readers", "triagers", "writers", "maintainers", "admins"};
  static const std::vector<std::string> kOrgRoles = {"readers", "writers", "admins"};
  std::vector<std::string> repo_perms, org_perms;
  for (const auto& o : orgs) {
    json attrs = json::object();
    for (const auto& role : kOrgRoles) {
      std::string id = o + "-" + role;
      org_perms.push_back(id);
      entities.push_back(entity("OrgPermission", id));
      attrs[role] = ref("OrgPermission", id);
    }
    entities.push_back(entity("Organization", o, some(dice, "OrgPermission", org_perms, 1, false), attrs));
  }
  for (const auto& r : repos) {
    json attrs{{"owner", ref("Organization", dice.pick(orgs))}};
    for (const auto& role : kRepoRoles) {
      std::string id = r + "-" + role;
      repo_perms.push_back(id);
      entities.push_back(entity("RepoPermission", id));
      attrs[role] = ref("RepoPermission", id);
    }
    entities.push_back(entity("Repository", r, json::array(), attrs));
  }
  for (std::size_t i = 0; i < teams.size(); ++i) {
    json parents = earlier(dice, "Team", teams, i);
    for (auto& p : some(dice, "RepoPermission", repo_perms, 2, false)) parents.push_back(p);
    entities.push_back(entity("Team", teams[i], parents));
  }
  for (const auto& u : users) {
    json parents = some(dice, "Team", teams, 2, false);
    for (auto& p : some(dice, "RepoPermission", repo_perms, 2, false)) parents.push_back(p);
    for (auto& p : some(dice, "OrgPermission", org_perms, 1, false)) parents.push_back(p);
    for (auto& p : some(dice, "Organization", orgs, 1, false)) parents.push_back(p);
    entities.push_back(entity("User", u, parents));
  }
  static const std::vector<std::string> kActions = {"read", "triage", "write", "maintain", "admin"};
  for (std::size_t i = 0; i + 1 < kActions.size(); ++i)
    entities.push_back(entity("Action", kActions[i], json::array({uid("Action", kActions[i + 1])})));
  entities.push_back(entity("Action", "admin"));
  for (std::size_t i = 0; i < count; ++i)
    requests.push_back(RequestSpec{uid("User", dice.pick(users)), uid("Action", dice.pick(kActions)),
                                   uid("Repository", dice.pick(repos)), json::object(), scenario});
}

void tinytodo(Dice& dice, std::size_t n, json& entities, std::vector<RequestSpec>& requests, std::size_t count,
              std::size_t scenario) {
  auto teams = names("team", std::max<std::size_t>(1, n / 5));
  auto users = names("user", std::max<std::size_t>(1, n / 3));
  std::size_t used = teams.size() + users.size() + 1;
  auto lists = names("list", n > used ? n - used : 1);
  json app = uid("Application", "TinyTodo");
  entities.push_back(entity("Application", "TinyTodo"));
  for (std::size_t i = 0; i < teams.size(); ++i) {
    json parents = earlier(dice, "Team", teams, i);
    parents.push_back(app);
    entities.push_back(entity("Team", teams[i], parents));
  }
  for (const auto& u : users) {
    json parents = some(dice, "Team", teams, 2, false);
    parents.push_back(app);
    entities.push_back(entity("User", u, parents));
  }
  for (const auto& l : lists) {
    json tasks = json::array();
    for (int t = 0; t < 3; ++t) tasks.push_back({{"name", fmt::format("task{}", t)}, {"id", t}, {"state", "open"}});
    json attrs{{"owner", ref("User", dice.pick(users))},
               {"name", l},
               {"readers", ref("Team", dice.pick(teams))},
               {"editors", ref("Team", dice.pick(teams))},
               {"tasks", tasks}};
    entities.push_back(entity("List", l, json::array({app}), attrs));
  }
  static const std::vector<std::string> kActions = {"CreateList", "GetList",    "UpdateList", "DeleteList", "GetLists",
                                                    "CreateTask", "UpdateTask", "DeleteTask", "EditShares"};
  for (std::size_t i = 0; i < count; ++i) {
    const std::string& action = dice.pick(kActions);
    json resource = action == "CreateList" || action == "GetLists" ? app : uid("List", dice.pick(lists));
    requests.push_back(
        RequestSpec{uid("User", dice.pick(users)), uid("Action", action), resource, json::object(), scenario});
  }
}

}  // namespace

Workload oopsla_workload(const std::string& corpus_dir, const std::string& app, std::size_t entities_per_request,
                         std::size_t scenarios, std::size_t requests_per_scenario) {
  Workload w;
  w.name = fmt::format("{}/{}", app, entities_per_request);
  std::string file = app == "tinytodo" ? "tinytodo.cedar" : "policies.cedar";
  w.policies = read_file(fmt::format("{}/oopsla2024-benchmarks/{}/cedar/{}", corpus_dir, app, file));
  Dice dice(static_cast<unsigned>(entities_per_request * 7919 + app.size()));
  for (std::size_t s = 0; s < scenarios; ++s) {
    json entities = json::array();
    if (app == "gdrive") {
      gdrive(dice, entities_per_request, entities, w.requests, requests_per_scenario, s);
    } else if (app == "github") {
      github(dice, entities_per_request, entities, w.requests, requests_per_scenario, s);
    } else if (app == "tinytodo") {
      tinytodo(dice, entities_per_request, entities, w.requests, requests_per_scenario, s);
    } else {
      throw std::runtime_error("unknown benchmark application " + app);
    }
    w.scenarios.push_back(std::move(entities));
  }
  for (const auto& r : w.requests) w.per_request_entities.push_back(w.scenarios[r.scenario]);
  return w;
}

}  // namespace paddock::cedar::bench
