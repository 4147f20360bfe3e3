// RFC 8441 byte tunnels against Node's http2 server (SETTINGS_ENABLE_CONNECT_PROTOCOL=1, echo):
// data round-trips, and an unread tunnel never stalls the connection's other streams.
#include <asio/co_spawn.hpp>
#include <asio/detached.hpp>
#include <asio/steady_timer.hpp>
#include <asio/io_context.hpp>
#include <asio/use_future.hpp>
#include <gtest/gtest.h>

#include "client/exchange.h"
#include "client/profile_mapping.h"
#include "h2/driver/tunnel_stream.h"
#include "net/asio_compat.h"
#include "process.h"
#include "tls/certificate.h"
#include "tls/connector.h"
#include "wraith/profile.h"

using namespace wraith;
using namespace wraith::test_support;

namespace {

struct NodeServer {
  NodeServer() {
    dir = make_temp_dir("wraith-node-tunnel");
    auto cert = tls::make_certificate({});
    write_file(dir + "/key.pem", cert->private_key);
    write_file(dir + "/cert.pem", cert->certificate);
    port = free_port();
    process = std::make_unique<Process>(std::vector<std::string>{"/usr/bin/node", std::string(WRAITH_INTEROP_DIR) + "/node_h2_server.js",
                                                                std::to_string(port), dir + "/key.pem", dir + "/cert.pem"},
                                        dir + "/log");
    ready = wait_for_port(port);
  }
  std::string dir;
  std::uint16_t port = 0;
  std::unique_ptr<Process> process;
  bool ready = false;
};

asio::awaitable<std::shared_ptr<h2::Connection>> connect_h2(tls::ClientContext& context, std::uint16_t port,
                                                            const h2::SessionConfig& config) {
  auto stream = co_await tls::connect_tls(context, "127.0.0.1", port, {});
  if (!stream) co_return nullptr;
  auto connection = std::make_shared<h2::Connection>(std::move(*stream), config);
  connection->start();
  co_return connection;
}

h2::RequestHead tunnel_head(std::uint16_t port) {
  h2::RequestHead head;
  head.scheme = "https";
  head.authority = "127.0.0.1:" + std::to_string(port);
  head.path = "/echo";
  head.protocol = "websocket";
  return head;
}

}  // namespace

TEST(Tunnel, EchoesBytesAndLeavesOtherStreamsFlowing) {
  NodeServer server;
  ASSERT_TRUE(server.ready);
  auto profile = builtin_profile("chromium156");
  ASSERT_TRUE(profile);
  auto context = tls::ClientContext::create(profile->tls, profile->name, {.insecure = true}, client::alps_settings(*profile));
  ASSERT_TRUE(context);
  auto config = client::h2_session_config(*profile);
  ASSERT_TRUE(config);

  asio::io_context io;
  auto done = asio::co_spawn(io, [&]() -> asio::awaitable<std::string> {
    auto connection = co_await connect_h2(**context, server.port, *config);
    if (!connection) co_return "connect failed";
    auto tunnel = co_await h2::TunnelStream::open(connection, tunnel_head(server.port), std::chrono::seconds(5));
    if (!tunnel) co_return "open: " + tunnel.error().describe();
    // Round trip.
    std::string hello = "hello through the tunnel";
    auto w = co_await (*tunnel)->write_all(std::span(reinterpret_cast<const std::uint8_t*>(hello.data()), hello.size()));
    if (!w) co_return "write: " + w.error().describe();
    std::string echoed;
    std::uint8_t buf[4096];
    while (echoed.size() < hello.size()) {
      auto n = co_await (*tunnel)->read_some(buf);
      if (!n || *n == 0) co_return "read failed";
      echoed.append(reinterpret_cast<char*>(buf), *n);
    }
    if (echoed != hello) co_return "echo mismatch: " + echoed;

    // 8 MiB written and not read back: the echo fills this tunnel's 6 MiB window and stalls it...
    std::vector<std::uint8_t> big(8 << 20, 'z');
    bool write_done = false;
    h2::TunnelStream* raw = tunnel->get();
    asio::co_spawn(co_await asio::this_coro::executor, [&]() -> asio::awaitable<void> {
      (void)co_await raw->write_all(big);
      write_done = true;
    }, asio::detached);
    // ...while an ordinary request on the same connection still completes.
    auto templates = client::RequestTemplates::compile(*builtin_profile("chromium156"));
    if (!templates) co_return "templates: " + templates.error().describe();
    auto url = *Url::parse("https://127.0.0.1:" + std::to_string(server.port) + "/small");
    client::ComputedValues computed;
    computed.authority = url.authority();
    auto plan = client::plan_request(*templates, RequestKind::fetch, "GET", url, {}, computed);
    if (!plan) co_return "plan: " + plan.error().describe();
    std::string body, response_body;
    client::BodySink sink(1 << 20, false, {}, &response_body);
    BodySource none;
    client::ExchangeInput in{&*plan, &body, &none, Timeouts{}, {}};
    auto head = co_await client::exchange_h2(connection, in, sink);
    if (!head) co_return "get while tunnel stalled: " + head.error().describe();
    if (head->status != 200 || response_body != std::string(100, 'x')) co_return "bad response";
    if (write_done) co_return "the tunnel never stalled: the test proves nothing";
    (*tunnel)->close();  // RST_STREAM(CANCEL); wakes the stalled writer with an error
    asio::steady_timer settle(co_await asio::this_coro::executor, std::chrono::milliseconds(50));
    (void)co_await settle.async_wait(net::use_tuple);
    if (!write_done) co_return "writer still stuck after close";
    connection->close(Error(ErrorKind::cancelled, "test done", "test"));
    co_return "ok";
  }, asio::use_future);
  io.run_for(std::chrono::seconds(20));
  ASSERT_EQ(done.wait_for(std::chrono::seconds(0)), std::future_status::ready);
  EXPECT_EQ(done.get(), "ok");
}
