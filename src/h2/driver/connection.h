// The HTTP/2 connection driver: one per connection, owning the socket and the sans-IO ClientSession.
// Everything runs on one executor (no locks): callers submit through the session on that executor, then
// call flush(); all frames queued in one loop turn leave in one write.
#pragma once

#include <functional>
#include <memory>
#include <string_view>

#include <asio/steady_timer.hpp>

#include "h2/session.h"
#include "net/signal.h"
#include "net/stream.h"

namespace wraith::h2 {

class Connection : public std::enable_shared_from_this<Connection> {
 public:
  Connection(std::unique_ptr<net::Stream> stream, SessionConfig config);
  ~Connection();

  // Queues the preface and starts the read, write and timer loops. Requests submitted before the first
  // write (same loop turn) leave together with the preface, as Chrome's do.
  void start();

  ClientSession& session() { return session_; }
  // Ask for a write of whatever the session queued; coalesced per loop turn.
  void flush();
  // New requests may go here (not draining, not failed, transport up).
  bool accepts_requests() const { return !closed_ && session_.can_accept_requests(); }
  bool closed() const { return closed_; }
  std::size_t load() const { return session_.active_streams() + session_.queued(); }
  // Called once when the connection is finished (pool eviction).
  void on_finished(std::function<void()> callback) { on_finished_ = std::move(callback); }
  // Tears the connection down; every open request fails with reason.
  void close(Error reason);
  // Graceful: GOAWAY, finish open streams, then close.
  void drain();
  net::Stream& stream() { return *stream_; }
  // Socket writes so far (each takes everything queued); for stats and for tests of the batching.
  std::size_t writes() const { return writes_; }
  // For -v: called with one line per frame written, the client preface first (so set it before start()).
  // Unset, the write loop pays one null check.
  void set_frame_log(std::function<void(std::string_view line)> log);

 private:
  asio::awaitable<void> read_loop();
  asio::awaitable<void> write_loop();
  asio::awaitable<void> timer_loop();
  void check_finished();
  bool holds_requests();
  void keep_ticking();
  void gather_next_read();
  struct FrameLog;

  std::unique_ptr<net::Stream> stream_;
  ClientSession session_;
  net::Signal write_signal_;
  asio::steady_timer timer_;  // the session's next deadline
  // Request batching (holds_requests) and download reads (gather_next_read) end by the second tick after
  // they began; the ticker runs only while one of them is pending.
  asio::steady_timer ticker_;
  std::uint64_t ticks_ = 0;
  bool ticking_ = false;
  std::optional<std::uint64_t> hold_began_;    // tick count when held requests began waiting
  std::optional<std::uint64_t> gather_began_;  // tick count when the pending read began gathering
  unsigned gather_backoff_ = 0;                // reads left that do not gather (a tick ended the last wait)
  std::vector<std::uint8_t> write_buffer_;  // what is on the wire right now; the session keeps queueing meanwhile
  std::vector<std::uint8_t> read_buffer_;
  std::size_t writes_ = 0;
  bool closed_ = false;
  bool reading_ = false;  // the read loop starts after the first write
  bool finished_notified_ = false;
  std::function<void()> on_finished_;
  std::unique_ptr<FrameLog> frame_log_;
};

}  // namespace wraith::h2
