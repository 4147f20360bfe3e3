// wraith: a curl-like client whose traffic looks exactly like Chrome's.
#include <cstdio>
#include <cstring>
#include <string_view>

#include "commands.h"

namespace {

void usage(FILE* out) {
  std::fputs(
      "usage: wraith [get] [options] URL...   fetch URLs like Chrome does (curl's flags; see wraith get --help)\n"
      "       wraith inspect [--port P] [--out DIR]   local fingerprint echo server\n"
      "       wraith profile capture [--browser PATH] [--out FILE]   profile from a local browser\n"
      "       wraith demo [--reference FILE]   fetch from the inspector and compare with Chromium 156\n"
      "       wraith bench --url URL --n N --concurrency C   load mode with the browser fingerprint\n"
      "       wraith --help | --version\n",
      out);
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2) {
    usage(stderr);
    return 2;
  }
  std::string_view first = argv[1];
  if (first == "--help" || first == "-h" || first == "help") {
    usage(stdout);
    return 0;
  }
  if (first == "--version" || first == "-V") {
    std::puts("wraith 0.1.0 (profiles: chrome156 [linux, windows, macos, android], chromium156)");
    return 0;
  }
  if (first == "get") return wraith::cli::get_command(argc - 2, argv + 2);
  if (first == "inspect") return wraith::cli::inspect_command(argc - 2, argv + 2);
  if (first == "demo") return wraith::cli::demo_command(argc - 2, argv + 2);
  if (first == "bench") return wraith::cli::bench_command(argc - 2, argv + 2);
  if (first == "profile") return wraith::cli::profile_command(argc - 2, argv + 2);
  // Like curl: no subcommand means get.
  return wraith::cli::get_command(argc - 1, argv + 1);
}
