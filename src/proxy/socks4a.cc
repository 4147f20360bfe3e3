#include "proxy/socks4a.h"

#include <asio/ip/address.hpp>

#include "proxy/handshake_io.h"

namespace wraith::proxy {

namespace {

// SOCKS4 ("SOCKS: A protocol for TCP proxy across firewalls", Ying-Da Lee) and its 4A extension.
constexpr std::uint8_t kVersion = 0x04;
constexpr std::uint8_t kCommandConnect = 0x01;
constexpr std::uint8_t kGranted = 90;
constexpr std::size_t kMaxField = 255;

asio::awaitable<Result<void>> exchange(net::Stream& stream, const std::vector<std::uint8_t>& request,
                                       const std::string& target) {
  if (auto sent = co_await stream.write_all(request); !sent) co_return sent.take_error();
  std::uint8_t reply[8];
  if (auto r = co_await read_exact(stream, reply, "the SOCKS4a reply"); !r) co_return r.take_error();
  if (reply[0] != 0) co_return proxy_error("malformed SOCKS4a reply (version byte " + std::to_string(reply[0]) + ")");
  if (reply[1] != kGranted) {
    Error e = proxy_error("SOCKS4a proxy could not connect to " + target + ": " + socks4_reply_text(reply[1]));
    e.peer_code = reply[1];
    co_return e;
  }
  co_return Result<void>{};
}

}  // namespace

std::string socks4_reply_text(std::uint8_t code) {
  switch (code) {
    case 90: return "request granted";
    case 91: return "request rejected or failed";
    case 92: return "request rejected: the proxy cannot reach our identd";
    case 93: return "request rejected: identd reports a different user id";
    default: return "unknown reply code " + std::to_string(code);
  }
}

asio::awaitable<Result<void>> socks4a_connect(net::Stream& stream, const std::string& host, std::uint16_t port,
                                              const ProxyConfig& config, const SocksOptions& options) {
  auto invalid = [](std::string what) { return Error(ErrorKind::invalid_argument, std::move(what), "proxy"); };
  if (config.kind != ProxyConfig::Kind::socks4a)
    co_return invalid("socks4a_connect needs a socks4a proxy, not " + config.to_string());
  if (config.username.find('\0') != std::string::npos) co_return invalid("SOCKS4 user id contains a NUL byte");
  if (config.username.size() > kMaxField) co_return invalid("SOCKS4 user id longer than 255 bytes");
  if (host.empty()) co_return invalid("SOCKS4a destination host is empty");

  std::vector<std::uint8_t> request{kVersion, kCommandConnect, static_cast<std::uint8_t>(port >> 8),
                                    static_cast<std::uint8_t>(port)};
  asio::error_code ec;
  auto literal = asio::ip::make_address(host, ec);
  bool send_name = false;
  if (!ec && literal.is_v6()) co_return invalid("SOCKS4a cannot carry an IPv6 destination (" + host + ")");
  if (!ec) {
    for (auto b : literal.to_v4().to_bytes()) request.push_back(b);
  } else {
    if (host.size() > kMaxField) co_return invalid("SOCKS4a destination host name longer than 255 bytes");
    if (host.find('\0') != std::string::npos) co_return invalid("SOCKS4a destination host contains a NUL byte");
    // 0.0.0.x with x != 0 tells a 4A server that the name follows the user id.
    request.insert(request.end(), {0, 0, 0, 1});
    send_name = true;
  }
  request.insert(request.end(), config.username.begin(), config.username.end());
  request.push_back(0);
  if (send_name) {
    request.insert(request.end(), host.begin(), host.end());
    request.push_back(0);
  }
  std::string target = host + ":" + std::to_string(port);
  std::string what = "SOCKS4a connect to " + target + " via " + config.to_string();  // named: see tunnel.cc
  co_return co_await within(exchange(stream, request, target), options.timeout, what);
}

}  // namespace wraith::proxy
