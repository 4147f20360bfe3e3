// Resolver: one per client, shared by all its connections and threads. Answers in this order of precedence:
// IP literals, "localhost" (RFC 6761, never queried), --resolve overrides, the TTL cache, then c-ares
// (A and AAAA as two parallel queries, honouring /etc/hosts and /etc/resolv.conf as c-ares does).
#pragma once

#include <memory>
#include <mutex>

#include <asio/awaitable.hpp>

#include "dns/ares_worker.h"
#include "dns/cache.h"
#include "dns/overrides.h"
#include "dns/types.h"

namespace wraith::dns {

struct ResolverOptions {
  AresConfig dns;        // servers (default /etc/resolv.conf), per-try timeout, tries
  CacheOptions cache;    // TTL clamps, negative TTL, entry bound
  Overrides overrides;   // host:port -> addresses, bypassing DNS
  ClockFn clock;         // cache time source; default steady_clock::now
};

// An in-progress lookup. Dropping or cancel()ing it guarantees the callback will not run afterwards.
class Lookup {
 public:
  Lookup() = default;
  explicit Lookup(std::shared_ptr<AnswerSink> sink) : sink_(std::move(sink)) {}
  Lookup(Lookup&&) = default;
  Lookup& operator=(Lookup&& other) noexcept {
    cancel();
    sink_ = std::move(other.sink_);
    return *this;
  }
  ~Lookup() { cancel(); }
  void cancel() {
    if (sink_) sink_->cancel();
    sink_.reset();
  }

 private:
  std::shared_ptr<AnswerSink> sink_;
};

class Resolver {
 public:
  static Result<std::shared_ptr<Resolver>> create(ResolverOptions options = {});
  // A process-wide resolver on the system configuration, for callers that bring none.
  static Result<std::shared_ptr<Resolver>> shared_default();

  // Resolves host for port: endpoints IPv6-first, families interleaved (RFC 8305 §4). Succeeds if either
  // family has an address. Errors: resolve ("could not resolve host: x (NXDOMAIN)"), timeout (phase
  // resolve) when no family answered within `timeout`, cancelled when the awaiting operation is cancelled.
  // The resolver must outlive the returned awaitable.
  asio::awaitable<Result<Addresses>> resolve(std::string host, std::uint16_t port, std::chrono::milliseconds timeout,
                                             IpVersion version = IpVersion::any);

  // Per-family lookup for Happy Eyeballs: on_answer runs exactly once per requested family (unless the
  // Lookup is cancelled first), either before lookup() returns (literal, localhost, cache, bad name) or
  // later on the resolver's thread. A family still unanswered at `deadline` is answered with a timeout.
  Lookup lookup(std::string_view host, IpVersion version, Clock::time_point deadline,
                std::function<void(FamilyAnswer)> on_answer);

  const Overrides& overrides() const { return overrides_; }
  void clear_cache();
  std::size_t cache_size() const;

 private:
  explicit Resolver(ResolverOptions& options);
  void remember(const std::string& host, Family family, const QueryOutcome& outcome);

  Overrides overrides_;
  mutable std::mutex cache_mutex_;
  HostCache cache_;
  std::unique_ptr<AresWorker> worker_;  // last: destroyed first, so no answer lands in a dead cache
};

// The error to report when no family produced an address: a definitive DNS answer beats a timeout.
Error pick_error(const std::optional<Error>& v6, const std::optional<Error>& v4);

}  // namespace wraith::dns
