#include "inspect/inspector.h"

#include <array>
#include <csignal>
#include <atomic>
#include <filesystem>
#include <fstream>
#include <map>
#include <mutex>

#include <asio/co_spawn.hpp>
#include <asio/detached.hpp>
#include <asio/ip/tcp.hpp>
#include <asio/post.hpp>
#include <asio/steady_timer.hpp>

#include "inspect/h1_server_session.h"
#include "inspect/h2_server_session.h"
#include "inspect/report.h"
#include "inspect/sniff.h"
#include "inspect/tls_report.h"
#include "net/asio_compat.h"
#include "net/deadline.h"
#include "net/tcp_stream.h"
#include "tls/server_context.h"
#include "tls/tls_stream.h"

namespace wraith::inspect {

using tcp = asio::ip::tcp;
using std::chrono::milliseconds;

namespace {

// One accepted socket; the stream takes the socket over once the protocol is known.
struct Conn {
  explicit Conn(tcp::socket s) : socket(std::move(s)) {}
  tcp::socket socket;
  std::unique_ptr<net::Stream> stream;
  void close() {
    if (stream) {
      stream->close();
    } else {
      asio::error_code ignored;
      socket.close(ignored);
    }
  }
};

std::string endpoint_text(const tcp::endpoint& e) {
  std::string address = e.address().to_string();
  if (e.address().is_v6()) address = "[" + address + "]";
  return address + ":" + std::to_string(e.port());
}

// "?label=x" in the first request's path names the capture, as in the fixtures.
void set_label(nlohmann::json& doc) {
  const auto& request = doc.value("request", nlohmann::json());
  if (!request.is_object() || !request.value("path", nlohmann::json()).is_string()) return;
  std::string path = request["path"].get<std::string>();
  std::size_t q = path.find('?');
  if (q == std::string::npos) return;
  std::string query = path.substr(q + 1);
  std::size_t start = 0;
  while (start < query.size()) {
    std::size_t amp = query.find('&', start);
    std::string item = query.substr(start, amp == std::string::npos ? std::string::npos : amp - start);
    if (item.rfind("label=", 0) == 0) {
      doc["label"] = item.substr(6);
      return;
    }
    if (amp == std::string::npos) break;
    start = amp + 1;
  }
}

}  // namespace

struct Inspector::State {
  State(asio::io_context& io_context, InspectorOptions opts)
      : io(io_context), options(std::move(opts)), acceptor(io_context) {}

  asio::io_context& io;
  InspectorOptions options;
  tcp::acceptor acceptor;
  std::shared_ptr<tls::ServerContext> tls;
  std::mutex callback_mutex;
  std::function<void(const nlohmann::json&)> callback;
  std::map<std::uint64_t, std::weak_ptr<Conn>> active;
  std::uint64_t next_id = 0;
  std::atomic<std::uint64_t> finished{0};
  bool stopped = false;

  void deliver(ConnectionReport& report, const std::string& reason) {
    set_label(report.doc());
    const nlohmann::json& doc = report.finalize(reason);
    if (!options.out_dir.empty()) {
      // Written aside, then renamed: a reader never sees half a report.
      auto path = std::filesystem::path(options.out_dir) /
                  ("conn-" + std::to_string(doc["connection"].get<std::uint64_t>()) + ".json");
      auto partial = path;
      partial += ".partial";
      {
        std::ofstream out(partial);
        out << doc.dump(1) << "\n";
      }
      std::error_code ignored;
      std::filesystem::rename(partial, path, ignored);
    }
    std::function<void(const nlohmann::json&)> cb;
    {
      std::lock_guard lock(callback_mutex);
      cb = callback;
    }
    ++finished;
    if (cb) cb(doc);
  }

  void do_stop() {
    if (stopped) return;
    stopped = true;
    asio::error_code ignored;
    acceptor.close(ignored);
    for (auto& [id, weak] : active)
      if (auto conn = weak.lock()) conn->close();
  }
};

namespace {

using State = Inspector::State;

// The TLS path: handshake (the server context hands over the raw ClientHello), then ALPN decides.
asio::awaitable<std::unique_ptr<Session>> accept_tls(State& st, Conn& conn, ConnectionReport& report,
                                                     milliseconds budget, std::string& reason) {
  report.doc()["transport"] = "tls";
  auto hello = std::make_shared<std::vector<std::uint8_t>>();
  auto ssl = st.tls->new_ssl([hello](std::span<const std::uint8_t> bytes) { hello->assign(bytes.begin(), bytes.end()); });
  auto owned = std::make_unique<tls::TlsStream>(std::move(conn.socket), std::move(ssl));
  tls::TlsStream* stream = owned.get();
  conn.stream = std::move(owned);
  auto hs = co_await stream->handshake(budget, "inspector client");
  fill_tls_section(report.doc(), *hello, hs ? stream->native() : nullptr, hs ? std::string() : hs.error().describe());
  if (!hs) {
    reason = hs.error().kind == ErrorKind::timeout ? "handshake-timeout" : "tls-handshake-failed";
    report.add_error("tls", hs.error().describe());
    co_return nullptr;
  }
  if (stream->alpn() == "h2") {
    report.doc()["http_version"] = "h2";
    co_return std::make_unique<H2ServerSession>(report, st.options.limits);
  }
  report.doc()["http_version"] = "http/1.1";
  co_return std::make_unique<H1ServerSession>(report, st.options.limits);
}

// The plaintext path: read until the bytes tell h2c from HTTP/1.1; they are replayed into the session.
asio::awaitable<std::unique_ptr<Session>> accept_plain(State& st, Conn& conn, ConnectionReport& report,
                                                       std::chrono::steady_clock::time_point deadline,
                                                       std::vector<std::uint8_t>& initial, std::string& reason) {
  report.doc()["transport"] = "tcp";
  conn.stream = std::make_unique<net::TcpStream>(std::move(conn.socket));
  Sniffed kind = Sniffed::need_more;
  std::array<std::uint8_t, 4096> buf;
  while ((kind = sniff(initial)) == Sniffed::need_more) {
    auto left = std::chrono::duration_cast<milliseconds>(deadline - std::chrono::steady_clock::now());
    if (left <= milliseconds(0)) {
      reason = "handshake-timeout";
      co_return nullptr;
    }
    auto n = co_await net::with_deadline(conn.stream->read_some(buf), left);
    if (!n) {
      reason = "handshake-timeout";
      co_return nullptr;
    }
    if (!*n || **n == 0) {
      if (initial.empty()) {
        reason = "client-end";
        co_return nullptr;
      }
      kind = Sniffed::http1;  // a short prefix of the preface and then EOF: let the h1 parser judge it
      break;
    }
    initial.insert(initial.end(), buf.begin(), buf.begin() + static_cast<std::ptrdiff_t>(**n));
  }
  report.doc()["sniff"]["detected"] = to_string(kind);
  if (kind == Sniffed::h2c) {
    report.doc()["http_version"] = "h2";
    co_return std::make_unique<H2ServerSession>(report, st.options.limits);
  }
  report.doc()["http_version"] = "http/1.1";
  co_return std::make_unique<H1ServerSession>(report, st.options.limits);
}

// Writes whatever the session queued; false when the peer does not take it in time.
asio::awaitable<bool> flush(Session& session, net::Stream& stream, milliseconds limit) {
  auto& out = session.output();
  if (out.empty()) co_return true;
  auto written = co_await net::with_deadline(stream.write_all(out), limit);
  out.clear();
  co_return written && written->ok();
}

asio::awaitable<void> serve(std::shared_ptr<State> st, std::shared_ptr<Conn> conn, std::uint64_t id) {
  const auto& limits = st->options.limits;
  asio::error_code ec, remote_ec;
  auto remote = conn->socket.remote_endpoint(remote_ec);
  auto local = conn->socket.local_endpoint(ec);
  ConnectionReport report(id, remote_ec ? std::string() : endpoint_text(remote), ec ? 0 : local.port());
  std::string reason;
  const auto deadline = std::chrono::steady_clock::now() + limits.handshake_timeout;

  std::unique_ptr<Session> session;
  std::vector<std::uint8_t> initial;
  auto ready = co_await net::with_deadline(conn->socket.async_wait(tcp::socket::wait_read, net::use_tuple),
                                           limits.handshake_timeout);
  if (!ready) {
    reason = "handshake-timeout";
  } else if (std::get<0>(*ready)) {
    reason = st->stopped ? "server-stopped" : "client-end";
  } else {
    std::uint8_t first = 0;
    std::size_t n = conn->socket.receive(asio::buffer(&first, 1), tcp::socket::message_peek, ec);
    if (ec || n == 0) {
      reason = "client-end";
    } else if (first == 0x16) {
      report.doc()["sniff"]["detected"] = "tls";
      auto left = std::max(milliseconds(1), std::chrono::duration_cast<milliseconds>(deadline - std::chrono::steady_clock::now()));
      session = co_await accept_tls(*st, *conn, report, left, reason);
    } else {
      session = co_await accept_plain(*st, *conn, report, deadline, initial, reason);
    }
  }

  if (session) {
    session->start();
    if (!initial.empty()) session->receive(initial);
    std::array<std::uint8_t, 16384> buf;
    for (;;) {
      if (!co_await flush(*session, *conn->stream, limits.idle_timeout)) {
        reason = "write-failed";
        break;
      }
      if (session->wants_close()) {
        reason = session->close_reason();
        break;
      }
      if (session->has_backlog()) {
        session->receive({});
        continue;
      }
      auto n = co_await net::with_deadline(conn->stream->read_some(buf), limits.idle_timeout);
      if (!n) {
        session->on_idle_timeout();
        (void)co_await flush(*session, *conn->stream, milliseconds(1000));
        reason = "idle-timeout";
        break;
      }
      if (!*n) {
        reason = st->stopped ? "server-stopped" : "read-error";
        if (!st->stopped) report.add_error("io", n->error().describe());
        break;
      }
      if (**n == 0) {
        reason = "client-end";
        break;
      }
      session->receive(std::span<const std::uint8_t>(buf.data(), **n));
    }
    session->on_closed(reason);
  }
  conn->close();
  st->active.erase(id);
  st->deliver(report, reason);
}

asio::awaitable<void> accept_loop(std::shared_ptr<State> st) {
  for (;;) {
    auto [ec, socket] = co_await st->acceptor.async_accept(net::use_tuple);
    if (st->stopped || !st->acceptor.is_open()) co_return;
    if (ec) {  // e.g. out of file descriptors: back off instead of spinning
      asio::steady_timer timer(st->io, milliseconds(50));
      co_await timer.async_wait(net::use_tuple);
      continue;
    }
    const std::uint64_t id = ++st->next_id;
    if (st->active.size() >= st->options.limits.max_connections) {
      asio::error_code ignored;
      auto remote = socket.remote_endpoint(ignored);
      ConnectionReport report(id, ignored ? std::string() : endpoint_text(remote), st->acceptor.local_endpoint(ignored).port());
      report.add_error("inspector", "more than " + std::to_string(st->options.limits.max_connections) + " connections open");
      socket.close(ignored);
      st->deliver(report, "connection-limit");
      continue;
    }
    auto conn = std::make_shared<Conn>(std::move(socket));
    st->active[id] = conn;
    asio::co_spawn(st->io, serve(st, conn, id), asio::detached);
  }
}

}  // namespace

namespace {

// BoringSSL writes TLS records with write(2) on the socket, which raises SIGPIPE when a client has already
// gone (browsers close as soon as they have what they want). A server must survive that: unless the
// process chose its own SIGPIPE handling, ignore it so the write fails with EPIPE instead.
void ignore_sigpipe_unless_handled() {
  struct sigaction current {};
  if (sigaction(SIGPIPE, nullptr, &current) == 0 && current.sa_handler == SIG_DFL) {
    struct sigaction ignore {};
    ignore.sa_handler = SIG_IGN;
    sigemptyset(&ignore.sa_mask);
    sigaction(SIGPIPE, &ignore, nullptr);
  }
}

}  // namespace

Result<std::unique_ptr<Inspector>> Inspector::start(asio::io_context& io, InspectorOptions options) {
  ignore_sigpipe_unless_handled();
  auto st = std::make_shared<State>(io, std::move(options));
  if (!st->options.out_dir.empty()) {
    std::error_code fs_ec;
    std::filesystem::create_directories(st->options.out_dir, fs_ec);
    if (fs_ec) return Error(ErrorKind::config, "cannot create " + st->options.out_dir + ": " + fs_ec.message(), "inspect");
  }
  tls::ServerOptions server_options;
  server_options.alpn = st->options.alpn;
  auto context = tls::ServerContext::create(server_options);
  if (!context) return context.take_error();
  st->tls = *context;

  asio::error_code ec;
  auto address = asio::ip::make_address(st->options.bind, ec);
  if (ec) return Error(ErrorKind::config, "bad bind address " + st->options.bind, "inspect");
  tcp::endpoint endpoint(address, st->options.port);
  st->acceptor.open(endpoint.protocol(), ec);
  if (!ec) st->acceptor.set_option(tcp::acceptor::reuse_address(true), ec);
  if (!ec) st->acceptor.bind(endpoint, ec);
  if (!ec) st->acceptor.listen(asio::socket_base::max_listen_connections, ec);
  if (ec) return Error(ErrorKind::config, "cannot listen on " + endpoint_text(endpoint) + ": " + ec.message(), "inspect");
  std::uint16_t port = st->acceptor.local_endpoint().port();
  asio::co_spawn(io, accept_loop(st), asio::detached);
  return std::unique_ptr<Inspector>(new Inspector(st, port));
}

Inspector::~Inspector() { stop(); }

const std::string& Inspector::certificate_pem() const { return state_->tls->certificate_pem(); }

void Inspector::on_connection(std::function<void(const nlohmann::json&)> callback) {
  std::lock_guard lock(state_->callback_mutex);
  state_->callback = std::move(callback);
}

void Inspector::stop() {
  asio::post(state_->io, [st = state_] { st->do_stop(); });
}

std::uint64_t Inspector::connections_finished() const { return state_->finished.load(); }

}  // namespace wraith::inspect
