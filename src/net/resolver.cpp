#include "net/resolver.hpp"

#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/use_awaitable.hpp>

namespace paddock::net {
namespace {

namespace asio = boost::asio;

class SystemResolver final : public Resolver {
 public:
  explicit SystemResolver(asio::any_io_executor executor) : resolver_(std::move(executor)) {}

  asio::awaitable<Resolution> resolve(std::string name) override {
    boost::system::error_code ec;
    auto results = co_await resolver_.async_resolve(name, "0", asio::ip::tcp::resolver::numeric_service,
                                                    asio::redirect_error(asio::use_awaitable, ec));
    Resolution out;
    if (ec) {
      out.error = "could not resolve " + name + ": " + ec.message();
      co_return out;
    }
    for (const auto& entry : results) {
      const auto address = entry.endpoint().address();
      if (std::find(out.addresses.begin(), out.addresses.end(), address) == out.addresses.end())
        out.addresses.push_back(address);
    }
    if (out.addresses.empty()) out.error = "could not resolve " + name + ": no addresses";
    co_return out;
  }

 private:
  asio::ip::tcp::resolver resolver_;
};

}  // namespace

std::unique_ptr<Resolver> system_resolver(asio::any_io_executor executor) {
  return std::make_unique<SystemResolver>(std::move(executor));
}

}  // namespace paddock::net
