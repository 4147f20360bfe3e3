// One request/response exchange as the session tracks it (RFC 9113 5.1 states, flow-control windows).
// Records are pooled by ClientSession and reused, so their buffers keep their capacity.
#pragma once

#include <cstdint>
#include <optional>
#include <vector>

#include "h2/session.h"

namespace wraith::h2 {

struct ClientSession::Stream {
  // Identity. request id = (generation << 32) | slot; the generation changes whenever the record is reused.
  uint32_t slot = 0;
  uint32_t generation = 1;
  bool live = false;
  uint64_t request_id() const { return (uint64_t{generation} << 32) | slot; }

  StreamListener* listener = nullptr;
  uint32_t id = 0;  // 0 while queued
  RequestHead head;  // kept only until HEADERS leaves
  uint16_t sent_weight = 0;  // the HEADERS priority weight while open (0 = none sent): chain_priorities
  bool end_stream_on_headers = false;
  bool extended_connect = false;
  bool head_request = false;  // HEAD: a content-length in the response describes no body
  std::vector<hpack::HeaderField> pending_trailers;  // send_trailers before the stream opened
  bool has_pending_trailers = false;

  bool local_ended = false;   // we sent END_STREAM
  bool remote_ended = false;  // the peer sent END_STREAM
  bool final_headers = false;
  bool want_write = false;    // send_data was cut short: on_writable owed

  int64_t send_window = 0;    // may go negative after a SETTINGS_INITIAL_WINDOW_SIZE decrease
  int64_t recv_window = 0;    // how much the peer may still send us
  uint64_t recv_unacked = 0;  // consumed, not yet returned by WINDOW_UPDATE
  uint64_t recv_unconsumed = 0;  // delivered to the app, not yet consumed
  std::optional<uint64_t> content_length;
  uint64_t data_received = 0;

  // Back to a blank record, keeping buffer capacity.
  void reset() {
    live = false;
    ++generation;
    if (generation == 0) generation = 1;
    listener = nullptr;
    id = 0;
    head.method.clear();
    head.scheme.clear();
    head.authority.clear();
    head.path.clear();
    head.protocol.clear();
    head.headers.clear();
    head.priority = Priority{};
    sent_weight = 0;
    end_stream_on_headers = extended_connect = head_request = false;
    pending_trailers.clear();
    has_pending_trailers = false;
    local_ended = remote_ended = final_headers = want_write = false;
    send_window = recv_window = 0;
    recv_unacked = recv_unconsumed = 0;
    content_length.reset();
    data_received = 0;
  }
};

}  // namespace wraith::h2
