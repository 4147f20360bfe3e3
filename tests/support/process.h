// Starts a real server (nghttpd, nginx, node, tinyproxy, ...) for a test and stops it afterwards.
#pragma once

#include <sys/types.h>

#include <chrono>
#include <cstdint>
#include <string>
#include <vector>

namespace wraith::test_support {

class Process {
 public:
  // argv[0] is the program path. Output goes to log_path (or /dev/null).
  Process(std::vector<std::string> argv, std::string log_path = "/dev/null");
  ~Process();
  Process(const Process&) = delete;
  Process& operator=(const Process&) = delete;
  bool running() const;
  pid_t pid() const { return pid_; }

 private:
  pid_t pid_ = -1;
};

// A TCP port on 127.0.0.1 that was free a moment ago.
std::uint16_t free_port();
// Polls until something accepts on 127.0.0.1:port.
bool wait_for_port(std::uint16_t port, std::chrono::milliseconds timeout = std::chrono::seconds(10));
// A fresh temporary directory (removed by the caller if it cares).
std::string make_temp_dir(const std::string& prefix);
void write_file(const std::string& path, const std::string& content);
bool program_exists(const std::string& path);

}  // namespace wraith::test_support
