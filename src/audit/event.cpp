#include "audit/event.hpp"

#include <ctime>
#include <type_traits>

namespace paddock::audit {

std::int64_t now_ns() noexcept {
  timespec ts{};
  ::clock_gettime(CLOCK_REALTIME, &ts);
  return static_cast<std::int64_t>(ts.tv_sec) * 1'000'000'000 + ts.tv_nsec;
}

std::string_view kind(const Event& event) noexcept {
  return std::visit(
      [](const auto& body) -> std::string_view {
        using T = std::decay_t<decltype(body)>;
        if constexpr (std::is_same_v<T, Exec>)
          return "exec";
        else if constexpr (std::is_same_v<T, File>)
          return "file";
        else if constexpr (std::is_same_v<T, NetConnect>)
          return "net.connect";
        else if constexpr (std::is_same_v<T, NetClose>)
          return "net.close";
        else if constexpr (std::is_same_v<T, HttpRequest>)
          return "http.request";
        else if constexpr (std::is_same_v<T, Dns>)
          return "dns";
        else if constexpr (std::is_same_v<T, McpCall>)
          return "mcp.call";
        else if constexpr (std::is_same_v<T, SecretUse>)
          return "secret.use";
        else if constexpr (std::is_same_v<T, SandboxStart>)
          return "sandbox.start";
        else if constexpr (std::is_same_v<T, SandboxExit>)
          return "sandbox.exit";
        else {
          static_assert(std::is_same_v<T, Policy>);
          switch (body.change) {
            case Policy::Change::load:
              return "policy.load";
            case Policy::Change::reload:
              return "policy.reload";
            case Policy::Change::reject:
              return "policy.reject";
          }
          return "policy";
        }
      },
      event.body);
}

}  // namespace paddock::audit
