// Scripted peers that misbehave on purpose: every request still ends exactly once, within a bound,
// with a response or the right typed error.
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <map>
#include <thread>
#include <mutex>
#include <set>

#include <asio/co_spawn.hpp>
#include <asio/detached.hpp>
#include <asio/read.hpp>
#include <asio/steady_timer.hpp>
#include <asio/write.hpp>
#include <gtest/gtest.h>

#include "h2/frame/data.h"
#include "h2/frame/goaway.h"
#include "h2/frame/headers.h"
#include "h2/frame/reader.h"
#include "h2/frame/settings.h"
#include "h2/hpack/decoder.h"
#include "h2/hpack/encoder.h"
#include "net/asio_compat.h"
#include "h2_request.h"
#include "scripted_server.h"
#include "wraith/client.h"

using namespace wraith;
using namespace std::chrono_literals;
using asio::ip::tcp;
using test_support::ScriptedServer;

namespace {

asio::awaitable<void> sleep_for(std::chrono::milliseconds d) {
  asio::steady_timer t(co_await asio::this_coro::executor, d);
  (void)co_await t.async_wait(net::use_tuple);
}

asio::awaitable<bool> send(tcp::socket& s, const std::vector<std::uint8_t>& bytes) {
  auto [ec, n] = co_await asio::async_write(s, asio::buffer(bytes), net::use_tuple);
  co_return !ec;
}

// A raw-frame h2c peer. Connection 0 answers the streams up to `goaway_after`-th request with ids <= last,
// then GOAWAY(last) and closes; later connections answer everything. Records which paths it answered.
struct GoawayPeer {
  std::uint32_t last_stream = 19;
  std::size_t wait_for_requests = 20;
  std::mutex mutex;
  std::multiset<std::string> answered;

  asio::awaitable<void> run(tcp::socket socket, int index) {
    std::vector<std::uint8_t> preface(24);
    auto [pec, pn] = co_await asio::async_read(socket, asio::buffer(preface), net::use_tuple);
    if (pec) co_return;
    std::vector<std::uint8_t> out;
    h2::encode_settings(out, {});
    if (!co_await send(socket, out)) co_return;
    h2::FrameReader reader;
    h2::hpack::Decoder decoder;
    h2::hpack::Encoder encoder(h2::hpack::EncoderPolicy{});
    std::vector<std::pair<std::uint32_t, std::string>> pending;
    std::vector<std::uint8_t> buffer(65536);
    auto respond = [&](std::uint32_t id, const std::string& path, std::vector<std::uint8_t>& o) {
      std::vector<std::uint8_t> block;
      std::vector<h2::hpack::HeaderView> fields{{":status", "200"}};
      encoder.encode(fields, block);
      h2::encode_headers(o, id, block, false, true);
      std::string body = "ok:" + path;
      h2::encode_data(o, id, std::span(reinterpret_cast<const std::uint8_t*>(body.data()), body.size()), true);
      std::lock_guard lock(mutex);
      answered.insert(path);
    };
    for (;;) {
      auto [ec, n] = co_await socket.async_read_some(asio::buffer(buffer), net::use_tuple);
      if (ec) co_return;
      reader.feed(std::span(buffer.data(), n));
      out.clear();
      for (;;) {
        h2::Frame frame;
        auto more = reader.next(frame);
        if (!more || !*more) break;
        if (frame.header.is(h2::FrameType::settings) && !frame.header.has(h2::flags::ack)) h2::encode_settings_ack(out);
        if (!frame.header.is(h2::FrameType::headers)) continue;
        auto request = test_support::decode_request(frame, decoder);
        if (!request) co_return;
        if (index == 0) pending.emplace_back(request->stream_id, request->path);
        else respond(request->stream_id, request->path, out);
      }
      if (index == 0 && pending.size() >= wait_for_requests) {
        for (const auto& [id, path] : pending)
          if (id <= last_stream) respond(id, path, out);
        h2::encode_goaway(out, last_stream, h2::ErrorCode::no_error);
        (void)co_await send(socket, out);
        co_await sleep_for(100ms);
        co_return;  // closes the connection
      }
      if (!out.empty() && !co_await send(socket, out)) co_return;
    }
  }
};

// Runs `n` requests concurrently (paths /r/0 .. /r/n-1) and returns the results by path.
std::map<std::string, Result<Response>> concurrent_gets(Client& client, const std::string& base, int n) {
  asio::io_context io;
  std::map<std::string, Result<Response>> results;
  for (int i = 0; i < n; ++i)
    asio::co_spawn(io, [&, i]() -> asio::awaitable<void> {
      Request r;
      r.url = base + "/r/" + std::to_string(i);
      auto response = co_await client.async_send(std::move(r));
      results.emplace("/r/" + std::to_string(i), std::move(response));
    }, asio::detached);
  io.run();
  return results;
}

ClientConfig h2c() {
  ClientConfig c;
  c.version = HttpVersion::http2;
  return c;
}

}  // namespace

TEST(ClientResilience, GoawayMidFlightRetriesUnprocessedOnANewConnection) {
  GoawayPeer peer;
  ScriptedServer server([&](tcp::socket s, int index) { return peer.run(std::move(s), index); });
  Client client(h2c());
  auto results = concurrent_gets(client, "http://127.0.0.1:" + std::to_string(server.port()), 20);
  ASSERT_EQ(results.size(), 20u);
  for (auto& [path, r] : results) {
    ASSERT_TRUE(r) << path << ": " << r.error().describe();
    EXPECT_EQ(r->status, 200);
    EXPECT_EQ(r->body, "ok:" + path);
  }
  EXPECT_EQ(server.connections(), 2);
  std::lock_guard lock(peer.mutex);
  EXPECT_EQ(peer.answered.size(), 20u);  // none lost, none duplicated
  for (int i = 0; i < 20; ++i) EXPECT_EQ(peer.answered.count("/r/" + std::to_string(i)), 1u);
}

namespace {

// HTTP/1.1 peers for the timeout phases.
asio::awaitable<void> h1_script(tcp::socket socket, std::string reply, std::chrono::milliseconds stall, int trickle_bytes) {
  std::vector<std::uint8_t> buffer(65536);
  (void)co_await socket.async_read_some(asio::buffer(buffer), net::use_tuple);
  std::vector<std::uint8_t> bytes(reply.begin(), reply.end());
  (void)co_await send(socket, bytes);
  const std::vector<std::uint8_t> one{'x'};
  for (int i = 0; i < trickle_bytes; ++i) {
    co_await sleep_for(50ms);
    (void)co_await send(socket, one);
  }
  co_await sleep_for(stall);
}

ScriptedServer::Handler h1_peer(std::string reply, std::chrono::milliseconds stall, int trickle_bytes = 0) {
  return [=](tcp::socket socket, int) { return h1_script(std::move(socket), reply, stall, trickle_bytes); };
}

Error timeout_of(ClientConfig config, const std::string& url) {
  Client client(config);
  auto started = std::chrono::steady_clock::now();
  auto r = client.get(url);
  EXPECT_LT(std::chrono::steady_clock::now() - started, 3s);
  EXPECT_FALSE(r);
  return r ? Error() : r.error();
}

}  // namespace

TEST(ClientTimeouts, FirstByte) {
  ScriptedServer server(h1_peer("", 5s));
  ClientConfig c;
  c.timeouts.first_byte = 300ms;
  auto e = timeout_of(c, "http://127.0.0.1:" + std::to_string(server.port()) + "/");
  EXPECT_EQ(e.kind, ErrorKind::timeout);
  EXPECT_EQ(e.phase, TimeoutPhase::first_byte) << e.describe();
}

TEST(ClientTimeouts, ReadIdle) {
  ScriptedServer server(h1_peer("HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nab", 5s));
  ClientConfig c;
  c.timeouts.read_idle = 300ms;
  auto e = timeout_of(c, "http://127.0.0.1:" + std::to_string(server.port()) + "/");
  EXPECT_EQ(e.kind, ErrorKind::timeout);
  EXPECT_EQ(e.phase, TimeoutPhase::read_idle) << e.describe();
}

TEST(ClientTimeouts, Total) {
  ScriptedServer server(h1_peer("HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\n", 5s, 100));
  ClientConfig c;
  c.timeouts.total = 500ms;
  auto e = timeout_of(c, "http://127.0.0.1:" + std::to_string(server.port()) + "/");
  EXPECT_EQ(e.kind, ErrorKind::timeout);
  EXPECT_EQ(e.phase, TimeoutPhase::total) << e.describe();
}

TEST(ClientTimeouts, TlsHandshake) {
  ScriptedServer server([](tcp::socket s, int) -> asio::awaitable<void> { co_await sleep_for(5s); });
  ClientConfig c;
  c.insecure = true;
  c.timeouts.tls = 300ms;
  auto e = timeout_of(c, "https://127.0.0.1:" + std::to_string(server.port()) + "/");
  EXPECT_EQ(e.kind, ErrorKind::timeout);
  EXPECT_EQ(e.phase, TimeoutPhase::tls) << e.describe();
}

TEST(ClientTimeouts, WriteIdle) {
  // The peer never reads: the socket buffers fill and the body stalls.
  ScriptedServer server([](tcp::socket s, int) -> asio::awaitable<void> { co_await sleep_for(5s); });
  ClientConfig c;
  c.timeouts.write_idle = 300ms;
  Client client(c);
  Request r;
  r.method = "POST";
  r.url = "http://127.0.0.1:" + std::to_string(server.port()) + "/";
  r.body = std::string(64 << 20, 'x');
  auto started = std::chrono::steady_clock::now();
  auto result = client.send(r);
  EXPECT_LT(std::chrono::steady_clock::now() - started, 3s);
  ASSERT_FALSE(result);
  EXPECT_EQ(result.error().phase, TimeoutPhase::write_idle) << result.error().describe();
}

TEST(ClientTimeouts, PoolAcquire) {
  ScriptedServer server(h1_peer("", 2s));
  ClientConfig c;
  c.max_connections_per_host = 1;
  c.timeouts.first_byte = 1500ms;
  c.timeouts.pool_acquire = 300ms;
  Client client(c);
  std::string base = "http://127.0.0.1:" + std::to_string(server.port());
  auto results = concurrent_gets(client, base, 2);
  int pool_timeouts = 0, first_byte_timeouts = 0;
  for (auto& [path, r] : results) {
    ASSERT_FALSE(r);
    if (r.error().phase == TimeoutPhase::pool_acquire) ++pool_timeouts;
    if (r.error().phase == TimeoutPhase::first_byte) ++first_byte_timeouts;
  }
  EXPECT_EQ(pool_timeouts, 1);
  EXPECT_EQ(first_byte_timeouts, 1);
}

TEST(ClientTimeouts, Connect) {
  // A listener that never accepts, with its backlog full: further SYNs go unanswered.
  asio::io_context io;
  tcp::acceptor full(io);
  full.open(tcp::v4());
  full.bind(tcp::endpoint(asio::ip::make_address("127.0.0.1"), 0));
  full.listen(0);
  auto port = full.local_endpoint().port();
  // Non-blocking raw connects (asio's connect() would wait): they fill the accept queue.
  std::vector<int> fillers;
  for (int i = 0; i < 8; ++i) {
    int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_port = htons(port);
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    (void)::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr);
    fillers.push_back(fd);
  }
  std::this_thread::sleep_for(50ms);
  ClientConfig c;
  c.timeouts.connect = 300ms;
  c.timeouts.first_byte = 1s;
  auto e = timeout_of(c, "http://127.0.0.1:" + std::to_string(port) + "/");
  EXPECT_EQ(e.kind, ErrorKind::timeout);
  EXPECT_EQ(e.phase, TimeoutPhase::connect) << e.describe();
  for (int fd : fillers) ::close(fd);
}

namespace {

// Sends a response head that never ends: header lines forever (bounded by the test's own timer).
asio::awaitable<void> endless_headers(tcp::socket socket, int) {
  std::vector<std::uint8_t> buffer(65536);
  (void)co_await socket.async_read_some(asio::buffer(buffer), net::use_tuple);
  std::string start = "HTTP/1.1 200 OK\r\n";
  if (!co_await send(socket, std::vector<std::uint8_t>(start.begin(), start.end()))) co_return;
  std::string line = "X-Filler: " + std::string(1000, 'f') + "\r\n";
  std::vector<std::uint8_t> chunk;
  for (int i = 0; i < 64; ++i) chunk.insert(chunk.end(), line.begin(), line.end());
  for (int i = 0; i < 1000; ++i)
    if (!co_await send(socket, chunk)) co_return;
}

}  // namespace

TEST(ClientLimits, TenGigabyteContentLengthIsRefusedBeforeTheBody) {
  ScriptedServer server(h1_peer("HTTP/1.1 200 OK\r\nContent-Length: 10000000000\r\n\r\nabc", 5s));
  ClientConfig c;
  c.max_response_body = 100 << 20;
  Client client(c);
  auto started = std::chrono::steady_clock::now();
  auto r = client.get("http://127.0.0.1:" + std::to_string(server.port()) + "/");
  EXPECT_LT(std::chrono::steady_clock::now() - started, 2s);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().kind, ErrorKind::too_large) << r.error().describe();
}

TEST(ClientLimits, EndlessHeaderBlockIsCapped) {
  ScriptedServer server(endless_headers);
  Client client;
  auto r = client.get("http://127.0.0.1:" + std::to_string(server.port()) + "/");
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().kind, ErrorKind::too_large) << r.error().describe();
}

TEST(ClientLimits, ForbiddenH2HeadersAreTypedErrors) {
  GoawayPeer peer;  // never reached: validation happens before the wire
  ScriptedServer server([&](tcp::socket s, int index) { return peer.run(std::move(s), index); });
  Client client(h2c());
  // (User header names are lowercased for h2 as browsers do; the engine itself rejects uppercase names,
  // see tests/h2.)
  for (const char* name : {"connection", "keep-alive", "transfer-encoding", "upgrade", "proxy-connection"}) {
    Request r;
    r.url = "http://127.0.0.1:" + std::to_string(server.port()) + "/";
    r.headers = {{name, "x"}};
    auto result = client.send(r);
    ASSERT_FALSE(result) << name;
    EXPECT_EQ(result.error().kind, ErrorKind::invalid_header) << name << ": " << result.error().describe();
  }
  for (const std::string& value : {std::string("a\r\nb"), std::string("a\nb"), std::string("a\0b", 3)}) {
    Request r;
    r.url = "http://127.0.0.1:" + std::to_string(server.port()) + "/";
    r.headers = {{"x-ok", value}};
    auto result = client.send(r);
    ASSERT_FALSE(result);
    EXPECT_EQ(result.error().kind, ErrorKind::invalid_header);
  }
}
