#include "proxy/socks5.h"

#include <array>
#include <cstdio>

#include "proxy/handshake_io.h"
#include "proxy/local_resolve.h"

namespace wraith::proxy {

namespace {

// RFC 1928 section 3 (methods), 4 (request) and 5 (addressing); RFC 1929 section 2.
constexpr std::uint8_t kVersion = 0x05;
constexpr std::uint8_t kAuthVersion = 0x01;
constexpr std::uint8_t kMethodNone = 0x00;
constexpr std::uint8_t kMethodUserPass = 0x02;
constexpr std::uint8_t kMethodNoneAcceptable = 0xff;
constexpr std::uint8_t kCommandConnect = 0x01;
constexpr std::uint8_t kAtypIpv4 = 0x01;
constexpr std::uint8_t kAtypName = 0x03;
constexpr std::uint8_t kAtypIpv6 = 0x04;
constexpr std::size_t kMaxField = 255;

std::string hex_byte(std::uint8_t b) {
  char text[8];
  std::snprintf(text, sizeof text, "0x%02x", b);
  return text;
}

std::span<const std::uint8_t> bytes(const std::uint8_t* data, std::size_t n) { return {data, n}; }

// The destination as it goes on the wire: ATYP, address, port.
struct Destination {
  std::array<std::uint8_t, 1 + 1 + kMaxField + 2> wire{};
  std::size_t size = 0;

  void push(std::uint8_t b) { wire[size++] = b; }
};

Destination destination(const asio::ip::address& address, std::uint16_t port) {
  Destination d;
  if (address.is_v4()) {
    d.push(kAtypIpv4);
    for (auto b : address.to_v4().to_bytes()) d.push(b);
  } else {
    d.push(kAtypIpv6);
    for (auto b : address.to_v6().to_bytes()) d.push(b);
  }
  d.push(static_cast<std::uint8_t>(port >> 8));
  d.push(static_cast<std::uint8_t>(port));
  return d;
}

Destination destination(const std::string& name, std::uint16_t port) {
  Destination d;
  d.push(kAtypName);
  d.push(static_cast<std::uint8_t>(name.size()));
  for (char c : name) d.push(static_cast<std::uint8_t>(c));
  d.push(static_cast<std::uint8_t>(port >> 8));
  d.push(static_cast<std::uint8_t>(port));
  return d;
}

asio::awaitable<Result<void>> authenticate(net::Stream& stream, const ProxyConfig& config) {
  std::array<std::uint8_t, 3 + 2 * kMaxField> request{};
  std::size_t n = 0;
  request[n++] = kAuthVersion;
  request[n++] = static_cast<std::uint8_t>(config.username.size());
  for (char c : config.username) request[n++] = static_cast<std::uint8_t>(c);
  request[n++] = static_cast<std::uint8_t>(config.password.size());
  for (char c : config.password) request[n++] = static_cast<std::uint8_t>(c);
  if (auto sent = co_await stream.write_all(bytes(request.data(), n)); !sent) co_return sent.take_error();
  std::uint8_t reply[2];
  if (auto r = co_await read_exact(stream, reply, "SOCKS5 authentication"); !r) co_return r.take_error();
  // RFC 1929 says version 1; some servers echo 5, which is harmless.
  if (reply[0] != kAuthVersion && reply[0] != kVersion)
    co_return proxy_error("malformed SOCKS5 authentication reply (version " + hex_byte(reply[0]) + ")");
  if (reply[1] != 0) {
    Error e = proxy_error("SOCKS5 authentication failed: the proxy rejected the username/password");
    e.peer_code = reply[1];
    co_return e;
  }
  co_return Result<void>{};
}

asio::awaitable<Result<void>> negotiate(net::Stream& stream, const ProxyConfig& config) {
  const bool credentials = config.has_credentials();
  std::uint8_t greeting[4] = {kVersion, 1, kMethodNone, kMethodUserPass};
  if (credentials) greeting[1] = 2;
  if (auto sent = co_await stream.write_all(bytes(greeting, 2 + greeting[1])); !sent) co_return sent.take_error();
  std::uint8_t reply[2];
  if (auto r = co_await read_exact(stream, reply, "SOCKS5 method selection"); !r) co_return r.take_error();
  if (reply[0] != kVersion) co_return proxy_error("not a SOCKS5 proxy (reply version " + hex_byte(reply[0]) + ")");
  if (reply[1] == kMethodNone) co_return Result<void>{};
  if (reply[1] == kMethodUserPass && credentials) co_return co_await authenticate(stream, config);
  if (reply[1] == kMethodNoneAcceptable)
    co_return proxy_error(credentials ? "SOCKS5 proxy accepted none of our authentication methods (none, username/password)"
                                      : "SOCKS5 proxy requires authentication and no credentials are configured");
  co_return proxy_error("SOCKS5 proxy chose authentication method " + hex_byte(reply[1]) + ", which we did not offer");
}

asio::awaitable<Result<void>> exchange(net::Stream& stream, const Destination& dest, const std::string& target,
                                       const ProxyConfig& config) {
  if (auto r = co_await negotiate(stream, config); !r) co_return r.take_error();

  std::array<std::uint8_t, 3 + sizeof(Destination::wire)> request{};
  request[0] = kVersion;
  request[1] = kCommandConnect;
  request[2] = 0;  // reserved
  std::copy(dest.wire.begin(), dest.wire.begin() + static_cast<std::ptrdiff_t>(dest.size), request.begin() + 3);
  if (auto sent = co_await stream.write_all(bytes(request.data(), 3 + dest.size)); !sent) co_return sent.take_error();

  // VER REP first: a proxy that refuses may close right after them.
  std::uint8_t head[2];
  if (auto r = co_await read_exact(stream, head, "the SOCKS5 connect reply"); !r) co_return r.take_error();
  if (head[0] != kVersion) co_return proxy_error("malformed SOCKS5 connect reply (version " + hex_byte(head[0]) + ")");
  if (head[1] != 0) {
    Error e = proxy_error("SOCKS5 proxy could not connect to " + target + ": " + socks5_reply_text(head[1]));
    e.peer_code = head[1];
    co_return e;
  }
  std::uint8_t rsv_atyp[2];
  if (auto r = co_await read_exact(stream, rsv_atyp, "the SOCKS5 connect reply"); !r) co_return r.take_error();
  std::size_t address_len = 0;
  switch (rsv_atyp[1]) {
    case kAtypIpv4: address_len = 4; break;
    case kAtypIpv6: address_len = 16; break;
    case kAtypName: {
      std::uint8_t len[1];
      if (auto r = co_await read_exact(stream, len, "the SOCKS5 connect reply"); !r) co_return r.take_error();
      address_len = len[0];
      break;
    }
    default:
      co_return proxy_error("malformed SOCKS5 connect reply (address type " + hex_byte(rsv_atyp[1]) + ")");
  }
  std::uint8_t bound[kMaxField + 2];  // BND.ADDR + BND.PORT: read so the tunnel starts clean, then ignored
  if (auto r = co_await read_exact(stream, std::span(bound, address_len + 2), "the SOCKS5 connect reply"); !r)
    co_return r.take_error();
  co_return Result<void>{};
}

}  // namespace

std::string socks5_reply_text(std::uint8_t code) {
  switch (code) {
    case 0x00: return "succeeded";
    case 0x01: return "general SOCKS server failure";
    case 0x02: return "connection not allowed by the proxy's ruleset";
    case 0x03: return "network unreachable";
    case 0x04: return "host unreachable";
    case 0x05: return "connection refused by destination";
    case 0x06: return "TTL expired";
    case 0x07: return "command not supported";
    case 0x08: return "address type not supported";
    default: return "unknown reply code " + hex_byte(code);
  }
}

asio::awaitable<Result<void>> socks5_connect(net::Stream& stream, const std::string& host, std::uint16_t port,
                                             const ProxyConfig& config, const SocksOptions& options) {
  auto invalid = [](std::string what) { return Error(ErrorKind::invalid_argument, std::move(what), "proxy"); };
  if (config.kind != ProxyConfig::Kind::socks5 && config.kind != ProxyConfig::Kind::socks5h)
    co_return invalid("socks5_connect needs a socks5 or socks5h proxy, not " + config.to_string());
  if (config.has_credentials()) {
    if (config.username.empty()) co_return invalid("SOCKS5 username/password authentication needs a username");
    if (config.username.size() > kMaxField || config.password.size() > kMaxField)
      co_return invalid("SOCKS5 username and password are limited to 255 bytes each");
  }
  if (host.empty()) co_return invalid("SOCKS5 destination host is empty");

  asio::error_code ec;
  auto literal = asio::ip::make_address(host, ec);
  Destination dest;
  if (!ec) {
    dest = destination(literal, port);
  } else if (config.kind == ProxyConfig::Kind::socks5h) {
    if (host.size() > kMaxField) co_return invalid("SOCKS5 destination host name longer than 255 bytes");
    dest = destination(host, port);
  } else {
    auto address = co_await resolve_locally(host, port, options.dns);
    if (!address) co_return address.take_error();
    dest = destination(*address, port);
  }
  std::string target = (host.find(':') != std::string::npos ? "[" + host + "]" : host) + ":" + std::to_string(port);
  std::string what = "SOCKS5 connect to " + target + " via " + config.to_string();  // named: see tunnel.cc
  co_return co_await within(exchange(stream, dest, target, config), options.timeout, what);
}

}  // namespace wraith::proxy
