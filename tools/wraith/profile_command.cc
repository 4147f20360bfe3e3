// `wraith profile capture`: runs a local browser headless against the inspector's capture page and writes
// what it saw as a wraith profile (profiles/*.json format), loadable with --profile-file.
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <iostream>
#include <string>

#include "capture/browser_run.h"
#include "capture/profile_builder.h"
#include "commands.h"
#include "wraith/profile.h"

namespace wraith::cli {
namespace {

constexpr const char* kUsage =
    "usage: wraith profile capture [--browser PATH] [--out FILE] [--name NAME] [--user-agent UA]\n"
    "                              [--timeout SECONDS] [--report FILE]\n"
    "\n"
    "Starts the fingerprint inspector, runs the browser headless against its capture page (a navigation,\n"
    "then fetch(), an XHR, an image and a form POST on one connection) and writes a wraith profile: TLS\n"
    "from the ClientHello, HTTP/2 settings/window/pseudo-header order/priority, one header template per\n"
    "request kind, client hints from the UA and sec-ch-ua. If the browser uses something wraith's TLS stack\n"
    "cannot send (delegated_credentials, record_size_limit, FFDHE groups, ...), it says so and writes nothing.\n"
    "\n"
    "  --browser PATH      Chromium-family browser (default /usr/bin/chromium)\n"
    "  --out FILE          where to write the profile (default: standard output)\n"
    "  --name NAME         the profile's name (default \"captured\")\n"
    "  --user-agent UA     passed to the browser as --user-agent (headless otherwise says HeadlessChrome)\n"
    "  --timeout SECONDS   give up after this long (default 60)\n"
    "  --report FILE       also write the inspector's connection report\n"
    "\n"
    "Exit codes: 0 written, 1 capture failed, 2 usage, 3 refused (unsupported TLS features).\n";

int capture_command(int argc, char** argv) {
  capture::BrowserRunOptions options;
  std::string out, name = "captured", report_file;
  for (int i = 0; i < argc; ++i) {
    const std::string arg = argv[i];
    auto value = [&]() -> const char* {
      if (i + 1 >= argc) {
        std::fprintf(stderr, "wraith profile capture: %s needs a value\n", arg.c_str());
        return nullptr;
      }
      return argv[++i];
    };
    if (arg == "-h" || arg == "--help") {
      std::fputs(kUsage, stdout);
      return 0;
    }
    const char* v = nullptr;
    if (arg == "--browser" || arg == "--out" || arg == "--name" || arg == "--user-agent" || arg == "--timeout" ||
        arg == "--report") {
      if (!(v = value())) return 2;
    } else {
      std::fprintf(stderr, "wraith profile capture: unknown option %s\n%s", arg.c_str(), kUsage);
      return 2;
    }
    if (arg == "--browser") options.browser = v;
    if (arg == "--out") out = v;
    if (arg == "--name") name = v;
    if (arg == "--report") report_file = v;
    if (arg == "--user-agent") options.extra_flags.push_back(std::string("--user-agent=") + v);
    if (arg == "--timeout") {
      char* end = nullptr;
      const long seconds = std::strtol(v, &end, 10);
      if (end == v || *end != '\0' || seconds < 1 || seconds > 3600) {
        std::fprintf(stderr, "wraith profile capture: --timeout must be 1..3600 seconds\n");
        return 2;
      }
      options.timeout = std::chrono::seconds(seconds);
    }
  }
  std::fprintf(stderr, "capturing %s ...\n", options.browser.c_str());
  auto report = capture::run_browser_capture(options);
  if (!report) {
    std::fprintf(stderr, "wraith profile capture: %s\n", report.error().describe().c_str());
    return 1;
  }
  if (!report_file.empty()) std::ofstream(report_file) << report->dump(1) << "\n";
  const auto unsupported = capture::unsupported_features(*report);
  if (!unsupported.empty()) {
    std::fprintf(stderr, "wraith profile capture: refusing to write a profile that would differ from the browser:\n");
    for (const auto& u : unsupported) std::fprintf(stderr, "  cannot emit: %s\n", u.c_str());
    return 3;
  }
  auto built = capture::build_profile(*report, name);
  if (!built) {
    std::fprintf(stderr, "wraith profile capture: %s\n", built.error().describe().c_str());
    return 1;
  }
  const std::string text = built->document.dump(1) + "\n";
  // What we write must load: the same parser --profile-file uses.
  if (auto check = parse_profile_json(text, "captured profile"); !check) {
    std::fprintf(stderr, "wraith profile capture: %s\n", check.error().describe().c_str());
    return 1;
  }
  for (const auto& note : built->notes) std::fprintf(stderr, "note: %s\n", note.c_str());
  if (out.empty()) {
    std::fputs(text.c_str(), stdout);
  } else {
    std::ofstream file(out);
    file << text;
    if (!file) {
      std::fprintf(stderr, "wraith profile capture: cannot write %s\n", out.c_str());
      return 1;
    }
    std::fprintf(stderr, "wrote %s (profile \"%s\", %zu request kinds)\n", out.c_str(), name.c_str(),
                 built->document["kinds"].size());
  }
  return 0;
}

}  // namespace

int profile_command(int argc, char** argv) {
  if (argc > 0 && std::strcmp(argv[0], "capture") == 0) return capture_command(argc - 1, argv + 1);
  if (argc > 0 && (std::strcmp(argv[0], "-h") == 0 || std::strcmp(argv[0], "--help") == 0)) {
    std::fputs(kUsage, stdout);
    return 0;
  }
  std::fprintf(stderr, "%s", kUsage);
  return 2;
}

}  // namespace wraith::cli
