// Streams open together: Chromium 156 on the inspector's /parallel/ page (tests/fixtures/
// chromium-156-parallel.json) sent a navigation, then five fetches and an image in one flight, each HEADERS
// depending on the newest open stream of the nearest priority >= its own. wraith's client, sending the same
// requests in the same order on one connection, must put the same stream ids and priority fields on the wire.
#include <gtest/gtest.h>

#include <asio/co_spawn.hpp>
#include <asio/detached.hpp>
#include <asio/io_context.hpp>

#include "test_client.h"
#include "wraith/client.h"

using namespace wraith;
using namespace wraith::inspect::testing;

TEST(CaptureParallel, ConcurrentRequestsCarryChromiumsPriorityChain) {
  const auto reference = load_fixture("chromium-156-parallel.json");
  const auto& captured = reference["requests"];
  ASSERT_EQ(captured.size(), 7u);

  RunningInspector inspector;
  const std::string origin = "https://127.0.0.1:" + std::to_string(inspector.port());
  const std::string page = origin + "/parallel/x";
  asio::io_context io;
  ClientConfig config;
  config.profile = "chromium156";
  config.insecure = true;
  auto created = Client::create(config, io.get_executor());
  ASSERT_TRUE(created) << created.error().describe();
  std::unique_ptr<Client> client = std::move(*created);
  int ok = 0;
  int pending = static_cast<int>(captured.size()) - 1;
  auto send = [&](Request request) -> asio::awaitable<void> {
    auto r = co_await client->async_send(std::move(request));
    ok += r && r->status == 200;
    if (--pending == 0) client.reset();
  };
  asio::co_spawn(io, [&]() -> asio::awaitable<void> {
    Request navigation;
    navigation.url = page;
    auto nav = co_await client->async_send(std::move(navigation));
    ok += nav && nav->status == 200;
    // The sub-requests all start before any answer can be read, as the page's script starts them.
    for (std::size_t i = 1; i < captured.size(); ++i) {
      const std::string path = captured[i]["path"];
      Request request;
      request.url = origin + path;
      request.kind = path.rfind("/k/image", 0) == 0 ? RequestKind::image : RequestKind::fetch;
      request.referer = page;
      asio::co_spawn(io, send(std::move(request)), asio::detached);
    }
  }, asio::detached);
  io.run();
  ASSERT_EQ(ok, 7);

  ASSERT_TRUE(inspector.wait_for(1, 10s));
  const auto ours = inspector.report(0)["requests"];
  ASSERT_EQ(ours.size(), captured.size());
  for (std::size_t i = 0; i < captured.size(); ++i) {
    SCOPED_TRACE(captured[i]["path"].get<std::string>());
    EXPECT_EQ(ours[i]["path"].get<std::string>(), captured[i]["path"].get<std::string>());
    EXPECT_EQ(ours[i]["stream_id"], captured[i]["stream_id"]);
    EXPECT_EQ(ours[i]["headers_frame"]["priority"], captured[i]["headers_frame"]["priority"]);
    EXPECT_EQ(ours[i]["headers_frame"]["flag_names"], captured[i]["headers_frame"]["flag_names"]);
  }
}
