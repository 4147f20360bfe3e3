// The connection driver over a real loopback socket: request batching while many requests wait at the server.
#include <mutex>

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
#include "scripted_server.h"

using namespace wraith;
using namespace std::chrono_literals;
using asio::ip::tcp;

namespace {

// An h2c peer that acknowledges SETTINGS and never answers a request: every stream stays open.
struct SilentPeer {
  std::mutex mutex;
  std::size_t headers_seen = 0;

  std::size_t seen() {
    std::lock_guard lock(mutex);
    return headers_seen;
  }

  asio::awaitable<void> run(tcp::socket socket) {
    std::vector<std::uint8_t> preface(24);
    if (auto [ec, n] = co_await asio::async_read(socket, asio::buffer(preface), net::use_tuple); ec) co_return;
    std::vector<std::uint8_t> out;
    h2::encode_settings(out, {});
    h2::encode_settings_ack(out);
    if (auto [ec, n] = co_await asio::async_write(socket, asio::buffer(out), net::use_tuple); ec) co_return;
    h2::FrameReader reader;
    std::vector<std::uint8_t> buffer(65536);
    for (;;) {
      auto [ec, n] = co_await socket.async_read_some(asio::buffer(buffer), net::use_tuple);
      if (ec) co_return;
      reader.feed(std::span(buffer.data(), n));
      h2::Frame frame;
      for (;;) {
        auto more = reader.next(frame);
        if (!more || !*more) break;
        if (frame.header.is(h2::FrameType::headers)) {
          std::lock_guard lock(mutex);
          ++headers_seen;
        }
      }
    }
  }
};

asio::awaitable<void> pause(std::chrono::milliseconds d);

// An h2c peer that answers the first request with a 4 MiB content-length, sends 288 KiB of it at once,
// 10 KiB more 20 ms later, and then nothing: what it did send must still reach the client.
constexpr std::size_t kFirstPart = 300 / 16 * 16384;
constexpr std::size_t kLastPiece = 10 * 1024;
struct StallingDownloadPeer {
  asio::awaitable<void> run(tcp::socket socket) {
    std::vector<std::uint8_t> preface(24);
    if (auto [ec, n] = co_await asio::async_read(socket, asio::buffer(preface), net::use_tuple); ec) co_return;
    std::vector<std::uint8_t> out;
    h2::encode_settings(out, {});
    h2::encode_settings_ack(out);
    if (auto [ec, n] = co_await asio::async_write(socket, asio::buffer(out), net::use_tuple); ec) co_return;
    h2::FrameReader reader;
    std::vector<std::uint8_t> buffer(65536);
    for (bool answered = false;;) {
      auto [ec, n] = co_await socket.async_read_some(asio::buffer(buffer), net::use_tuple);
      if (ec) co_return;
      reader.feed(std::span(buffer.data(), n));
      h2::Frame frame;
      for (;;) {
        auto more = reader.next(frame);
        if (!more || !*more) break;
        if (answered || !frame.header.is(h2::FrameType::headers)) continue;
        answered = true;
        out.clear();
        h2::hpack::Encoder encoder(h2::hpack::EncoderPolicy{});
        std::vector<std::uint8_t> block;
        std::vector<h2::hpack::HeaderView> fields{{":status", "200"}, {"content-length", "4194304"}};
        encoder.encode(fields, block);
        h2::encode_headers(out, frame.header.stream_id, block, false, true);
        const std::vector<std::uint8_t> chunk(16384, 'x');
        for (int i = 0; i < 300 / 16; ++i) h2::encode_data(out, frame.header.stream_id, chunk, false);
        if (auto [wec, wn] = co_await asio::async_write(socket, asio::buffer(out), net::use_tuple); wec) co_return;
        // Then, once the client has read all that and waits for more, a last piece smaller than what a
        // gathering read waits for.
        co_await pause(20ms);
        out.clear();
        h2::encode_data(out, frame.header.stream_id, std::vector<std::uint8_t>(kLastPiece, 'y'), false);
        if (auto [wec, wn] = co_await asio::async_write(socket, asio::buffer(out), net::use_tuple); wec) co_return;
      }
    }
  }
};

// An h2c peer that answers only requests for /answer (200, body "ok"); every other stream stays open.
struct AnswersOnePathPeer {
  asio::awaitable<void> run(tcp::socket socket) {
    std::vector<std::uint8_t> preface(24);
    if (auto [ec, n] = co_await asio::async_read(socket, asio::buffer(preface), net::use_tuple); ec) co_return;
    std::vector<std::uint8_t> out;
    h2::encode_settings(out, {});
    h2::encode_settings_ack(out);
    if (auto [ec, n] = co_await asio::async_write(socket, asio::buffer(out), net::use_tuple); ec) co_return;
    h2::FrameReader reader;
    h2::hpack::Decoder decoder;
    h2::hpack::Encoder encoder(h2::hpack::EncoderPolicy{});
    std::vector<std::uint8_t> buffer(65536);
    for (;;) {
      auto [ec, n] = co_await socket.async_read_some(asio::buffer(buffer), net::use_tuple);
      if (ec) co_return;
      reader.feed(std::span(buffer.data(), n));
      out.clear();
      h2::Frame frame;
      for (;;) {
        auto more = reader.next(frame);
        if (!more || !*more) break;
        if (!frame.header.is(h2::FrameType::headers)) continue;
        auto headers = h2::decode_headers(frame);
        std::vector<h2::hpack::HeaderField> fields;
        if (!headers || !decoder.decode(headers->fragment, fields)) co_return;
        bool answer = false;
        for (const auto& f : fields) answer |= f.name == ":path" && f.value == "/answer";
        if (!answer) continue;
        std::vector<std::uint8_t> block;
        std::vector<h2::hpack::HeaderView> head{{":status", "200"}, {"content-length", "2"}};
        encoder.encode(head, block);
        h2::encode_headers(out, headers->stream_id, block, false, true);
        const std::string body = "ok";
        h2::encode_data(out, headers->stream_id, std::span(reinterpret_cast<const std::uint8_t*>(body.data()), 2), true);
      }
      if (!out.empty())
        if (auto [wec, wn] = co_await asio::async_write(socket, asio::buffer(out), net::use_tuple); wec) co_return;
    }
  }
};

struct Ignore final : h2::StreamListener {
  void on_headers(uint16_t, std::span<const h2::hpack::HeaderField>) override {}
  void on_data(std::span<const uint8_t>, bool) override {}
  void on_error(const Error&) override {}
};

asio::awaitable<void> pause(std::chrono::milliseconds d) {
  asio::steady_timer t(co_await asio::this_coro::executor, d);
  (void)co_await t.async_wait(net::use_tuple);
}

// Polls (5 s at most) until the peer has seen `count` HEADERS.
asio::awaitable<bool> peer_sees(SilentPeer& peer, std::size_t count) {
  for (int i = 0; i < 5000 && peer.seen() < count; ++i) co_await pause(1ms);
  co_return peer.seen() >= count;
}

struct Fixture {
  SilentPeer peer;
  test_support::ScriptedServer server{[this](tcp::socket s, int) { return peer.run(std::move(s)); }};
  Ignore listener;

  // Connects, runs `body` with the started connection, then closes it.
  void run(std::function<asio::awaitable<void>(h2::Connection&)> body) {
    asio::io_context io;
    asio::co_spawn(io, [&]() -> asio::awaitable<void> {
      auto socket = co_await net::connect_tcp("127.0.0.1", server.port(), {});
      if (!socket) {
        ADD_FAILURE() << socket.error().describe();
        co_return;
      }
      auto connection = std::make_shared<h2::Connection>(std::make_unique<net::TcpStream>(std::move(*socket)),
                                                         h2::SessionConfig{});
      connection->start();
      co_await body(*connection);
      connection->close(Error(ErrorKind::cancelled, "test over", "test"));
    }, asio::detached);
    io.run();
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

struct CountBytes final : h2::StreamListener {
  std::size_t bytes = 0;
  void on_headers(uint16_t, std::span<const h2::hpack::HeaderField>) override {}
  void on_data(std::span<const uint8_t> data, bool) override { bytes += data.size(); }
  void on_error(const Error&) override {}
};

// A download's reads wait for bytes to gather (SO_RCVLOWAT) while the server owes plenty; a server that
// stops sending must not leave what it did send stuck in the socket: the wait is bounded.
TEST(H2Connection, ADownloadThatStallsStillDeliversWhatArrived) {
  StallingDownloadPeer peer;
  test_support::ScriptedServer server([&](tcp::socket s, int) { return peer.run(std::move(s)); });
  CountBytes listener;
  asio::io_context io;
  asio::co_spawn(io, [&]() -> asio::awaitable<void> {
    auto socket = co_await net::connect_tcp("127.0.0.1", server.port(), {});
    if (!socket) {
      ADD_FAILURE() << socket.error().describe();
      co_return;
    }
    h2::SessionConfig config;  // Chrome's windows: 6 MiB per stream, 15 MiB more for the connection
    config.settings = {{4, 6291456}};
    config.connection_window_update = 15663105;
    auto connection = std::make_shared<h2::Connection>(std::make_unique<net::TcpStream>(std::move(*socket)), config);
    connection->start();
    h2::RequestView head{"GET", "http", "127.0.0.1", "/big", {}, {}, {}, false};
    EXPECT_NE(connection->session().submit(head, true, &listener), 0u);
    connection->flush();
    const std::size_t sent = kFirstPart + kLastPiece;
    for (int i = 0; i < 5000 && listener.bytes < sent; ++i) co_await pause(1ms);
    EXPECT_EQ(listener.bytes, sent);
    connection->close(Error(ErrorKind::cancelled, "test over", "test"));
  }, asio::detached);
  io.run();
}

TEST(ReceiveLowWater, SetsTheSocketsMarkAndClearsItWithZero) {
  asio::io_context io;
  tcp::acceptor acceptor(io, tcp::endpoint(asio::ip::make_address("127.0.0.1"), 0));
  tcp::socket client(io), accepted(io);
  client.connect(acceptor.local_endpoint());
  acceptor.accept(accepted);
  auto mark = [&] {
    int value = 0;
    socklen_t length = sizeof value;
    EXPECT_EQ(::getsockopt(client.native_handle(), SOL_SOCKET, SO_RCVLOWAT, &value, &length), 0);
    return value;
  };
  net::ReceiveLowWater low_water;
  EXPECT_EQ(mark(), 1);
  low_water.set(client, 128 * 1024);
  EXPECT_EQ(mark(), 128 * 1024);
  low_water.set(client, 10 * 1024 * 1024);
  EXPECT_EQ(mark(), static_cast<int>(net::ReceiveLowWater::kMax));
  low_water.set(client, 0);
  EXPECT_EQ(mark(), 1);
}

int low_water_mark(h2::Connection& c) {
  int value = 0;
  socklen_t length = sizeof value;
  auto& socket = dynamic_cast<net::TcpStream&>(c.stream()).socket();
  EXPECT_EQ(::getsockopt(socket.native_handle(), SOL_SOCKET, SO_RCVLOWAT, &value, &length), 0);
  return value;
}

// With 20 responses owed, a read waits for several to gather; when none come (these 20 never will) the tick
// ends the wait, and the reads after that do not wait for a while: the one response that does come then is
// read at once (a slow server is not made slower on every read).
TEST(H2Connection, AResponseAmongManyOwedStillArrivesAndThenReadsStopWaiting) {
  AnswersOnePathPeer peer;
  test_support::ScriptedServer server([&](tcp::socket s, int) { return peer.run(std::move(s)); });
  Ignore ignore;
  CountBytes answer;
  asio::io_context io;
  asio::co_spawn(io, [&]() -> asio::awaitable<void> {
    auto socket = co_await net::connect_tcp("127.0.0.1", server.port(), {});
    if (!socket) {
      ADD_FAILURE() << socket.error().describe();
      co_return;
    }
    auto connection = std::make_shared<h2::Connection>(std::make_unique<net::TcpStream>(std::move(*socket)),
                                                       h2::SessionConfig{});
    connection->start();
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
    connection->close(Error(ErrorKind::cancelled, "test over", "test"));
  }, asio::detached);
  io.run();
}
