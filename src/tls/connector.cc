#include "tls/connector.h"

namespace wraith::tls {

asio::awaitable<Result<std::unique_ptr<TlsStream>>> connect_tls(ClientContext& context, const std::string& host,
                                                                std::uint16_t port, const TlsConnectOptions& options) {
  auto socket = co_await net::connect_tcp(host, port, options.tcp);
  if (!socket) co_return socket.take_error();
  auto ssl = context.new_ssl(host, port);
  if (!ssl) co_return ssl.take_error();
  auto stream = std::make_unique<TlsStream>(std::move(*socket), std::move(*ssl));
  auto handshake = co_await stream->handshake(options.handshake_timeout, host);
  if (!handshake) co_return handshake.take_error();
  co_return std::move(stream);
}

}  // namespace wraith::tls
