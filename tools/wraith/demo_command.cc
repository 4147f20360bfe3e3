// wraith demo: the README's main job. Starts wraith's own inspector on 127.0.0.1, fetches from it with
// the default profile, and prints what the server saw beside the Chromium 156 reference, field by field.
#include <cstdio>
#include <fstream>
#include <future>
#include <thread>

#include <asio/io_context.hpp>
#include <nlohmann/json.hpp>

#include "commands.h"
#include "exit_codes.h"
#include "fingerprint/client_hello.h"
#include "fingerprint/compare.h"
#include "fingerprint/ja3.h"
#include "fingerprint/ja4.h"
#include "inspect/compare_h2.h"
#include "inspect/inspector.h"
#include "util/hex.h"
#include "wraith/client.h"

namespace wraith::cli {

namespace {

const char* kDemoHelp =
    "usage: wraith demo [--reference FILE] [--host NAME] [--profile NAME]\n"
    "Starts the inspector on 127.0.0.1, fetches https://NAME:PORT/ from it (NAME, default fpcheck.test, is\n"
    "mapped to 127.0.0.1 so the hello carries server_name like the reference capture), and prints every\n"
    "TLS and HTTP/2 field the server saw beside the reference: \"match\" or \"differs\".\n"
    "Exit status 0 when every field matches.\n";

Result<fingerprint::ClientHello> hello_of(const nlohmann::json& doc, const std::string& what) {
  if (!doc.contains("tls_raw_client_hello_hex"))
    return Error(ErrorKind::config, what + " has no tls_raw_client_hello_hex", "demo");
  auto bytes = util::from_hex(doc["tls_raw_client_hello_hex"].get<std::string>());
  if (!bytes) return Error(ErrorKind::config, what + ": bad hello hex", "demo");
  return fingerprint::parse_client_hello(*bytes);
}

std::string clip(const std::string& s, std::size_t n) { return s.size() <= n ? s : s.substr(0, n - 3) + "..."; }

void print_row(const fingerprint::FieldComparison& f) {
  std::printf("  %-34s %-8s %s\n", f.field.c_str(), f.match ? "match" : "DIFFERS", clip(f.ours, 90).c_str());
  if (!f.match) std::printf("  %-34s %-8s %s\n", "", "chromium", clip(f.reference, 90).c_str());
}

}  // namespace

int demo_command(int argc, char** argv) {
  // TLS is compared with the capture that has server_name; HTTP with the one whose UA is the non-headless
  // one (headless Chromium changes nothing else: see tests/fixtures/chromium-156-variance.txt).
  // The profile whose browser we can run here (Debian's Chromium): what the references were captured from.
  std::string reference_path = "tests/fixtures/chromium-156-sni.json", host = "fpcheck.test", profile = "chromium156";
  std::string http_reference_path = "tests/fixtures/chromium-156-ua.json";
  for (int i = 0; i < argc; ++i) {
    std::string a = argv[i];
    if (a == "-h" || a == "--help") {
      std::fputs(kDemoHelp, stdout);
      return 0;
    }
    if (i + 1 >= argc) {
      std::fprintf(stderr, "wraith demo: %s needs a value\n", a.c_str());
      return 2;
    }
    if (a == "--reference") reference_path = argv[++i];
    else if (a == "--http-reference") http_reference_path = argv[++i];
    else if (a == "--host") host = argv[++i];
    else if (a == "--profile") profile = argv[++i];
    else {
      std::fprintf(stderr, "wraith demo: unknown option '%s'\n", a.c_str());
      return 2;
    }
  }
  auto load = [](const std::string& path) {
    std::ifstream in(path);
    return in ? nlohmann::json::parse(in, nullptr, false) : nlohmann::json(nlohmann::json::value_t::discarded);
  };
  auto reference = load(reference_path);
  auto http_reference = load(http_reference_path);
  auto reference_hello = reference.is_discarded() ? Result<fingerprint::ClientHello>(Error()) : hello_of(reference, reference_path);
  if (!reference_hello || http_reference.is_discarded()) {
    std::fprintf(stderr, "wraith demo: cannot read the references '%s' and '%s'\n", reference_path.c_str(),
                 http_reference_path.c_str());
    return 26;
  }

  asio::io_context io;
  auto inspector = inspect::Inspector::start(io, {});
  if (!inspector) {
    std::fprintf(stderr, "wraith demo: %s\n", inspector.error().describe().c_str());
    return exit_code_for(inspector.error());
  }
  // The report of a finished connection is the complete one (it knows whether our SETTINGS were acked).
  std::promise<nlohmann::json> final_report;
  bool reported = false;
  (*inspector)->on_connection([&](const nlohmann::json& doc) {
    if (!reported) final_report.set_value(doc);
    reported = true;
  });
  auto report_future = final_report.get_future();
  std::thread server([&io] { io.run(); });
  std::uint16_t port = (*inspector)->port();
  std::string url = "https://" + host + ":" + std::to_string(port) + "/?label=wraith-demo";

  ClientConfig config;
  config.profile = profile;
  config.insecure = true;  // the inspector's certificate is self-signed for this run only
  config.resolve[host + ":" + std::to_string(port)] = "127.0.0.1";
  Result<Response> response = Error(ErrorKind::io, "not run", "demo");
  {
    Client client(config);
    std::printf("wraith demo: inspector on 127.0.0.1:%u, fetching %s with profile %s\n\n", port, url.c_str(),
                client.profile().name.c_str());
    response = client.get(url);
  }  // the client's connection closes here
  bool have_final = report_future.wait_for(std::chrono::seconds(5)) == std::future_status::ready;
  (*inspector)->stop();
  io.stop();
  server.join();
  if (!response) {
    std::fprintf(stderr, "wraith demo: %s\n", response.error().describe().c_str());
    return exit_code_for(response.error());
  }
  auto seen = response->json();
  if (!seen) {
    std::fprintf(stderr, "wraith demo: the inspector's answer is not JSON\n");
    return 1;
  }
  auto ours = hello_of(*seen, "the inspector's report");
  if (!ours) {
    std::fprintf(stderr, "wraith demo: %s\n", ours.error().describe().c_str());
    return 1;
  }

  std::printf("What the server saw (TLS)                  verdict  value (ours; the reference's is shown where they differ)\n");
  auto tls_fields = fingerprint::compare_client_hellos(*ours, *reference_hello);
  int total = 0, matching = 0;
  for (const auto& f : tls_fields) {
    print_row(f);
    ++total;
    matching += f.match;
  }
  std::printf("\nWhat the server saw (HTTP/2: preface, HEADERS, HPACK)\n");
  nlohmann::json report = have_final ? report_future.get() : *seen;
  auto http_fields = inspect::compare_http(report, http_reference);
  int http_total = 0, http_matching = 0;
  for (const auto& f : http_fields) {
    print_row(f);
    ++http_total;
    http_matching += f.match;
  }
  std::printf("\nJA4  %s   (reference %s)\n", fingerprint::compute_ja4(*ours).ja4.c_str(),
              fingerprint::compute_ja4(*reference_hello).ja4.c_str());
  std::printf("JA3N %s   (reference %s)\n", fingerprint::ja3n_md5(*ours).c_str(), fingerprint::ja3n_md5(*reference_hello).c_str());
  std::printf("TLS: %d of %d fields match (reference %s)\nHTTP/2: %d of %d fields match (reference %s)\n", matching,
              total, reference_path.c_str(), http_matching, http_total, http_reference_path.c_str());
  return matching == total && http_matching == http_total ? 0 : 1;
}

}  // namespace wraith::cli
