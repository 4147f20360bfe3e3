#include "dns/happy_eyeballs.h"

#include <deque>

#include <asio/experimental/as_tuple.hpp>
#include <asio/experimental/concurrent_channel.hpp>
#include <asio/steady_timer.hpp>
#include <asio/this_coro.hpp>
#include <asio/use_awaitable.hpp>

namespace wraith::dns {

namespace {

using tcp = asio::ip::tcp;
using std::chrono::milliseconds;

// Everything that can happen during a race arrives as one of these on a single channel, so the race
// itself is a plain loop with no shared state: callbacks only send, the loop alone touches sockets.
struct Event {
  enum class Kind : std::uint8_t { answer, attempt_done, attempt_timer, resolution_timer, connect_deadline };
  Kind kind = Kind::answer;
  FamilyAnswer answer;
  std::size_t index = 0;
  asio::error_code ec;
  std::uint64_t generation = 0;
};
// Thread-safe: answers are sent from the resolver's thread.
using EventChannel = asio::experimental::concurrent_channel<void(asio::error_code, Event)>;

std::string endpoint_text(const tcp::endpoint& ep) {
  std::string address = ep.address().to_string();
  if (ep.address().is_v6()) address = "[" + address + "]";
  return address + ":" + std::to_string(ep.port());
}

class Race {
 public:
  Race(asio::any_io_executor ex, std::string host, std::uint16_t port, const HappyEyeballsOptions& options)
      : ex_(ex),
        channel_(std::make_shared<EventChannel>(ex, kChannelCapacity)),
        host_(std::move(host)),
        port_(port),
        options_(options),
        attempt_timer_(ex),
        resolution_timer_(ex),
        connect_deadline_(ex),
        began_(Clock::now()) {
    if (options_.trace) options_.trace->clear();
  }

  ~Race() {
    // Losers and timers complete later with operation_aborted into a channel nobody reads: harmless.
    for (auto& attempt : attempts_)
      if (attempt.socket) {
        asio::error_code ignored;
        attempt.socket->close(ignored);
      }
  }

  std::shared_ptr<EventChannel> channel() const { return channel_; }

  void add_endpoints(const std::vector<tcp::endpoint>& endpoints) {
    for (const auto& ep : endpoints) queue_of(ep.address().is_v6() ? Family::v6 : Family::v4).push_back(ep);
  }
  void expect_answer(Family family) { dns_pending_[index_of(family)] = true; }
  void keep_lookup(Lookup lookup) { lookup_ = std::move(lookup); }

  asio::awaitable<Result<tcp::socket>> run() {
    while (true) {
      start_attempts();
      if (finished()) co_return failure();
      auto [ec, event] = co_await channel_->async_receive(asio::experimental::as_tuple(asio::use_awaitable));
      if (ec) co_return Error(ErrorKind::cancelled, "connecting to " + target() + " was cancelled", "net");
      switch (event.kind) {
        case Event::Kind::answer:
          on_answer(std::move(event.answer));
          break;
        case Event::Kind::resolution_timer:
          resolution_wait_ = false;
          break;
        case Event::Kind::attempt_timer:
          if (event.generation == attempt_generation_) start_now_ = true;
          break;
        case Event::Kind::connect_deadline: {
          Error e(ErrorKind::timeout,
                  "connecting to " + target() + " timed out after " + std::to_string(options_.connect_timeout.count()) +
                      " ms" + tried_suffix(),
                  "net");
          e.phase = TimeoutPhase::connect;
          co_return e;
        }
        case Event::Kind::attempt_done: {
          auto& attempt = attempts_.at(event.index);
          attempt.in_flight = false;
          --in_flight_;
          record_finish(event.index, event.ec ? event.ec.message() : "connected");
          if (!event.ec) co_return win(event.index);
          attempt.failure = event.ec.message();
          attempt.socket.reset();
          start_now_ = true;  // RFC 8305 §5: a failed attempt does not wait out the delay
          break;
        }
      }
    }
  }

 private:
  static constexpr std::size_t kChannelCapacity = 256;  // > every event one race can produce (attempts are capped)

  struct Attempt {
    tcp::endpoint endpoint;
    std::unique_ptr<tcp::socket> socket;
    bool in_flight = false;
    std::string failure;
  };

  static std::size_t index_of(Family f) { return f == Family::v6 ? 0 : 1; }
  std::deque<tcp::endpoint>& queue_of(Family f) { return queues_[index_of(f)]; }
  std::string target() const { return host_ + ":" + std::to_string(port_); }
  bool dns_pending() const { return dns_pending_[0] || dns_pending_[1]; }
  bool queued() const {
    return attempts_.size() < options_.max_attempts && (!queues_[0].empty() || !queues_[1].empty());
  }
  bool finished() const { return in_flight_ == 0 && !queued() && !dns_pending(); }

  void arm(asio::steady_timer& timer, milliseconds after, Event::Kind kind, std::uint64_t generation = 0) {
    timer.expires_after(after);
    timer.async_wait([ch = channel_, kind, generation](asio::error_code ec) {
      if (ec == asio::error::operation_aborted) return;
      Event event;
      event.kind = kind;
      event.generation = generation;
      ch->try_send(asio::error_code{}, std::move(event));
    });
  }

  void on_answer(FamilyAnswer answer) {
    std::size_t i = index_of(answer.family);
    if (!dns_pending_[i]) return;
    dns_pending_[i] = false;
    dns_error_[i] = std::move(answer.error);
    for (const auto& address : answer.addresses) {
      tcp::endpoint ep(address, port_);
      bool seen = false;
      for (const auto& a : attempts_) seen = seen || a.endpoint == ep;
      for (const auto& q : queue_of(answer.family)) seen = seen || q == ep;
      if (!seen) queue_of(answer.family).push_back(ep);
    }
    if (answer.family == Family::v6) {
      resolution_wait_ = false;
      resolution_timer_.cancel();
    } else if (dns_pending_[index_of(Family::v6)] && attempts_.empty() && !queue_of(Family::v4).empty() &&
               options_.resolution_delay.count() > 0) {
      // RFC 8305 §3: A came first; give AAAA a moment so IPv6 keeps its head start.
      resolution_wait_ = true;
      arm(resolution_timer_, options_.resolution_delay, Event::Kind::resolution_timer);
    }
  }

  Family pick_family() const {
    bool has6 = !queues_[0].empty(), has4 = !queues_[1].empty();
    if (last_family_ == Family::v6 && has4) return Family::v4;
    if (last_family_ == Family::v4 && has6) return Family::v6;
    return has6 ? Family::v6 : Family::v4;
  }

  void start_attempts() {
    while (!resolution_wait_ && queued() && (in_flight_ == 0 || start_now_)) {
      start_now_ = false;
      Family family = pick_family();
      tcp::endpoint ep = queue_of(family).front();
      queue_of(family).pop_front();
      last_family_ = family;
      std::size_t index = attempts_.size();
      attempts_.push_back(Attempt{ep, std::make_unique<tcp::socket>(ex_), false, {}});
      if (options_.trace)
        options_.trace->push_back(AttemptRecord{ep, elapsed(), milliseconds(-1), {}});
      if (index == 0) arm(connect_deadline_, options_.connect_timeout, Event::Kind::connect_deadline);
      auto& attempt = attempts_.back();
      asio::error_code ec;
      attempt.socket->open(ep.protocol(), ec);
      if (ec) {  // e.g. no IPv6 on this host: fails like a refused attempt, the next starts at once
        attempt.failure = ec.message();
        attempt.socket.reset();
        record_finish(index, ec.message());
        start_now_ = true;
        continue;
      }
      attempt.in_flight = true;
      ++in_flight_;
      attempt.socket->async_connect(ep, [ch = channel_, index](asio::error_code ec) {
        Event event;
        event.kind = Event::Kind::attempt_done;
        event.index = index;
        event.ec = ec;
        ch->try_send(asio::error_code{}, std::move(event));
      });
      ++attempt_generation_;
      arm(attempt_timer_, options_.attempt_delay, Event::Kind::attempt_timer, attempt_generation_);
    }
  }

  tcp::socket win(std::size_t index) {
    tcp::socket socket = std::move(*attempts_[index].socket);
    attempts_[index].socket.reset();
    for (std::size_t i = 0; i < attempts_.size(); ++i) {
      auto& attempt = attempts_[i];
      if (!attempt.socket) continue;
      asio::error_code ignored;
      attempt.socket->close(ignored);
      attempt.socket.reset();
      if (attempt.in_flight) record_finish(i, "cancelled");
    }
    return socket;
  }

  std::string tried_suffix() const {
    std::string out;
    for (const auto& attempt : attempts_) {
      out += out.empty() ? " (" : ", ";
      out += endpoint_text(attempt.endpoint) + ": " + (attempt.failure.empty() ? "no answer" : attempt.failure);
    }
    return out.empty() ? out : out + ")";
  }

  Error failure() const {
    if (attempts_.empty()) {
      if (dns_error_[0] || dns_error_[1]) return pick_error(dns_error_[0], dns_error_[1]);
      return Error(ErrorKind::connect, "could not connect to " + target() + ": no address to try", "net");
    }
    return Error(ErrorKind::connect, "could not connect to " + target() + tried_suffix(), "net");
  }

  milliseconds elapsed() const { return std::chrono::duration_cast<milliseconds>(Clock::now() - began_); }
  void record_finish(std::size_t index, std::string outcome) {
    if (!options_.trace || index >= options_.trace->size()) return;
    auto& record = (*options_.trace)[index];
    record.finished = elapsed();
    record.outcome = std::move(outcome);
  }

  asio::any_io_executor ex_;
  std::shared_ptr<EventChannel> channel_;
  std::string host_;
  std::uint16_t port_;
  HappyEyeballsOptions options_;
  asio::steady_timer attempt_timer_, resolution_timer_, connect_deadline_;
  Clock::time_point began_;
  Lookup lookup_;  // cancelled when the race ends, so no late answer is sent

  std::deque<tcp::endpoint> queues_[2];  // not yet tried, per family (v6, v4)
  bool dns_pending_[2] = {false, false};
  std::optional<Error> dns_error_[2];
  bool resolution_wait_ = false;
  bool start_now_ = false;
  std::optional<Family> last_family_;
  std::vector<Attempt> attempts_;
  std::size_t in_flight_ = 0;
  std::uint64_t attempt_generation_ = 0;
};

}  // namespace

asio::awaitable<Result<tcp::socket>> connect_endpoints(std::vector<tcp::endpoint> endpoints, std::string host,
                                                       HappyEyeballsOptions options) {
  std::uint16_t port = endpoints.empty() ? 0 : endpoints.front().port();
  std::vector<tcp::endpoint> usable;
  for (auto& ep : endpoints)
    if (wants(options.ip_version, ep.address().is_v6() ? Family::v6 : Family::v4)) usable.push_back(ep);
  Race race(co_await asio::this_coro::executor, std::move(host), port, options);
  race.add_endpoints(usable);
  co_return co_await race.run();
}

asio::awaitable<Result<tcp::socket>> connect_host(Resolver& resolver, std::string host, std::uint16_t port,
                                                  HappyEyeballsOptions options) {
  Race race(co_await asio::this_coro::executor, host, port, options);
  for (Family f : {Family::v6, Family::v4})
    if (wants(options.ip_version, f)) race.expect_answer(f);
  auto channel = race.channel();
  race.keep_lookup(resolver.lookup(host, options.ip_version, Clock::now() + options.resolve_timeout,
                                   [channel](FamilyAnswer answer) {
                                     Event event;
                                     event.kind = Event::Kind::answer;
                                     event.answer = std::move(answer);
                                     channel->try_send(asio::error_code{}, std::move(event));
                                   }));
  co_return co_await race.run();
}

}  // namespace wraith::dns
