// HTTP CONNECT (RFC 9110 9.3.6) over an already-connected stream to an HTTP or HTTPS proxy, with the
// request Chrome sends, and the one header an absolute-form request through the proxy needs.
#pragma once

#include <chrono>
#include <cstdint>
#include <string>
#include <vector>

#include "net/stream.h"
#include "wraith/proxy.h"

namespace wraith::proxy {

struct HttpConnectOptions {
  std::string user_agent;                    // the profile's UA; no User-Agent line when empty
  std::chrono::milliseconds timeout{30000};  // the whole exchange, request written to reply head read
  std::size_t max_reply_head = 16 * 1024;    // a larger reply head is ErrorKind::proxy
};

// "host:port", IPv6 bracketed: the request-target and Host of a CONNECT.
std::string connect_authority(const std::string& host, std::uint16_t port);

// "Basic base64(user:password)" for Proxy-Authorization, empty when the config has no credentials.
std::string proxy_authorization(const ProxyConfig& config);

// The request head, in Chrome's order:
//   CONNECT h:p HTTP/1.1 / Host: h:p / Proxy-Connection: keep-alive / User-Agent: ua / Proxy-Authorization
// Host or UA with CR, LF, NUL (or a space in the host) is ErrorKind::invalid_header.
Result<std::string> connect_request(const std::string& host, std::uint16_t port, const ProxyConfig& config,
                                    const std::string& user_agent);

// Sends CONNECT and reads the reply head. 2xx: the tunnel is open and the result holds whatever the proxy
// sent after its head (the start of the tunnel; empty from a correct proxy, since the client speaks first).
// 407 is ErrorKind::proxy "proxy authentication required ..." (peer_code 407), any other final status is
// ErrorKind::proxy naming it (peer_code = status); a malformed or oversized head, or a close before the
// head ended, is ErrorKind::proxy; no head within the timeout is ErrorKind::timeout (phase connect).
asio::awaitable<Result<std::vector<std::uint8_t>>> http_connect(net::Stream& stream, const std::string& host,
                                                                std::uint16_t port, const ProxyConfig& config,
                                                                const HttpConnectOptions& options = {});

}  // namespace wraith::proxy
