// Interchange with curl: curl -c writes a jar wraith loads to the same cookies wraith would store itself, and
// a jar wraith saves is sent by curl -b. A tiny HTTP/1.1 server on 127.0.0.1 hands out Set-Cookie headers
// and records the requests it sees.
#include "wraith/cookie_jar.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <cstdio>
#include <ctime>
#include <mutex>
#include <set>
#include <thread>

using namespace wraith;
using namespace std::chrono_literals;

namespace {

constexpr const char* kCurl = "/usr/bin/curl";

class CookieServer {
 public:
  explicit CookieServer(std::vector<std::string> set_cookies) : set_cookies_(std::move(set_cookies)) {
    fd_ = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    addr.sin_port = 0;
    if (fd_ < 0 || ::bind(fd_, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0 || ::listen(fd_, 4) != 0) return;
    socklen_t len = sizeof addr;
    ::getsockname(fd_, reinterpret_cast<sockaddr*>(&addr), &len);
    port_ = ntohs(addr.sin_port);
    thread_ = std::thread([this] { serve(); });
  }
  ~CookieServer() {
    stop_ = true;
    if (thread_.joinable()) thread_.join();
    if (fd_ >= 0) ::close(fd_);
  }
  int port() const { return port_; }
  std::vector<std::string> requests() {
    std::lock_guard lock(mu_);
    return requests_;
  }

 private:
  void serve() {
    while (!stop_) {
      pollfd p{fd_, POLLIN, 0};
      if (::poll(&p, 1, 50) <= 0) continue;
      int conn = ::accept(fd_, nullptr, nullptr);
      if (conn < 0) continue;
      std::string request;
      char buf[4096];
      while (request.find("\r\n\r\n") == std::string::npos && request.size() < 65536) {
        pollfd c{conn, POLLIN, 0};
        if (::poll(&c, 1, 5000) <= 0) break;
        ssize_t n = ::recv(conn, buf, sizeof buf, 0);
        if (n <= 0) break;
        request.append(buf, static_cast<std::size_t>(n));
      }
      {
        std::lock_guard lock(mu_);
        requests_.push_back(request);
      }
      std::string response = "HTTP/1.1 200 OK\r\n";
      for (const std::string& sc : set_cookies_) response += "Set-Cookie: " + sc + "\r\n";
      response += "Content-Length: 2\r\nConnection: close\r\n\r\nok";
      (void)!::send(conn, response.data(), response.size(), MSG_NOSIGNAL);
      ::close(conn);
    }
  }

  std::vector<std::string> set_cookies_;
  int fd_ = -1;
  int port_ = 0;
  std::atomic<bool> stop_{false};
  std::thread thread_;
  std::mutex mu_;
  std::vector<std::string> requests_;
};

std::string http_date(CookieTime t) {
  std::time_t tt = CookieClock::to_time_t(t);
  std::tm tm{};
  gmtime_r(&tt, &tm);
  char buf[64];
  std::strftime(buf, sizeof buf, "%a, %d %b %Y %H:%M:%S GMT", &tm);
  return buf;
}

std::string temp_path(const char* name) {
  return std::string(::testing::TempDir()) + "wraith_curl_" + name + "_" + std::to_string(::getpid());
}

bool have_curl() { return ::access(kCurl, X_OK) == 0; }

std::set<std::string> split_cookie_header(std::string_view h) {
  std::set<std::string> out;
  while (!h.empty()) {
    std::size_t semi = h.find("; ");
    out.insert(std::string(h.substr(0, semi)));
    h = semi == std::string_view::npos ? std::string_view() : h.substr(semi + 2);
  }
  return out;
}

std::string header_value(const std::string& request, const std::string& name) {
  std::size_t pos = request.find("\r\n" + name + ": ");
  if (pos == std::string::npos) return {};
  pos += name.size() + 4;
  return request.substr(pos, request.find("\r\n", pos) - pos);
}

}  // namespace

TEST(CurlInterop, CurlWrittenJarLoadsToSameCookies) {
  if (!have_curl()) GTEST_SKIP() << "no " << kCurl;
  const CookieTime now = CookieClock::now();
  const std::vector<std::string> set_cookies = {
      "plain=1",
      "root=2; Path=/; HttpOnly",
      "maxage=3; Max-Age=3600; Path=/",
      "expires=4; Expires=" + http_date(now + 24h),
      "scoped=5; Path=/dir",
  };
  CookieServer server(set_cookies);
  ASSERT_GT(server.port(), 0);
  const std::string jar_path = temp_path("c");
  // "/page": its default-path is "/" for curl, Chrome and RFC 6265 alike. (For "/dir/page" curl keeps a trailing
  // slash, "/dir/", where RFC 6265 and Chrome say "/dir"; curl's quirk, not something wraith should copy.)
  const std::string url = "http://127.0.0.1:" + std::to_string(server.port()) + "/page";
  const std::string cmd = std::string(kCurl) + " -s -o /dev/null --max-time 10 -c '" + jar_path + "' '" + url + "'";
  ASSERT_EQ(std::system(cmd.c_str()), 0) << cmd;

  CookieJar from_curl;
  auto loaded = from_curl.load_netscape_file(jar_path, now);
  ASSERT_TRUE(loaded) << loaded.error().describe();

  CookieJar own;
  const CookieRequest request{"http", "127.0.0.1", "/page"};
  for (const std::string& sc : set_cookies) ASSERT_TRUE(own.store(request, sc, now)) << sc;

  auto theirs = from_curl.cookies(now);
  auto ours = own.cookies(now);
  auto by_name = [](const Cookie& a, const Cookie& b) { return a.name < b.name; };
  std::sort(theirs.begin(), theirs.end(), by_name);
  std::sort(ours.begin(), ours.end(), by_name);
  ASSERT_EQ(theirs.size(), ours.size());
  for (std::size_t i = 0; i < ours.size(); ++i) {
    SCOPED_TRACE(ours[i].name);
    EXPECT_EQ(theirs[i].name, ours[i].name);
    EXPECT_EQ(theirs[i].value, ours[i].value);
    EXPECT_EQ(theirs[i].domain, ours[i].domain);
    EXPECT_EQ(theirs[i].host_only, ours[i].host_only);
    EXPECT_EQ(theirs[i].path, ours[i].path);
    EXPECT_EQ(theirs[i].secure, ours[i].secure);
    EXPECT_EQ(theirs[i].http_only, ours[i].http_only);
    ASSERT_EQ(theirs[i].expiry.has_value(), ours[i].expiry.has_value());
    if (ours[i].expiry) {
      EXPECT_LE(std::chrono::abs(*theirs[i].expiry - *ours[i].expiry), 5s);
    }
  }
  std::remove(jar_path.c_str());
}

TEST(CurlInterop, WraithSavedJarIsSentByCurl) {
  if (!have_curl()) GTEST_SKIP() << "no " << kCurl;
  const CookieTime now = CookieClock::now();
  CookieJar jar;
  const CookieRequest setter{"http", "127.0.0.1", "/"};
  ASSERT_TRUE(jar.store(setter, "a=1", now));
  ASSERT_TRUE(jar.store(setter, "b=2; Path=/dir; HttpOnly", now));
  ASSERT_TRUE(jar.store(setter, "c=3; Max-Age=600", now));
  ASSERT_TRUE(jar.store(setter, "elsewhere=4; Path=/other", now));
  ASSERT_TRUE(jar.store({"http", "www.example.com", "/"}, "foreign=5", now));
  const std::string jar_path = temp_path("b");
  ASSERT_TRUE(jar.save_netscape_file(jar_path, now));

  CookieServer server({});
  ASSERT_GT(server.port(), 0);
  const std::string url = "http://127.0.0.1:" + std::to_string(server.port()) + "/dir/x";
  const std::string cmd = std::string(kCurl) + " -s -o /dev/null --max-time 10 -b '" + jar_path + "' '" + url + "'";
  ASSERT_EQ(std::system(cmd.c_str()), 0) << cmd;
  auto requests = server.requests();
  ASSERT_EQ(requests.size(), 1u);
  const std::string sent = header_value(requests[0], "Cookie");
  const std::string expected = jar.cookie_header({"http", "127.0.0.1", "/dir/x"}, {}, now);
  EXPECT_EQ(split_cookie_header(sent), split_cookie_header(expected)) << "curl sent: " << sent;
  EXPECT_EQ(split_cookie_header(expected), (std::set<std::string>{"a=1", "b=2", "c=3"}));
  std::remove(jar_path.c_str());
}
