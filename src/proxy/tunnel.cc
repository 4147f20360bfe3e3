#include "proxy/tunnel.h"

#include "net/tcp_stream.h"
#include "proxy/handshake_io.h"
#include "proxy/http_connect.h"
#include "proxy/socks4a.h"
#include "proxy/socks5.h"
#include "tls/tls_stream.h"

namespace wraith::proxy {

namespace {

Error via_proxy(Error e, const ProxyConfig& config) {
  e.message = "proxy " + config.to_string() + ": " + e.message;
  return e;
}

// Runs the proxy's handshake for host:port over stream; returns the bytes read past its reply.
asio::awaitable<Result<std::vector<std::uint8_t>>> handshake(net::Stream& stream, const ProxyConfig& config,
                                                             const std::string& host, std::uint16_t port,
                                                             const TunnelOptions& options) {
  switch (config.kind) {
    case ProxyConfig::Kind::http:
    case ProxyConfig::Kind::https: {
      // Named, not a temporary: GCC 12 mishandles non-trivial temporaries inside co_await expressions.
      HttpConnectOptions http{.user_agent = options.user_agent, .timeout = options.handshake_timeout};
      co_return co_await http_connect(stream, host, port, config, http);
    }
    case ProxyConfig::Kind::socks4a:
    case ProxyConfig::Kind::socks5:
    case ProxyConfig::Kind::socks5h: {
      SocksOptions socks{.timeout = options.handshake_timeout, .dns = options.connect};
      // (if/else, not ?: -- GCC 12 destroys the wrong temporary when both arms of ?: co_await)
      Result<void> done;
      if (config.kind == ProxyConfig::Kind::socks4a)
        done = co_await socks4a_connect(stream, host, port, config, socks);
      else
        done = co_await socks5_connect(stream, host, port, config, socks);
      if (!done) co_return done.take_error();
      co_return std::vector<std::uint8_t>{};  // SOCKS replies are read exactly: nothing past them
    }
  }
  co_return Error(ErrorKind::invalid_argument, "unknown proxy kind", "proxy");
}

// The TLS connection to an https:// proxy, holding the context it was made from: BoringSSL calls back
// into the ClientContext (new-session callback) for as long as the connection lives, so a context made
// just for this tunnel must live exactly as long.
class ProxyTlsStream final : public net::Stream {
 public:
  ProxyTlsStream(std::shared_ptr<tls::ClientContext> context, std::unique_ptr<tls::TlsStream> stream)
      : context_(std::move(context)), stream_(std::move(stream)) {}
  asio::any_io_executor get_executor() override { return stream_->get_executor(); }
  asio::awaitable<Result<std::size_t>> read_some(std::span<std::uint8_t> buffer) override {
    return stream_->read_some(buffer);
  }
  asio::awaitable<Result<void>> write_all(std::span<const std::uint8_t> data) override { return stream_->write_all(data); }
  void close() override { stream_->close(); }
  std::string alpn() const override { return stream_->alpn(); }

 private:
  std::shared_ptr<tls::ClientContext> context_;  // declared first: outlives stream_
  std::unique_ptr<tls::TlsStream> stream_;
};

}  // namespace

std::unique_ptr<net::Stream> Tunnel::into_stream() && {
  if (socket) return std::make_unique<net::TcpStream>(std::move(*socket));
  return std::move(stream);
}

TlsProfile default_proxy_tls_profile() {
  TlsProfile profile;
  profile.groups = {0x001d, 0x0017, 0x0018};  // X25519, P-256, P-384
  profile.key_share_groups = {0x001d};
  profile.grease = false;
  profile.grease_signature_algorithm = false;
  profile.permute_extensions = false;
  profile.alpn = {"http/1.1"};
  profile.ech_grease = false;
  profile.trust_anchors = false;
  profile.ocsp_stapling = false;
  profile.signed_cert_timestamps = false;
  return profile;
}

bool uses_absolute_form(const ProxyConfig& config, bool https_target) {
  return !https_target && (config.kind == ProxyConfig::Kind::http || config.kind == ProxyConfig::Kind::https);
}

asio::awaitable<Result<Tunnel>> connect_to_proxy(const ProxyConfig& config, const TunnelOptions& options) {
  auto socket = co_await net::connect_tcp(config.host, config.port, options.connect);
  if (!socket) co_return via_proxy(socket.take_error(), config);
  Tunnel tunnel;
  if (config.kind != ProxyConfig::Kind::https) {
    tunnel.socket.emplace(std::move(*socket));
    co_return tunnel;
  }
  std::shared_ptr<tls::ClientContext> context = options.proxy_tls;
  if (!context) {
    auto made = tls::ClientContext::create(default_proxy_tls_profile(), "proxy", options.proxy_verify);
    if (!made) co_return via_proxy(made.take_error(), config);
    context = *made;
  }
  auto ssl = context->new_ssl(config.host, config.port);
  if (!ssl) co_return via_proxy(ssl.take_error(), config);
  auto stream = std::make_unique<tls::TlsStream>(std::move(*socket), std::move(*ssl));
  if (auto hs = co_await stream->handshake(options.proxy_tls_timeout, config.host); !hs)
    co_return via_proxy(hs.take_error(), config);
  tunnel.stream = std::make_unique<ProxyTlsStream>(std::move(context), std::move(stream));
  co_return tunnel;
}

asio::awaitable<Result<Tunnel>> open_tunnel(const ProxyConfig& config, const std::string& host, std::uint16_t port,
                                            const TunnelOptions& options) {
  if (host.empty() || port == 0)
    co_return Error(ErrorKind::invalid_argument, "tunnel destination needs a host and a port", "proxy");
  auto connected = co_await connect_to_proxy(config, options);
  if (!connected) co_return connected.take_error();
  Tunnel tunnel = std::move(*connected);

  Result<std::vector<std::uint8_t>> rest = std::vector<std::uint8_t>{};
  if (tunnel.socket) {
    // The handshake borrows the socket as a Stream; the origin's TLS then runs on the bare fd.
    net::TcpStream tcp(std::move(*tunnel.socket));
    rest = co_await handshake(tcp, config, host, port, options);
    tunnel.socket.emplace(std::move(tcp.socket()));
  } else {
    rest = co_await handshake(*tunnel.stream, config, host, port, options);
  }
  if (!rest) co_return rest.take_error();
  if (!rest->empty() && !options.allow_early_bytes)
    co_return proxy_error("proxy " + config.to_string() + " sent " + std::to_string(rest->size()) +
                          " bytes after its reply, before the client spoke");
  tunnel.early_bytes = std::move(*rest);
  co_return tunnel;
}

}  // namespace wraith::proxy
