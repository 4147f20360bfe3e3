// The inspector's HTTP/1.1 server side, sans I/O: reads request heads as written (h1_request_head.h),
// counts bodies (Content-Length or chunked), answers each request with 200 and the report so far, keeps
// the connection alive unless the client asks otherwise. Malformed or oversized heads get 400/431 and a close.
#pragma once

#include <cstdint>
#include <string>

#include "inspect/h1_request_head.h"
#include "inspect/options.h"
#include "inspect/report.h"
#include "inspect/session.h"

namespace wraith::inspect {

class H1ServerSession final : public Session {
 public:
  H1ServerSession(ConnectionReport& report, const InspectorLimits& limits);

  void start() override;
  void receive(std::span<const std::uint8_t> bytes) override;
  void on_idle_timeout() override;
  void on_closed(const std::string& reason) override;
  bool has_backlog() const override { return backlog_; }

  // Requests answered per receive() call at most; the rest waits for the next call (see has_backlog).
  static constexpr int kRequestsPerStep = 8;

 private:
  enum class State { head, body_length, chunk_size, chunk_data, chunk_data_end, trailers, done };

  void process();
  void begin_request(H1RequestHead head);
  bool consume_body();  // false: needs more bytes (or the session is closing)
  void finish_request();
  void reject(int status, const std::string& message);
  void respond(int status, const char* reason);

  ConnectionReport& report_;
  InspectorLimits limits_;
  std::string buffer_;  // unconsumed input: a partial head, or body bytes not yet counted
  State state_ = State::head;
  std::uint64_t remaining_ = 0;  // body bytes left (Content-Length) or in the current chunk
  std::uint64_t body_bytes_ = 0;
  std::size_t trailer_bytes_ = 0;
  std::size_t request_index_ = SIZE_MAX;
  std::uint64_t requests_seen_ = 0;
  bool close_after_ = false;
  bool backlog_ = false;
  int answered_this_step_ = 0;
};

}  // namespace wraith::inspect
