// Running the wraith executable the way a user does (argv, stdout, stderr, exit code, wall time) and the
// loopback peers the CLI flag tests watch it with: `wraith inspect` for what goes on the wire, the fixture
// origin (fixture_server.py) for chosen statuses, headers and bodies.
#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "process.h"

namespace wraith::cli_test {

struct RunResult {
  int code = -1;  // exit status; -1 if it died from a signal or had to be killed
  std::string out, err;
  double seconds = 0;
};

struct RunOptions {
  std::string cwd;                                   // empty = the test's
  std::chrono::seconds limit{60};                    // killed after this long (a test must not hang)
};

// Runs `wraith ARGS...` with stdin from /dev/null, capturing both streams.
RunResult run_wraith(const std::vector<std::string>& args, const RunOptions& options = {});
// Runs a shell command line (for `script`), same capture.
RunResult shell(const std::string& command_line, const RunOptions& options = {});

// A fresh directory under /tmp, removed with everything in it when this goes out of scope.
class TempDir {
 public:
  explicit TempDir(const std::string& prefix);
  ~TempDir();
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  const std::string& path() const { return path_; }

 private:
  std::string path_;
};

std::string wraith_path();
std::string read_text(const std::string& path);
// Single-quotes a word for /bin/sh.
std::string sh_quote(const std::string& word);

// `wraith inspect` on a free port; base() is "https://127.0.0.1:PORT" (also serves http:// and h2c).
class Inspector {
 public:
  Inspector();
  ~Inspector();
  std::uint16_t port() const { return port_; }
  bool ok() const { return ok_; }
  std::string https(const std::string& path = "/") const;
  std::string http(const std::string& path = "/") const;

 private:
  std::string dir_;
  std::uint16_t port_ = 0;
  std::unique_ptr<test_support::Process> process_;
  bool ok_ = false;
};

// fixture_server.py on a free port.
class FixtureServer {
 public:
  FixtureServer();
  std::uint16_t port() const { return port_; }
  bool ok() const { return ok_; }
  std::string url(const std::string& path) const;

 private:
  std::uint16_t port_ = 0;
  std::unique_ptr<test_support::Process> process_;
  bool ok_ = false;
};

// The inspector's answer: the connection report plus "this_request". Throws on invalid JSON.
nlohmann::json parse_json(const std::string& text);
// Header names of a request seen by the inspector or the fixture server, in wire order, lowercased.
std::vector<std::string> header_names(const nlohmann::json& headers);
// The value of the first header with this (case-insensitive) name; "" when absent.
std::string header_value(const nlohmann::json& headers, const std::string& name);
// Splits on a separator string (for several transfers' output in one stdout).
std::vector<std::string> split(const std::string& text, const std::string& separator);

}  // namespace wraith::cli_test
