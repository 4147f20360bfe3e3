// Interop with real HTTP/2 servers from Debian and Node, each started here on 127.0.0.1:
// 10,000 GETs with 100 in flight on one connection (every body verified), a 100 MiB download with its
// hash checked, and a 100 MiB upload streamed from a generator whose hash the server reports.
#include <sys/stat.h>

#include <atomic>

#include <asio/co_spawn.hpp>
#include <asio/detached.hpp>
#include <asio/io_context.hpp>
#include <asio/use_awaitable.hpp>
#include <gtest/gtest.h>
#include <openssl/sha.h>

#include "process.h"
#include "tls/certificate.h"
#include "util/hex.h"
#include "wraith/client.h"

using namespace wraith;
using namespace wraith::test_support;

namespace {

constexpr std::size_t k100MiB = 100u << 20;

char pattern_byte(std::size_t i) { return static_cast<char>('a' + (i % 65536) % 26); }

struct Server {
  std::string dir;
  std::uint16_t port = 0;
  std::unique_ptr<Process> process;
  bool ready = false;
  std::string url(const std::string& path) const { return "https://127.0.0.1:" + std::to_string(port) + path; }
};

std::string prepare_dir(const char* name, bool big_file) {
  std::string dir = make_temp_dir(name);
  chmod(dir.c_str(), 0755);
  auto cert = tls::make_certificate({});
  write_file(dir + "/key.pem", cert->private_key);
  write_file(dir + "/cert.pem", cert->certificate);
  mkdir((dir + "/www").c_str(), 0755);
  write_file(dir + "/www/small", std::string(100, 'x'));
  if (big_file) {
    std::string big(k100MiB, '\0');
    for (std::size_t i = 0; i < big.size(); ++i) big[i] = pattern_byte(i);
    write_file(dir + "/www/100m", big);
  }
  return dir;
}

Server start_nghttpd() {
  Server s;
  s.dir = prepare_dir("wraith-nghttpd", true);
  s.port = free_port();
  s.process = std::make_unique<Process>(std::vector<std::string>{"/usr/sbin/nghttpd", "-d", s.dir + "/www", "-a", "127.0.0.1",
                                                                 std::to_string(s.port), s.dir + "/key.pem", s.dir + "/cert.pem"},
                                        s.dir + "/log");
  s.ready = wait_for_port(s.port);
  return s;
}

Server start_nginx() {
  Server s;
  s.dir = prepare_dir("wraith-nginx", true);
  s.port = free_port();
  std::string d = s.dir;
  write_file(d + "/nginx.conf",
             "daemon off; worker_processes 1; pid " + d + "/nginx.pid; error_log " + d + "/error.log;\n"
             "events { worker_connections 1024; }\n"
             "http { access_log " + d + "/access.log; client_body_temp_path " + d + "/body; proxy_temp_path " + d + "/proxy;\n"
             "  fastcgi_temp_path " + d + "/fcgi; uwsgi_temp_path " + d + "/uwsgi; scgi_temp_path " + d + "/scgi;\n"
             "  server { listen 127.0.0.1:" + std::to_string(s.port) + " ssl http2; ssl_certificate " + d + "/cert.pem;\n"
             "    ssl_certificate_key " + d + "/key.pem; root " + d + "/www; keepalive_requests 1000000;\n"
             "    http2_max_concurrent_streams 1000; } }\n");
  s.process = std::make_unique<Process>(std::vector<std::string>{"/usr/sbin/nginx", "-c", d + "/nginx.conf", "-p", d},
                                        d + "/log");
  s.ready = wait_for_port(s.port);
  return s;
}

Server start_node() {
  Server s;
  s.dir = prepare_dir("wraith-node", false);
  s.port = free_port();
  s.process = std::make_unique<Process>(std::vector<std::string>{"/usr/bin/node", std::string(WRAITH_INTEROP_DIR) + "/node_h2_server.js",
                                                                 std::to_string(s.port), s.dir + "/key.pem", s.dir + "/cert.pem"},
                                        s.dir + "/log");
  s.ready = wait_for_port(s.port);
  return s;
}

ClientConfig insecure() {
  ClientConfig c;
  c.insecure = true;
  return c;
}

struct Counts {
  int ok = 0, bad = 0;
  std::string first_error;
};

// n GETs of url with `in_flight` concurrent requests, every body compared with `expected`.
Counts many_gets(Client& client, const std::string& url, int n, int in_flight, const std::string& expected) {
  asio::io_context io;
  Counts counts;
  int next = 0;
  for (int w = 0; w < in_flight; ++w)
    asio::co_spawn(io, [&]() -> asio::awaitable<void> {
      while (next < n) {
        ++next;
        Request r;
        r.url = url;
        r.kind = RequestKind::fetch;
        auto response = co_await client.async_send(std::move(r));
        if (response && response->status == 200 && response->body == expected) {
          ++counts.ok;
        } else {
          ++counts.bad;
          if (counts.first_error.empty())
            counts.first_error = response ? "status " + std::to_string(response->status) : response.error().describe();
        }
      }
    }, asio::detached);
  io.run();
  return counts;
}

std::string sha256_of_pattern(std::size_t n) {
  SHA256_CTX ctx;
  SHA256_Init(&ctx);
  std::string block(65536, '\0');
  for (std::size_t i = 0; i < block.size(); ++i) block[i] = pattern_byte(i);
  for (std::size_t done = 0; done < n;) {
    std::size_t take = std::min(block.size(), n - done);
    SHA256_Update(&ctx, block.data(), take);
    done += take;
  }
  std::uint8_t digest[32];
  SHA256_Final(digest, &ctx);
  return util::to_hex(digest);
}

void download_100m(Client& client, const std::string& url) {
  SHA256_CTX ctx;
  SHA256_Init(&ctx);
  std::size_t received = 0;
  Request r;
  r.url = url;
  r.on_body = [&](std::span<const std::uint8_t> chunk) -> Result<void> {
    SHA256_Update(&ctx, chunk.data(), chunk.size());
    received += chunk.size();
    return {};
  };
  auto response = client.send(std::move(r));
  ASSERT_TRUE(response) << response.error().describe();
  EXPECT_EQ(response->status, 200);
  EXPECT_EQ(received, k100MiB);
  std::uint8_t digest[32];
  SHA256_Final(digest, &ctx);
  EXPECT_EQ(util::to_hex(digest), sha256_of_pattern(k100MiB));
}

}  // namespace

TEST(Interop, NghttpdTenThousandGetsHundredInFlight) {
  auto server = start_nghttpd();
  ASSERT_TRUE(server.ready);
  Client client(insecure());
  auto counts = many_gets(client, server.url("/small"), 10000, 100, std::string(100, 'x'));
  EXPECT_EQ(counts.ok, 10000) << counts.first_error;
  EXPECT_EQ(counts.bad, 0);
}

TEST(Interop, NghttpdDownload100MiB) {
  auto server = start_nghttpd();
  ASSERT_TRUE(server.ready);
  Client client(insecure());
  download_100m(client, server.url("/100m"));
}

TEST(Interop, NginxTenThousandGetsHundredInFlight) {
  auto server = start_nginx();
  ASSERT_TRUE(server.ready);
  Client client(insecure());
  auto counts = many_gets(client, server.url("/small"), 10000, 100, std::string(100, 'x'));
  EXPECT_EQ(counts.ok, 10000) << counts.first_error;
  auto one = client.get(server.url("/small"));
  ASSERT_TRUE(one);
  EXPECT_EQ(one->version, "h2");
}

TEST(Interop, NginxDownload100MiB) {
  auto server = start_nginx();
  ASSERT_TRUE(server.ready);
  Client client(insecure());
  download_100m(client, server.url("/100m"));
}

TEST(Interop, NodeTenThousandGetsHundredInFlight) {
  auto server = start_node();
  ASSERT_TRUE(server.ready);
  Client client(insecure());
  auto counts = many_gets(client, server.url("/small"), 10000, 100, std::string(100, 'x'));
  EXPECT_EQ(counts.ok, 10000) << counts.first_error;
}

TEST(Interop, NodeDownload100MiB) {
  auto server = start_node();
  ASSERT_TRUE(server.ready);
  Client client(insecure());
  download_100m(client, server.url("/bytes?n=" + std::to_string(k100MiB)));
}

TEST(Interop, NodeUpload100MiBStreamedFromAGenerator) {
  auto server = start_node();
  ASSERT_TRUE(server.ready);
  Client client(insecure());
  Request r;
  r.method = "POST";
  r.url = server.url("/upload");
  r.kind = RequestKind::fetch;
  std::size_t produced = 0;
  std::size_t largest_chunk = 0;
  // Generated on demand in 64 KiB pieces: the body never exists whole in memory.
  r.body_source = [&]() -> Result<std::vector<std::uint8_t>> {
    std::size_t take = std::min<std::size_t>(65536, k100MiB - produced);
    std::vector<std::uint8_t> chunk(take);
    for (std::size_t i = 0; i < take; ++i) chunk[i] = static_cast<std::uint8_t>(pattern_byte(produced + i));
    produced += take;
    largest_chunk = std::max(largest_chunk, take);
    return chunk;
  };
  auto response = client.send(std::move(r));
  ASSERT_TRUE(response) << response.error().describe();
  EXPECT_EQ(response->status, 200);
  EXPECT_EQ(response->body, std::to_string(k100MiB) + " " + sha256_of_pattern(k100MiB));
  EXPECT_LE(largest_chunk, 65536u);
}
