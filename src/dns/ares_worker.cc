#include "dns/ares_worker.h"

#include <ares.h>
#include <poll.h>
#include <sys/eventfd.h>
#include <unistd.h>

#include <algorithm>
#include <cstring>
#include <limits>
#include <netinet/in.h>

namespace wraith::dns {

namespace {

// Bounds: a client never needs more concurrent distinct lookups than this; past it, callers get an error
// instead of unbounded queues.
constexpr std::size_t kMaxQueued = 4096;
constexpr std::size_t kMaxInflight = 1024;

ares_channel channel_of(void* p) { return static_cast<ares_channel>(p); }

void init_library_once() {
  static const int status = ares_library_init(ARES_LIB_INIT_ALL);
  (void)status;
}

std::string join_servers(const std::vector<std::string>& servers) {
  std::string csv;
  for (const auto& s : servers) {
    if (!csv.empty()) csv += ',';
    csv += s;
  }
  return csv;
}

Error resolve_error(const std::string& host, const std::string& why) {
  return Error(ErrorKind::resolve, "could not resolve host: " + host + " (" + why + ")", "dns");
}

}  // namespace

FamilyAnswer AresWorker::to_answer(const std::string& host, Family family, const QueryOutcome& outcome) {
  FamilyAnswer answer;
  answer.family = family;
  answer.source = Source::dns;
  switch (outcome.status) {
    case ARES_SUCCESS:
      answer.addresses = outcome.addresses;
      if (answer.addresses.empty())
        answer.error = resolve_error(host, family == Family::v6 ? "no IPv6 address" : "no IPv4 address");
      break;
    case ARES_ENODATA:
      answer.error = resolve_error(host, family == Family::v6 ? "no IPv6 address" : "no IPv4 address");
      break;
    case ARES_ENOTFOUND:
      answer.error = resolve_error(host, "NXDOMAIN");
      break;
    case ARES_ESERVFAIL:
      answer.error = resolve_error(host, "SERVFAIL");
      break;
    case ARES_EREFUSED:
      answer.error = resolve_error(host, "REFUSED");
      break;
    case ARES_ECONNREFUSED:
      answer.error = resolve_error(host, "DNS server unreachable");
      break;
    case ARES_ETIMEOUT: {
      Error e(ErrorKind::timeout, "resolving " + host + " timed out (no answer from the DNS servers)", "dns");
      e.phase = TimeoutPhase::resolve;
      answer.error = std::move(e);
      break;
    }
    case ARES_EDESTRUCTION:
    case ARES_ECANCELLED:
      answer.error = Error(ErrorKind::cancelled, "resolver shut down while resolving " + host, "dns");
      break;
    default:
      answer.error = resolve_error(host, ares_strerror(outcome.status));
      break;
  }
  return answer;
}

Result<std::unique_ptr<AresWorker>> AresWorker::create(AresConfig config, OnDone on_done) {
  init_library_once();
  int wake_fd = ::eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
  if (wake_fd < 0) return Error(ErrorKind::config, std::string("eventfd: ") + std::strerror(errno), "dns");
  std::unique_ptr<AresWorker> worker(new AresWorker(std::move(on_done), wake_fd));

  ares_options options{};
  int mask = ARES_OPT_SOCK_STATE_CB;
  options.sock_state_cb = &AresWorker::on_socket_state;
  options.sock_state_cb_data = worker.get();
  if (config.query_timeout.count() > 0) {
    options.timeout = static_cast<int>(std::min<long long>(config.query_timeout.count(), std::numeric_limits<int>::max()));
    mask |= ARES_OPT_TIMEOUTMS;
  }
  if (config.tries > 0) {
    options.tries = config.tries;
    mask |= ARES_OPT_TRIES;
  }
  ares_channel channel = nullptr;
  if (int status = ares_init_options(&channel, &options, mask); status != ARES_SUCCESS)
    return Error(ErrorKind::config, std::string("c-ares init: ") + ares_strerror(status), "dns");
  worker->channel_ = channel;
  if (!config.servers.empty()) {
    std::string csv = join_servers(config.servers);
    if (int status = ares_set_servers_ports_csv(channel, csv.c_str()); status != ARES_SUCCESS)
      return Error(ErrorKind::config, "bad DNS server list '" + csv + "': " + ares_strerror(status), "dns");
  }
  worker->thread_ = std::thread([w = worker.get()] { w->run(); });
  return worker;
}

AresWorker::AresWorker(OnDone on_done, int wake_fd) : on_done_(std::move(on_done)), wake_fd_(wake_fd) {}

AresWorker::~AresWorker() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  wake();
  if (thread_.joinable()) thread_.join();
  // ares_destroy runs every pending callback with ARES_EDESTRUCTION, so each waiter still hears an answer.
  if (channel_) ares_destroy(channel_of(channel_));
  for (auto& request : queue_)
    request.sink->deliver(to_answer(request.host, request.family, QueryOutcome{ARES_EDESTRUCTION, {}, {}}));
  ::close(wake_fd_);
}

void AresWorker::wake() {
  std::uint64_t one = 1;
  ssize_t n = ::write(wake_fd_, &one, sizeof one);
  (void)n;  // a full counter already means "wake up"
}

void AresWorker::submit(std::string host, Family family, Clock::time_point deadline, std::shared_ptr<AnswerSink> sink) {
  {
    std::lock_guard lock(mutex_);
    if (!stopping_ && queue_.size() < kMaxQueued) {
      queue_.push_back(Request{std::move(host), family, deadline, std::move(sink)});
      if (queue_.size() == 1) wake();
      return;
    }
  }
  FamilyAnswer answer{family, {}, Error(ErrorKind::too_large, "too many DNS lookups queued for " + host, "dns"), Source::dns};
  sink->deliver(std::move(answer));
}

void AresWorker::on_socket_state(void* data, int fd, int readable, int writable) {
  auto* self = static_cast<AresWorker*>(data);
  short events = static_cast<short>((readable ? POLLIN : 0) | (writable ? POLLOUT : 0));
  if (events == 0)
    self->sockets_.erase(fd);
  else
    self->sockets_[fd] = events;
}

void AresWorker::start(Request request) {
  Key key{request.host, request.family};
  if (auto it = inflight_.find(key); it != inflight_.end()) {
    it->second->waiting.push_back(Waiting{request.deadline, std::move(request.sink)});
    return;
  }
  if (inflight_.size() >= kMaxInflight) {
    request.sink->deliver(FamilyAnswer{request.family, {},
                                       Error(ErrorKind::too_large, "too many DNS lookups in flight", "dns"), Source::dns});
    return;
  }
  auto query = std::make_unique<Query>(Query{this, request.host, request.family, {}});
  query->waiting.push_back(Waiting{request.deadline, std::move(request.sink)});
  Query* raw = query.get();
  inflight_.emplace(key, std::move(query));
  ares_addrinfo_hints hints{};
  hints.ai_family = request.family == Family::v6 ? AF_INET6 : AF_INET;
  // We order addresses ourselves (RFC 8305 interleaving); c-ares' RFC 6724 sort would cost a UDP
  // connect() per address for nothing.
  hints.ai_flags = ARES_AI_NOSORT;
  hints.ai_socktype = SOCK_STREAM;
  // May call on_addrinfo before returning (hosts file, bad name): `raw` is not touched afterwards.
  ares_getaddrinfo(channel_of(channel_), raw->host.c_str(), nullptr, &hints, &AresWorker::on_addrinfo, raw);
}

void AresWorker::on_addrinfo(void* arg, int status, int /*timeouts*/, ares_addrinfo* result) {
  auto* query = static_cast<Query*>(arg);
  QueryOutcome outcome;
  outcome.status = status;
  if (status == ARES_SUCCESS && result) {
    int ttl = std::numeric_limits<int>::max();
    for (auto* node = result->nodes; node; node = node->ai_next) {
      ttl = std::min(ttl, node->ai_ttl);
      if (node->ai_family == AF_INET && node->ai_addrlen >= sizeof(sockaddr_in)) {
        auto* sin = reinterpret_cast<const sockaddr_in*>(node->ai_addr);
        asio::ip::address_v4::bytes_type bytes;
        std::memcpy(bytes.data(), &sin->sin_addr, bytes.size());
        outcome.addresses.emplace_back(asio::ip::address_v4(bytes));
      } else if (node->ai_family == AF_INET6 && node->ai_addrlen >= sizeof(sockaddr_in6)) {
        auto* sin6 = reinterpret_cast<const sockaddr_in6*>(node->ai_addr);
        asio::ip::address_v6::bytes_type bytes;
        std::memcpy(bytes.data(), &sin6->sin6_addr, bytes.size());
        outcome.addresses.emplace_back(asio::ip::address_v6(bytes, sin6->sin6_scope_id));
      }
    }
    for (auto* cname = result->cnames; cname; cname = cname->next) ttl = std::min(ttl, cname->ttl);
    outcome.ttl = std::chrono::seconds(outcome.addresses.empty() ? 0 : std::max(ttl, 0));
    // Duplicates (same record via two paths) would only cost a wasted connection attempt.
    std::vector<asio::ip::address> unique;
    for (auto& a : outcome.addresses)
      if (std::find(unique.begin(), unique.end(), a) == unique.end()) unique.push_back(a);
    outcome.addresses = std::move(unique);
  }
  if (result) ares_freeaddrinfo(result);
  query->owner->finish(query, std::move(outcome));
}

void AresWorker::finish(Query* query, QueryOutcome outcome) {
  if (on_done_) on_done_(query->host, query->family, outcome);
  FamilyAnswer answer = to_answer(query->host, query->family, outcome);
  auto node = inflight_.extract(Key{query->host, query->family});
  for (auto& waiting : query->waiting) waiting.sink->deliver(answer);
}

void AresWorker::expire_waiters(Clock::time_point now) {
  for (auto& [key, query] : inflight_) {
    auto& waiting = query->waiting;
    for (auto it = waiting.begin(); it != waiting.end();) {
      if (it->deadline <= now || it->sink->cancelled()) {
        if (it->deadline <= now) {
          it->sink->deliver(to_answer(query->host, query->family, QueryOutcome{ARES_ETIMEOUT, {}, {}}));
        }
        it = waiting.erase(it);
      } else {
        ++it;
      }
    }
    // The query itself runs on: its answer still fills the cache for the next caller.
  }
}

int AresWorker::poll_timeout_ms(Clock::time_point now) {
  timeval tv{};
  long long ms = -1;
  if (timeval* t = ares_timeout(channel_of(channel_), nullptr, &tv))
    ms = static_cast<long long>(t->tv_sec) * 1000 + (t->tv_usec + 999) / 1000;
  for (auto& [key, query] : inflight_)
    for (auto& waiting : query->waiting) {
      auto left = std::chrono::ceil<std::chrono::milliseconds>(waiting.deadline - now).count();
      left = std::max<long long>(left, 0);
      if (ms < 0 || left < ms) ms = left;
    }
  return static_cast<int>(std::min<long long>(ms, 60'000));
}

void AresWorker::run() {
  std::vector<pollfd> fds;
  std::deque<Request> batch;
  while (true) {
    {
      std::lock_guard lock(mutex_);
      if (stopping_) return;
      batch.swap(queue_);
    }
    for (auto& request : batch) start(std::move(request));
    batch.clear();
    expire_waiters(Clock::now());

    fds.clear();
    fds.push_back(pollfd{wake_fd_, POLLIN, 0});
    for (auto [fd, events] : sockets_) fds.push_back(pollfd{fd, events, 0});
    int ready = ::poll(fds.data(), fds.size(), poll_timeout_ms(Clock::now()));
    if (ready < 0 && errno != EINTR) ready = 0;
    if (fds[0].revents & POLLIN) {
      std::uint64_t count;
      ssize_t n = ::read(wake_fd_, &count, sizeof count);
      (void)n;
    }
    bool processed = false;
    for (std::size_t i = 1; i < fds.size(); ++i) {
      short re = fds[i].revents;
      if (re == 0) continue;
      ares_socket_t r = (re & (POLLIN | POLLERR | POLLHUP)) ? fds[i].fd : ARES_SOCKET_BAD;
      ares_socket_t w = (re & (POLLOUT | POLLERR | POLLHUP)) ? fds[i].fd : ARES_SOCKET_BAD;
      ares_process_fd(channel_of(channel_), r, w);
      processed = true;
    }
    // Also runs c-ares' retransmissions and timeouts.
    if (!processed) ares_process_fd(channel_of(channel_), ARES_SOCKET_BAD, ARES_SOCKET_BAD);
  }
}

}  // namespace wraith::dns
