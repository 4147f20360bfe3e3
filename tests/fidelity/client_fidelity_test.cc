// What an independent inspector sees of wraith's client, against Chromium 156's captures of the same
// request kinds: TLS hello, h2 preface and HEADERS, HPACK choices, header order and values, h1 raw lines.
#include <fstream>
#include <future>
#include <thread>

#include <asio/io_context.hpp>
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "fingerprint/client_hello.h"
#include "process.h"
#include "fingerprint/compare.h"
#include "fingerprint/ja4.h"
#include "inspect/compare_h2.h"
#include "inspect/inspector.h"
#include "util/hex.h"
#include "wraith/client.h"

using namespace wraith;
using nlohmann::json;

namespace {

json fixture(const std::string& name) {
  std::ifstream in(std::string(WRAITH_FIXTURES_DIR) + "/" + name);
  return json::parse(in);
}

fingerprint::ClientHello hello(const json& doc) {
  auto bytes = util::from_hex(doc.at("tls_raw_client_hello_hex").get<std::string>());
  auto parsed = fingerprint::parse_client_hello(*bytes);
  EXPECT_TRUE(parsed) << parsed.error().describe();
  return *parsed;
}

void expect_all_match(const std::vector<fingerprint::FieldComparison>& fields, const std::string& what) {
  EXPECT_GT(fields.size(), 10u) << what;
  for (const auto& f : fields) EXPECT_TRUE(f.match) << what << ": " << fingerprint::describe(f);
}

// Runs the inspector, lets `drive` use a client against it, and returns the finished connection reports.
class InspectorRun {
 public:
  explicit InspectorRun(inspect::InspectorOptions options = {}) {
    auto started = inspect::Inspector::start(io_, options);
    EXPECT_TRUE(started) << started.error().describe();
    inspector_ = std::move(*started);
    inspector_->on_connection([this](const json& doc) {
      std::lock_guard lock(mutex_);
      reports_.push_back(doc);
    });
    thread_ = std::thread([this] { io_.run(); });
  }
  ~InspectorRun() {
    inspector_->stop();
    io_.stop();
    thread_.join();
  }
  std::uint16_t port() const { return inspector_->port(); }
  std::vector<json> wait_reports(std::size_t n) {
    for (int i = 0; i < 500; ++i) {
      {
        std::lock_guard lock(mutex_);
        if (reports_.size() >= n) return reports_;
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    std::lock_guard lock(mutex_);
    return reports_;
  }

 private:
  asio::io_context io_;
  std::unique_ptr<inspect::Inspector> inspector_;
  std::thread thread_;
  std::mutex mutex_;
  std::vector<json> reports_;
};

ClientConfig config_for(std::uint16_t port, const std::string& host) {
  ClientConfig c;
  c.profile = "chromium156";  // the browser the fixtures were captured from
  c.insecure = true;  // the inspector's certificate is self-signed
  c.resolve[host + ":" + std::to_string(port)] = "127.0.0.1";
  return c;
}

}  // namespace

TEST(ClientFidelity, H2NavigationWithHostnameMatchesChromium) {
  InspectorRun run;
  {
    Client client(config_for(run.port(), "fpcheck.test"));
    auto r = client.get("https://fpcheck.test:" + std::to_string(run.port()) + "/?label=wraith");
    ASSERT_TRUE(r) << r.error().describe();
    EXPECT_EQ(r->version, "h2");
  }
  auto reports = run.wait_reports(1);
  ASSERT_EQ(reports.size(), 1u);
  const json& ours = reports[0];
  expect_all_match(fingerprint::compare_client_hellos(hello(ours), hello(fixture("chromium-156-sni.json"))), "tls");
  EXPECT_EQ(ours["fingerprint"]["ja4"], "t13d1517h2_8daaf6152771_cb7bf5808d99");
  // HTTP: the non-headless capture (headless changes only the UA).
  expect_all_match(inspect::compare_http(ours, fixture("chromium-156-ua.json")), "http");
  EXPECT_EQ(ours["fingerprint"]["akamai"], "1:65536;2:0;4:6291456;6:262144|15663105|0|m,a,s,p");
}

TEST(ClientFidelity, H2NavigationToIpMatchesChromium) {
  InspectorRun run;
  {
    Client client(config_for(run.port(), "127.0.0.1"));
    auto r = client.get("https://127.0.0.1:" + std::to_string(run.port()) + "/?label=wraith");
    ASSERT_TRUE(r) << r.error().describe();
  }
  auto reports = run.wait_reports(1);
  ASSERT_EQ(reports.size(), 1u);
  expect_all_match(fingerprint::compare_client_hellos(hello(reports[0]), hello(fixture("chromium-156.json"))), "tls");
  EXPECT_EQ(reports[0]["fingerprint"]["ja4"], "t13i1516h2_8daaf6152771_cb7bf5808d99");
  expect_all_match(inspect::compare_http(reports[0], fixture("chromium-156-ua.json")), "http");
}

TEST(ClientFidelity, Http1NavigationMatchesChromium) {
  inspect::InspectorOptions options;
  options.alpn = {"http/1.1"};  // as in the capture: the server offered only http/1.1
  InspectorRun run(options);
  {
    Client client(config_for(run.port(), "127.0.0.1"));
    auto r = client.get("https://127.0.0.1:" + std::to_string(run.port()) + "/?label=wraith-http1");
    ASSERT_TRUE(r) << r.error().describe();
    EXPECT_EQ(r->version, "http/1.1");
  }
  auto reports = run.wait_reports(1);
  ASSERT_EQ(reports.size(), 1u);
  auto reference = fixture("chromium-156-http1.json");
  expect_all_match(fingerprint::compare_client_hellos(hello(reports[0]), hello(reference)), "tls");
  // The capture's UA is headless; ours is the desktop one. Everything else must match.
  for (const auto& f : inspect::compare_http(reports[0], reference))
    if (f.field.find("User-Agent") == std::string::npos && f.field.find("user-agent") == std::string::npos) {
      EXPECT_TRUE(f.match) << fingerprint::describe(f);
    }
}

namespace {

std::string write_config(const std::string& dir, const std::string& name, const std::string& text) {
  std::string path = dir + "/" + name;
  std::ofstream(path) << text;
  return path;
}

// The same navigation, direct and through `proxy_url`: the origin must see the same fingerprint.
void expect_unchanged_behind(const std::string& proxy_url) {
  InspectorRun run;
  std::string url = "https://fpcheck.test:" + std::to_string(run.port()) + "/?label=proxied";
  {
    ClientConfig direct = config_for(run.port(), "fpcheck.test");
    Client client(direct);
    ASSERT_TRUE(client.get(url));
  }
  {
    ClientConfig proxied = config_for(run.port(), "fpcheck.test");
    proxied.resolve.clear();  // the proxy resolves; map the name for it via a literal target instead
    proxied.proxy = proxy_url;
    Client client(proxied);
    auto r = client.get("https://127.0.0.1:" + std::to_string(run.port()) + "/?label=proxied");
    ASSERT_TRUE(r) << proxy_url << ": " << r.error().describe();
    EXPECT_EQ(r->version, "h2");
  }
  auto reports = run.wait_reports(2);
  ASSERT_EQ(reports.size(), 2u);
  // Through the proxy the target is an IP literal (no server_name): compare with the IP capture.
  expect_all_match(fingerprint::compare_client_hellos(hello(reports[1]), hello(fixture("chromium-156.json"))), proxy_url);
  expect_all_match(inspect::compare_http(reports[1], fixture("chromium-156-ua.json")), proxy_url);
}

}  // namespace

TEST(ClientFidelity, UnchangedBehindTinyproxyConnect) {
  std::string dir = test_support::make_temp_dir("wraith-tinyproxy");
  auto port = test_support::free_port();
  auto conf = write_config(dir, "tinyproxy.conf",
                           "Port " + std::to_string(port) + "\nListen 127.0.0.1\nTimeout 30\nMaxClients 16\n"
                           "Allow 127.0.0.1\nDisableViaHeader Yes\nLogFile \"" + dir + "/proxy.log\"\n"
                           "PidFile \"" + dir + "/tinyproxy.pid\"\nBasicAuth wraith s3cret\n");
  test_support::Process proxy({"/usr/bin/tinyproxy", "-d", "-c", conf}, dir + "/log");
  ASSERT_TRUE(test_support::wait_for_port(port));
  expect_unchanged_behind("http://wraith:s3cret@127.0.0.1:" + std::to_string(port));
}

TEST(ClientFidelity, UnchangedBehindDanteSocks5) {
  std::string dir = test_support::make_temp_dir("wraith-dante");
  auto port = test_support::free_port();
  auto conf = write_config(dir, "danted.conf",
                           "logoutput: " + dir + "/dante.log\ninternal: 127.0.0.1 port = " + std::to_string(port) +
                           "\nexternal: 127.0.0.1\nsocksmethod: none\nclientmethod: none\nuser.privileged: root\n"
                           "user.unprivileged: nobody\nclient pass { from: 127.0.0.0/8 to: 0.0.0.0/0 }\n"
                           "socks pass { from: 127.0.0.0/8 to: 0.0.0.0/0 }\n");
  test_support::Process proxy({"/usr/sbin/danted", "-f", conf, "-p", dir + "/danted.pid", "-N", "1"}, dir + "/log");
  ASSERT_TRUE(test_support::wait_for_port(port));
  expect_unchanged_behind("socks5h://127.0.0.1:" + std::to_string(port));
}

TEST(ClientFidelity, InvalidProxyUrlIsTyped) {
  ClientConfig c;
  c.proxy = "gopher://nowhere";
  auto created = Client::create(c);
  ASSERT_FALSE(created);
  EXPECT_EQ(created.error().kind, ErrorKind::invalid_argument);
}
