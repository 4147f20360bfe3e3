// `wraith get` flags about what comes back and where it goes (output files, redirects, cookies, decoding,
// header printing, -w, time limits, trust), and curl's exit codes, against loopback servers that answer
// with chosen statuses, headers and bodies.
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <filesystem>
#include <regex>

#include <gtest/gtest.h>

#include "cli_harness.h"
#include "process.h"
#include "tls/certificate.h"
#include "tls_server.h"

using namespace wraith::cli_test;
using wraith::test_support::write_file;

namespace {

#define REQUIRE_SERVER(server) ASSERT_TRUE((server).ok()) << "test server did not start"

// fixture_server.py's /large body: bytes 0..255 repeated.
std::string large_body(std::size_t size) {
  std::string out(size, '\0');
  for (std::size_t i = 0; i < size; ++i) out[i] = static_cast<char>(i % 256);
  return out;
}

bool contains_ci(std::string haystack, std::string needle) {
  auto lower = [](std::string& s) { std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return std::tolower(c); }); };
  lower(haystack);
  lower(needle);
  return haystack.find(needle) != std::string::npos;
}

}  // namespace

TEST(GetResponseFlags, OutputWritesTheBodyToAFile) {
  FixtureServer origin;
  REQUIRE_SERVER(origin);
  TempDir temp("wraith-cli-output");
  const std::string dir = temp.path();
  auto run = run_wraith({"-o", dir + "/body.bin", origin.url("/large?size=300000&chunks=3")});
  ASSERT_EQ(run.code, 0) << run.err;
  EXPECT_EQ(run.out, "");
  EXPECT_EQ(read_text(dir + "/body.bin"), large_body(300000));
  // Several URLs, one -o: each transfer rewrites it (curl uses one -o per URL; wraith has one), the last wins.
  // -O: the file is named after the URL's last path segment, in the current directory.
  auto remote = run_wraith({"-O", origin.url("/large?size=1000")}, {.cwd = dir});
  ASSERT_EQ(remote.code, 0) << remote.err;
  EXPECT_EQ(remote.out, "");
  EXPECT_EQ(read_text(dir + "/large"), large_body(1000));
  // An output file that cannot be created: curl's 23.
  EXPECT_EQ(run_wraith({"-s", "-o", dir + "/no/such/dir/file", origin.url("/echo")}).code, 23);
}

TEST(GetResponseFlags, LocationFollowsRedirectsUpToMaxRedirs) {
  FixtureServer origin;
  REQUIRE_SERVER(origin);
  auto stay = run_wraith({"-w", "%{http_code} %{num_redirects}", origin.url("/redirect?n=3")});
  EXPECT_EQ(stay.code, 0) << stay.err;
  EXPECT_EQ(stay.out, "302 0") << "without -L the redirect is the answer";
  auto follow = run_wraith({"-L", "-w", " %{http_code} %{num_redirects} %{url_effective}", origin.url("/redirect?n=3")});
  EXPECT_EQ(follow.code, 0) << follow.err;
  EXPECT_EQ(follow.out, "arrived 200 3 " + origin.url("/redirect?n=0"));
  EXPECT_EQ(run_wraith({"-L", "--max-redirs", "3", origin.url("/redirect?n=3")}).code, 0);
  auto exceeded = run_wraith({"-L", "--max-redirs", "2", origin.url("/redirect?n=3")});
  EXPECT_EQ(exceeded.code, 47);
  EXPECT_NE(exceeded.err, "");
  // A loop ends at the default limit, with 47 too.
  EXPECT_EQ(run_wraith({"-s", "-L", origin.url("/loop")}).code, 47);
}

TEST(GetResponseFlags, LocationRewritesMethodsLikeABrowser) {
  FixtureServer origin;
  REQUIRE_SERVER(origin);
  // 301/302/303 turn a POST into a GET without a body; 307/308 repeat the POST with its body.
  for (int status : {301, 302, 303, 307, 308}) {
    SCOPED_TRACE(status);
    auto run = run_wraith({"-L", "-d", "k=v", origin.url("/to?status=" + std::to_string(status))});
    ASSERT_EQ(run.code, 0) << run.err;
    auto doc = parse_json(run.out);
    bool keeps = status == 307 || status == 308;
    EXPECT_EQ(doc["method"], keeps ? "POST" : "GET");
    EXPECT_EQ(doc["body"], keeps ? "k=v" : "");
    EXPECT_EQ(header_value(doc["headers"], "content-type"), keeps ? "application/x-www-form-urlencoded" : "");
  }
}

// When a 301/302/303 turns POST into GET, the caller's request-body headers (Fetch: content-type,
// content-encoding, content-language, content-location) go with the body, as in Chrome.
TEST(GetResponseFlags, LocationDropsCallerSetBodyHeadersWhenPostBecomesGet) {
  FixtureServer origin;
  REQUIRE_SERVER(origin);
  for (const std::vector<std::string>& body : {std::vector<std::string>{"-F", "a=b"}, {"--json", "{}"},
                                                {"-d", "x", "-H", "Content-Type: text/plain"}}) {
    std::vector<std::string> args{"-L"};
    args.insert(args.end(), body.begin(), body.end());
    args.push_back(origin.url("/to?status=302"));
    auto run = run_wraith(args);
    ASSERT_EQ(run.code, 0) << run.err;
    auto doc = parse_json(run.out);
    EXPECT_EQ(doc["method"], "GET") << body[0];
    EXPECT_EQ(header_value(doc["headers"], "content-type"), "") << body[0];
  }
}

TEST(GetResponseFlags, InsecureSkipsVerification) {
  Inspector inspector;  // a self-signed certificate
  REQUIRE_SERVER(inspector);
  auto strict = run_wraith({inspector.https("/")});
  EXPECT_EQ(strict.code, 60);
  EXPECT_NE(strict.err, "");
  EXPECT_EQ(run_wraith({"-k", inspector.https("/")}).code, 0);
  EXPECT_EQ(run_wraith({"--insecure", inspector.https("/")}).code, 0);
}

TEST(GetResponseFlags, CacertTrustsThatCa) {
  wraith::tls::CertificateRequest ca_request;
  ca_request.common_name = "wraith cli test CA";
  ca_request.is_ca = true;
  ca_request.dns_names = {};
  ca_request.ip_addresses = {};
  auto ca = wraith::tls::make_certificate(ca_request);
  ASSERT_TRUE(ca) << ca.error().describe();
  wraith::tls::CertificateRequest leaf_request;
  leaf_request.issuer = &*ca;
  auto leaf = wraith::tls::make_certificate(leaf_request);
  ASSERT_TRUE(leaf) << leaf.error().describe();
  wraith::tls::ServerOptions options;
  options.alpn = {"http/1.1"};
  options.certificate = *leaf;
  wraith::test_support::LoopbackTlsServer server(options, "trusted by the test CA");
  TempDir temp("wraith-cli-cacert");
  const std::string dir = temp.path();
  write_file(dir + "/ca.pem", ca->certificate);
  std::string url = "https://localhost:" + std::to_string(server.port()) + "/";
  auto trusted = run_wraith({"--cacert", dir + "/ca.pem", url});
  EXPECT_EQ(trusted.code, 0) << trusted.err;
  EXPECT_EQ(trusted.out, "trusted by the test CA");
  EXPECT_EQ(run_wraith({"-s", url}).code, 60) << "the system store does not know the test CA";
  auto other = wraith::tls::make_certificate(ca_request);
  ASSERT_TRUE(other);
  write_file(dir + "/other.pem", other->certificate);
  EXPECT_EQ(run_wraith({"-s", "--cacert", dir + "/other.pem", url}).code, 60) << "a different CA of the same name";
}

TEST(GetResponseFlags, CookieJarIsWrittenInNetscapeFormatAndReadBack) {
  FixtureServer origin;
  REQUIRE_SERVER(origin);
  TempDir temp("wraith-cli-cookies");
  const std::string dir = temp.path();
  std::string jar = dir + "/jar.txt";
  auto set = run_wraith({"-c", jar, origin.url("/cookie")});
  ASSERT_EQ(set.code, 0) << set.err;
  std::string text = read_text(jar);
  EXPECT_EQ(text.rfind("# Netscape HTTP Cookie File\n", 0), 0u) << text;
  // domain, include-subdomains, path, secure, expiry, name, value (curl's columns; 0 = session cookie).
  EXPECT_TRUE(std::regex_search(text, std::regex("(^|\n)127\\.0\\.0\\.1\tFALSE\t/\tFALSE\t[1-9][0-9]+\tkeep\tk33p\n"))) << text;
  EXPECT_TRUE(std::regex_search(text, std::regex("(^|\n)127\\.0\\.0\\.1\tFALSE\t/\tFALSE\t0\tsession\ts3ss\n"))) << text;
  // -b FILE sends them back.
  auto sent = run_wraith({"-b", jar, origin.url("/echo")});
  ASSERT_EQ(sent.code, 0) << sent.err;
  std::string cookie = header_value(parse_json(sent.out)["headers"], "cookie");
  EXPECT_NE(cookie.find("keep=k33p"), std::string::npos) << cookie;
  EXPECT_NE(cookie.find("session=s3ss"), std::string::npos) << cookie;
  // A file as curl writes it (with its comment lines and a #HttpOnly_ domain) is read the same way.
  write_file(dir + "/curl.txt",
             "# Netscape HTTP Cookie File\n# https://curl.se/docs/http-cookies.html\n"
             "# This file was generated by libcurl! Edit at your own risk.\n\n"
             "#HttpOnly_127.0.0.1\tFALSE\t/\tFALSE\t0\tfromcurl\tc1\n");
  auto from_curl = run_wraith({"-b", dir + "/curl.txt", origin.url("/echo")});
  ASSERT_EQ(from_curl.code, 0) << from_curl.err;
  EXPECT_EQ(header_value(parse_json(from_curl.out)["headers"], "cookie"), "fromcurl=c1");
  // Within one run the jar is shared: the second URL carries what the first set.
  const std::string sep = "\n--end--\n";
  auto both = run_wraith({"-w", sep, origin.url("/cookie"), origin.url("/echo")});
  ASSERT_EQ(both.code, 0) << both.err;
  auto parts = split(both.out, sep);
  ASSERT_EQ(parts.size(), 3u);
  EXPECT_NE(header_value(parse_json(parts[1])["headers"], "cookie").find("keep=k33p"), std::string::npos);
}

TEST(GetResponseFlags, CompressedIsTheDefaultAndNoCompressedKeepsTheBytes) {
  FixtureServer origin;
  REQUIRE_SERVER(origin);
  std::string text;
  for (int i = 0; i < 20; ++i) text += "this body travelled gzip-compressed\n";
  auto decoded = run_wraith({origin.url("/gzip")});
  ASSERT_EQ(decoded.code, 0) << decoded.err;
  EXPECT_EQ(decoded.out, text);
  auto explicit_flag = run_wraith({"--compressed", origin.url("/gzip")});
  EXPECT_EQ(explicit_flag.out, text);
  auto raw = run_wraith({"--no-compressed", origin.url("/gzip")});
  ASSERT_EQ(raw.code, 0) << raw.err;
  ASSERT_GE(raw.out.size(), 10u);
  EXPECT_EQ(raw.out.substr(0, 2), "\x1f\x8b") << "gzip magic: the body as sent";
  EXPECT_LT(raw.out.size(), text.size());
}

TEST(GetResponseFlags, HeadRequestsAndPrintsHeadersOnly) {
  FixtureServer origin;
  REQUIRE_SERVER(origin);
  auto run = run_wraith({"-I", origin.url("/echo")});
  ASSERT_EQ(run.code, 0) << run.err;
  EXPECT_EQ(run.out.rfind("HTTP/1.1 200\r\n", 0), 0u) << run.out;
  EXPECT_TRUE(contains_ci(run.out, "X-Seen-Method: HEAD\r\n")) << run.out;
  ASSERT_GE(run.out.size(), 4u);
  EXPECT_EQ(run.out.substr(run.out.size() - 4), "\r\n\r\n") << "no body after the head";
}

TEST(GetResponseFlags, IncludePrintsHeadersBeforeTheBody) {
  FixtureServer origin;
  REQUIRE_SERVER(origin);
  auto run = run_wraith({"-i", origin.url("/type")});
  ASSERT_EQ(run.code, 0) << run.err;
  EXPECT_EQ(run.out.rfind("HTTP/1.1 200\r\n", 0), 0u) << run.out;
  EXPECT_TRUE(contains_ci(run.out, "\r\nContent-Type: application/x-wraith-test\r\n")) << run.out;
  EXPECT_TRUE(contains_ci(run.out, "X-Seen-Method: GET\r\n")) << run.out;
  ASSERT_GE(run.out.size(), 9u);
  EXPECT_EQ(run.out.substr(run.out.size() - 9), "\r\n\r\ntyped");
  Inspector inspector;
  REQUIRE_SERVER(inspector);
  auto h2 = run_wraith({"-k", "-i", inspector.https("/")});
  EXPECT_EQ(h2.out.rfind("HTTP/2 200\r\n", 0), 0u) << h2.out.substr(0, 200);
}

TEST(GetResponseFlags, SilentHidesErrorText) {
  std::string url = "http://127.0.0.1:" + std::to_string(wraith::test_support::free_port()) + "/";
  auto loud = run_wraith({url});
  EXPECT_EQ(loud.code, 7);
  EXPECT_EQ(loud.err.rfind("wraith: ", 0), 0u) << loud.err;
  auto quiet = run_wraith({"-s", url});
  EXPECT_EQ(quiet.code, 7);
  EXPECT_EQ(quiet.err, "");
  EXPECT_EQ(quiet.out, "");
}

TEST(GetResponseFlags, WriteOutVariables) {
  FixtureServer origin;
  REQUIRE_SERVER(origin);
  auto run = run_wraith({"-L", "-o", "/dev/null", "-w",
                     "%{http_code}|%{size_download}|%{url_effective}|%{num_redirects}|%{http_version}|%{content_type}|"
                     "%{time_total}|%{time_connect}|%{no_such_var}\\n",
                     origin.url("/redirect?n=2")});
  ASSERT_EQ(run.code, 0) << run.err;
  std::smatch m;
  ASSERT_TRUE(std::regex_match(run.out, m, std::regex("200\\|7\\|(.*)\\|2\\|1\\.1\\|text/plain\\|([0-9]+\\.[0-9]{6})\\|([0-9]+\\.[0-9]{6})\\|%\\{no_such_var\\}\n")))
      << run.out;
  EXPECT_EQ(m[1], origin.url("/redirect?n=0"));
  double total = std::stod(m[2]);
  EXPECT_GT(total, 0);
  EXPECT_LE(total, run.seconds);
  // Byte counts of a larger body, and HTTP/2's version and type.
  auto big = run_wraith({"-o", "/dev/null", "-w", "%{size_download}", origin.url("/large?size=123457")});
  EXPECT_EQ(big.out, "123457");
  Inspector inspector;
  REQUIRE_SERVER(inspector);
  auto h2 = run_wraith({"-k", "-o", "/dev/null", "-w", "%{http_version} %{content_type} %{http_code}", inspector.https("/")});
  EXPECT_EQ(h2.out, "2 application/json 200");
}

TEST(GetResponseFlags, MaxTimeEndsAStalledTransferWith28) {
  FixtureServer origin;
  REQUIRE_SERVER(origin);
  auto run = run_wraith({"-m", "1", origin.url("/hang")});
  EXPECT_EQ(run.code, 28) << run.err;
  EXPECT_GE(run.seconds, 0.9);
  EXPECT_LT(run.seconds, 5.0) << "returns in about the limit";
  // A transfer that finishes in time is not affected.
  EXPECT_EQ(run_wraith({"-m", "20", origin.url("/echo")}).code, 0);
  EXPECT_EQ(run_wraith({"-m", "soon", origin.url("/echo")}).code, 2);
}

// An accept-less listener whose backlog is full: the kernel drops further SYNs, so a connect just waits.
class FullBacklogListener {
 public:
  FullBacklogListener() {
    listener_ = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (::bind(listener_, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0 || ::listen(listener_, 0) != 0) return;
    socklen_t len = sizeof addr;
    ::getsockname(listener_, reinterpret_cast<sockaddr*>(&addr), &len);
    port_ = ntohs(addr.sin_port);
    // Fill the queue: connect until one does not complete at once.
    for (int i = 0; i < 64; ++i) {
      int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0);
      fillers_.push_back(fd);
      if (::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0) continue;
      if (errno != EINPROGRESS) break;
      timeval tv{0, 300000};
      fd_set w;
      FD_ZERO(&w);
      FD_SET(fd, &w);
      if (::select(fd + 1, nullptr, &w, nullptr, &tv) == 0) {
        full_ = true;
        break;
      }
    }
  }
  ~FullBacklogListener() {
    for (int fd : fillers_) ::close(fd);
    if (listener_ >= 0) ::close(listener_);
  }
  bool full() const { return full_; }
  std::uint16_t port() const { return port_; }

 private:
  int listener_ = -1;
  std::uint16_t port_ = 0;
  bool full_ = false;
  std::vector<int> fillers_;
};

TEST(GetResponseFlags, ConnectTimeoutEndsAStalledConnectWith28) {
  FullBacklogListener listener;
  if (!listener.full()) GTEST_SKIP() << "this kernel does not stall connects to a full backlog";
  auto run = run_wraith({"--connect-timeout", "1", "http://127.0.0.1:" + std::to_string(listener.port()) + "/"});
  EXPECT_EQ(run.code, 28) << run.err;
  EXPECT_NE(run.err.find("connect"), std::string::npos) << "the connect limit fired: " << run.err;
  EXPECT_GE(run.seconds, 0.9);
  EXPECT_LT(run.seconds, 5.0);
  // -m bounds a stalled connect too.
  auto overall = run_wraith({"-s", "-m", "1", "http://127.0.0.1:" + std::to_string(listener.port()) + "/"});
  EXPECT_EQ(overall.code, 28);
  EXPECT_LT(overall.seconds, 5.0);
}

TEST(GetExitCodes, ResolveFailureIs6) {
  // A name no resolver could answer (a label over 63 octets): refused before any DNS traffic.
  auto run = run_wraith({"http://" + std::string(64, 'a') + ".wraith.test/"});
  EXPECT_EQ(run.code, 6) << run.err;
  EXPECT_LT(run.seconds, 10.0);
  EXPECT_NE(run.err.find("resolve"), std::string::npos) << run.err;
}

TEST(GetExitCodes, NxdomainIs6) {
  // .invalid never resolves (RFC 6761). That needs a DNS server to say so; -m bounds the wait where none
  // answers (then it is a timeout, 28, and this environment cannot show NXDOMAIN).
  auto run = run_wraith({"-m", "10", "http://wraith-cli-test.invalid/"});
  if (run.code == 28) GTEST_SKIP() << "no DNS server answered: " << run.err;
  EXPECT_EQ(run.code, 6) << run.err;
  EXPECT_NE(run.err, "");
}

TEST(GetExitCodes, ConnectRefusedIs7) {
  auto run = run_wraith({"-s", "http://127.0.0.1:" + std::to_string(wraith::test_support::free_port()) + "/"});
  EXPECT_EQ(run.code, 7);
}

TEST(GetExitCodes, TlsFailureIs35) {
  FixtureServer origin;  // plaintext HTTP: it answers the ClientHello with an HTTP 400
  REQUIRE_SERVER(origin);
  auto run = run_wraith({"https://127.0.0.1:" + std::to_string(origin.port()) + "/"});
  EXPECT_EQ(run.code, 35) << run.err;
}

TEST(GetExitCodes, EmptyReplyIs52) {
  FixtureServer origin;
  REQUIRE_SERVER(origin);
  auto run = run_wraith({origin.url("/empty")});
  EXPECT_EQ(run.code, 52) << run.err;
}

TEST(GetExitCodes, WriteErrorIs23) {
  if (access("/dev/full", W_OK) != 0) GTEST_SKIP() << "no /dev/full";
  FixtureServer origin;
  REQUIRE_SERVER(origin);
  // Mid-transfer (a body larger than the stdio buffer) and at close (a small one still buffered).
  EXPECT_EQ(run_wraith({"-s", "-o", "/dev/full", origin.url("/large?size=300000")}).code, 23);
  EXPECT_EQ(run_wraith({"-s", "-o", "/dev/full", origin.url("/large?size=30")}).code, 23);
}

TEST(GetExitCodes, UntrustedCertificateIs60AndBadOptionIs2) {
  Inspector inspector;
  REQUIRE_SERVER(inspector);
  EXPECT_EQ(run_wraith({"-s", inspector.https("/")}).code, 60);
  EXPECT_EQ(run_wraith({"--no-such-flag", inspector.https("/")}).code, 2);
  EXPECT_EQ(run_wraith({"-H"}).code, 2);
  EXPECT_EQ(run_wraith({"-H", "no colon", inspector.https("/")}).code, 2);
  EXPECT_EQ(run_wraith({"-k"}).code, 2) << "no URL";
}

// The progress line: on a terminal with -o, never when stderr is piped, never with -s.
class GetProgress : public ::testing::Test {
 protected:
  void SetUp() override {
    if (!wraith::test_support::program_exists("/usr/bin/script")) GTEST_SKIP() << "util-linux script is not installed";
    ASSERT_TRUE(origin_.ok());
  }
  // About 0.6 s of body, so several redraws happen (the line is redrawn every 100 ms).
  std::string url() const { return origin_.url("/large?size=3145728&chunks=30&delay=0.02"); }
  std::string on_pty(const std::string& command) {
    return "/usr/bin/script -qfec " + sh_quote(command) + " /dev/null";
  }
  FixtureServer origin_;
  TempDir temp_{"wraith-cli-progress"};
  std::string dir_ = temp_.path();
};

TEST_F(GetProgress, ShownOnATerminal) {
  auto run = shell(on_pty(sh_quote(wraith_path()) + " get -o " + sh_quote(dir_ + "/f") + " " + sh_quote(url())));
  ASSERT_EQ(run.code, 0) << run.out << run.err;
  EXPECT_EQ(read_text(dir_ + "/f"), large_body(3145728));
  // What the terminal showed: redrawn lines (\r) with KiB and a rate, ending at the full size.
  EXPECT_NE(run.out.find("\r"), std::string::npos) << run.out;
  EXPECT_NE(run.out.find("KiB/s"), std::string::npos) << run.out;
  EXPECT_NE(run.out.find("3072.0 KiB"), std::string::npos) << run.out;
  EXPECT_NE(run.out.find("100.0%"), std::string::npos) << run.out;
  // The server sends Content-Length: redraws before the end carry a percentage below 100% and an ETA.
  const std::regex partial(R"(\r\s*(\d+\.\d)%\s+[\d.]+ KiB\s+[\d.]+ KiB/s\s+ETA\s+[\d.]+s)");
  int mid_download = 0;
  for (std::sregex_iterator it(run.out.begin(), run.out.end(), partial), end; it != end; ++it)
    if (std::stod((*it)[1].str()) < 100.0) ++mid_download;
  EXPECT_GT(mid_download, 0) << run.out;
}

TEST_F(GetProgress, NotShownWhenStderrIsPiped) {
  std::string err = dir_ + "/stderr";
  auto run = shell(on_pty(sh_quote(wraith_path()) + " get -o " + sh_quote(dir_ + "/f") + " " + sh_quote(url()) + " 2>" + sh_quote(err)));
  ASSERT_EQ(run.code, 0) << run.out << run.err;
  EXPECT_EQ(read_text(dir_ + "/f"), large_body(3145728));
  EXPECT_EQ(read_text(err), "");
  EXPECT_EQ(run.out.find("KiB"), std::string::npos) << run.out;
  // Nor through a pipe of the test's own (no terminal at all).
  auto piped = run_wraith({"-o", dir_ + "/g", url()});
  EXPECT_EQ(piped.code, 0);
  EXPECT_EQ(piped.err, "");
}

TEST_F(GetProgress, NotShownWhenSilent) {
  auto run = shell(on_pty(sh_quote(wraith_path()) + " get -s -o " + sh_quote(dir_ + "/f") + " " + sh_quote(url())));
  ASSERT_EQ(run.code, 0) << run.out << run.err;
  EXPECT_EQ(read_text(dir_ + "/f"), large_body(3145728));
  EXPECT_EQ(run.out.find("KiB"), std::string::npos) << run.out;
}

TEST_F(GetProgress, NotShownWithoutAnOutputFile) {
  // The body goes to the terminal then; a progress line would be mixed into it.
  auto run = shell(on_pty(sh_quote(wraith_path()) + " get " + sh_quote(origin_.url("/type"))));
  ASSERT_EQ(run.code, 0) << run.out << run.err;
  EXPECT_NE(run.out.find("typed"), std::string::npos);
  EXPECT_EQ(run.out.find("KiB"), std::string::npos) << run.out;
}
