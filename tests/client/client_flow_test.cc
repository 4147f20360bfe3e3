// Redirects, cookies across hops, credentials on cross-origin hops, and content decoding, against a
// scripted HTTP/1.1 server that routes by path and records what it received.
#include <zlib.h>
#include <brotli/encode.h>
#include <zstd.h>
#include <strings.h>

#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include <asio/write.hpp>
#include <gtest/gtest.h>

#include "net/asio_compat.h"
#include "scripted_server.h"
#include "wraith/client.h"

using namespace wraith;
using asio::ip::tcp;
using test_support::ScriptedServer;

namespace {

struct Seen {
  std::mutex mutex;
  std::map<std::string, std::string> heads;  // path -> request head
};

std::string gzip(const std::string& in) {
  z_stream z{};
  deflateInit2(&z, 6, Z_DEFLATED, 31, 8, Z_DEFAULT_STRATEGY);
  std::string out(in.size() + 64, '\0');
  z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(in.data()));
  z.avail_in = static_cast<uInt>(in.size());
  z.next_out = reinterpret_cast<Bytef*>(out.data());
  z.avail_out = static_cast<uInt>(out.size());
  deflate(&z, Z_FINISH);
  out.resize(z.total_out);
  deflateEnd(&z);
  return out;
}

std::string brotli(const std::string& in) {
  std::size_t size = BrotliEncoderMaxCompressedSize(in.size());
  std::string out(size, '\0');
  BrotliEncoderCompress(5, BROTLI_DEFAULT_WINDOW, BROTLI_MODE_TEXT, in.size(), reinterpret_cast<const uint8_t*>(in.data()),
                        &size, reinterpret_cast<uint8_t*>(out.data()));
  out.resize(size);
  return out;
}

std::string zstd(const std::string& in) {
  std::string out(ZSTD_compressBound(in.size()), '\0');
  out.resize(ZSTD_compress(out.data(), out.size(), in.data(), in.size(), 3));
  return out;
}

const std::string kText = "the same text, compressed three ways, and again: the same text";

std::string respond(const std::string& path, int other_port) {
  auto reply = [](const std::string& status, const std::string& headers, const std::string& body) {
    return "HTTP/1.1 " + status + "\r\n" + headers + "Content-Length: " + std::to_string(body.size()) + "\r\n\r\n" + body;
  };
  if (path == "/start") return reply("302 Found", "Location: /set\r\n", "moved");  // a body no caller should see
  if (path == "/set") return reply("303 See Other", "Set-Cookie: session=abc; Path=/\r\nLocation: /final\r\n", "");
  if (path == "/final") return reply("200 OK", "", "done");
  if (path == "/away")
    return reply("307 Temporary Redirect", "Location: http://localhost:" + std::to_string(other_port) + "/elsewhere\r\n", "");
  if (path == "/elsewhere") return reply("200 OK", "", "there");
  if (path == "/gzip") return reply("200 OK", "Content-Encoding: gzip\r\n", gzip(kText));
  if (path == "/br") return reply("200 OK", "Content-Encoding: br\r\n", brotli(kText));
  if (path == "/zstd") return reply("200 OK", "Content-Encoding: zstd\r\n", zstd(kText));
  if (path == "/loop") return reply("302 Found", "Location: /loop\r\n", "");
  return reply("404 Not Found", "", "");
}

ScriptedServer::Handler router(Seen& seen, int* other_port) {
  return [&seen, other_port](tcp::socket socket, int) -> asio::awaitable<void> {
    std::string buffer;
    std::vector<char> chunk(65536);
    for (;;) {
      auto end = buffer.find("\r\n\r\n");
      while (end == std::string::npos) {
        auto [ec, n] = co_await socket.async_read_some(asio::buffer(chunk), net::use_tuple);
        if (ec) co_return;
        buffer.append(chunk.data(), n);
        end = buffer.find("\r\n\r\n");
      }
      std::string head = buffer.substr(0, end);
      buffer.erase(0, end + 4);
      auto sp1 = head.find(' '), sp2 = head.find(' ', sp1 + 1);
      std::string path = head.substr(sp1 + 1, sp2 - sp1 - 1);
      {
        std::lock_guard lock(seen.mutex);
        seen.heads[path] = head;
      }
      std::string reply = respond(path, *other_port);
      auto [wec, wn] = co_await asio::async_write(socket, asio::buffer(reply), net::use_tuple);
      if (wec) co_return;
    }
  };
}

}  // namespace

TEST(ClientFlow, RedirectChainCarriesJarCookiesAndHistory) {
  Seen seen;
  int other = 0;
  ScriptedServer server(router(seen, &other));
  Client client;
  std::string base = "http://127.0.0.1:" + std::to_string(server.port());
  auto r = client.get(base + "/start");
  ASSERT_TRUE(r) << r.error().describe();
  EXPECT_EQ(r->status, 200);
  EXPECT_EQ(r->body, "done");
  ASSERT_EQ(r->history.size(), 2u);
  EXPECT_NE(r->url.find("/final"), std::string::npos);
  std::lock_guard lock(seen.mutex);
  // The cookie set on the 303 goes with the next hop, from the jar.
  EXPECT_NE(seen.heads["/final"].find("Cookie: session=abc"), std::string::npos) << seen.heads["/final"];
  EXPECT_EQ(seen.heads["/start"].find("Cookie:"), std::string::npos);
}

TEST(ClientFlow, CrossOriginHopDropsAuthorizationAndUserCookie) {
  Seen seen_a, seen_b;
  int port_b = 0;
  ScriptedServer b(router(seen_b, &port_b));
  port_b = b.port();
  ScriptedServer a(router(seen_a, &port_b));
  Client client;
  Request request;
  request.url = "http://127.0.0.1:" + std::to_string(a.port()) + "/away";
  request.headers = {{"authorization", "Bearer secret"}, {"cookie", "mine=1"}};
  auto r = client.send(request);
  ASSERT_TRUE(r) << r.error().describe();
  EXPECT_EQ(r->body, "there");
  std::lock_guard la(seen_a.mutex), lb(seen_b.mutex);
  EXPECT_NE(seen_a.heads["/away"].find("Bearer secret"), std::string::npos);
  EXPECT_EQ(seen_b.heads["/elsewhere"].find("Bearer secret"), std::string::npos) << seen_b.heads["/elsewhere"];
  EXPECT_EQ(seen_b.heads["/elsewhere"].find("mine=1"), std::string::npos);
  EXPECT_NE(seen_b.heads["/elsewhere"].find("Sec-Fetch-Site: cross-site"), std::string::npos) << seen_b.heads["/elsewhere"];
}

TEST(ClientFlow, TooManyRedirectsIsTyped) {
  Seen seen;
  int other = 0;
  ScriptedServer server(router(seen, &other));
  ClientConfig c;
  c.max_redirects = 5;
  Client client(c);
  auto r = client.get("http://127.0.0.1:" + std::to_string(server.port()) + "/loop");
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().kind, ErrorKind::redirect);
}

TEST(ClientFlow, DecodesGzipBrotliZstd) {
  Seen seen;
  int other = 0;
  ScriptedServer server(router(seen, &other));
  Client client;
  for (const char* path : {"/gzip", "/br", "/zstd"}) {
    auto r = client.get("http://127.0.0.1:" + std::to_string(server.port()) + path);
    ASSERT_TRUE(r) << path << ": " << r.error().describe();
    EXPECT_EQ(r->body, kText) << path;
  }
  ClientConfig raw;
  raw.decompress = false;
  Client untouched(raw);
  auto r = untouched.get("http://127.0.0.1:" + std::to_string(server.port()) + "/gzip");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->body, gzip(kText));
}

namespace {

// What a streaming caller sees, in order: "head <status>" once per response, then "body" per chunk.
struct Events {
  std::vector<std::string> order;
  std::vector<HeaderList> heads;
};

void watch(Request& request, Events& events) {
  request.on_response_head = [&events](int status, const HeaderList& headers) {
    events.order.push_back("head " + std::to_string(status));
    events.heads.push_back(headers);
  };
  request.on_body = [&events](std::span<const std::uint8_t> chunk) -> Result<void> {
    events.order.push_back("body " + std::string(reinterpret_cast<const char*>(chunk.data()), chunk.size()));
    return {};
  };
}

std::optional<std::string> find_header(const HeaderList& headers, const std::string& name) {
  for (const auto& [n, v] : headers)
    if (strcasecmp(n.c_str(), name.c_str()) == 0) return v;
  return std::nullopt;
}

// A request to the router at `path` with both hooks watched.
struct Watched {
  Seen seen;
  int other = 0;
  ScriptedServer server{router(seen, &other)};
  Client client;
  Request request;
  Events events;
  explicit Watched(const std::string& path) {
    request.url = "http://127.0.0.1:" + std::to_string(server.port()) + path;
    watch(request, events);
  }
};

}  // namespace

TEST(ClientFlow, ResponseHeadComesOnceBeforeTheBody) {
  Watched w("/gzip");
  auto& events = w.events;
  auto r = w.client.send(w.request);
  ASSERT_TRUE(r) << r.error().describe();
  ASSERT_GE(events.order.size(), 2u);
  EXPECT_EQ(events.order[0], "head 200");
  std::string body;
  for (std::size_t i = 1; i < events.order.size(); ++i) {
    ASSERT_EQ(events.order[i].rfind("body ", 0), 0u) << events.order[i];
    body += events.order[i].substr(5);
  }
  EXPECT_EQ(body, kText);  // decoded, while the head tells what came on the wire
  ASSERT_EQ(events.heads.size(), 1u);
  EXPECT_EQ(events.heads[0], r->headers);
  EXPECT_EQ(find_header(events.heads[0], "content-encoding"), "gzip");
  EXPECT_EQ(find_header(events.heads[0], "content-length"), std::to_string(gzip(kText).size()));
}

TEST(ClientFlow, FollowedRedirectsAreNeitherAnnouncedNorDelivered) {
  Watched w("/start");
  auto& events = w.events;
  auto& client = w.client;
  auto r = client.send(w.request);
  ASSERT_TRUE(r) << r.error().describe();
  // The caller hears of the final response only; the hops are in r->history.
  EXPECT_EQ(events.order, (std::vector<std::string>{"head 200", "body done"}));
  ASSERT_EQ(events.heads.size(), 1u);
  EXPECT_EQ(events.heads[0], r->headers);
  EXPECT_EQ(r->history.size(), 2u);
  // Not following: the redirect itself is the final response, announced and delivered.
  Events unfollowed;
  Request once = w.request;
  once.max_redirects = 0;
  watch(once, unfollowed);
  auto first = client.send(once);
  ASSERT_TRUE(first) << first.error().describe();
  EXPECT_EQ(first->status, 302);
  EXPECT_EQ(unfollowed.order, (std::vector<std::string>{"head 302", "body moved"}));
}
