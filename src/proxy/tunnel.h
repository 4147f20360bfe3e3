// The one call the client makes to go through a proxy: connect to it, speak its handshake, and hand back
// the tunnel in the fastest shape it has (a bare socket whenever the proxy hop is plain TCP).
#pragma once

#include <chrono>
#include <memory>
#include <optional>
#include <vector>

#include <asio/ip/tcp.hpp>

#include "net/connect.h"
#include "net/stream.h"
#include "tls/client_context.h"
#include "wraith/proxy.h"
#include "wraith/tls_profile.h"

namespace wraith::proxy {

struct TunnelOptions {
  net::ConnectOptions connect;  // the TCP hop to the proxy; also the local DNS for socks5:// targets
  std::chrono::milliseconds handshake_timeout{30000};  // the proxy's CONNECT / SOCKS exchange
  std::chrono::milliseconds proxy_tls_timeout{30000};  // TLS handshake with an https:// proxy
  tls::VerifyOptions proxy_verify;                     // certificate checks for an https:// proxy
  // TLS settings for an https:// proxy (share one to keep its sessions); when null, one is made from
  // default_proxy_tls_profile() and proxy_verify for this call.
  std::shared_ptr<tls::ClientContext> proxy_tls;
  std::string user_agent;         // User-Agent line of the CONNECT request (the profile's UA)
  bool allow_early_bytes = false; // else bytes the proxy sends past its reply are an error
};

struct Tunnel {
  // Exactly one of the two is set.
  std::optional<asio::ip::tcp::socket> socket;  // plain TCP hop: run the origin's TlsStream on it directly
  std::unique_ptr<net::Stream> stream;          // https:// proxy: the TLS connection to the proxy
  // Bytes the proxy sent after its reply, before we spoke (only kept with allow_early_bytes; the
  // origin's first bytes, to be read before anything from socket/stream).
  std::vector<std::uint8_t> early_bytes;

  bool is_socket() const { return socket.has_value(); }
  // The tunnel as a Stream either way (a socket gets wrapped in a TcpStream).
  std::unique_ptr<net::Stream> into_stream() &&;
};

// The TLS settings used for the hop to an https:// proxy by default: no browser fingerprint to keep
// (the origin's hello travels inside), ALPN http/1.1 only, since CONNECT is spoken over HTTP/1.1.
TlsProfile default_proxy_tls_profile();

// True when a request goes to the proxy in absolute-form ("GET http://host/ HTTP/1.1") instead of through
// a CONNECT tunnel: plain-http targets through http:// and https:// proxies, as curl and Chrome do.
bool uses_absolute_form(const ProxyConfig& config, bool https_target);

// A connection to the proxy itself: TCP, plus TLS for https:// (SNI and verification against the proxy's
// host). For absolute-form requests, and the first step of open_tunnel. Errors keep their kind (resolve,
// connect, timeout, tls, certificate) with the proxy named in the message.
asio::awaitable<Result<Tunnel>> connect_to_proxy(const ProxyConfig& config, const TunnelOptions& options);

// Connects to the proxy and opens a tunnel to host:port (http/https: CONNECT; socks4a/socks5/socks5h: the
// SOCKS exchange). host is as Url::host() gives it (IPv6 without brackets). Errors: those of
// connect_to_proxy; ErrorKind::proxy for refusals, auth failures and malformed replies, and for bytes past
// the reply when allow_early_bytes is off; ErrorKind::timeout (phase connect) when the proxy does not
// answer within handshake_timeout; invalid_argument / invalid_header for unusable input.
asio::awaitable<Result<Tunnel>> open_tunnel(const ProxyConfig& config, const std::string& host, std::uint16_t port,
                                            const TunnelOptions& options);

}  // namespace wraith::proxy
