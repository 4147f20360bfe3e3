// One request/response exchange over an established connection (h2 stream or HTTP/1.1 connection).
#pragma once

#include <asio/awaitable.hpp>

#include "client/body_sink.h"
#include "client/request_plan.h"
#include "wraith/client.h"

namespace wraith::h2 {
class Connection;
}
namespace wraith::net {
class Stream;
}

namespace wraith::client {

struct ExchangeInput {
  const RequestPlan* plan;
  const std::string* body;      // whole body, or
  const BodySource* body_source;  // streamed body (may be null/empty)
  Timeouts timeouts;
  std::function<void(const std::string&)> wire_log;
  std::uint64_t max_body = UINT64_MAX;
  bool absolute_form = false;  // HTTP/1.1 through an HTTP proxy: the request line carries the whole URL  // an announced Content-Length above this fails before any body byte
};

struct ExchangeHead {
  int status = 0;
  HeaderList headers;
  HeaderList trailers;
  bool connection_reusable = true;  // h1: keep-alive honoured and the body fully read
};

asio::awaitable<Result<ExchangeHead>> exchange_h2(std::shared_ptr<h2::Connection> connection, const ExchangeInput& in,
                                                  BodySink& sink);
asio::awaitable<Result<ExchangeHead>> exchange_h1(net::Stream& stream, const ExchangeInput& in, BodySink& sink);

// The timeout error for a phase.
Error timeout_error(TimeoutPhase phase, const std::string& what);

}  // namespace wraith::client
