// TCP connect + TLS handshake with a profile's context: the one call the client and CLI need.
#pragma once

#include <memory>

#include "net/connect.h"
#include "tls/client_context.h"
#include "tls/tls_stream.h"

namespace wraith::tls {

struct TlsConnectOptions {
  net::ConnectOptions tcp;
  std::chrono::milliseconds handshake_timeout{30000};
};

asio::awaitable<Result<std::unique_ptr<TlsStream>>> connect_tls(ClientContext& context, const std::string& host,
                                                                std::uint16_t port, const TlsConnectOptions& options);

}  // namespace wraith::tls
