// The secrets granted to one run (`paddock run --grant NAME[=VARIABLE]`): the sandbox's
// environment gets a placeholder of the real value's shape, and the proxy swaps placeholder
// for value only in the bound header of a request to a bound host. Elsewhere the placeholder
// passes unchanged; the real value never enters the sandbox and is redacted from every log.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "creds/secret_store.hpp"

namespace paddock::creds {

// A placeholder shaped like `real`: the same length and the same vendor prefix
// ("sk-ant-api03-", "ghp_"), then "paddock" and random letters and digits. It passes a
// client's format check and is never equal to the real value.
std::string make_placeholder(std::string_view real);

struct Grant {
  Secret secret;
  std::string placeholder;
};

// What a header becomes when a grant applies to it.
struct Swap {
  const Grant* grant = nullptr;
  std::string value;  // the header's new value, holding the real secret
};

class Grants {
 public:
  Grants() = default;
  explicit Grants(std::vector<Grant> grants) : grants_(std::move(grants)) {}

  bool empty() const noexcept { return grants_.empty(); }
  const std::vector<Grant>& all() const noexcept { return grants_; }
  // "VARIABLE=placeholder" for each grant.
  std::vector<std::string> environment() const;
  // Whether a grant is bound to this host (the proxy intercepts its connections).
  bool binds(std::string_view host, std::uint16_t port) const;
  // The swap for header `name` (lower-case) with `value` on a request to host:port: a grant
  // bound there, to that header, whose placeholder the value carries in the grant's format.
  std::optional<Swap> swap(std::string_view host, std::uint16_t port, std::string_view name,
                           std::string_view value) const;
  // `text` with every real value replaced by "[secret NAME]".
  std::string redact(std::string text) const;

 private:
  std::vector<Grant> grants_;
};

// Whether a binding ("name", "name:port", "*.domain", "[v6]:port") covers host:port.
bool binding_covers(std::string_view binding, std::string_view host, std::uint16_t port);

}  // namespace paddock::creds
