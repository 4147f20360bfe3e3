// Connections keyed by (scheme, host, port, profile, proxy). h2: one multiplexed connection per key
// (another only when it is saturated or draining); HTTP/1.1: up to N per key, like Chrome's 6.
// Lives on the client's executor only: no locks.
#pragma once

#include <chrono>
#include <deque>
#include <functional>
#include <map>
#include <optional>
#include <memory>
#include <string>
#include <variant>
#include <vector>

#include <asio/steady_timer.hpp>

#include "h2/driver/connection.h"
#include "net/stream.h"
#include "wraith/error.h"

namespace wraith::client {

struct H1Connection {
  std::unique_ptr<net::Stream> stream;
  std::chrono::steady_clock::time_point idle_since;
  bool reused = false;
};

struct Lease {
  std::shared_ptr<h2::Connection> h2;  // or
  std::unique_ptr<H1Connection> h1;
  bool reused = false;
  double connect_ms = 0;
};

class Pool {
 public:
  // Opens a new transport for key; ALPN on the result decides h2 vs HTTP/1.1.
  using Connector = std::function<asio::awaitable<Result<std::unique_ptr<net::Stream>>>()>;
  using H2Factory = std::function<std::shared_ptr<h2::Connection>(std::unique_ptr<net::Stream>)>;

  Pool(asio::any_io_executor executor, std::size_t max_h1_per_key, std::chrono::milliseconds idle_timeout);

  // force_h1: the transport will not speak h2 (plain http or --http1.1). h2_prior_knowledge: h2c.
  // fresh: open a new connection even when one could be reused (it joins the pool afterwards), like
  // libcurl's FRESH_CONNECT; this is how a resumed TLS hello is produced on purpose.
  asio::awaitable<Result<Lease>> acquire(const std::string& key, const Connector& connect, const H2Factory& make_h2,
                                         bool h2_prior_knowledge, std::chrono::milliseconds timeout, bool fresh = false);
  // The acquire() fast path without a coroutine: the key's h2 connection when it can take another stream.
  std::optional<Lease> ready_h2(const std::string& key);
  // Gives an HTTP/1.1 connection back (reusable) or drops it.
  void release(const std::string& key, std::unique_ptr<H1Connection> connection, bool reusable);
  std::size_t connection_count() const;
  void close_all();

 private:
  struct Entry {
    std::vector<std::shared_ptr<h2::Connection>> h2;
    std::deque<std::unique_ptr<H1Connection>> idle;
    std::size_t h1_total = 0;     // idle + leased
    std::size_t connecting = 0;   // transports being set up
    bool protocol_known = false;  // ALPN seen once: waiters need not open their own connection
    bool is_h2 = false;
  };
  std::shared_ptr<h2::Connection> usable_h2(Entry& entry);
  void wake_waiters();

  asio::any_io_executor executor_;
  std::size_t max_h1_;
  std::chrono::milliseconds idle_timeout_;
  std::map<std::string, Entry> entries_;
  std::vector<asio::steady_timer*> waiters_;  // acquirers waiting for capacity or protocol knowledge
};

}  // namespace wraith::client
