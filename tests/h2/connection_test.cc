// The connection driver over a real loopback socket: request batching while many requests wait at the server,
// and reads that let bytes gather while plenty is owed.
#include <atomic>
#include <functional>

#include <asio/co_spawn.hpp>
#include <asio/detached.hpp>
#include <asio/io_context.hpp>
#include <asio/post.hpp>
#include <asio/read.hpp>
#include <asio/steady_timer.hpp>
#include <asio/use_awaitable.hpp>
#include <asio/write.hpp>
#include <gtest/gtest.h>

#include "h2/driver/connection.h"
#include "h2/frame/data.h"
#include "h2/frame/headers.h"
#include "h2/frame/reader.h"
#include "h2/frame/settings.h"
#include "h2/hpack/decoder.h"
#include "h2/hpack/encoder.h"
#include "net/asio_compat.h"
#include "net/connect.h"
#include "net/low_water.h"
#include "net/tcp_stream.h"
#include "h2_request.h"
#include "scripted_server.h"

using namespace wraith;
using namespace std::chrono_literals;
using asio::ip::tcp;

namespace {

asio::awaitable<void> pause(std::chrono::milliseconds d) {
  asio::steady_timer t(co_await asio::this_coro::executor, d);
  (void)co_await t.async_wait(net::use_tuple);
}

// An h2c peer: answers the preface with SETTINGS and an ACK, then hands every request to `on_request` (which
// may answer through `respond`). Streams it does not answer stay open. Counts the requests it has seen.
struct H2cPeer {
  using OnRequest = std::function<asio::awaitable<void>(H2cPeer&, std::uint32_t stream, const std::string& path)>;
  explicit H2cPeer(OnRequest handler = {}) : on_request(std::move(handler)) {}

  OnRequest on_request;
  std::atomic<std::size_t> requests{0};
  tcp::socket* socket = nullptr;
  h2::hpack::Encoder encoder{h2::hpack::EncoderPolicy{}};

  asio::awaitable<bool> write(const std::vector<std::uint8_t>& bytes) {
    auto [ec, n] = co_await asio::async_write(*socket, asio::buffer(bytes), net::use_tuple);
    co_return !ec;
  }
  // HEADERS (200 with these fields) and then `body` in 16 KiB DATA frames, in one write.
  asio::awaitable<bool> respond(std::uint32_t stream, std::vector<h2::hpack::HeaderView> fields,
                                std::size_t body, bool end_stream) {
    std::vector<std::uint8_t> block, out;
    fields.insert(fields.begin(), {":status", "200"});
    encoder.encode(fields, block);
    h2::encode_headers(out, stream, block, body == 0 && end_stream, true);
    for (std::size_t sent = 0; sent < body; sent += 16384) {
      const std::size_t n = std::min<std::size_t>(16384, body - sent);
      h2::encode_data(out, stream, std::vector<std::uint8_t>(n, 'x'), end_stream && sent + n == body);
    }
    co_return co_await write(out);
  }

  asio::awaitable<void> run(tcp::socket s) {
    socket = &s;
    std::vector<std::uint8_t> preface(24);
    if (auto [ec, n] = co_await asio::async_read(s, asio::buffer(preface), net::use_tuple); ec) co_return;
    std::vector<std::uint8_t> out;
    h2::encode_settings(out, {});
    h2::encode_settings_ack(out);
    if (!co_await write(out)) co_return;
    h2::FrameReader reader;
    h2::hpack::Decoder decoder;
    std::vector<std::uint8_t> buffer(65536);
    for (;;) {
      auto [ec, n] = co_await s.async_read_some(asio::buffer(buffer), net::use_tuple);
      if (ec) co_return;
      reader.feed(std::span(buffer.data(), n));
      h2::Frame frame;
      for (;;) {
        auto more = reader.next(frame);
        if (!more || !*more) break;
        if (!frame.header.is(h2::FrameType::headers)) continue;
        auto request = test_support::decode_request(frame, decoder);
        if (!request) co_return;
        ++requests;
        if (on_request) co_await on_request(*this, request->stream_id, request->path);
      }
    }
  }
};

struct Ignore final : h2::StreamListener {
  void on_headers(uint16_t, std::span<const h2::hpack::HeaderField>) override {}
  void on_data(std::span<const uint8_t>, bool) override {}
  void on_error(const Error&) override {}
};

// Polls (5 s at most) until the peer has seen `count` HEADERS.
asio::awaitable<bool> peer_sees(H2cPeer& peer, std::size_t count) {
  for (int i = 0; i < 5000 && peer.requests < count; ++i) co_await pause(1ms);
  co_return peer.requests >= count;
}

// Serves `peer` on a loopback port, connects a Connection with `config`, runs `body` with it, then closes it.
void with_connection(H2cPeer& peer, const h2::SessionConfig& config,
                     const std::function<asio::awaitable<void>(h2::Connection&)>& body) {
  test_support::ScriptedServer server([&](tcp::socket s, int) { return peer.run(std::move(s)); });
  asio::io_context io;
  asio::co_spawn(io, [&]() -> asio::awaitable<void> {
    auto socket = co_await net::connect_tcp("127.0.0.1", server.port(), {});
    if (!socket) {
      ADD_FAILURE() << socket.error().describe();
      co_return;
    }
    auto connection = std::make_shared<h2::Connection>(std::make_unique<net::TcpStream>(std::move(*socket)), config);
    connection->start();
    co_await body(*connection);
    connection->close(Error(ErrorKind::cancelled, "test over", "test"));
  }, asio::detached);
  io.run();
}

int low_water_mark(tcp::socket& socket) {
  int value = 0;
  socklen_t length = sizeof value;
  EXPECT_EQ(::getsockopt(socket.native_handle(), SOL_SOCKET, SO_RCVLOWAT, &value, &length), 0);
  return value;
}

int low_water_mark(h2::Connection& c) { return low_water_mark(dynamic_cast<net::TcpStream&>(c.stream()).socket()); }

struct Fixture {
  H2cPeer peer;  // answers nothing
  Ignore listener;

  void run(const std::function<asio::awaitable<void>(h2::Connection&)>& body) {
    with_connection(peer, h2::SessionConfig{}, body);
  }

  void submit(h2::Connection& c, int i) {
    const std::string path = "/r" + std::to_string(i);
    h2::RequestView head{"GET", "http", "127.0.0.1", path, {}, {}, {}, false};
    ASSERT_NE(c.session().submit(head, true, &listener), 0u);
    c.flush();
  }
};

}  // namespace

// With 16 requests waiting at the server, new ones are held for company: submitted one per loop turn, the
// next 8 leave in one write (two if a hold happened to end between them), not in 8.
TEST(H2Connection, RequestsSubmittedWhileManyWaitLeaveTogether) {
  Fixture f;
  f.run([&](h2::Connection& c) -> asio::awaitable<void> {
    for (int i = 0; i < 16; ++i) f.submit(c, i);
    EXPECT_TRUE(co_await peer_sees(f.peer, 16));
    const std::size_t writes_before = c.writes();
    for (int i = 16; i < 24; ++i) {
      f.submit(c, i);
      co_await asio::post(co_await asio::this_coro::executor, asio::use_awaitable);  // a loop turn each
    }
    EXPECT_TRUE(co_await peer_sees(f.peer, 24));
    EXPECT_LE(c.writes() - writes_before, 2u);
  });
}

// A held request still leaves when nothing else happens (the 16 waiting ones are never answered): the hold
// is bounded in time, not only by the count.
TEST(H2Connection, AHeldRequestLeavesEvenWhenNothingElseHappens) {
  Fixture f;
  f.run([&](h2::Connection& c) -> asio::awaitable<void> {
    for (int i = 0; i < 16; ++i) f.submit(c, i);
    EXPECT_TRUE(co_await peer_sees(f.peer, 16));
    f.submit(c, 16);
    EXPECT_TRUE(co_await peer_sees(f.peer, 17));
  });
}

// Below 16 waiting, every request leaves at once (a write per loop turn): no added latency.
TEST(H2Connection, FewWaitingRequestsAreNotHeld) {
  Fixture f;
  f.run([&](h2::Connection& c) -> asio::awaitable<void> {
    for (int i = 0; i < 4; ++i) f.submit(c, i);
    EXPECT_TRUE(co_await peer_sees(f.peer, 4));
    const std::size_t writes_before = c.writes();
    for (int i = 4; i < 8; ++i) {
      f.submit(c, i);
      co_await asio::post(co_await asio::this_coro::executor, asio::use_awaitable);
      co_await asio::post(co_await asio::this_coro::executor, asio::use_awaitable);
    }
    EXPECT_TRUE(co_await peer_sees(f.peer, 8));
    EXPECT_EQ(c.writes() - writes_before, 4u);
  });
}

constexpr std::size_t kFirstPart = 288 * 1024;
constexpr std::size_t kLastPiece = 10 * 1024;

struct CountBytes final : h2::StreamListener {
  std::size_t bytes = 0;
  void on_headers(uint16_t, std::span<const h2::hpack::HeaderField>) override {}
  void on_data(std::span<const uint8_t> data, bool) override { bytes += data.size(); }
  void on_error(const Error&) override {}
};

// A download's reads wait for bytes to gather (SO_RCVLOWAT) while the server owes plenty; a server that
// stops sending must not leave what it did send stuck in the socket: the wait is bounded.
TEST(H2Connection, ADownloadThatStallsStillDeliversWhatArrived) {
  // The peer answers with a 4 MiB content-length, sends 288 KiB of it at once, 10 KiB more 20 ms later (once
  // the client has read all that and waits for more: less than a gathering read waits for), then nothing.
  H2cPeer peer([](H2cPeer& p, std::uint32_t stream, const std::string&) -> asio::awaitable<void> {
    std::vector<h2::hpack::HeaderView> fields{{"content-length", "4194304"}};  // (GCC 12: no braces in co_await)
    if (!co_await p.respond(stream, fields, kFirstPart, false)) co_return;
    co_await pause(20ms);
    std::vector<std::uint8_t> out;
    h2::encode_data(out, stream, std::vector<std::uint8_t>(kLastPiece, 'y'), false);
    (void)co_await p.write(out);
  });
  CountBytes listener;
  h2::SessionConfig config;  // Chrome's windows: 6 MiB per stream, 15 MiB more for the connection
  config.settings = {{4, 6291456}};
  config.connection_window_update = 15663105;
  with_connection(peer, config, [&](h2::Connection& connection) -> asio::awaitable<void> {
    h2::RequestView head{"GET", "http", "127.0.0.1", "/big", {}, {}, {}, false};
    EXPECT_NE(connection.session().submit(head, true, &listener), 0u);
    connection.flush();
    const std::size_t sent = kFirstPart + kLastPiece;
    for (int i = 0; i < 5000 && listener.bytes < sent; ++i) co_await pause(1ms);
    EXPECT_EQ(listener.bytes, sent);
  });
}

TEST(ReceiveLowWater, SetsTheSocketsMarkAndClearsItWithZero) {
  asio::io_context io;
  tcp::acceptor acceptor(io, tcp::endpoint(asio::ip::make_address("127.0.0.1"), 0));
  tcp::socket client(io), accepted(io);
  client.connect(acceptor.local_endpoint());
  acceptor.accept(accepted);
  auto mark = [&] { return low_water_mark(client); };
  net::ReceiveLowWater low_water;
  EXPECT_EQ(mark(), 1);
  low_water.set(client, 128 * 1024);
  EXPECT_EQ(mark(), 128 * 1024);
  low_water.set(client, 10 * 1024 * 1024);
  EXPECT_EQ(mark(), static_cast<int>(net::ReceiveLowWater::kMax));
  low_water.set(client, 0);
  EXPECT_EQ(mark(), 1);
}

// With 20 responses owed, a read waits for several to gather; when none come (these 20 never will) the tick
// ends the wait, and the reads after that do not wait for a while: the one response that does come then is
// read at once (a slow server is not made slower on every read).
TEST(H2Connection, AResponseAmongManyOwedStillArrivesAndThenReadsStopWaiting) {
  H2cPeer peer([](H2cPeer& p, std::uint32_t stream, const std::string& path) -> asio::awaitable<void> {
    std::vector<h2::hpack::HeaderView> fields{{"content-length", "2"}};
    if (path == "/answer") (void)co_await p.respond(stream, fields, 2, true);
  });
  Ignore ignore;
  CountBytes answer;
  with_connection(peer, h2::SessionConfig{}, [&](h2::Connection& c) -> asio::awaitable<void> {
    h2::Connection* connection = &c;
    for (int i = 0; i < 20; ++i) {
      const std::string path = "/r" + std::to_string(i);
      h2::RequestView head{"GET", "http", "127.0.0.1", path, {}, {}, {}, false};
      EXPECT_NE(connection->session().submit(head, true, &ignore), 0u);
    }
    connection->flush();
    // Polled by posting, not by a timer: each check runs right after the read loop handled a read.
    const auto give_up = std::chrono::steady_clock::now() + 5s;
    auto poll_until = [&](auto done) -> asio::awaitable<bool> {
      while (!done() && std::chrono::steady_clock::now() < give_up)
        co_await asio::post(co_await asio::this_coro::executor, asio::use_awaitable);
      co_return done();
    };
    // The server's SETTINGS are read with 20 responses owed: the next read waits for 8 KiB ...
    EXPECT_TRUE(co_await poll_until([&] { return low_water_mark(*connection) == 8 * 1024; }));
    // ... which never come: the second tick ends the wait.
    EXPECT_TRUE(co_await poll_until([&] { return low_water_mark(*connection) == 1; }));
    h2::RequestView head{"GET", "http", "127.0.0.1", "/answer", {}, {}, {}, false};
    EXPECT_NE(connection->session().submit(head, true, &answer), 0u);
    connection->flush();
    EXPECT_TRUE(co_await poll_until([&] { return answer.bytes == 2; }));
    EXPECT_EQ(low_water_mark(*connection), 1) << "the tick had to end the last wait: the next reads do not wait";
  });
}
