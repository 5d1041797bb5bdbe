#include "creds/grants.hpp"

#include <openssl/rand.h>
#include <strings.h>

#include <algorithm>
#include <charconv>

#include "common/error.hpp"

namespace paddock::creds {
namespace {

constexpr std::string_view kAlphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
constexpr std::string_view kMarker = "paddock";
constexpr std::size_t kMinRandom = 16;
constexpr std::size_t kMaxPrefix = 16;

bool iequal(std::string_view a, std::string_view b) {
  return a.size() == b.size() && ::strncasecmp(a.data(), b.data(), a.size()) == 0;
}

}  // namespace

std::string make_placeholder(std::string_view real) {
  // The vendor prefix: everything up to the last '-' or '_' near the start.
  std::size_t prefix = 0;
  for (std::size_t i = 0; i < std::min(real.size(), kMaxPrefix); ++i)
    if (real[i] == '-' || real[i] == '_') prefix = i + 1;
  std::string out(real.substr(0, prefix));
  out += kMarker;
  const std::size_t length = std::max(real.size(), out.size() + kMinRandom);
  std::string random(length - out.size(), '\0');
  if (RAND_bytes(reinterpret_cast<unsigned char*>(random.data()), static_cast<int>(random.size())) != 1)
    throw Error("the random number generator failed making a placeholder");
  for (char& c : random) c = kAlphabet[static_cast<unsigned char>(c) % kAlphabet.size()];
  out += random;
  if (out == real) return make_placeholder(real);  // ~never; but the value must never leak this way
  return out;
}

bool binding_covers(std::string_view binding, std::string_view host, std::uint16_t port) {
  std::string_view name = binding;
  std::optional<std::uint16_t> bound_port;
  const auto colon = binding.rfind(':');
  const bool bracketed = !binding.empty() && binding.front() == '[';
  if (colon != std::string_view::npos &&
      (bracketed ? colon > 0 && binding[colon - 1] == ']' : binding.find(':') == colon)) {
    std::uint16_t p = 0;
    const auto digits = binding.substr(colon + 1);
    if (std::from_chars(digits.data(), digits.data() + digits.size(), p).ec == std::errc() && p != 0) {
      bound_port = p;
      name = binding.substr(0, colon);
    }
  }
  if (bracketed && name.size() >= 2 && name.back() == ']') name = name.substr(1, name.size() - 2);
  if (bound_port && *bound_port != port) return false;
  if (name.size() > 2 && name.substr(0, 2) == "*.") {
    const auto suffix = name.substr(1);  // ".domain"
    return host.size() > suffix.size() && iequal(host.substr(host.size() - suffix.size()), suffix);
  }
  return iequal(name, host);
}

std::vector<std::string> Grants::environment() const {
  std::vector<std::string> out;
  for (const auto& grant : grants_) out.push_back(grant.secret.variable + "=" + grant.placeholder);
  return out;
}

bool Grants::binds(std::string_view host, std::uint16_t port) const {
  return std::any_of(grants_.begin(), grants_.end(), [&](const Grant& grant) {
    return std::any_of(grant.secret.hosts.begin(), grant.secret.hosts.end(),
                       [&](const std::string& binding) { return binding_covers(binding, host, port); });
  });
}

std::optional<Swap> Grants::swap(std::string_view host, std::uint16_t port, std::string_view name,
                                 std::string_view value) const {
  for (const auto& grant : grants_) {
    if (!iequal(grant.secret.header, name)) continue;
    const bool bound = std::any_of(grant.secret.hosts.begin(), grant.secret.hosts.end(),
                                   [&](const std::string& binding) { return binding_covers(binding, host, port); });
    if (!bound) continue;
    if (grant.secret.format == Format::raw && value == grant.placeholder) return Swap{&grant, grant.secret.value};
    constexpr std::string_view kBearer = "Bearer ";
    if (grant.secret.format == Format::bearer && value.size() == kBearer.size() + grant.placeholder.size() &&
        iequal(value.substr(0, kBearer.size()), kBearer) && value.substr(kBearer.size()) == grant.placeholder)
      return Swap{&grant, std::string(kBearer) + grant.secret.value};
  }
  return std::nullopt;
}

std::string Grants::redact(std::string text) const {
  for (const auto& grant : grants_) {
    const std::string& value = grant.secret.value;
    if (value.empty()) continue;
    const std::string mask = "[secret " + grant.secret.name + "]";
    for (auto at = text.find(value); at != std::string::npos; at = text.find(value, at + mask.size()))
      text.replace(at, value.size(), mask);
  }
  return text;
}

}  // namespace paddock::creds
