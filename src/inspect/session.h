// A protocol session of the inspector, sans I/O: bytes from the client in, bytes to send out. The
// connection loop (inspector.cc) owns the socket, the deadlines and the report's lifetime.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <vector>

namespace wraith::inspect {

class Session {
 public:
  virtual ~Session() = default;
  // Queues what the server says first (h2: our SETTINGS).
  virtual void start() = 0;
  virtual void receive(std::span<const std::uint8_t> bytes) = 0;
  // Bytes to write; the loop writes them and clears the vector.
  std::vector<std::uint8_t>& output() { return out_; }
  // The session is done (error, GOAWAY, Connection: close): flush output, then close.
  bool wants_close() const { return !close_reason_.empty(); }
  const std::string& close_reason() const { return close_reason_; }
  // Input is buffered that a bounded step left unprocessed (pipelined h1 requests): the loop calls
  // receive({}) again after flushing, before it reads more. Keeps one read from queueing unbounded output.
  virtual bool has_backlog() const { return false; }
  // The idle deadline passed: queue a goodbye (h2 GOAWAY) and close.
  virtual void on_idle_timeout() = 0;
  // The client closed its side; finishes the report's per-protocol summary.
  virtual void on_closed(const std::string& reason) = 0;

 protected:
  void close_with(std::string reason) {
    if (close_reason_.empty()) close_reason_ = std::move(reason);
  }
  std::vector<std::uint8_t> out_;

 private:
  std::string close_reason_;
};

}  // namespace wraith::inspect
