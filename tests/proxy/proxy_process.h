// Real proxies from Debian (tinyproxy, danted) run by the tests: a config file in a temp dir, the daemon
// in the foreground on a free loopback port, killed (by its pid) when the test ends.
#pragma once

#include <string>
#include <vector>

#include <sys/types.h>

namespace wraith::proxy_test {

// A loopback port that was free a moment ago.
unsigned short free_port();

class ProxyProcess {
 public:
  // Writes config_text to <temp dir>/<config_name>, runs argv with "{config}" and "{dir}" substituted,
  // and waits until 127.0.0.1:port accepts connections. ok() tells whether that happened; log() what the
  // daemon printed.
  ProxyProcess(const std::string& config_name, const std::string& config_text, std::vector<std::string> argv,
               unsigned short port);
  ~ProxyProcess();
  ProxyProcess(const ProxyProcess&) = delete;
  ProxyProcess& operator=(const ProxyProcess&) = delete;

  bool ok() const { return ready_; }
  const std::string& dir() const { return dir_; }
  std::string log() const;

 private:
  std::string dir_;
  pid_t pid_ = -1;
  bool ready_ = false;
};

std::string make_temp_dir();
bool executable_exists(const std::string& path);

// A throwaway system user for dante's username method (root only); removed by the destructor.
class SystemUser {
 public:
  SystemUser(std::string name, const std::string& password);
  ~SystemUser();
  bool ok() const { return ok_; }
  const std::string& name() const { return name_; }

 private:
  std::string name_;
  bool ok_ = false;
  bool created_ = false;
};

}  // namespace wraith::proxy_test
