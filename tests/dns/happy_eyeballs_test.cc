// Happy Eyeballs v2 on loopback only: a listener on 127.0.0.1 that accepts, [::1] ports nobody listens on
// (refused at once), and a [::1] listener whose accept queue is full (SYNs dropped: a "slow" address).
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <asio/experimental/awaitable_operators.hpp>
#include <asio/detached.hpp>
#include <asio/ip/v6_only.hpp>
#include <asio/steady_timer.hpp>

#include "dns/happy_eyeballs.h"
#include "net/connect.h"
#include "net/deadline.h"
#include "test_util.h"

using namespace wraith;
using namespace wraith::dns;
using namespace wraith::dns::testing;
using namespace std::chrono_literals;
using tcp = asio::ip::tcp;

namespace {

const auto kLoop4 = asio::ip::address_v4::loopback();
const auto kLoop6 = asio::ip::address_v6::loopback();

// A listening socket that never accepts: the kernel completes handshakes while its backlog has room.
struct Listener {
  asio::io_context io;
  tcp::acceptor acceptor{io};
  explicit Listener(asio::ip::address address, std::uint16_t port = 0, int backlog = 16) {
    tcp::endpoint ep(address, port);
    acceptor.open(ep.protocol());
    if (address.is_v6()) acceptor.set_option(asio::ip::v6_only(true));
    asio::error_code ec;
    acceptor.bind(ep, ec);
    if (!ec) acceptor.listen(backlog, ec);
    ok = !ec;
  }
  tcp::endpoint endpoint() const { return acceptor.local_endpoint(); }
  bool ok = false;
};

// A loopback port with no listener: connecting is refused immediately.
tcp::endpoint refused_endpoint(asio::ip::address address) {
  Listener probe(address);
  return probe.endpoint();  // closed when probe goes away
}

// [::1] listener with a full accept queue, so a further connect's SYN is dropped and the attempt hangs.
struct HangingEndpoint {
  Listener listener{kLoop6, 0, 0};
  std::vector<int> fillers;
  bool ok = false;
  HangingEndpoint() {
    if (!listener.ok) return;
    auto ep = listener.endpoint();
    sockaddr_in6 sin6{};
    sin6.sin6_family = AF_INET6;
    sin6.sin6_port = htons(ep.port());
    sin6.sin6_addr = in6addr_loopback;
    for (int i = 0; i < 16 && !ok; ++i) {
      int fd = ::socket(AF_INET6, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
      ::connect(fd, reinterpret_cast<sockaddr*>(&sin6), sizeof sin6);
      fillers.push_back(fd);
      pollfd p{fd, POLLOUT, 0};
      if (::poll(&p, 1, 100) == 0) ok = true;  // this one hangs: the queue is full
    }
  }
  ~HangingEndpoint() {
    for (int fd : fillers) ::close(fd);
  }
  tcp::endpoint endpoint() const { return listener.endpoint(); }
};

// What a connect produced, read while its io_context is still alive (a socket must not outlive it).
struct Connected {
  std::string remote;  // peer address
  bool nodelay = false;
};

Result<Connected> settle(asio::awaitable<Result<tcp::socket>> op) {
  return run_sync([](asio::awaitable<Result<tcp::socket>> op) -> asio::awaitable<Result<Connected>> {
    auto socket = co_await std::move(op);
    if (!socket) co_return socket.take_error();
    asio::error_code ec;
    tcp::no_delay nodelay;
    socket->get_option(nodelay, ec);
    co_return Connected{socket->remote_endpoint(ec).address().to_string(), nodelay.value()};
  }(std::move(op)));
}

Result<Connected> race(std::vector<tcp::endpoint> endpoints, HappyEyeballsOptions options,
                       std::chrono::milliseconds* took = nullptr) {
  auto start = Clock::now();
  auto result = settle(connect_endpoints(std::move(endpoints), "test.host", options));
  if (took) *took = std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - start);
  return result;
}

std::string address_of(const Result<Connected>& connected) { return connected->remote; }

}  // namespace

TEST(DnsHappyEyeballs, RefusedAddressMovesOnImmediately) {
  Listener v4(kLoop4);
  ASSERT_TRUE(v4.ok);
  std::vector<AttemptRecord> trace;
  std::chrono::milliseconds took;
  auto socket = race({refused_endpoint(kLoop6), v4.endpoint()}, {.trace = &trace}, &took);
  ASSERT_TRUE(socket) << socket.error().describe();
  EXPECT_EQ(address_of(socket), "127.0.0.1");
  ASSERT_EQ(trace.size(), 2u);
  EXPECT_TRUE(trace[0].endpoint.address().is_v6()) << "IPv6 goes first";
  EXPECT_NE(trace[0].outcome, "connected");
  EXPECT_LT(trace[1].started, 150ms) << "a refusal does not wait out the 250 ms delay";
  EXPECT_EQ(trace[1].outcome, "connected");
  EXPECT_LT(took, 200ms);
}

TEST(DnsHappyEyeballs, SlowIpv6LosesToIpv4AfterAttemptDelay) {
  HangingEndpoint slow;
  if (!slow.ok) GTEST_SKIP() << "could not fill a loopback accept queue here";
  Listener v4(kLoop4);
  ASSERT_TRUE(v4.ok);
  std::vector<AttemptRecord> trace;
  std::chrono::milliseconds took;
  auto socket = race({slow.endpoint(), v4.endpoint()}, {.trace = &trace}, &took);
  ASSERT_TRUE(socket) << socket.error().describe();
  EXPECT_EQ(address_of(socket), "127.0.0.1");
  ASSERT_EQ(trace.size(), 2u);
  EXPECT_EQ(trace[0].outcome, "cancelled") << "the loser is closed";
  EXPECT_GE(trace[1].started, 240ms);
  EXPECT_LT(trace[1].started, 600ms);
  EXPECT_LT(took, 1000ms);
}

TEST(DnsHappyEyeballs, AttemptDelayIsConfigurable) {
  HangingEndpoint slow;
  if (!slow.ok) GTEST_SKIP() << "could not fill a loopback accept queue here";
  Listener v4(kLoop4);
  std::vector<AttemptRecord> trace;
  auto socket = race({slow.endpoint(), v4.endpoint()}, {.attempt_delay = 60ms, .trace = &trace});
  ASSERT_TRUE(socket) << socket.error().describe();
  ASSERT_EQ(trace.size(), 2u);
  EXPECT_GE(trace[1].started, 55ms);
  EXPECT_LT(trace[1].started, 240ms);
}

TEST(DnsHappyEyeballs, AllRefusedNamesEveryAddress) {
  auto e6 = refused_endpoint(kLoop6);
  auto e4 = refused_endpoint(kLoop4);
  auto socket = race({e4, e6}, {});
  ASSERT_FALSE(socket);
  EXPECT_EQ(socket.error().kind, ErrorKind::connect);
  const auto& m = socket.error().message;
  EXPECT_NE(m.find("[::1]:" + std::to_string(e6.port())), std::string::npos) << m;
  EXPECT_NE(m.find("127.0.0.1:" + std::to_string(e4.port())), std::string::npos) << m;
  EXPECT_NE(m.find("refused"), std::string::npos) << m;
  EXPECT_LT(m.find("[::1]"), m.find("127.0.0.1")) << "tried IPv6 first even though listed second";
}

TEST(DnsHappyEyeballs, ConnectTimeoutIsTyped) {
  HangingEndpoint slow;
  if (!slow.ok) GTEST_SKIP() << "could not fill a loopback accept queue here";
  std::chrono::milliseconds took;
  auto socket = race({slow.endpoint()}, {.connect_timeout = 300ms}, &took);
  ASSERT_FALSE(socket);
  EXPECT_EQ(socket.error().kind, ErrorKind::timeout) << socket.error().describe();
  EXPECT_EQ(socket.error().phase, TimeoutPhase::connect);
  EXPECT_GE(took, 290ms);
  EXPECT_LT(took, 1500ms);
}

TEST(DnsHappyEyeballs, OuterDeadlineCancelsTheRace) {
  HangingEndpoint slow;
  if (!slow.ok) GTEST_SKIP() << "could not fill a loopback accept queue here";
  asio::io_context io;
  auto start = Clock::now();
  auto op = connect_endpoints({slow.endpoint()}, "x", {});
  auto future = asio::co_spawn(io, [&]() -> asio::awaitable<bool> {
    auto outcome = co_await net::with_deadline(std::move(op), std::chrono::milliseconds(100));
    co_return !outcome.has_value();
  }, asio::use_future);
  io.run();
  EXPECT_TRUE(future.get());
  EXPECT_LT(Clock::now() - start, 1s);
}

TEST(DnsHappyEyeballs, EmptyListIsAConnectError) {
  auto socket = race({}, {});
  ASSERT_FALSE(socket);
  EXPECT_EQ(socket.error().kind, ErrorKind::connect);
}

// Resolution Delay (RFC 8305 §3), with real DNS timing from the fake server and one port on both loopbacks.
class DnsResolutionDelay : public ::testing::Test {
 protected:
  void SetUp() override {
    for (int i = 0; i < 20 && !(v4 && v6); ++i) {
      v4 = std::make_unique<Listener>(kLoop4);
      v6 = std::make_unique<Listener>(kLoop6, v4->endpoint().port());
      if (!v6->ok) v4.reset(), v6.reset();
    }
    ASSERT_TRUE(v4 && v6) << "no port free on both loopbacks";
  }
  Result<Connected> connect(std::chrono::milliseconds aaaa_delay, std::chrono::milliseconds resolution_delay,
                            std::vector<AttemptRecord>& trace) {
    server.set("dual.test", {.a = {"127.0.0.1"}, .aaaa = {"::1"}, .ttl = 0, .aaaa_delay = aaaa_delay});
    auto resolver = resolver_for(server);
    HappyEyeballsOptions options{.resolution_delay = resolution_delay, .resolve_timeout = 2s, .trace = &trace};
    return settle(connect_host(*resolver, "dual.test", v4->endpoint().port(), options));
  }
  FakeDnsServer server;
  std::unique_ptr<Listener> v4, v6;
};

TEST_F(DnsResolutionDelay, AaaaWithinDelayKeepsIpv6First) {
  std::vector<AttemptRecord> trace;
  // AAAA 10 ms behind A; a 200 ms delay leaves room for a loaded machine.
  auto socket = connect(10ms, 200ms, trace);
  ASSERT_TRUE(socket) << socket.error().describe();
  EXPECT_EQ(address_of(socket), "::1");
  ASSERT_GE(trace.size(), 1u);
  EXPECT_TRUE(trace[0].endpoint.address().is_v6());
}

TEST_F(DnsResolutionDelay, LateAaaaLetsIpv4StartAfterDelay) {
  std::vector<AttemptRecord> trace;
  auto socket = connect(400ms, 50ms, trace);
  ASSERT_TRUE(socket) << socket.error().describe();
  EXPECT_EQ(address_of(socket), "127.0.0.1");
  ASSERT_GE(trace.size(), 1u);
  EXPECT_TRUE(trace[0].endpoint.address().is_v4());
  EXPECT_GE(trace[0].started, 45ms) << "waited the resolution delay for AAAA";
  EXPECT_LT(trace[0].started, 350ms);
}

// connect_tcp end to end: options, resolver, overrides, errors.
TEST(DnsConnectTcp, ResolvesThroughTheGivenResolverAndRaces) {
  FakeDnsServer server;
  Listener v4(kLoop4);
  auto refused6 = refused_endpoint(kLoop6);
  (void)refused6;
  server.set("svc.test", {.a = {"127.0.0.1"}, .aaaa = {"::1"}, .ttl = 60});
  net::ConnectOptions options;
  options.resolver = resolver_for(server);
  std::vector<AttemptRecord> trace;
  options.trace = &trace;
  auto socket = settle(net::connect_tcp("svc.test", v4.endpoint().port(), options));
  ASSERT_TRUE(socket) << socket.error().describe();
  EXPECT_EQ(address_of(socket), "127.0.0.1");
  EXPECT_TRUE(socket->nodelay);
}

TEST(DnsConnectTcp, NxdomainBecomesResolveError) {
  FakeDnsServer server;
  net::ConnectOptions options;
  options.resolver = resolver_for(server);
  auto socket = settle(net::connect_tcp("nowhere.test", 443, options));
  ASSERT_FALSE(socket);
  EXPECT_EQ(socket.error().kind, ErrorKind::resolve);
  EXPECT_EQ(socket.error().message, "could not resolve host: nowhere.test (NXDOMAIN)");
}

TEST(DnsConnectTcp, ResolveTimeoutHasPhaseResolve) {
  FakeDnsServer server;
  server.set("silent.test", {.silent = true});
  net::ConnectOptions options;
  options.resolver = resolver_for(server);
  options.resolve_timeout = 200ms;
  auto socket = settle(net::connect_tcp("silent.test", 443, options));
  ASSERT_FALSE(socket);
  EXPECT_EQ(socket.error().kind, ErrorKind::timeout);
  EXPECT_EQ(socket.error().phase, TimeoutPhase::resolve);
}

TEST(DnsConnectTcp, OverrideListBypassesDns) {
  FakeDnsServer server;
  Listener v4(kLoop4);
  auto port = v4.endpoint().port();
  net::ConnectOptions options;
  options.resolver = resolver_for(server);
  options.resolve_overrides["Named.test:" + std::to_string(port)] = "[::1],127.0.0.1";
  auto socket = settle(net::connect_tcp("named.test", port, options));
  ASSERT_TRUE(socket) << socket.error().describe();
  EXPECT_EQ(server.queries("named.test", 1), 0);
  options.resolve_overrides["named.test:" + std::to_string(port)] = "bogus";
  options.resolve_overrides.erase("Named.test:" + std::to_string(port));
  auto bad = settle(net::connect_tcp("named.test", port, options));
  ASSERT_FALSE(bad);
  EXPECT_EQ(bad.error().kind, ErrorKind::invalid_argument);
}

TEST(DnsConnectTcp, LocalhostFallsBackToIpv4WithoutDns) {
  FakeDnsServer server;
  Listener v4(kLoop4);
  net::ConnectOptions options;
  options.resolver = resolver_for(server);
  std::vector<AttemptRecord> trace;
  options.trace = &trace;
  auto socket = settle(net::connect_tcp("localhost", v4.endpoint().port(), options));
  ASSERT_TRUE(socket) << socket.error().describe();
  EXPECT_EQ(address_of(socket), "127.0.0.1");
  EXPECT_EQ(server.queries("localhost", 1) + server.queries("localhost", 28), 0);
}

TEST(DnsConnectTcp, Ipv6OnlyRefusesIpv4Literal) {
  Listener v4(kLoop4);
  net::ConnectOptions options;
  options.ip_version = IpVersion::v6_only;
  auto socket = settle(net::connect_tcp("127.0.0.1", v4.endpoint().port(), options));
  ASSERT_FALSE(socket);
  EXPECT_EQ(socket.error().kind, ErrorKind::connect);
}

TEST(DnsConnectTcp, ManyRacesOnAMultiThreadedLoop) {
  // Callbacks only send on the race's channel and the race loop alone touches its sockets, so an
  // io_context run by several threads needs no strand.
  FakeDnsServer server;
  Listener v4(kLoop4, 0, 64);
  server.set("multi.test", {.a = {"127.0.0.1"}, .aaaa = {"::1"}, .ttl = 0});
  net::ConnectOptions options;
  options.resolver = resolver_for(server);
  asio::io_context io;
  std::atomic<int> connected{0};
  constexpr int kRaces = 16;
  for (int i = 0; i < kRaces; ++i)
    asio::co_spawn(io, [&]() -> asio::awaitable<void> {
      auto socket = co_await net::connect_tcp("multi.test", v4.endpoint().port(), options);
      if (socket) ++connected;
    }, asio::detached);
  std::thread helper([&] { io.run(); });
  io.run();
  helper.join();
  EXPECT_EQ(connected.load(), kRaces);
}
