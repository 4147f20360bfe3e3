#include "capture/browser_run.h"

#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <condition_variable>
#include <cstring>
#include <cstdlib>
#include <filesystem>
#include <mutex>
#include <thread>

#include <asio/executor_work_guard.hpp>
#include <asio/io_context.hpp>

#include "capture/capture_report.h"
#include "inspect/inspector.h"

extern char** environ;

namespace wraith::capture {
namespace {

// A browser child process; killed and reaped on destruction.
class Child {
 public:
  static Result<Child> spawn(const std::vector<std::string>& argv) {
    std::vector<char*> args;
    for (const auto& a : argv) args.push_back(const_cast<char*>(a.c_str()));
    args.push_back(nullptr);
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0);
    posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0);
    pid_t pid = 0;
    const int rc = posix_spawn(&pid, args[0], &actions, nullptr, args.data(), environ);
    posix_spawn_file_actions_destroy(&actions);
    if (rc != 0) return Error(ErrorKind::io, "cannot start " + argv[0] + ": " + std::strerror(rc));
    return Child(pid);
  }
  Child(Child&& other) noexcept : pid_(std::exchange(other.pid_, -1)) {}
  Child& operator=(Child&&) = delete;
  ~Child() { stop(); }

  bool exited() {
    if (pid_ <= 0) return true;
    int status = 0;
    if (waitpid(pid_, &status, WNOHANG) == pid_) pid_ = -1;
    return pid_ <= 0;
  }
  void stop() {
    if (pid_ <= 0) return;
    kill(pid_, SIGTERM);
    for (int i = 0; i < 100 && !exited(); ++i) std::this_thread::sleep_for(std::chrono::milliseconds(20));
    if (pid_ > 0) {
      kill(pid_, SIGKILL);
      waitpid(pid_, nullptr, 0);
      pid_ = -1;
    }
  }

 private:
  explicit Child(pid_t pid) : pid_(pid) {}
  pid_t pid_ = -1;
};

std::string kinds_seen(const std::vector<nlohmann::json>& reports) {
  // Per connection, e.g. "[navigate,fetch] [xhr,image,form]", with each one's close reason.
  std::string seen;
  for (const auto& r : reports) {
    std::string kinds;
    for (const char* kind : {"navigate", "fetch", "xhr", "image", "form"})
      if (request_index_of(r, kind)) kinds += std::string(kinds.empty() ? "" : ",") + kind;
    seen += (seen.empty() ? "[" : " [") + kinds + "] " + r.value("close_reason", std::string("?"));
  }
  return seen.empty() ? "none" : seen;
}

}  // namespace

Result<nlohmann::json> run_browser_capture(const BrowserRunOptions& options) {
  if (!std::filesystem::exists(options.browser)) return Error(ErrorKind::io, "no browser at " + options.browser);
  char dir_template[] = "/tmp/wraith-capture-XXXXXX";
  const char* profile_dir = mkdtemp(dir_template);
  if (!profile_dir) return Error(ErrorKind::io, "cannot create a browser profile directory");
  const std::string user_data_dir = profile_dir;

  asio::io_context io;
  auto work = asio::make_work_guard(io);
  inspect::InspectorOptions inspector_options;
  inspector_options.limits.idle_timeout = options.idle_close;
  if (options.http1_only) inspector_options.alpn = {"http/1.1"};
  auto inspector = inspect::Inspector::start(io, inspector_options);
  if (!inspector) return inspector.error();

  std::mutex mutex;
  std::condition_variable changed;
  std::vector<nlohmann::json> reports;
  (*inspector)->on_connection([&](const nlohmann::json& report) {
    std::lock_guard lock(mutex);
    reports.push_back(report);
    changed.notify_all();
  });
  std::thread io_thread([&] { io.run(); });

  const std::string url = "https://" + options.host + ":" + std::to_string((*inspector)->port()) + "/" +
                          options.page + "/" + options.label + "?label=" + options.label;
  auto complete = [&](const nlohmann::json& r) {
    if (options.complete) return options.complete(r);
    return request_index_of(r, "form") && request_index_of(r, "navigate");
  };
  // The flags of the ground-truth captures (tests/fixtures/README via /work/shared/fingerprints).
  std::vector<std::string> argv = {options.browser,
                                   "--headless",
                                   "--no-sandbox",
                                   "--disable-gpu",
                                   "--disable-quic",
                                   "--no-first-run",
                                   "--disable-background-networking",
                                   "--disable-component-update",
                                   "--disable-sync",
                                   "--user-data-dir=" + user_data_dir,
                                   "--ignore-certificate-errors"};
  argv.insert(argv.end(), options.extra_flags.begin(), options.extra_flags.end());
  argv.push_back(url);

  std::optional<nlohmann::json> found;
  Error failure(ErrorKind::timeout, "");
  {
    auto child = Child::spawn(argv);
    if (!child) {
      failure = child.error();
    } else {
      const auto deadline = std::chrono::steady_clock::now() + options.timeout;
      std::unique_lock lock(mutex);
      while (!found && std::chrono::steady_clock::now() < deadline) {
        for (const auto& r : reports)
          if (complete(r)) found = r;
        if (found) break;
        if (child->exited()) {
          failure = Error(ErrorKind::io, options.browser + " exited before the page's requests were complete");
          break;
        }
        changed.wait_for(lock, std::chrono::milliseconds(100));
      }
      if (!found && failure.message.empty())
        failure = Error(ErrorKind::timeout, "the browser did not finish the page in time (requests seen: " +
                                                kinds_seen(reports) + ")");
      lock.unlock();
      child->stop();
    }
  }
  (*inspector)->stop();
  work.reset();
  const auto stop_deadline = std::chrono::steady_clock::now() + std::chrono::seconds(3);
  while (!io.stopped() && std::chrono::steady_clock::now() < stop_deadline)
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  io.stop();
  io_thread.join();
  inspector->reset();
  std::error_code ignored;
  std::filesystem::remove_all(user_data_dir, ignored);
  if (!found) return failure;
  return *found;
}

}  // namespace wraith::capture
