// Resolution on our side, for proxies that want an address (socks5://): the same overrides and timeout
// as a direct connection.
#pragma once

#include <asio/ip/address.hpp>

#include "net/connect.h"

namespace wraith::proxy {

// The first address for host (an override for "host:port" wins, literals are used as they are).
// ErrorKind::resolve or timeout (phase resolve).
asio::awaitable<Result<asio::ip::address>> resolve_locally(const std::string& host, std::uint16_t port,
                                                           const net::ConnectOptions& options);

}  // namespace wraith::proxy
