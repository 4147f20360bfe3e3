// wraith bench: a load mode like h2load, with the browser's fingerprint. N GETs, at most C in flight,
// connections reused; a request counts only with status 200 and a complete body.
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <string>
#include <vector>

#include <asio/co_spawn.hpp>
#include <asio/detached.hpp>
#include <asio/io_context.hpp>
#include <asio/use_awaitable.hpp>

#include "commands.h"
#include "exit_codes.h"
#include "wraith/client.h"

namespace wraith::cli {

namespace {

const char* kBenchHelp =
    "usage: wraith bench --url URL [--n N] [--concurrency C] [--proto h1|h2] [--profile NAME]\n"
    "                    [--profile-file FILE] [-k]\n"
    "Sends N GETs (default 1000) with at most C in flight (default 1), reusing connections (HTTP/1.1: up to C\n"
    "connections). Prints rate, latency percentiles, errors and bytes; the last line is one JSON object:\n"
    "  {\"ok\":N,\"errors\":E,\"bytes\":B,\"loop_s\":T,\"proto\":\"h2\"}\n"
    "A request counts as ok only with status 200 and a body matching its Content-Length.\n";

double percentile(std::vector<double>& sorted, double p) {
  if (sorted.empty()) return 0;
  std::size_t i = static_cast<std::size_t>(p * (sorted.size() - 1));
  return sorted[i];
}

}  // namespace

int bench_command(int argc, char** argv) {
  std::string url, proto, profile, profile_file;
  long n = 1000, concurrency = 1;
  bool insecure = false;
  for (int i = 0; i < argc; ++i) {
    std::string a = argv[i];
    auto value = [&]() -> const char* { return i + 1 < argc ? argv[++i] : nullptr; };
    const char* v = nullptr;
    if (a == "-h" || a == "--help") {
      std::fputs(kBenchHelp, stdout);
      return 0;
    } else if (a == "--url" && (v = value())) url = v;
    else if ((a == "--n" || a == "-n") && (v = value())) n = std::atol(v);
    else if ((a == "--concurrency" || a == "-c") && (v = value())) concurrency = std::atol(v);
    else if (a == "--proto" && (v = value())) proto = v;
    else if (a == "--profile" && (v = value())) profile = v;
    else if (a == "--profile-file" && (v = value())) profile_file = v;
    else if (a == "-k" || a == "--insecure") insecure = true;
    else {
      std::fprintf(stderr, "wraith bench: bad argument '%s' (see --help)\n", a.c_str());
      return 2;
    }
  }
  if (url.empty() || n <= 0 || concurrency <= 0 || (!proto.empty() && proto != "h1" && proto != "h2")) {
    std::fputs(kBenchHelp, stderr);
    return 2;
  }
  ClientConfig config;
  config.insecure = insecure;
  config.profile = profile;
  if (!profile_file.empty()) {
    auto loaded = load_profile_file(profile_file);
    if (!loaded) {
      std::fprintf(stderr, "wraith bench: %s\n", loaded.error().describe().c_str());
      return exit_code_for(loaded.error());
    }
    config.profile_data = std::move(*loaded);
  }
  config.max_redirects = 0;
  config.max_connections_per_host = static_cast<std::size_t>(concurrency);
  if (proto == "h1") config.version = HttpVersion::http1_1;
  if (proto == "h2") config.version = HttpVersion::http2;
  // The client runs on this loop: the workers' requests take no cross-thread hop. One thread does all the I/O,
  // so the reactor skips its per-descriptor locks.
  asio::io_context io(ASIO_CONCURRENCY_HINT_UNSAFE_IO);
  auto client = Client::create(config, io.get_executor());
  if (!client) {
    std::fprintf(stderr, "wraith bench: %s\n", client.error().describe().c_str());
    return exit_code_for(client.error());
  }

  long started = 0, ok = 0, errors = 0;
  std::uint64_t bytes = 0;
  std::string seen_proto, first_error;
  std::vector<double> latencies;
  latencies.reserve(static_cast<std::size_t>(n));
  auto loop_start = std::chrono::steady_clock::now();
  std::chrono::steady_clock::time_point loop_end;
  long workers = std::min(concurrency, n);
  for (long w = 0; w < workers; ++w)
    asio::co_spawn(io, [&]() -> asio::awaitable<void> {
      std::uint64_t received = 0;  // one request at a time per worker
      while (started < n) {
        ++started;
        Request r;
        r.url = url;
        // Bodies are counted, not kept: a load generator must not pay for storing what it measures. (One
        // pointer captured: std::function keeps it inline, no allocation per request.)
        received = 0;
        std::uint64_t* counter = &received;
        r.on_body = [counter](std::span<const std::uint8_t> chunk) -> Result<void> {
          *counter += chunk.size();
          return {};
        };
        auto t0 = std::chrono::steady_clock::now();
        auto response = co_await (*client)->async_send(std::move(r));
        latencies.push_back(std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count());
        bool complete = response && response->status == 200;
        if (complete) {
          auto length = response->header("content-length");
          complete = !length || std::to_string(received) == *length;
        }
        if (complete) {
          ++ok;
          bytes += received;
          seen_proto = response->version == "h2" ? "h2" : "h1";
        } else {
          ++errors;
          if (first_error.empty())
            first_error = response ? "status " + std::to_string(response->status) : response.error().describe();
        }
      }
      if (--workers == 0) {
        loop_end = std::chrono::steady_clock::now();
        client->reset();  // closes the pooled connections, so the loop runs out of work
      }
    }, asio::detached);
  io.run();
  double loop_s = std::chrono::duration<double>(loop_end - loop_start).count();
  std::sort(latencies.begin(), latencies.end());
  std::printf("requests: %ld ok, %ld errors, %.0f req/s, %.2f MB/s\n", ok, errors, ok / loop_s, bytes / loop_s / 1e6);
  std::printf("latency ms: p50 %.3f  p90 %.3f  p99 %.3f  max %.3f\n", percentile(latencies, 0.5),
              percentile(latencies, 0.9), percentile(latencies, 0.99), latencies.empty() ? 0 : latencies.back());
  if (!first_error.empty()) std::printf("first error: %s\n", first_error.c_str());
  std::printf("{\"ok\":%ld,\"errors\":%ld,\"bytes\":%llu,\"loop_s\":%.6f,\"proto\":\"%s\"}\n", ok, errors,
              static_cast<unsigned long long>(bytes), loop_s, seen_proto.empty() ? (proto.empty() ? "h2" : proto.c_str()) : seen_proto.c_str());
  return errors ? 1 : 0;
}

}  // namespace wraith::cli
