// handshake_rate: N sequential new connections, each TCP connect + TLS handshake with the chromium156 profile
// (X25519MLKEM768 key share, GREASE, ALPS, ECH GREASE; ALPN http/1.1 so the exchange is one plain request) +
// one GET with Connection: close, read to EOF. Prints the rate, like libcurl's --fresh mode of
// curl_multi_bench. --full clears the session cache before each connection (no resumption); by default
// sessions resume as Chrome's would. The last line is one JSON object like wraith bench's.
// usage: handshake_rate --host 127.0.0.1 --port P [--path /small] [--n 300] [--full]
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>

#include <asio/co_spawn.hpp>
#include <asio/detached.hpp>
#include <asio/io_context.hpp>

#include "client/profile_mapping.h"
#include "tls/connector.h"
#include "wraith/profile.h"

using namespace wraith;

int main(int argc, char** argv) {
  std::string host = "127.0.0.1", path = "/small";
  long port = 0, n = 300;
  bool full = false;
  for (int i = 1; i < argc; ++i) {
    if (!std::strcmp(argv[i], "--host") && i + 1 < argc) host = argv[++i];
    else if (!std::strcmp(argv[i], "--port") && i + 1 < argc) port = std::atol(argv[++i]);
    else if (!std::strcmp(argv[i], "--path") && i + 1 < argc) path = argv[++i];
    else if (!std::strcmp(argv[i], "--n") && i + 1 < argc) n = std::atol(argv[++i]);
    else if (!std::strcmp(argv[i], "--full")) full = true;
    else {
      std::fprintf(stderr, "usage: handshake_rate --host H --port P [--path /small] [--n N] [--full]\n");
      return 2;
    }
  }
  if (port <= 0 || n <= 0) {
    std::fprintf(stderr, "handshake_rate: --port is required\n");
    return 2;
  }
  auto profile = builtin_profile("chromium156");
  if (!profile) return std::fprintf(stderr, "%s\n", profile.error().describe().c_str()), 1;
  TlsProfile tls = profile->tls;
  tls.alpn = {"http/1.1"};  // as the client does for HTTP/1.1-only: one request per connection, no h2 preface
  tls.alps_protocols.clear();
  auto context = tls::ClientContext::create(tls, profile->name, {.insecure = true}, client::alps_settings(*profile));
  if (!context) return std::fprintf(stderr, "%s\n", context.error().describe().c_str()), 1;

  asio::io_context io;
  long ok = 0, errors = 0, resumed = 0;
  std::uint64_t bytes = 0;
  std::string first_error;
  const std::string request = "GET " + path + " HTTP/1.1\r\nHost: " + host + "\r\nConnection: close\r\n\r\n";
  auto t0 = std::chrono::steady_clock::now();
  asio::co_spawn(io, [&]() -> asio::awaitable<void> {
    tls::TlsConnectOptions options;
    std::string response;
    std::uint8_t buf[16384];
    for (long i = 0; i < n; ++i) {
      if (full) (*context)->sessions().clear();
      auto stream = co_await tls::connect_tls(**context, host, static_cast<std::uint16_t>(port), options);
      if (!stream) {
        ++errors;
        if (first_error.empty()) first_error = stream.error().describe();
        continue;
      }
      if ((*stream)->session_reused()) ++resumed;
      auto written = co_await (*stream)->write_all(
          std::span(reinterpret_cast<const std::uint8_t*>(request.data()), request.size()));
      response.clear();
      while (written) {
        auto got = co_await (*stream)->read_some(buf);
        if (!got || *got == 0) break;
        response.append(reinterpret_cast<const char*>(buf), *got);
      }
      (*stream)->close();
      auto body = response.find("\r\n\r\n");
      if (response.rfind("HTTP/1.1 200", 0) == 0 && body != std::string::npos) {
        ++ok;
        bytes += response.size() - body - 4;
      } else {
        ++errors;
        if (first_error.empty()) first_error = "bad response: " + response.substr(0, 40);
      }
    }
  }, asio::detached);
  io.run();
  double loop_s = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  if (!first_error.empty()) std::printf("first error: %s\n", first_error.c_str());
  std::printf("connections: %ld ok (%ld resumed), %ld errors, %.0f new connections/s\n", ok, resumed, errors,
              ok / loop_s);
  std::printf("{\"ok\":%ld,\"errors\":%ld,\"bytes\":%llu,\"loop_s\":%.6f,\"proto\":\"h1\",\"resumed\":%ld}\n", ok, errors,
              static_cast<unsigned long long>(bytes), loop_s, resumed);
  return errors ? 1 : 0;
}
