// Helpers for the tests that run a real sandbox in-process (sandbox::run with a test observer):
// a fresh workspace, and the plan of a request in it as if typed there without a terminal.
#pragma once

#include <stdlib.h>

#include <stdexcept>
#include <string>

#include "sandbox/layout.hpp"

namespace paddock::sandbox {

// A fresh directory /tmp/paddock-<name>-XXXXXX; the test removes it.
inline std::string make_workspace(const std::string& name) {
  std::string dir = "/tmp/paddock-" + name + "-XXXXXX";
  if (::mkdtemp(dir.data()) == nullptr) throw std::runtime_error("mkdtemp " + dir);
  return dir;
}

// The plan of `request` in workspace `ws`, from there, without a terminal.
inline Spec plan_in(const std::string& ws, RunRequest request) {
  request.workspace = ws;
  Host host = Host::current();
  host.cwd = ws;
  host.terminal.reset();
  return plan(request, host);
}

}  // namespace paddock::sandbox
