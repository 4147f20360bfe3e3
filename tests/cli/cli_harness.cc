#include "cli_harness.h"

#include <fcntl.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <thread>

namespace wraith::cli_test {

namespace {

RunResult spawn(std::vector<std::string> argv, const RunOptions& options) {
  RunResult result;
  std::string dir = test_support::make_temp_dir("wraith-cli-run");
  std::string out_path = dir + "/stdout", err_path = dir + "/stderr";
  std::vector<char*> args;
  for (auto& a : argv) args.push_back(a.data());
  args.push_back(nullptr);
  auto start = std::chrono::steady_clock::now();
  pid_t pid = fork();
  if (pid == 0) {
    // Only async-signal-safe calls between fork and exec (the test has server threads).
    setpgid(0, 0);
    int in = open("/dev/null", O_RDONLY);
    int out = open(out_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    int err = open(err_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    if (in < 0 || out < 0 || err < 0) _exit(126);
    dup2(in, 0);
    dup2(out, 1);
    dup2(err, 2);
    if (!options.cwd.empty() && chdir(options.cwd.c_str()) != 0) _exit(126);
    execv(args[0], args.data());
    _exit(127);
  }
  int status = 0;
  bool finished = false;
  while (std::chrono::steady_clock::now() - start < options.limit) {
    if (waitpid(pid, &status, WNOHANG) == pid) {
      finished = true;
      break;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  if (!finished) {
    kill(-pid, SIGKILL);
    waitpid(pid, &status, 0);
  }
  result.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  result.code = finished && WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  result.out = read_text(out_path);
  result.err = read_text(err_path);
  std::error_code ignored;
  std::filesystem::remove_all(dir, ignored);
  return result;
}

}  // namespace

TempDir::TempDir(const std::string& prefix) : path_(test_support::make_temp_dir(prefix)) {}

TempDir::~TempDir() {
  std::error_code ignored;
  if (!path_.empty()) std::filesystem::remove_all(path_, ignored);
}

std::string wraith_path() { return std::string(WRAITH_BIN_DIR) + "/wraith"; }

RunResult run_wraith(const std::vector<std::string>& args, const RunOptions& options) {
  std::vector<std::string> argv{wraith_path()};
  argv.insert(argv.end(), args.begin(), args.end());
  return spawn(std::move(argv), options);
}

RunResult shell(const std::string& command_line, const RunOptions& options) {
  return spawn({"/bin/sh", "-c", command_line}, options);
}

std::string read_text(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

std::string sh_quote(const std::string& word) {
  std::string out = "'";
  for (char c : word) out += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return out + "'";
}

Inspector::Inspector() : dir_(test_support::make_temp_dir("wraith-cli-inspector")), port_(test_support::free_port()) {
  process_ = std::make_unique<test_support::Process>(
      std::vector<std::string>{wraith_path(), "inspect", "--port", std::to_string(port_)}, dir_ + "/log");
  ok_ = test_support::wait_for_port(port_, std::chrono::seconds(30));
}

Inspector::~Inspector() {
  process_.reset();
  std::error_code ignored;
  std::filesystem::remove_all(dir_, ignored);
}

std::string Inspector::https(const std::string& path) const { return "https://127.0.0.1:" + std::to_string(port_) + path; }
std::string Inspector::http(const std::string& path) const { return "http://127.0.0.1:" + std::to_string(port_) + path; }

FixtureServer::FixtureServer() : port_(test_support::free_port()) {
  std::vector<std::string> argv{"/usr/bin/python3"};
  if (!test_support::program_exists(argv[0])) argv = {"/usr/bin/env", "python3"};
  argv.push_back(std::string(WRAITH_CLI_TEST_DIR) + "/fixture_server.py");
  argv.push_back(std::to_string(port_));
  process_ = std::make_unique<test_support::Process>(argv);
  ok_ = test_support::wait_for_port(port_, std::chrono::seconds(30));
}

std::string FixtureServer::url(const std::string& path) const { return "http://127.0.0.1:" + std::to_string(port_) + path; }

nlohmann::json parse_json(const std::string& text) { return nlohmann::json::parse(text); }

std::vector<std::string> header_names(const nlohmann::json& headers) {
  std::vector<std::string> names;
  for (const auto& pair : headers) {
    std::string name = pair.at(0).get<std::string>();
    if (!name.empty() && name[0] == ':') continue;
    std::transform(name.begin(), name.end(), name.begin(), [](unsigned char c) { return std::tolower(c); });
    names.push_back(name);
  }
  return names;
}

std::string header_value(const nlohmann::json& headers, const std::string& name) {
  for (const auto& pair : headers) {
    std::string n = pair.at(0).get<std::string>();
    if (n.size() == name.size() && std::equal(n.begin(), n.end(), name.begin(), [](char a, char b) {
          return std::tolower(static_cast<unsigned char>(a)) == std::tolower(static_cast<unsigned char>(b));
        }))
      return pair.at(1).get<std::string>();
  }
  return "";
}

std::vector<std::string> split(const std::string& text, const std::string& separator) {
  std::vector<std::string> parts;
  std::size_t at = 0;
  for (auto next = text.find(separator); next != std::string::npos; next = text.find(separator, at)) {
    parts.push_back(text.substr(at, next - at));
    at = next + separator.size();
  }
  parts.push_back(text.substr(at));
  return parts;
}

}  // namespace wraith::cli_test
