// `wraith inspect`: a local fingerprint echo server. One port serves TLS (ALPN h2 or http/1.1), h2c with
// prior knowledge and plaintext HTTP/1.1, told apart by the first bytes. Every connection yields one JSON
// report in the shape of the ground-truth captures (tests/fixtures/chromium-156*.json), so the same
// comparisons (fingerprint::compare_client_hellos, inspect::compare_http) run on ours and on theirs.
// Every request is answered with 200 and a JSON body: the connection report so far plus "this_request".
#pragma once

#include <cstdint>
#include <functional>
#include <memory>

#include <asio/io_context.hpp>
#include <nlohmann/json.hpp>

#include "inspect/options.h"
#include "wraith/error.h"

namespace wraith::inspect {

class Inspector {
 public:
  // Binds and starts accepting on `io` (the caller runs it). Sets SIGPIPE to ignored if it still has its
  // default action (TLS writes to a client that hung up would otherwise kill the process). Errors: ErrorKind::config for a bad bind
  // address, a port in use or an out_dir that cannot be created; ErrorKind::tls if the server context fails.
  static Result<std::unique_ptr<Inspector>> start(asio::io_context& io, InspectorOptions options);
  // Stops (see stop()); reports of connections still open are delivered only if the io_context runs on.
  ~Inspector();
  Inspector(const Inspector&) = delete;
  Inspector& operator=(const Inspector&) = delete;

  // The bound port (the ephemeral one when options.port was 0).
  std::uint16_t port() const { return port_; }
  // The inspector's self-signed certificate (localhost, 127.0.0.1, ::1), PEM, for clients that verify.
  const std::string& certificate_pem() const;

  // Called on the io_context's thread once per finished connection with its final report (also for
  // connections refused at max_connections: close_reason "connection-limit"). Thread-safe to set.
  void on_connection(std::function<void(const nlohmann::json&)> callback);

  // Closes the listener and every open connection (their reports are still delivered as the io_context
  // runs). Safe from any thread, idempotent; the io_context runs out of work once everything has closed.
  void stop();

  // Connections whose report has been delivered so far.
  std::uint64_t connections_finished() const;

  struct State;

 private:
  explicit Inspector(std::shared_ptr<State> state, std::uint16_t port) : state_(std::move(state)), port_(port) {}
  std::shared_ptr<State> state_;
  std::uint16_t port_ = 0;
};

}  // namespace wraith::inspect
