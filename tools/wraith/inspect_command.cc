// `wraith inspect`: runs the fingerprint echo server in the foreground until SIGINT/SIGTERM (or, with
// --once, until the first connection has finished), printing one line per connection.
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <iostream>
#include <string>

#include <asio/io_context.hpp>
#include <asio/signal_set.hpp>

#include "commands.h"
#include "inspect/inspector.h"

namespace wraith::cli {
namespace {

constexpr const char* kUsage =
    "usage: wraith inspect [--port P] [--bind ADDR] [--out DIR] [--once] [--http1-only]\n"
    "                      [--handshake-timeout MS] [--idle-timeout MS]\n"
    "\n"
    "A local fingerprint echo server. One port serves TLS (ALPN h2 or http/1.1), h2c with prior\n"
    "knowledge and plain HTTP/1.1. Every request is answered with 200 and a JSON body: the connection's\n"
    "report so far (TLS ClientHello, JA3/JA4, HTTP/2 frames and HPACK encoding, header order) and the\n"
    "request itself. Exceptions: /capture/... serves an HTML page whose script makes a fetch, an XHR,\n"
    "an image load and a form POST (what `wraith profile capture` points a browser at), /parallel/...\n"
    "one whose script starts five fetches and an image at once (streams open together), and /k/image\n"
    "answers a 1x1 PNG.\n"
    "\n"
    "  --port P               listen on port P (default 0: an ephemeral port, printed at start)\n"
    "  --bind ADDR            listen address (default 127.0.0.1)\n"
    "  --out DIR              write one conn-<n>.json report per finished connection into DIR\n"
    "  --once                 exit after the first connection has finished\n"
    "  --http1-only           offer only http/1.1 in TLS ALPN\n"
    "  --handshake-timeout MS time allowed from accept to a decided protocol (default 10000)\n"
    "  --idle-timeout MS      close connections idle this long (default 30000)\n";

bool parse_number(const char* text, unsigned long max, unsigned long& out) {
  char* end = nullptr;
  errno = 0;
  unsigned long v = std::strtoul(text, &end, 10);
  if (errno != 0 || end == text || *end != '\0' || v > max) return false;
  out = v;
  return true;
}

}  // namespace

int inspect_command(int argc, char** argv) {
  inspect::InspectorOptions options;
  bool once = false;
  int i = 0;
  if (argc > 0 && std::strcmp(argv[0], "inspect") == 0) i = 1;  // tolerate being handed our own name
  for (; i < argc; ++i) {
    std::string arg = argv[i];
    auto value = [&](const char* what) -> const char* {
      if (i + 1 >= argc) {
        std::fprintf(stderr, "wraith inspect: %s needs a value\n", what);
        return nullptr;
      }
      return argv[++i];
    };
    unsigned long n = 0;
    if (arg == "--help" || arg == "-h") {
      std::fputs(kUsage, stdout);
      return 0;
    } else if (arg == "--once") {
      once = true;
    } else if (arg == "--http1-only") {
      options.alpn = {"http/1.1"};
    } else if (arg == "--port") {
      const char* v = value("--port");
      if (!v || !parse_number(v, 65535, n)) {
        std::fprintf(stderr, "wraith inspect: bad --port\n%s", kUsage);
        return 2;
      }
      options.port = static_cast<std::uint16_t>(n);
    } else if (arg == "--bind") {
      const char* v = value("--bind");
      if (!v) return 2;
      options.bind = v;
    } else if (arg == "--out") {
      const char* v = value("--out");
      if (!v) return 2;
      options.out_dir = v;
    } else if (arg == "--handshake-timeout" || arg == "--idle-timeout") {
      const char* v = value(arg.c_str());
      if (!v || !parse_number(v, 24ul * 3600 * 1000, n) || n == 0) {
        std::fprintf(stderr, "wraith inspect: bad %s\n", arg.c_str());
        return 2;
      }
      (arg == "--idle-timeout" ? options.limits.idle_timeout : options.limits.handshake_timeout) =
          std::chrono::milliseconds(n);
    } else {
      std::fprintf(stderr, "wraith inspect: unknown argument '%s'\n%s", arg.c_str(), kUsage);
      return 2;
    }
  }

  asio::io_context io;
  auto started = inspect::Inspector::start(io, options);
  if (!started) {
    std::fprintf(stderr, "wraith inspect: %s\n", started.error().describe().c_str());
    return 1;
  }
  auto& inspector = *started;
  asio::signal_set signals(io, SIGINT, SIGTERM);
  auto shutdown = [&] {
    inspector->stop();
    asio::error_code ignored;
    signals.cancel(ignored);
  };
  signals.async_wait([&](const asio::error_code& ec, int) {
    if (!ec) shutdown();
  });
  inspector->on_connection([&](const nlohmann::json& report) {
    auto text = [](const nlohmann::json& v) { return v.is_string() ? v.get<std::string>() : std::string("-"); };
    const auto& fp = report.value("fingerprint", nlohmann::json::object());
    std::fprintf(stderr, "conn %s: %s %s ja4=%s akamai=%s (%s)\n", report["connection"].dump().c_str(),
                 text(report.value("transport", nlohmann::json())).c_str(),
                 text(report.value("http_version", nlohmann::json())).c_str(), text(fp.value("ja4", nlohmann::json())).c_str(),
                 text(fp.value("akamai", nlohmann::json())).c_str(), text(report.value("close_reason", nlohmann::json())).c_str());
    if (once) shutdown();
  });
  std::string host = options.bind.find(':') != std::string::npos ? "[" + options.bind + "]" : options.bind;
  std::printf("listening on https://%s:%u/\n", host.c_str(), static_cast<unsigned>(inspector->port()));
  std::fflush(stdout);
  io.run();
  return 0;
}

}  // namespace wraith::cli
