// The claim of authorizer.hpp, checked: once warmed up, authorization allocates nothing unless a
// policy errors. This binary replaces the global operator new to count allocations, so it is
// separate from the other unit tests.
#include <gtest/gtest.h>

#include <atomic>
#include <cstdlib>
#include <new>

#include "cedar_test_util.hpp"

namespace {
std::atomic<long> allocations{0};
}

// The replacement allocator pairs malloc with free by design; GCC cannot see that new and delete
// are replaced together.
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wmismatched-new-delete"
void* operator new(std::size_t n) {
  allocations.fetch_add(1, std::memory_order_relaxed);
  if (void* p = std::malloc(n == 0 ? 1 : n)) return p;
  throw std::bad_alloc();
}
void operator delete(void* p) noexcept {
  std::free(p);
}
void operator delete(void* p, std::size_t) noexcept {
  std::free(p);
}
#pragma GCC diagnostic pop

namespace paddock::cedar {
namespace {

TEST(CedarAllocation, AuthorizeAllocatesNothingOnceWarm) {
  auto set = testing::policies(R"(
    permit(principal in Sandbox::"s", action in Action::"FileOpen", resource in Dir::"/home/u/p/")
      when { context.path like "/home/u/p/*" && !(context.path like "*.pem") && [principal, resource].contains(principal) };
    forbid(principal, action, resource in Dir::"/home/u/p/.git/")
      unless { {a: context.n, b: [1, 2, context.n]}.b.containsAll([context.n]) };
    permit(principal, action == Action::"NetworkConnect", resource in Host::"*.example.com")
      when { context.ip.isInRange(ip("10.0.0.0/8")) == false && context.port == 443 };
  )");
  auto entities = testing::entities(R"([
    {"uid": {"type": "Agent", "id": "claude"}, "parents": [{"type": "Sandbox", "id": "s"}]},
    {"uid": {"type": "Action", "id": "FileOpenReadOnly"}, "parents": [{"type": "Action", "id": "FileOpen"}]},
    {"uid": {"type": "File", "id": "/home/u/p/src/a.c"}, "parents": [{"type": "Dir", "id": "/home/u/p/src/"}]},
    {"uid": {"type": "Dir", "id": "/home/u/p/src/"}, "parents": [{"type": "Dir", "id": "/home/u/p/"}]},
    {"uid": {"type": "Host", "id": "api.example.com:443"}, "parents": [{"type": "Host", "id": "*.example.com"}]}])");
  EntityUid agent("Agent", "claude"), read("Action", "FileOpenReadOnly"), connect("Action", "NetworkConnect");
  EntityUid file("File", "/home/u/p/src/a.c"), host("Host", "api.example.com:443");
  LiteralStore store;
  Value file_context = context_from_json(parse_json_text(R"({"path": "/home/u/p/src/a.c", "n": 2})", "c"), store);
  Value host_context = context_from_json(
      parse_json_text(R"({"ip": {"__extn": {"fn": "ip", "arg": "93.184.216.34"}}, "port": 443})", "c"), store);
  Request requests[] = {{&agent, &read, &file, file_context}, {&agent, &connect, &host, host_context}};

  Authorizer authorizer;
  Response response;
  for (int i = 0; i < 100; ++i) authorizer.authorize(*set, requests[i % 2], entities, response);
  long before = allocations.load();
  int allowed = 0;
  for (int i = 0; i < 10000; ++i) {
    authorizer.authorize(*set, requests[i % 2], entities, response);
    allowed += response.decision == Decision::Allow;
  }
  EXPECT_EQ(allocations.load() - before, 0);
  EXPECT_EQ(allowed, 10000);
  EXPECT_TRUE(response.errors.empty());
}

}  // namespace
}  // namespace paddock::cedar
