// SOCKS5 CONNECT (RFC 1928) with optional username/password authentication (RFC 1929).
#pragma once

#include <chrono>
#include <cstdint>
#include <string>

#include "net/connect.h"
#include "net/stream.h"
#include "wraith/proxy.h"

namespace wraith::proxy {

struct SocksOptions {
  std::chrono::milliseconds timeout{30000};  // the whole exchange with the proxy
  // For socks5:// (local DNS): overrides and resolve timeout used to turn the target name into an address.
  net::ConnectOptions dns;
};

// RFC 1928 section 6 reply codes as sentences: 1 "general SOCKS server failure", 5 "connection refused by
// destination", ... and "unknown reply code 0xNN" for the rest.
std::string socks5_reply_text(std::uint8_t code);

// Negotiates with the proxy and asks it to connect to host:port. socks5h sends host as a name (ATYP 3);
// socks5 resolves it here first and sends the address (ATYP 1 or 4); IP literals always go as addresses.
// Offers no-auth, plus username/password when the config has credentials. Every failure reply, a refused
// or failed authentication and a malformed or truncated reply is ErrorKind::proxy (peer_code = the SOCKS
// reply code where there is one); credentials or a name longer than 255 bytes are invalid_argument.
// Reads exactly the reply, so nothing of the tunnel is consumed.
asio::awaitable<Result<void>> socks5_connect(net::Stream& stream, const std::string& host, std::uint16_t port,
                                             const ProxyConfig& config, const SocksOptions& options = {});

}  // namespace wraith::proxy
