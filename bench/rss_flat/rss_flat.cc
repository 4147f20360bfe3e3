// rss_flat: 100,000 GETs on one HTTP/2 connection to a local nghttpd it starts, 16 in flight. Prints the
// resident set after a 5,000-request warm-up, every 20,000 requests, and the delta at the end: memory must
// stay flat (no per-request growth in the pool, the driver, the session or HPACK state).
// usage: rss_flat [--n N] [--concurrency C] [--nghttpd PATH]
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <string>

#include <asio/co_spawn.hpp>
#include <asio/detached.hpp>
#include <asio/io_context.hpp>

#include "process.h"
#include "tls/certificate.h"
#include "wraith/client.h"

namespace {

using namespace wraith;

long rss_kb() {
  std::ifstream statm("/proc/self/statm");
  long pages = 0, resident = 0;
  statm >> pages >> resident;
  return resident * (sysconf(_SC_PAGESIZE) / 1024);
}

// One io_context for the whole run (the pooled connection belongs to it). RSS is sampled when the number of
// completed requests crosses a checkpoint, with the other requests of the window still in flight.
struct Run {
  long warmup = 5000, n = 100000, step = 20000;
  long started = 0, completed = 0, failed = 0, new_connections = 0;
  long before = 0;
};

void checkpoint(Run& run) {
  if (run.completed == run.warmup) {
    run.before = rss_kb();
    std::printf("rss after %ld-request warm-up: %ld KiB\n", run.warmup, run.before);
  } else if (run.completed > run.warmup && (run.completed - run.warmup) % run.step == 0) {
    std::printf("rss after %ld more requests: %ld KiB\n", run.completed - run.warmup, rss_kb());
  }
  std::fflush(stdout);
}

}  // namespace

int main(int argc, char** argv) {
  long n = 100000, concurrency = 16;
  std::string nghttpd = "/usr/sbin/nghttpd";
  for (int i = 1; i < argc; ++i) {
    if (!std::strcmp(argv[i], "--n") && i + 1 < argc) n = std::atol(argv[++i]);
    else if (!std::strcmp(argv[i], "--concurrency") && i + 1 < argc) concurrency = std::atol(argv[++i]);
    else if (!std::strcmp(argv[i], "--nghttpd") && i + 1 < argc) nghttpd = argv[++i];
    else {
      std::fprintf(stderr, "usage: rss_flat [--n N] [--concurrency C] [--nghttpd PATH]\n");
      return 2;
    }
  }
  using namespace wraith::test_support;
  if (!program_exists(nghttpd)) {
    std::fprintf(stderr, "rss_flat: %s not found (Debian nghttp2-server)\n", nghttpd.c_str());
    return 2;
  }
  std::string dir = make_temp_dir("wraith-rss-flat");
  auto cert = tls::make_certificate({});
  if (!cert) {
    std::fprintf(stderr, "rss_flat: %s\n", cert.error().describe().c_str());
    return 1;
  }
  write_file(dir + "/key.pem", cert->private_key);
  write_file(dir + "/cert.pem", cert->certificate);
  write_file(dir + "/small", std::string(100, 's'));
  auto port = free_port();
  Process server({nghttpd, "-d", dir, "-a", "127.0.0.1", std::to_string(port), dir + "/key.pem", dir + "/cert.pem"});
  if (!wait_for_port(port)) {
    std::fprintf(stderr, "rss_flat: nghttpd did not start\n");
    return 1;
  }
  ClientConfig config;
  config.insecure = true;
  config.version = HttpVersion::http2;
  config.max_redirects = 0;
  Client client(config);
  std::string url = "https://127.0.0.1:" + std::to_string(port) + "/small";

  Run run;
  run.n = n;
  asio::io_context io;
  long total = run.warmup + run.n;
  for (long w = 0; w < concurrency; ++w)
    asio::co_spawn(io, [&]() -> asio::awaitable<void> {
      while (run.started < total) {
        ++run.started;
        Request r;
        r.url = url;
        auto response = co_await client.async_send(std::move(r));
        if (!response || response->status != 200 || response->body.size() != 100) ++run.failed;
        else if (!response->reused_connection && run.completed >= run.warmup) ++run.new_connections;
        ++run.completed;
        checkpoint(run);
      }
    }, asio::detached);
  io.run();
  long after = rss_kb();
  std::printf("rss before %ld KiB, after %ld KiB, delta %+ld KiB over %ld requests (%.3f bytes/request); "
              "%ld failed, %ld on a new connection after warm-up\n",
              run.before, after, after - run.before, run.n, (after - run.before) * 1024.0 / static_cast<double>(run.n),
              run.failed, run.new_connections);
  std::system(("rm -rf '" + dir + "'").c_str());
  return run.failed ? 1 : 0;
}
