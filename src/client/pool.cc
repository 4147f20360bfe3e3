#include "client/pool.h"

#include "net/asio_compat.h"

namespace wraith::client {

namespace {
// Streams one h2 connection carries before we open another (Chrome opens a second only when saturated).
constexpr std::size_t kMaxStreamsPerH2 = 1000;
}  // namespace

Pool::Pool(asio::any_io_executor executor, std::size_t max_h1_per_key, std::chrono::milliseconds idle_timeout)
    : executor_(executor), max_h1_(max_h1_per_key), idle_timeout_(idle_timeout) {}

std::shared_ptr<h2::Connection> Pool::usable_h2(Entry& entry) {
  std::erase_if(entry.h2, [](const auto& c) { return c->closed(); });
  for (auto& c : entry.h2)
    if (c->accepts_requests() && c->load() < kMaxStreamsPerH2) return c;
  return nullptr;
}

std::optional<Lease> Pool::ready_h2(const std::string& key) {
  auto it = entries_.find(key);
  if (it == entries_.end()) return std::nullopt;
  if (auto c = usable_h2(it->second)) return Lease{c, nullptr, true, 0};
  return std::nullopt;
}

void Pool::wake_waiters() {
  for (auto* waiter : waiters_) waiter->cancel();
}

asio::awaitable<Result<Lease>> Pool::acquire(const std::string& key, const Connector& connect, const H2Factory& make_h2,
                                             bool h2_prior_knowledge, std::chrono::milliseconds timeout, bool fresh) {
  auto deadline = std::chrono::steady_clock::now() + timeout;
  for (;;) {
    if (!fresh)
      if (auto ready = ready_h2(key)) co_return std::move(*ready);
    Entry& entry = entries_[key];
    auto now = std::chrono::steady_clock::now();
    while (!fresh && !entry.idle.empty()) {
      auto conn = std::move(entry.idle.front());
      entry.idle.pop_front();
      if (now - conn->idle_since < idle_timeout_) {
        conn->reused = true;
        co_return Lease{nullptr, std::move(conn), true, 0};
      }
      --entry.h1_total;  // idled out: dropped
    }
    // While the first connection to an origin is being set up we do not know whether it will be h2;
    // Chrome waits for it instead of opening more.
    const bool wait_for_protocol = !fresh && entry.connecting > 0 && (!entry.protocol_known || entry.is_h2);
    const bool at_capacity = entry.h1_total + entry.connecting >= max_h1_;
    if (wait_for_protocol || at_capacity) {
      if (std::chrono::steady_clock::now() >= deadline) {
        Error e(ErrorKind::timeout, "no connection became available for " + key, "client");
        e.phase = TimeoutPhase::pool_acquire;
        co_return e;
      }
      // Wake on a pool change or the deadline, whichever comes first.
      asio::steady_timer wait(executor_, deadline);
      waiters_.push_back(&wait);
      (void)co_await wait.async_wait(net::use_tuple);
      std::erase(waiters_, &wait);
      continue;
    }
    ++entry.connecting;
    auto started = std::chrono::steady_clock::now();
    auto stream = co_await connect();
    double connect_ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - started).count();
    Entry& after = entries_[key];
    --after.connecting;
    if (!stream) {
      wake_waiters();
      co_return stream.take_error();
    }
    bool h2 = h2_prior_knowledge || (*stream)->alpn() == "h2";
    after.protocol_known = true;
    after.is_h2 = h2;
    if (h2) {
      auto conn = make_h2(std::move(*stream));
      after.h2.push_back(conn);
      wake_waiters();
      co_return Lease{conn, nullptr, false, connect_ms};
    }
    ++after.h1_total;
    wake_waiters();
    co_return Lease{nullptr, std::make_unique<H1Connection>(H1Connection{std::move(*stream), {}, false}), false, connect_ms};
  }
}

void Pool::release(const std::string& key, std::unique_ptr<H1Connection> connection, bool reusable) {
  Entry& entry = entries_[key];
  if (reusable && connection) {
    connection->idle_since = std::chrono::steady_clock::now();
    entry.idle.push_back(std::move(connection));
  } else {
    if (connection) connection->stream->close();
    if (entry.h1_total) --entry.h1_total;
  }
  wake_waiters();
}

std::size_t Pool::connection_count() const {
  std::size_t n = 0;
  for (const auto& [key, e] : entries_) n += e.h2.size() + e.h1_total;
  return n;
}

void Pool::close_all() {
  for (auto& [key, e] : entries_) {
    for (auto& c : e.h2) c->close(Error(ErrorKind::cancelled, "client shut down", "client"));
    for (auto& c : e.idle) c->stream->close();
  }
  entries_.clear();
  wake_waiters();
}

}  // namespace wraith::client
