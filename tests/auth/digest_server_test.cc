// Round trips through a small digest-protected HTTP/1.1 server on 127.0.0.1. The server checks every answer
// itself (its own header reading and its own hashing from RFC 7616 3.4), independent of the code under test
// apart from the sockets; the client side is a hand-written request, not the wraith client.
#include "wraith/client.h"
#include <arpa/inet.h>
#include <netinet/in.h>
#include <openssl/digest.h>
#include <openssl/rand.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include <atomic>
#include <cstdio>
#include <map>
#include <mutex>
#include <set>
#include <thread>

#include "auth/responder.h"

using namespace wraith;
using namespace wraith::auth;

namespace {

std::string hex_hash(const EVP_MD* md, const std::string& s) {
  std::uint8_t out[EVP_MAX_MD_SIZE];
  unsigned len = 0;
  EVP_Digest(s.data(), s.size(), out, &len, md, nullptr);
  std::string hex;
  char buf[3];
  for (unsigned i = 0; i < len; ++i) {
    std::snprintf(buf, sizeof buf, "%02x", out[i]);
    hex += buf;
  }
  return hex;
}

// The server's own reading of `Digest k=v, k="v"`: deliberately simple, enough for well-formed clients.
std::map<std::string, std::string> read_digest_fields(std::string_view v) {
  std::map<std::string, std::string> out;
  if (v.substr(0, 7) != "Digest ") return out;
  std::size_t i = 7;
  while (i < v.size()) {
    while (i < v.size() && (v[i] == ' ' || v[i] == ',')) ++i;
    std::size_t eq = v.find('=', i);
    if (eq == std::string_view::npos) break;
    std::string key(v.substr(i, eq - i));
    i = eq + 1;
    std::string value;
    if (i < v.size() && v[i] == '"') {
      for (++i; i < v.size() && v[i] != '"'; ++i) {
        if (v[i] == '\\' && i + 1 < v.size()) ++i;
        value += v[i];
      }
      ++i;
    } else {
      while (i < v.size() && v[i] != ',') value += v[i++];
    }
    out[key] = value;
  }
  return out;
}

class DigestServer {
 public:
  DigestServer(std::string user, std::string password, std::string algorithm, bool offer_basic_too = false)
      : user_(std::move(user)), password_(std::move(password)), algorithm_(std::move(algorithm)),
        md_(algorithm_ == "MD5" ? EVP_md5() : EVP_sha256()), offer_basic_(offer_basic_too) {
    fd_ = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    addr.sin_port = 0;
    if (::bind(fd_, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0 || ::listen(fd_, 16) != 0) {
      ADD_FAILURE() << "bind/listen failed";
    }
    socklen_t len = sizeof addr;
    ::getsockname(fd_, reinterpret_cast<sockaddr*>(&addr), &len);
    port_ = ntohs(addr.sin_port);
    thread_ = std::thread([this] { run(); });
  }
  ~DigestServer() {
    stop_ = true;
    thread_.join();
    ::close(fd_);
  }

  std::uint16_t port() const { return port_; }
  // Every nonce issued so far becomes stale: correct answers with them get 401 stale=true and a new nonce.
  void expire_nonces() {
    std::lock_guard<std::mutex> lock(mu_);
    for (auto& [nonce, state] : nonces_) state.expired = true;
  }
  // The nc values of the answers that verified, in order (stale ones included).
  std::vector<std::string> verified_nc() {
    std::lock_guard<std::mutex> lock(mu_);
    return verified_nc_;
  }
  // 200 replies carry Authentication-Info with a fresh nextnonce (RFC 7616 3.5).
  void send_nextnonce() {
    std::lock_guard<std::mutex> lock(mu_);
    send_nextnonce_ = true;
  }
  int bad_answers() {
    std::lock_guard<std::mutex> lock(mu_);
    return bad_answers_;
  }

 private:
  struct NonceState {
    std::uint32_t last_nc = 0;
    bool expired = false;
  };

  void run() {
    while (!stop_) {
      pollfd p{fd_, POLLIN, 0};
      if (::poll(&p, 1, 50) <= 0) continue;
      int c = ::accept(fd_, nullptr, nullptr);
      if (c < 0) continue;
      serve(c);
      ::close(c);
    }
  }

  void serve(int c) {
    std::string req;
    char buf[4096];
    while (req.find("\r\n\r\n") == std::string::npos && req.size() < 65536) {
      pollfd p{c, POLLIN, 0};
      if (::poll(&p, 1, 5000) <= 0) return;
      ssize_t n = ::read(c, buf, sizeof buf);
      if (n <= 0) return;
      req.append(buf, static_cast<std::size_t>(n));
    }
    std::string reply = respond(req);
    std::size_t sent = 0;
    while (sent < reply.size()) {
      ssize_t n = ::write(c, reply.data() + sent, reply.size() - sent);
      if (n <= 0) return;
      sent += static_cast<std::size_t>(n);
    }
  }

  std::string new_nonce() {
    std::uint8_t raw[12];
    RAND_bytes(raw, sizeof raw);
    std::string nonce = hex_hash(EVP_md5(), std::string(reinterpret_cast<char*>(raw), sizeof raw));
    nonces_[nonce] = NonceState{};
    return nonce;
  }

  std::string challenge(bool stale) {
    std::string nonce = new_nonce();
    std::string r = "HTTP/1.1 401 Unauthorized\r\n";
    if (offer_basic_) r += "WWW-Authenticate: Basic realm=\"" + realm_ + "\"\r\n";
    r += "WWW-Authenticate: Digest realm=\"" + realm_ + "\", qop=\"auth, auth-int\", algorithm=" + algorithm_ +
         ", nonce=\"" + nonce + "\", opaque=\"" + opaque_ + "\"" + (stale ? ", stale=true" : "") + "\r\n";
    return r + "Content-Length: 0\r\nConnection: close\r\n\r\n";
  }

  std::string respond(const std::string& req) {
    std::lock_guard<std::mutex> lock(mu_);
    std::size_t sp1 = req.find(' ');
    std::size_t sp2 = req.find(' ', sp1 + 1);
    std::string method = req.substr(0, sp1);
    std::string target = req.substr(sp1 + 1, sp2 - sp1 - 1);
    std::string authorization;
    const std::string key = "\r\nAuthorization: ";
    if (std::size_t at = req.find(key); at != std::string::npos) {
      std::size_t start = at + key.size();
      authorization = req.substr(start, req.find("\r\n", start) - start);
    }
    if (authorization.empty()) return challenge(false);

    auto f = read_digest_fields(authorization);
    auto nonce_it = nonces_.find(f["nonce"]);
    std::uint32_t nc = static_cast<std::uint32_t>(std::strtoul(f["nc"].c_str(), nullptr, 16));
    bool well_formed = f["username"] == user_ && f["realm"] == realm_ && f["uri"] == target && f["qop"] == "auth" &&
                       f["opaque"] == opaque_ && f["algorithm"] == algorithm_ && f["nc"].size() == 8 &&
                       !f["cnonce"].empty() && nonce_it != nonces_.end() && nc > nonce_it->second.last_nc;
    if (!well_formed) {
      ++bad_answers_;
      return challenge(false);
    }
    std::string ha1 = hex_hash(md_, user_ + ":" + realm_ + ":" + password_);
    std::string ha2 = hex_hash(md_, method + ":" + target);
    std::string expected = hex_hash(md_, ha1 + ":" + f["nonce"] + ":" + f["nc"] + ":" + f["cnonce"] + ":auth:" + ha2);
    if (f["response"] != expected) {
      ++bad_answers_;
      return challenge(false);
    }
    nonce_it->second.last_nc = nc;
    verified_nc_.push_back(f["nc"]);
    if (nonce_it->second.expired) return challenge(true);  // right password, old nonce (RFC 7616 3.3)
    std::string info;
    if (send_nextnonce_) info = "Authentication-Info: qop=auth, nextnonce=\"" + new_nonce() + "\"\r\n";
    return "HTTP/1.1 200 OK\r\n" + info + "Content-Length: 2\r\nConnection: close\r\n\r\nok";
  }

  std::string user_, password_, algorithm_;
  const EVP_MD* md_;
  bool offer_basic_;
  const std::string realm_ = "wraith-test@127.0.0.1";
  const std::string opaque_ = "0p4qu3";
  int fd_ = -1;
  std::uint16_t port_ = 0;
  std::atomic<bool> stop_{false};
  std::thread thread_;
  std::mutex mu_;
  std::map<std::string, NonceState> nonces_;
  std::vector<std::string> verified_nc_;
  int bad_answers_ = 0;
  bool send_nextnonce_ = false;
};

struct Reply {
  int status = 0;
  std::vector<HeaderField> headers;
};

// One hand-written HTTP/1.1 request on a fresh connection; the reply is read to EOF.
Reply send_request(std::uint16_t port, const std::string& method, const std::string& target,
                   const std::optional<HeaderField>& auth) {
  Reply out;
  int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  addr.sin_port = htons(port);
  if (::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) {
    ::close(fd);
    ADD_FAILURE() << "connect failed";
    return out;
  }
  std::string req = method + " " + target + " HTTP/1.1\r\nHost: 127.0.0.1:" + std::to_string(port) + "\r\n";
  if (auth) req += auth->first + ": " + auth->second + "\r\n";
  req += "Connection: close\r\n\r\n";
  if (::write(fd, req.data(), req.size()) != static_cast<ssize_t>(req.size())) ADD_FAILURE() << "short write";
  std::string resp;
  char buf[4096];
  for (;;) {
    pollfd p{fd, POLLIN, 0};
    if (::poll(&p, 1, 5000) <= 0) break;
    ssize_t n = ::read(fd, buf, sizeof buf);
    if (n <= 0) break;
    resp.append(buf, static_cast<std::size_t>(n));
  }
  ::close(fd);
  if (resp.size() < 12) return out;
  out.status = std::atoi(resp.substr(9, 3).c_str());
  std::size_t line = resp.find("\r\n");
  std::size_t end = resp.find("\r\n\r\n");
  while (line != std::string::npos && line < end) {
    std::size_t next = resp.find("\r\n", line + 2);
    std::string h = resp.substr(line + 2, next - line - 2);
    if (std::size_t colon = h.find(": "); colon != std::string::npos) out.headers.emplace_back(h.substr(0, colon), h.substr(colon + 2));
    line = next;
  }
  return out;
}

struct Outcome {
  int status = 0;
  int attempts = 0;
};

// What a client does with the Authenticator: initial header, then one retry per answerable challenge.
Outcome fetch(Authenticator& a, std::uint16_t port, const std::string& method, const std::string& target) {
  Outcome o;
  Reply r = send_request(port, method, target, a.initial(method, target));
  ++o.attempts;
  while (r.status == 401 && o.attempts < 6) {
    auto next = a.on_challenge(method, target, r.headers);
    EXPECT_TRUE(next.ok()) << (next.ok() ? "" : next.error().describe());
    if (!next.ok() || !next->has_value()) break;
    r = send_request(port, method, target, **next);
    ++o.attempts;
  }
  if (r.status != 401) a.on_response(r.headers);
  o.status = r.status;
  return o;
}

}  // namespace

TEST(AuthRoundTrip, DigestSha256Succeeds) {
  DigestServer server("Mufasa", "Circle of Life", "SHA-256");
  Authenticator a({Credentials::Scheme::digest, "Mufasa", "Circle of Life", ""});
  Outcome o = fetch(a, server.port(), "GET", "/dir/index.html?x=1");
  EXPECT_EQ(o.status, 200);
  EXPECT_EQ(o.attempts, 2);
  EXPECT_EQ(server.verified_nc(), std::vector<std::string>{"00000001"});
  EXPECT_EQ(server.bad_answers(), 0);
}

TEST(AuthRoundTrip, DigestMd5WithAnyWhenBasicIsOfferedToo) {
  DigestServer server("user", "pw", "MD5", /*offer_basic_too=*/true);
  Authenticator a({Credentials::Scheme::any, "user", "pw", ""});
  Outcome o = fetch(a, server.port(), "POST", "/submit");
  EXPECT_EQ(o.status, 200);
  EXPECT_EQ(o.attempts, 2);
  EXPECT_EQ(server.bad_answers(), 0);
}

TEST(AuthRoundTrip, WrongPasswordFails) {
  DigestServer server("Mufasa", "Circle of Life", "SHA-256");
  Authenticator a({Credentials::Scheme::digest, "Mufasa", "circle of life", ""});
  Outcome o = fetch(a, server.port(), "GET", "/");
  EXPECT_EQ(o.status, 401);
  EXPECT_EQ(o.attempts, 2);  // one answer, refused, then we stop
  EXPECT_EQ(server.bad_answers(), 1);
  EXPECT_TRUE(server.verified_nc().empty());
}

TEST(AuthRoundTrip, NonceReuseCountsUpThenStaleRenews) {
  DigestServer server("u", "p", "SHA-256");
  Authenticator a({Credentials::Scheme::digest, "u", "p", ""});
  EXPECT_EQ(fetch(a, server.port(), "GET", "/1").attempts, 2);
  Outcome second = fetch(a, server.port(), "GET", "/2");  // preemptive, same nonce, nc=2
  EXPECT_EQ(second.status, 200);
  EXPECT_EQ(second.attempts, 1);
  server.expire_nonces();
  Outcome third = fetch(a, server.port(), "GET", "/3");  // nc=3 on the old nonce -> stale -> new nonce, nc=1
  EXPECT_EQ(third.status, 200);
  EXPECT_EQ(third.attempts, 2);
  EXPECT_EQ(server.verified_nc(), (std::vector<std::string>{"00000001", "00000002", "00000003", "00000001"}));
  EXPECT_EQ(server.bad_answers(), 0);
}

TEST(AuthRoundTrip, NextnonceIsUsedForTheNextRequest) {
  DigestServer server("u", "p", "SHA-256");
  server.send_nextnonce();
  Authenticator a({Credentials::Scheme::digest, "u", "p", ""});
  EXPECT_EQ(fetch(a, server.port(), "GET", "/1").attempts, 2);
  Outcome second = fetch(a, server.port(), "GET", "/2");  // preemptive on the nextnonce: nc starts over
  EXPECT_EQ(second.status, 200);
  EXPECT_EQ(second.attempts, 1);
  EXPECT_EQ(server.verified_nc(), (std::vector<std::string>{"00000001", "00000001"}));
  EXPECT_EQ(server.bad_answers(), 0);
}

// The same server through the wraith client: a 401 challenge answered once, like a browser would.
TEST(AuthRoundTrip, ClientAnswersDigestChallenge) {
  DigestServer server("Mufasa", "Circle of Life", "SHA-256");
  wraith::ClientConfig config;
  config.auth = Credentials{Credentials::Scheme::digest, "Mufasa", "Circle of Life", ""};
  wraith::Client client(config);
  auto r = client.get("http://127.0.0.1:" + std::to_string(server.port()) + "/dir/index.html");
  ASSERT_TRUE(r) << r.error().describe();
  EXPECT_EQ(r->status, 200);
  EXPECT_EQ(server.verified_nc(), std::vector<std::string>{"00000001"});
  EXPECT_EQ(server.bad_answers(), 0);
}

TEST(AuthRoundTrip, ClientWithWrongPasswordGetsThe401) {
  DigestServer server("Mufasa", "Circle of Life", "SHA-256");
  wraith::ClientConfig config;
  config.auth = Credentials{Credentials::Scheme::any, "Mufasa", "wrong", ""};
  wraith::Client client(config);
  auto r = client.get("http://127.0.0.1:" + std::to_string(server.port()) + "/dir/index.html");
  ASSERT_TRUE(r) << r.error().describe();
  EXPECT_EQ(r->status, 401);
}
