// The c-ares channel and the thread that drives it.
//
// Why a thread of its own rather than c-ares sockets watched by the caller's asio loop: c-ares 1.18 channels
// are not thread-safe, while one Resolver serves every loop of a client; a single owner thread keeps the
// channel lock-free and single-owned (requests arrive by message). It waits with level-triggered poll(),
// which cannot lose a readiness edge the way an asio descriptor wait on foreign fds under edge-triggered
// epoll can, and it keeps every c-ares call (including /etc/hosts reads) off the callers' event loops.
#pragma once

#include <atomic>
#include <deque>
#include <map>
#include <memory>
#include <mutex>
#include <thread>

#include "dns/types.h"

struct ares_addrinfo;

namespace wraith::dns {

// Where answers go. deliver() may run on the worker thread; cancel() guarantees no later delivery,
// so the receiver may be destroyed right after it returns.
class AnswerSink {
 public:
  explicit AnswerSink(std::function<void(FamilyAnswer)> fn) : fn_(std::move(fn)) {}
  void deliver(FamilyAnswer answer) {
    std::lock_guard lock(mutex_);
    if (fn_) fn_(std::move(answer));
  }
  void cancel() {
    std::lock_guard lock(mutex_);
    fn_ = nullptr;
  }
  bool cancelled() {
    std::lock_guard lock(mutex_);
    return !fn_;
  }

 private:
  std::mutex mutex_;
  std::function<void(FamilyAnswer)> fn_;
};

struct AresConfig {
  // "ip", "ip:port" or "[ipv6]:port"; empty means the servers of /etc/resolv.conf.
  std::vector<std::string> servers;
  std::chrono::milliseconds query_timeout{0};  // per try; 0 keeps c-ares' (resolv.conf "options timeout")
  int tries = 0;                               // 0 keeps c-ares' (resolv.conf "options attempts")
};

// What one finished c-ares query produced, before it is turned into a FamilyAnswer.
struct QueryOutcome {
  int status = 0;  // ARES_* status
  std::vector<asio::ip::address> addresses;
  std::chrono::seconds ttl{0};  // smallest TTL over the answer's records (CNAMEs included)
};

class AresWorker {
 public:
  // Runs on the worker thread for every finished query, even one whose waiters all gave up (so the
  // answer can still be cached).
  using OnDone = std::function<void(const std::string& host, Family family, const QueryOutcome& outcome)>;

  static Result<std::unique_ptr<AresWorker>> create(AresConfig config, OnDone on_done);
  ~AresWorker();
  AresWorker(const AresWorker&) = delete;
  AresWorker& operator=(const AresWorker&) = delete;

  // Queues a lookup of one family. Concurrent lookups of the same (host, family) share one query.
  // The sink hears exactly one answer for this family unless cancelled: the query's, or a timeout at deadline.
  void submit(std::string host, Family family, Clock::time_point deadline, std::shared_ptr<AnswerSink> sink);

  // Maps a c-ares outcome to an answer with a typed error ("could not resolve host: x (NXDOMAIN)").
  static FamilyAnswer to_answer(const std::string& host, Family family, const QueryOutcome& outcome);

 private:
  struct Waiting {
    Clock::time_point deadline;
    std::shared_ptr<AnswerSink> sink;
  };
  struct Query {
    AresWorker* owner;
    std::string host;
    Family family;
    std::vector<Waiting> waiting;
  };
  struct Request {
    std::string host;
    Family family;
    Clock::time_point deadline;
    std::shared_ptr<AnswerSink> sink;
  };
  using Key = std::pair<std::string, Family>;

  AresWorker(OnDone on_done, int wake_fd);
  void run();
  void start(Request request);
  void expire_waiters(Clock::time_point now);
  int poll_timeout_ms(Clock::time_point now);
  void finish(Query* query, QueryOutcome outcome);
  void wake();
  static void on_socket_state(void* data, int fd, int readable, int writable);
  static void on_addrinfo(void* arg, int status, int timeouts, ::ares_addrinfo* result);

  OnDone on_done_;
  int wake_fd_;
  void* channel_ = nullptr;  // ares_channel, kept opaque so callers need no c-ares header
  std::map<int, short> sockets_;  // fd -> poll events c-ares wants (worker thread only)
  std::map<Key, std::unique_ptr<Query>> inflight_;  // worker thread only

  std::mutex mutex_;  // guards queue_ and stopping_
  std::deque<Request> queue_;
  bool stopping_ = false;
  std::thread thread_;
};

}  // namespace wraith::dns
