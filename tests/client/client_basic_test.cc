// The client end to end against real servers on 127.0.0.1: nghttpd (h2), wraith's own TLS server (h1).
#include <thread>

#include <asio/co_spawn.hpp>
#include <asio/detached.hpp>
#include <asio/io_context.hpp>
#include <gtest/gtest.h>

#include "process.h"
#include "tls/certificate.h"
#include "tls_server.h"
#include "wraith/client.h"

using namespace wraith;
using namespace wraith::test_support;

namespace {

struct Nghttpd {
  Nghttpd() {
    dir = make_temp_dir("wraith-nghttpd");
    auto cert = tls::make_certificate({});
    write_file(dir + "/key.pem", cert->private_key);
    write_file(dir + "/cert.pem", cert->certificate);
    write_file(dir + "/small.txt", std::string(100, 'x'));
    std::string big;
    for (int i = 0; i < 1 << 20; ++i) big.push_back(static_cast<char>('a' + i % 26));
    write_file(dir + "/1m.bin", big);
    port = free_port();
    process = std::make_unique<Process>(std::vector<std::string>{"/usr/sbin/nghttpd", "-d", dir, "-a", "127.0.0.1",
                                                                std::to_string(port), dir + "/key.pem", dir + "/cert.pem"},
                                        dir + "/log");
    ready = wait_for_port(port);
  }
  std::string url(const std::string& path) const { return "https://127.0.0.1:" + std::to_string(port) + path; }
  std::string dir;
  std::uint16_t port = 0;
  std::unique_ptr<Process> process;
  bool ready = false;
};

ClientConfig insecure() {
  ClientConfig c;
  c.insecure = true;
  return c;
}

}  // namespace

TEST(ClientBasic, GetOverH2FromNghttpd) {
  Nghttpd server;
  ASSERT_TRUE(server.ready);
  Client client(insecure());
  auto r = client.get(server.url("/small.txt"));
  ASSERT_TRUE(r) << r.error().describe();
  EXPECT_EQ(r->status, 200);
  EXPECT_EQ(r->version, "h2");
  EXPECT_EQ(r->body, std::string(100, 'x'));
  auto big = client.get(server.url("/1m.bin"));
  ASSERT_TRUE(big) << big.error().describe();
  EXPECT_EQ(big->body.size(), 1u << 20);
  EXPECT_EQ(big->body[12345], static_cast<char>('a' + 12345 % 26));
  EXPECT_TRUE(big->reused_connection);
  auto missing = client.get(server.url("/nope"));
  ASSERT_TRUE(missing);
  EXPECT_EQ(missing->status, 404);
}

TEST(ClientBasic, GetOverHttp1) {
  tls::ServerOptions options;
  options.alpn = {"http/1.1"};
  test_support::LoopbackTlsServer server(options, "hello over h1");
  Client client(insecure());
  auto r = client.get("https://127.0.0.1:" + std::to_string(server.port()) + "/");
  ASSERT_TRUE(r) << r.error().describe();
  EXPECT_EQ(r->status, 200);
  EXPECT_EQ(r->version, "http/1.1");
  EXPECT_EQ(r->body, "hello over h1");
}

TEST(ClientBasic, BadInputIsTyped) {
  Client client(insecure());
  auto bad_url = client.get("htp:/nothing");
  ASSERT_FALSE(bad_url);
  EXPECT_EQ(bad_url.error().kind, ErrorKind::invalid_url);
  Request r;
  r.url = "https://127.0.0.1:1/";
  r.headers = {{"x-evil", "a\r\nInjected: 1"}};
  auto injected = client.send(r);
  ASSERT_FALSE(injected);
  EXPECT_EQ(injected.error().kind, ErrorKind::invalid_header);
  auto refused = client.get("https://127.0.0.1:1/");
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().kind, ErrorKind::connect);
  ClientConfig unknown;
  unknown.profile = "netscape4";
  auto created = Client::create(unknown);
  ASSERT_FALSE(created);
  EXPECT_EQ(created.error().kind, ErrorKind::invalid_argument);
}

// A client on the caller's io_context: requests run on that one thread (no loop thread of the client's own),
// many in flight share the one h2 connection, and destroying the client lets the loop run out of work.
TEST(ClientBasic, RunsOnTheCallersExecutor) {
  Nghttpd server;
  ASSERT_TRUE(server.ready);
  asio::io_context io;
  auto created = Client::create(insecure(), io.get_executor());
  ASSERT_TRUE(created) << created.error().describe();
  std::unique_ptr<Client> client = std::move(*created);
  EXPECT_TRUE(client->executor() == io.get_executor());
  const auto loop_thread = std::this_thread::get_id();
  int ok = 0, in_flight = 0, peak = 0, reused = 0, off_thread = 0;
  constexpr int kRequests = 20;
  for (int i = 0; i < kRequests; ++i)
    asio::co_spawn(io, [&]() -> asio::awaitable<void> {
      Request request;
      request.url = server.url("/small.txt");
      peak = std::max(peak, ++in_flight);
      auto r = co_await client->async_send(std::move(request));
      --in_flight;
      if (std::this_thread::get_id() != loop_thread) ++off_thread;
      if (r && r->status == 200 && r->body == std::string(100, 'x')) ++ok;
      if (r && r->reused_connection) ++reused;
      if (in_flight == 0) client.reset();  // the last one to finish closes the pool
    }, asio::detached);
  io.run();  // returns only once the client's connection has closed
  EXPECT_EQ(ok, kRequests);
  EXPECT_EQ(peak, kRequests);
  EXPECT_EQ(reused, kRequests - 1);  // one connection for all of them
  EXPECT_EQ(off_thread, 0);
  EXPECT_EQ(client, nullptr);
}
