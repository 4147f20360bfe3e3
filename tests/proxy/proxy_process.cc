#include "proxy_process.h"

#include "process.h"

#include <chrono>
#include <csignal>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <thread>

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <spawn.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

extern char** environ;

namespace wraith::proxy_test {

namespace {

bool port_accepts(unsigned short port) {
  int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  if (fd < 0) return false;
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(port);
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  bool ok = ::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0;
  ::close(fd);
  return ok;
}

std::string replace_all(std::string text, const std::string& from, const std::string& to) {
  for (auto at = text.find(from); at != std::string::npos; at = text.find(from, at + to.size())) text.replace(at, from.size(), to);
  return text;
}

}  // namespace

// The shared test helpers do the work; these names stay for the proxy tests' readability.
unsigned short free_port() { return test_support::free_port(); }

std::string make_temp_dir() { return test_support::make_temp_dir("wraith-proxy"); }

bool executable_exists(const std::string& path) { return test_support::program_exists(path); }

ProxyProcess::ProxyProcess(const std::string& config_name, const std::string& config_text,
                           std::vector<std::string> argv, unsigned short port)
    : dir_(make_temp_dir()) {
  if (dir_.empty()) return;
  std::string config_path = dir_ + "/" + config_name;
  std::ofstream(config_path) << replace_all(config_text, "{dir}", dir_);
  for (auto& arg : argv) arg = replace_all(replace_all(arg, "{config}", config_path), "{dir}", dir_);
  std::vector<char*> args;
  for (auto& arg : argv) args.push_back(arg.data());
  args.push_back(nullptr);

  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  std::string log_path = dir_ + "/stdio.log";
  posix_spawn_file_actions_addopen(&actions, 1, log_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
  posix_spawn_file_actions_adddup2(&actions, 1, 2);
  posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0);
  int rc = posix_spawn(&pid_, args[0], &actions, nullptr, args.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  if (rc != 0) {
    pid_ = -1;
    return;
  }
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
  while (std::chrono::steady_clock::now() < deadline) {
    if (port_accepts(port)) {
      ready_ = true;
      return;
    }
    int status = 0;
    if (::waitpid(pid_, &status, WNOHANG) == pid_) {  // it exited: bad config, port taken, ...
      pid_ = -1;
      return;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
}

ProxyProcess::~ProxyProcess() {
  if (pid_ > 0) {
    ::kill(pid_, SIGTERM);
    int status = 0;
    auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(5);
    while (::waitpid(pid_, &status, WNOHANG) == 0) {
      if (std::chrono::steady_clock::now() > deadline) {
        ::kill(pid_, SIGKILL);
        ::waitpid(pid_, &status, 0);
        break;
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
  }
  if (!dir_.empty()) {
    std::error_code ignored;
    std::filesystem::remove_all(dir_, ignored);
  }
}

std::string ProxyProcess::log() const {
  std::ostringstream out;
  for (const char* name : {"/stdio.log", "/proxy.log"}) {
    std::ifstream in(dir_ + name);
    if (in) out << name << ":\n" << in.rdbuf() << "\n";
  }
  return out.str();
}

SystemUser::SystemUser(std::string name, const std::string& password) : name_(std::move(name)) {
  if (::geteuid() != 0) return;
  std::string add = "useradd --no-create-home --shell /usr/sbin/nologin " + name_ + " >/dev/null 2>&1";
  if (std::system(add.c_str()) != 0) return;
  created_ = true;
  std::string set = "echo '" + name_ + ":" + password + "' | chpasswd >/dev/null 2>&1";
  ok_ = std::system(set.c_str()) == 0;
}

SystemUser::~SystemUser() {
  if (!created_) return;
  std::string del = "userdel " + name_ + " >/dev/null 2>&1";
  (void)std::system(del.c_str());
}

}  // namespace wraith::proxy_test
