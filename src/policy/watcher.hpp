// Hot reload (issue 4): the policy files of a run are watched with inotify on the supervisor's
// event loop. An edit (written in place, or by rename as editors do) is picked up and handed to
// `reload` within a few milliseconds; bursts of events become one reload.
#pragma once

#include <boost/asio/io_context.hpp>
#include <boost/asio/posix/stream_descriptor.hpp>
#include <boost/asio/steady_timer.hpp>

#include <functional>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "common/unique_fd.hpp"

namespace paddock::policy {

class PolicyWatcher {
public:
  // Watches `files` (they may not exist yet: creating one counts as a change).
  PolicyWatcher(boost::asio::io_context& io, const std::vector<std::string>& files, std::function<void()> reload);
  PolicyWatcher(const PolicyWatcher&) = delete;
  PolicyWatcher& operator=(const PolicyWatcher&) = delete;

private:
  void wait();
  void on_events();

  boost::asio::posix::stream_descriptor inotify_;
  boost::asio::steady_timer debounce_;
  std::function<void()> reload_;
  std::map<int, std::string> directories_;                 // watch descriptor -> directory
  std::map<std::string, std::set<std::string>> watched_;   // directory -> file names in it
  bool pending_ = false;
};

}  // namespace paddock::policy
