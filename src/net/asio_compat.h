// Asio 1.22 (Debian 12) keeps as_tuple under experimental; one name for "await and get (ec, value...)".
#pragma once

#include <asio/experimental/as_tuple.hpp>
#include <asio/use_awaitable.hpp>

namespace wraith::net {

inline constexpr auto use_tuple = asio::experimental::as_tuple(asio::use_awaitable);

}  // namespace wraith::net
