// `wraith get -x`: through real proxies from Debian (tinyproxy for http://, dante for socks5h://), each
// run on a free loopback port with a config in a temp dir, checked by what the proxy and the origin saw.
#include <unistd.h>

#include <filesystem>
#include <thread>

#include <gtest/gtest.h>

#include "cli_harness.h"
#include "process.h"

using namespace wraith::cli_test;
using wraith::test_support::free_port;
using wraith::test_support::make_temp_dir;
using wraith::test_support::Process;
using wraith::test_support::program_exists;
using wraith::test_support::wait_for_port;
using wraith::test_support::write_file;

namespace {

// A daemon in the foreground with its config (and log) in a fresh temp dir.
struct Daemon {
  Daemon(std::string dir, const std::string& config_name, const std::string& config, std::vector<std::string> argv,
         std::uint16_t port)
      : dir(std::move(dir)), port(port) {
    write_file(dir + "/" + config_name, config);
    for (auto& a : argv)
      if (a == "{config}") a = dir + "/" + config_name;
    process = std::make_unique<Process>(argv, dir + "/stdio.log");
    // Polls until it listens; a daemon that exits (bad config, port taken) ends the wait at once.
    for (int i = 0; i < 1500 && !ok && process->running(); ++i) {
      ok = wait_for_port(port, std::chrono::milliseconds(20));
    }
  }
  ~Daemon() {
    process.reset();
    std::error_code ignored;
    std::filesystem::remove_all(dir, ignored);
  }
  std::string log() const { return read_text(dir + "/proxy.log") + read_text(dir + "/stdio.log"); }
  // The proxy logs a transfer after it happened; poll for it.
  bool log_mentions(const std::string& text) const {
    for (int i = 0; i < 200; ++i) {
      if (log().find(text) != std::string::npos) return true;
      std::this_thread::sleep_for(std::chrono::milliseconds(25));
    }
    return false;
  }
  std::string dir;
  std::uint16_t port;
  std::unique_ptr<Process> process;
  bool ok = false;
};

// Via stays on (tinyproxy's default): the origin can tell the request came through the proxy.
std::string tinyproxy_config(std::uint16_t port, const std::string& dir, const std::string& extra) {
  return "Port " + std::to_string(port) + "\nListen 127.0.0.1\nTimeout 30\nMaxClients 16\nAllow 127.0.0.1\n"
         "LogLevel Info\nLogFile \"" + dir + "/proxy.log\"\nPidFile \"" + dir + "/tinyproxy.pid\"\n" + extra;
}

std::string dante_config(std::uint16_t port, const std::string& dir) {
  std::string users = ::geteuid() == 0 ? "user.privileged: root\nuser.unprivileged: nobody\n" : "";
  return "logoutput: " + dir + "/proxy.log\n"
         "internal: 127.0.0.1 port = " + std::to_string(port) + "\n"
         "external: 127.0.0.1\n"
         "clientmethod: none\n"
         "socksmethod: none\n" + users +
         "client pass {\n from: 127.0.0.0/8 to: 0.0.0.0/0\n log: connect disconnect\n}\n"
         "socks pass {\n from: 127.0.0.0/8 to: 0.0.0.0/0\n command: connect\n log: connect disconnect\n}\n";
}

std::unique_ptr<Daemon> tinyproxy(const std::string& extra_config = "") {
  auto port = free_port();
  std::string dir = make_temp_dir("wraith-cli-tinyproxy");
  return std::make_unique<Daemon>(dir, "tinyproxy.conf", tinyproxy_config(port, dir, extra_config),
                                  std::vector<std::string>{"/usr/bin/tinyproxy", "-d", "-c", "{config}"}, port);
}

std::unique_ptr<Daemon> dante() {
  auto port = free_port();
  std::string dir = make_temp_dir("wraith-cli-dante");
  return std::make_unique<Daemon>(dir, "danted.conf", dante_config(port, dir),
                                  std::vector<std::string>{"/usr/sbin/danted", "-f", "{config}", "-p", dir + "/danted.pid", "-N", "1"},
                                  port);
}

#define REQUIRE_BINARY(path) \
  if (!program_exists(path)) GTEST_SKIP() << path << " is not installed (apt-get install tinyproxy dante-server)"

}  // namespace

TEST(GetProxyFlags, HttpProxyForwardsPlainHttp) {
  REQUIRE_BINARY("/usr/bin/tinyproxy");
  FixtureServer origin;
  ASSERT_TRUE(origin.ok());
  auto proxy = tinyproxy();
  ASSERT_TRUE(proxy->ok) << proxy->log();
  std::string proxy_url = "http://127.0.0.1:" + std::to_string(proxy->port);
  auto run = run_wraith({"-x", proxy_url, origin.url("/echo")});
  ASSERT_EQ(run.code, 0) << run.err << proxy->log();
  auto doc = parse_json(run.out);
  EXPECT_NE(header_value(doc["headers"], "via").find("tinyproxy"), std::string::npos) << run.out;
  auto direct = parse_json(run_wraith({origin.url("/echo")}).out);
  EXPECT_EQ(header_value(direct["headers"], "via"), "");
  // --proxy is the same flag; a proxy that is not there fails the transfer.
  EXPECT_EQ(run_wraith({"--proxy", proxy_url, origin.url("/echo")}).code, 0);
  EXPECT_NE(run_wraith({"-s", "-x", "http://127.0.0.1:" + std::to_string(free_port()), origin.url("/echo")}).code, 0);
}

TEST(GetProxyFlags, HttpProxyTunnelsHttps) {
  REQUIRE_BINARY("/usr/bin/tinyproxy");
  Inspector inspector;
  ASSERT_TRUE(inspector.ok());
  auto proxy = tinyproxy();
  ASSERT_TRUE(proxy->ok) << proxy->log();
  auto run = run_wraith({"-k", "-x", "http://127.0.0.1:" + std::to_string(proxy->port), inspector.https("/tunnelled")});
  ASSERT_EQ(run.code, 0) << run.err << proxy->log();
  auto doc = parse_json(run.out);
  EXPECT_EQ(doc["this_request"]["path"], "/tunnelled");
  EXPECT_EQ(doc["http_version"], "h2") << "TLS and ALPN end to end through CONNECT";
  EXPECT_TRUE(proxy->log_mentions("CONNECT")) << proxy->log();
}

TEST(GetProxyFlags, ProxyCredentialsFromTheUrl) {
  REQUIRE_BINARY("/usr/bin/tinyproxy");
  Inspector inspector;
  ASSERT_TRUE(inspector.ok());
  auto proxy = tinyproxy("BasicAuth wraith s3cret-pw\n");
  ASSERT_TRUE(proxy->ok) << proxy->log();
  std::string at = "127.0.0.1:" + std::to_string(proxy->port);
  auto with = run_wraith({"-k", "-x", "http://wraith:s3cret-pw@" + at, inspector.https("/auth")});
  EXPECT_EQ(with.code, 0) << with.err << proxy->log();
  // Without them the CONNECT is refused: curl's 97, and the password never shows in the message.
  auto without = run_wraith({"-k", "-x", "http://" + at, inspector.https("/auth")});
  EXPECT_EQ(without.code, 97) << without.err;
  EXPECT_NE(without.err.find("proxy authentication required"), std::string::npos) << without.err;
  auto wrong = run_wraith({"-k", "-x", "http://wraith:not-it@" + at, inspector.https("/auth")});
  EXPECT_EQ(wrong.code, 97) << wrong.err;
  EXPECT_EQ(wrong.err.find("not-it"), std::string::npos) << wrong.err;
}

TEST(GetProxyFlags, Socks5hProxyCarriesTheConnection) {
  REQUIRE_BINARY("/usr/sbin/danted");
  FixtureServer origin;
  ASSERT_TRUE(origin.ok());
  auto proxy = dante();
  ASSERT_TRUE(proxy->ok) << proxy->log();
  std::string port = std::to_string(origin.port());
  // socks5h: the proxy resolves the name.
  auto run = run_wraith({"-x", "socks5h://127.0.0.1:" + std::to_string(proxy->port), "http://localhost:" + port + "/echo"});
  ASSERT_EQ(run.code, 0) << run.err << proxy->log();
  auto doc = parse_json(run.out);
  EXPECT_EQ(header_value(doc["headers"], "host"), "localhost:" + port);
  EXPECT_TRUE(proxy->log_mentions("." + port)) << "dante logged the relayed connection to the origin port\n" << proxy->log();
  // A name only wraith knows (--resolve) cannot be resolved by the proxy: socks5h fails at the proxy...
  std::string pinned = "pinned.wraith.test:" + port + ":127.0.0.1";
  auto remote = run_wraith({"-s", "-x", "socks5h://127.0.0.1:" + std::to_string(proxy->port), "--resolve", pinned,
                        "http://pinned.wraith.test:" + port + "/echo"});
  EXPECT_EQ(remote.code, 97) << remote.err;
  // ... while socks5 (local resolution) sends the pinned address and works.
  auto local = run_wraith({"-x", "socks5://127.0.0.1:" + std::to_string(proxy->port), "--resolve", pinned,
                       "http://pinned.wraith.test:" + port + "/echo"});
  ASSERT_EQ(local.code, 0) << local.err << proxy->log();
  EXPECT_EQ(header_value(parse_json(local.out)["headers"], "host"), "pinned.wraith.test:" + port);
}
