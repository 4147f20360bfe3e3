// Client: configuration, the event loop (a thread of its own, or the caller's executor), and the request flow
// (plan -> pool -> exchange -> cookies -> redirects). Everything below run() executes on that one executor.
#include "wraith/client.h"

#include <strings.h>

#include <future>
#include <thread>

#include <asio/co_spawn.hpp>
#include <asio/executor_work_guard.hpp>
#include <asio/io_context.hpp>
#include <asio/this_coro.hpp>
#include <asio/use_awaitable.hpp>
#include <asio/use_future.hpp>

#include "auth/responder.h"
#include "client/body_sink.h"
#include "client/exchange.h"
#include "client/pool.h"
#include "client/profile_mapping.h"
#include "client/request_plan.h"
#include "client/redirect.h"
#include "net/deadline.h"
#include "net/tcp_stream.h"
#include "proxy/http_connect.h"
#include "proxy/tunnel.h"
#include "tls/layered_tls_stream.h"
#include "tls/connector.h"
#include "wraith/proxy.h"
#include "wraith/url.h"

namespace wraith {

using namespace std::chrono;

struct Client::Impl {
  // Own loop thread. Only that thread starts socket and timer operations (other threads reach the loop by
  // posting), so the reactor may skip its per-descriptor locks; posting stays locked.
  explicit Impl(ClientConfig c)
      : config(std::move(c)), own_io(std::make_unique<asio::io_context>(ASIO_CONCURRENCY_HINT_UNSAFE_IO)), executor(own_io->get_executor()),
        pool(std::make_shared<client::Pool>(executor, config.max_connections_per_host, seconds(60))) {
    setup_error = setup();
    work.emplace(asio::make_work_guard(*own_io));
    thread = std::thread([this] { own_io->run(); });
  }
  // The caller's executor: no thread of our own.
  Impl(ClientConfig c, asio::any_io_executor external)
      : config(std::move(c)), executor(std::move(external)),
        pool(std::make_shared<client::Pool>(executor, config.max_connections_per_host, seconds(60))) {
    setup_error = setup();
  }

  ~Impl() {
    if (!own_io) {
      // The pool outlives us in the posted handler: its connections close on their own executor.
      asio::post(executor, [pool = pool] { pool->close_all(); });
      return;
    }
    asio::post(*own_io, [this] { pool->close_all(); });
    work.reset();
    own_io->stop();
    thread.join();
  }

  std::optional<Error> setup();
  // The request's whole life (redirects included); send() picks it or, with a total timeout, run_limited.
  asio::awaitable<Result<Response>> send(Request request);
  asio::awaitable<Result<Response>> run(Request request);
  asio::awaitable<Result<Response>> run_limited(Request request);
  asio::awaitable<Result<void>> run_once(const Request& request, const Url& url, const std::string& method,
                                         const std::string& body, const client::RedirectState& hops, Response& response,
                                         const HeaderList& extra);
  // One hop with authentication: the credentials' first header, and one retry answering a 401 challenge.
  asio::awaitable<Result<void>> run_authenticated(const Request& request, const Url& url, const std::string& method,
                                                  const std::string& body, const client::RedirectState& hops,
                                                  Response& response, auth::Authenticator* authenticator);
  asio::awaitable<Result<std::unique_ptr<net::Stream>>> open_transport(const Url& url);
  asio::awaitable<Result<std::unique_ptr<net::Stream>>> open_through_proxy(const Url& url);
  std::string user_agent() const;
  // Url::parse with a one-entry memo: load and crawl loops send the same URL over and over.
  // A request URL parsed once with its serialisation (Response::url), with a one-entry memo: a load test sends
  // the same URL over and over. Shared, so a request keeps its entry while later ones replace the memo.
  struct ParsedUrl {
    Url url;
    std::string serialised;
  };
  Result<std::shared_ptr<const ParsedUrl>> parse_url(const std::string& text) {
    if (last_url && last_url_text == text) return last_url;
    auto parsed = Url::parse(text);
    if (!parsed) return parsed.take_error();
    std::string serialised = parsed->to_string();
    last_url = std::make_shared<const ParsedUrl>(ParsedUrl{std::move(*parsed), std::move(serialised)});
    last_url_text = text;
    return last_url;
  }
  // (scheme, authority) -> pool key, with a one-entry memo like parse_url's.
  const std::string& pool_key(const std::string& scheme, const std::string& authority) {
    if (last_key.empty() || last_key_scheme != scheme || last_key_authority != authority) {
      last_key_scheme = scheme;
      last_key_authority = authority;
      last_key = scheme + "://" + authority + "|" + profile.name + "|" + config.proxy;
    }
    return last_key;
  }

  ClientConfig config;
  Profile profile;
  client::RequestTemplates templates;  // the profile's kinds, compiled once
  std::optional<Error> setup_error;
  std::shared_ptr<tls::ClientContext> tls;
  std::optional<ProxyConfig> proxy;
  std::shared_ptr<tls::ClientContext> proxy_tls;  // the proxy hop's own TLS (https:// proxies)
  h2::SessionConfig h2_config;
  std::unique_ptr<asio::io_context> own_io;  // null when running on the caller's executor
  asio::any_io_executor executor;
  std::optional<asio::executor_work_guard<asio::io_context::executor_type>> work;
  std::shared_ptr<client::Pool> pool;
  std::thread thread;
  std::string last_url_text, last_key_scheme, last_key_authority, last_key;
  std::shared_ptr<const ParsedUrl> last_url;
  WireLog wire_log;
  std::mutex wire_log_mutex;
};

std::optional<Error> Client::Impl::setup() {
  if (config.profile_data) {
    profile = *config.profile_data;
  } else {
    auto p = builtin_profile(config.profile.empty() ? default_profile_name() : config.profile);
    if (!p) return p.take_error();
    profile = std::move(*p);
  }
  if (!config.proxy.empty()) {
    auto parsed = ProxyConfig::parse(config.proxy);
    if (!parsed) return parsed.take_error();
    proxy = std::move(*parsed);
    if (proxy->kind == ProxyConfig::Kind::https) {
      // The proxy hop has its own TLS settings; only the origin hop carries the profile's fingerprint.
      auto context = tls::ClientContext::create(proxy::default_proxy_tls_profile(), "proxy", {config.insecure, config.ca_file});
      if (!context) return context.take_error();
      proxy_tls = *context;
    }
  }
  TlsProfile tls_profile = profile.tls;
  if (config.version == HttpVersion::http1_1) {
    // Like curl --http1.1: offer only http/1.1 (which also drops ALPS, tied to h2).
    tls_profile.alpn = {"http/1.1"};
    tls_profile.alps_protocols.clear();
  }
  auto context = tls::ClientContext::create(tls_profile, profile.name, {config.insecure, config.ca_file},
                                            client::alps_settings(profile));
  if (!context) return context.take_error();
  tls = *context;
  auto compiled = client::RequestTemplates::compile(profile);
  if (!compiled) return compiled.take_error();
  templates = std::move(*compiled);
  auto h2 = client::h2_session_config(profile);
  if (!h2) return h2.take_error();
  h2_config = std::move(*h2);
  return std::nullopt;
}

asio::awaitable<Result<std::unique_ptr<net::Stream>>> Client::Impl::open_transport(const Url& url) {
  if (proxy) co_return co_await open_through_proxy(url);
  tls::TlsConnectOptions options;
  options.tcp.resolve_overrides = config.resolve;
  options.tcp.resolve_timeout = config.timeouts.resolve;
  options.tcp.connect_timeout = config.timeouts.connect;
  options.handshake_timeout = config.timeouts.tls;
  if (url.is_secure()) {
    auto stream = co_await tls::connect_tls(*tls, url.host(), url.port_or_default(), options);
    if (!stream) co_return stream.take_error();
    co_return std::unique_ptr<net::Stream>(std::move(*stream));
  }
  auto socket = co_await net::connect_tcp(url.host(), url.port_or_default(), options.tcp);
  if (!socket) co_return socket.take_error();
  co_return std::unique_ptr<net::Stream>(std::make_unique<net::TcpStream>(std::move(*socket)));
}

asio::awaitable<Result<std::unique_ptr<net::Stream>>> Client::Impl::open_through_proxy(const Url& url) {
  proxy::TunnelOptions options;
  options.connect.resolve_overrides = config.resolve;
  options.connect.resolve_timeout = config.timeouts.resolve;
  options.connect.connect_timeout = config.timeouts.connect;
  options.handshake_timeout = config.timeouts.connect;
  options.proxy_tls_timeout = config.timeouts.tls;
  options.proxy_verify = {config.insecure, config.ca_file};
  options.proxy_tls = proxy_tls;
  options.user_agent = user_agent();
  // Plain http through an HTTP(S) proxy: absolute-form requests on a connection to the proxy itself.
  if (!url.is_secure() && proxy::uses_absolute_form(*proxy, false)) {
    auto hop = co_await proxy::connect_to_proxy(*proxy, options);
    if (!hop) co_return hop.take_error();
    if (hop->is_socket()) co_return std::unique_ptr<net::Stream>(std::make_unique<net::TcpStream>(std::move(*hop->socket)));
    co_return std::move(*hop).into_stream();
  }
  auto tunnel = co_await proxy::open_tunnel(*proxy, url.host(), url.port_or_default(), options);
  if (!tunnel) co_return tunnel.take_error();
  if (!url.is_secure()) co_return std::move(*tunnel).into_stream();
  auto ssl = tls->new_ssl(url.host(), url.port_or_default());
  if (!ssl) co_return ssl.take_error();
  if (tunnel->is_socket()) {
    // CONNECT / SOCKS over plain TCP: the origin's TLS runs straight on the socket, as without a proxy.
    auto stream = std::make_unique<tls::TlsStream>(std::move(*tunnel->socket), std::move(*ssl));
    auto handshake = co_await stream->handshake(config.timeouts.tls, url.host());
    if (!handshake) co_return handshake.take_error();
    co_return std::unique_ptr<net::Stream>(std::move(stream));
  }
  auto stream = std::make_unique<tls::LayeredTlsStream>(std::move(tunnel->stream), std::move(*ssl));
  auto handshake = co_await stream->handshake(config.timeouts.tls, url.host());
  if (!handshake) co_return handshake.take_error();
  co_return std::unique_ptr<net::Stream>(std::move(stream));
}

std::string Client::Impl::user_agent() const {
  auto it = profile.kinds.find("navigate");
  if (it != profile.kinds.end())
    for (const auto& [n, v] : it->second.h2_headers)
      if (n == "user-agent") return v;
  return {};
}

asio::awaitable<Result<void>> Client::Impl::run_authenticated(const Request& request, const Url& url,
                                                              const std::string& method, const std::string& body,
                                                              const client::RedirectState& hops, Response& response,
                                                              auth::Authenticator* authenticator) {
  // Credentials belong to the first origin: a hop elsewhere gets none (like Authorization itself).
  bool same_origin_hop = hops.original && same_origin(url, *hops.original);
  for (const auto& visited : hops.chain) same_origin_hop = same_origin_hop && same_origin(visited, *hops.original);
  // (Named locals, not braced temporaries, in co_await expressions: GCC 12 miscompiles those.)
  HeaderList extra;
  if (!authenticator || !same_origin_hop) {
    auto plain = co_await run_once(request, url, method, body, hops, response, extra);
    co_return plain;
  }
  if (auto first = authenticator->initial(method, url.target())) extra.push_back(*first);
  auto once = co_await run_once(request, url, method, body, hops, response, extra);
  if (!once || response.status != 401) co_return once;
  auto answer = authenticator->on_challenge(method, url.target(), response.headers);
  if (!answer) co_return answer.take_error();
  if (!*answer) co_return once;  // cannot answer: hand back the 401
  HeaderList retry;
  retry.push_back(**answer);
  auto second = co_await run_once(request, url, method, body, hops, response, retry);
  co_return second;
}

asio::awaitable<Result<void>> Client::Impl::run_once(const Request& request, const Url& url, const std::string& method,
                                                         const std::string& body, const client::RedirectState& hops,
                                                         Response& response, const HeaderList& extra) {
  client::ComputedValues computed = client::computed_values(request, url, method, body, hops, config.cookies.get());
  HeaderList user = config.default_headers;
  for (const auto& h : request.headers) user.push_back(h);
  client::strip_credentials_if_cross_origin(user, url, hops);
  client::strip_body_headers_if_body_dropped(user, request.method, method, body);
  for (const auto& h : extra) user.push_back(h);
  // A user-set Cookie goes first, then the jar's (one header, as Chrome sends it).
  for (auto it = user.begin(); it != user.end(); ++it)
    if (strcasecmp(it->first.c_str(), "cookie") == 0) {
      computed.cookie = computed.cookie.empty() ? it->second : it->second + "; " + computed.cookie;
      user.erase(it);
      break;
    }
  auto plan = client::plan_request(templates, request.kind, method, url, std::move(user), std::move(computed));
  if (!plan) co_return plan.take_error();

  client::ExchangeInput in{&*plan, &body, hops.count == 0 ? &request.body_source : nullptr, config.timeouts, {},
                           config.max_response_body};
  if (proxy && !url.is_secure() && proxy::uses_absolute_form(*proxy, false)) {
    in.absolute_form = true;
    if (auto auth = proxy::proxy_authorization(*proxy); !auth.empty()) plan->h1_extra.emplace_back("Proxy-Authorization", auth);
  }
  if (wire_log.sink) in.wire_log = wire_log.sink;
  const std::string key = pool_key(url.scheme(), plan->computed.authority);
  const bool prior_knowledge = !url.is_secure() && config.version == HttpVersion::http2;
  auto connector = [this, &url]() { return open_transport(url); };
  auto make_h2 = [this](std::unique_ptr<net::Stream> stream) {
    auto c = std::make_shared<h2::Connection>(std::move(stream), h2_config);
    if (wire_log.sink) c->set_frame_log([sink = wire_log.sink](std::string_view line) { sink("> [h2] " + std::string(line)); });
    c->start();
    return c;
  };

  // A request that never reached the server (refused stream, GOAWAY above it, a stale pooled socket)
  // is retried once on a fresh connection: none lost, none duplicated.
  for (int attempt = 0;; ++attempt) {
    const bool fresh = request.fresh_connection && attempt == 0;
    std::optional<client::Lease> ready = fresh ? std::nullopt : pool->ready_h2(key);
    Result<client::Lease> lease = Error(ErrorKind::io, "no connection", "client");
    if (ready) lease = std::move(*ready);
    else lease = co_await pool->acquire(key, connector, make_h2, prior_knowledge, config.timeouts.pool_acquire, fresh);
    if (!lease) co_return lease.take_error();
    response.body.clear();
    response.reused_connection = lease->reused;
    response.timings.connect_ms += lease->connect_ms;
    client::BodySink sink(config.max_response_body, config.decompress, request.on_body, &response.body,
                         &request.on_response_head);
    sink.set_follows_redirects(hops.count < hops.max);
    Result<client::ExchangeHead> head = Error(ErrorKind::io, "no exchange", "client");
    if (lease->h2) {
      response.version = "h2";
      head = co_await client::exchange_h2(lease->h2, in, sink);
    } else {
      response.version = "http/1.1";
      head = co_await client::exchange_h1(*lease->h1->stream, in, sink);
      bool reusable = head && head->connection_reusable;
      pool->release(key, std::move(lease->h1), reusable);
    }
    if (!head) {
      if (head.error().kind == ErrorKind::refused && attempt == 0 && (lease->reused || lease->h2)) continue;
      co_return head.take_error();
    }
    response.status = head->status;
    response.headers = std::move(head->headers);
    response.trailers = std::move(head->trailers);
    response.tls_alpn = response.version;
    co_return Result<void>{};
  }
}

asio::awaitable<Result<Response>> Client::Impl::run(Request request) {
  // Called from another executor (async_send from elsewhere): run there, hand the result back here.
  if (auto caller = co_await asio::this_coro::executor; caller != executor) {
    auto result = co_await asio::co_spawn(executor, run(std::move(request)), asio::use_awaitable);
    co_return result;
  }
  if (setup_error) co_return *setup_error;
  auto parse_result = parse_url(request.url);
  if (!parse_result) co_return parse_result.take_error();
  const std::shared_ptr<const ParsedUrl> parsed = std::move(*parse_result);
  auto started = steady_clock::now();
  Response response;
  client::RedirectState hops;
  if (!request.referer.empty()) {
    auto ref = Url::parse(request.referer);
    if (!ref) co_return ref.take_error();
    hops.initiator = *ref;
  }
  hops.original = &parsed->url;
  hops.max = request.max_redirects.value_or(config.max_redirects);
  Url url = parsed->url;
  std::string method = request.method;
  std::string body = request.body;

  std::optional<auth::Authenticator> authenticator;
  if (auto creds = request.auth ? request.auth : config.auth) {
    if (auto valid = auth::validate(*creds); !valid) co_return valid.take_error();
    authenticator.emplace(*creds);
  }
  // Redirects are followed here, in run's own frame (a load test pays for every coroutine frame per request).
  for (;;) {
    Result<void> once;
    if (authenticator) {
      once = co_await run_authenticated(request, url, method, body, hops, response, &*authenticator);
    } else {
      const HeaderList no_extra;  // the common case skips a coroutine frame
      once = co_await run_once(request, url, method, body, hops, response, no_extra);
    }
    if (!once) co_return once.take_error();
    client::store_cookies(config.cookies.get(), url, response.headers, hops);
    auto next = client::next_hop(response.status, response.header("location"), url, method, body);
    if (!next) co_return next.take_error();
    if (!next->has_value()) break;
    if (hops.count >= hops.max) {
      if (hops.max == 0) break;  // not following: hand back the redirect response itself
      co_return Error(ErrorKind::redirect, "too many redirects (" + std::to_string(hops.max) + ")", "client");
    }
    response.history.push_back(url.to_string());
    hops.chain.push_back(url);
    ++hops.count;
    url = (**next).url;
    method = (**next).method;
    body = (**next).body;
    if (request.body_source && method != "GET")
      co_return Error(ErrorKind::redirect, "a " + std::to_string(response.status) +
                                               " redirect would replay a streamed request body", "client");
  }
  response.url = hops.count == 0 ? parsed->serialised : url.to_string();
  response.timings.total_ms = duration<double, std::milli>(steady_clock::now() - started).count();
  co_return std::move(response);
}

asio::awaitable<Result<Response>> Client::Impl::run_limited(Request request) {
  if (auto caller = co_await asio::this_coro::executor; caller != executor) {
    auto result = co_await asio::co_spawn(executor, run_limited(std::move(request)), asio::use_awaitable);
    co_return result;
  }
  const std::string what = "request to " + request.url;
  auto limited = co_await net::with_deadline(run(std::move(request)), config.timeouts.total);
  if (!limited) co_return client::timeout_error(TimeoutPhase::total, what);
  co_return std::move(*limited);
}

// Not a coroutine: the total timeout costs its frame and timer only when one is set.
asio::awaitable<Result<Response>> Client::Impl::send(Request request) {
  if (config.timeouts.total.count() > 0) return run_limited(std::move(request));
  return run(std::move(request));
}

Client::Client(ClientConfig config) : impl_(std::make_unique<Impl>(std::move(config))) {}
Client::Client(ClientConfig config, asio::any_io_executor executor)
    : impl_(std::make_unique<Impl>(std::move(config), std::move(executor))) {}
Client::~Client() = default;

Result<std::unique_ptr<Client>> Client::create(ClientConfig config) {
  auto client = std::make_unique<Client>(std::move(config));
  if (client->impl_->setup_error) return *client->impl_->setup_error;
  return client;
}

Result<std::unique_ptr<Client>> Client::create(ClientConfig config, asio::any_io_executor executor) {
  auto client = std::make_unique<Client>(std::move(config), std::move(executor));
  if (client->impl_->setup_error) return *client->impl_->setup_error;
  return client;
}

Result<Response> Client::send(Request request) {
  auto future = asio::co_spawn(impl_->executor, impl_->send(std::move(request)), asio::use_future);
  return future.get();
}

Result<Response> Client::get(const std::string& url, RequestKind kind) {
  Request request;
  request.url = url;
  request.kind = kind;
  return send(std::move(request));
}

// Not a coroutine itself: run() moves to the client's executor only when the caller is elsewhere.
asio::awaitable<Result<Response>> Client::async_send(Request request) { return impl_->send(std::move(request)); }

asio::any_io_executor Client::executor() const { return impl_->executor; }

const Profile& Client::profile() const { return impl_->profile; }
CookieJar* Client::cookies() const { return impl_->config.cookies.get(); }

void Client::set_wire_log(WireLog log) {
  asio::post(impl_->executor, [this, log = std::move(log)] { impl_->wire_log = log; });
}

Result<Response> get(const std::string& url, ClientConfig config) {
  Client client(std::move(config));
  return client.get(url);
}

}  // namespace wraith
