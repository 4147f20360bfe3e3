// SOCKS4a CONNECT: SOCKS4 with the hostname sent to the proxy, which resolves it.
#pragma once

#include "proxy/socks5.h"

namespace wraith::proxy {

// SOCKS4 reply codes as sentences: 90 "request granted", 91 "request rejected or failed", 92 "...identd...",
// 93 "user id rejected by identd"; "unknown reply code N" for the rest.
std::string socks4_reply_text(std::uint8_t code);

// Asks the proxy to connect to host:port. A name goes as SOCKS4a (DSTIP 0.0.0.1 + hostname); an IPv4
// literal as plain SOCKS4. The config's username is the user id (SOCKS4 has no password; one set is
// ignored). A rejection or malformed/truncated reply is ErrorKind::proxy (peer_code = the reply code);
// an IPv6 destination, a NUL in the user id or a name longer than 255 bytes is invalid_argument. Reads
// exactly the 8-byte reply.
asio::awaitable<Result<void>> socks4a_connect(net::Stream& stream, const std::string& host, std::uint16_t port,
                                              const ProxyConfig& config, const SocksOptions& options = {});

}  // namespace wraith::proxy
