#include "dns/resolver.h"

#include <ares.h>

#include <asio/experimental/concurrent_channel.hpp>
#include <asio/this_coro.hpp>

#include <asio/experimental/as_tuple.hpp>
#include <asio/use_awaitable.hpp>

namespace wraith::dns {

namespace {

int rank(const Error& e) {
  switch (e.kind) {
    case ErrorKind::resolve: return e.message.find("NXDOMAIN") != std::string::npos ? 0 : 1;
    case ErrorKind::timeout: return 3;
    case ErrorKind::cancelled: return 4;
    default: return 2;
  }
}

FamilyAnswer answer_with(Family family, std::vector<asio::ip::address> addresses, std::optional<Error> error,
                         Source source) {
  return FamilyAnswer{family, std::move(addresses), std::move(error), source};
}

}  // namespace

Error pick_error(const std::optional<Error>& v6, const std::optional<Error>& v4) {
  if (!v6 && !v4) return Error(ErrorKind::resolve, "could not resolve host (no addresses)", "dns");
  if (!v6) return *v4;
  if (!v4) return *v6;
  return rank(*v6) < rank(*v4) ? *v6 : *v4;
}

Result<std::shared_ptr<Resolver>> Resolver::create(ResolverOptions options) {
  std::shared_ptr<Resolver> resolver(new Resolver(options));
  auto worker = AresWorker::create(options.dns, [r = resolver.get()](const std::string& host, Family family,
                                                                     const QueryOutcome& outcome) {
    r->remember(host, family, outcome);
  });
  if (!worker) return worker.take_error();
  resolver->worker_ = std::move(*worker);
  return resolver;
}

Result<std::shared_ptr<Resolver>> Resolver::shared_default() {
  static const Result<std::shared_ptr<Resolver>> instance = create();
  return instance;
}

Resolver::Resolver(ResolverOptions& options)
    : overrides_(std::move(options.overrides)), cache_(options.cache, std::move(options.clock)) {}

void Resolver::remember(const std::string& host, Family family, const QueryOutcome& outcome) {
  std::lock_guard lock(cache_mutex_);
  if (outcome.status == ARES_SUCCESS && !outcome.addresses.empty()) {
    cache_.put(host, family, outcome.addresses, outcome.ttl);
  } else if (outcome.status == ARES_ENOTFOUND || outcome.status == ARES_ENODATA) {
    auto answer = AresWorker::to_answer(host, family, outcome);
    if (answer.error) cache_.put_negative(host, family, *answer.error);
  }
}

void Resolver::clear_cache() {
  std::lock_guard lock(cache_mutex_);
  cache_.clear();
}

std::size_t Resolver::cache_size() const {
  std::lock_guard lock(cache_mutex_);
  return cache_.size();
}

Lookup Resolver::lookup(std::string_view host_in, IpVersion version, Clock::time_point deadline,
                        std::function<void(FamilyAnswer)> on_answer) {
  auto sink = std::make_shared<AnswerSink>(std::move(on_answer));
  const Family families[] = {Family::v6, Family::v4};

  if (auto literal = parse_ip_literal(host_in)) {
    Family own = literal->is_v6() ? Family::v6 : Family::v4;
    for (Family f : families) {
      if (!wants(version, f)) continue;
      if (f == own)
        sink->deliver(answer_with(f, {*literal}, std::nullopt, Source::literal));
      else
        sink->deliver(answer_with(f, {}, Error(ErrorKind::resolve, "address literal is " + std::string(to_string(own)), "dns"),
                                  Source::literal));
    }
    return Lookup(std::move(sink));
  }
  std::string host = normalize_host(host_in);
  if (is_localhost_name(host)) {
    if (wants(version, Family::v6))
      sink->deliver(answer_with(Family::v6, {asio::ip::address_v6::loopback()}, std::nullopt, Source::localhost));
    if (wants(version, Family::v4))
      sink->deliver(answer_with(Family::v4, {asio::ip::address_v4::loopback()}, std::nullopt, Source::localhost));
    return Lookup(std::move(sink));
  }
  if (auto valid = check_host_name(host); !valid) {
    for (Family f : families)
      if (wants(version, f)) sink->deliver(answer_with(f, {}, valid.error(), Source::dns));
    return Lookup(std::move(sink));
  }
  for (Family f : families) {
    if (!wants(version, f)) continue;
    std::optional<HostCache::Entry> hit;
    {
      std::lock_guard lock(cache_mutex_);
      hit = cache_.get(host, f);
    }
    if (hit)
      sink->deliver(answer_with(f, std::move(hit->addresses), std::move(hit->error), Source::cache));
    else
      worker_->submit(host, f, deadline, sink);
  }
  return Lookup(std::move(sink));
}

asio::awaitable<Result<Addresses>> Resolver::resolve(std::string host, std::uint16_t port,
                                                     std::chrono::milliseconds timeout, IpVersion version) {
  if (auto literal = parse_ip_literal(host)) {
    if (!wants(version, literal->is_v6() ? Family::v6 : Family::v4))
      co_return Error(ErrorKind::resolve, "address " + host + " is not of the requested IP version", "dns");
    co_return Addresses{{asio::ip::tcp::endpoint(*literal, port)}, Source::literal};
  }
  if (const auto* fixed = overrides_.find(host, port)) {
    std::vector<asio::ip::address> v6, v4;
    for (const auto& a : *fixed)
      if (wants(version, a.is_v6() ? Family::v6 : Family::v4)) (a.is_v6() ? v6 : v4).push_back(a);
    if (v6.empty() && v4.empty())
      co_return Error(ErrorKind::resolve, "override for " + host + " has no address of the requested IP version", "dns");
    co_return Addresses{interleave(v6, v4, port), Source::override_entry};
  }

  using Channel = asio::experimental::concurrent_channel<void(asio::error_code, FamilyAnswer)>;
  auto channel = std::make_shared<Channel>(co_await asio::this_coro::executor, 2);
  int expected = version == IpVersion::any ? 2 : 1;
  Lookup pending = lookup(host, version, Clock::now() + timeout, [channel](FamilyAnswer answer) {
    channel->try_send(asio::error_code{}, std::move(answer));
  });

  std::vector<asio::ip::address> v6, v4;
  std::optional<Error> e6, e4;
  Source source = Source::cache;
  for (int i = 0; i < expected; ++i) {
    auto [ec, answer] = co_await channel->async_receive(asio::experimental::as_tuple(asio::use_awaitable));
    if (ec) co_return Error(ErrorKind::cancelled, "resolving " + host + " was cancelled", "dns");
    if (answer.source != Source::cache) source = answer.source;
    (answer.family == Family::v6 ? v6 : v4) = std::move(answer.addresses);
    (answer.family == Family::v6 ? e6 : e4) = std::move(answer.error);
  }
  if (v6.empty() && v4.empty()) co_return pick_error(e6, e4);
  co_return Addresses{interleave(v6, v4, port), source};
}

}  // namespace wraith::dns
