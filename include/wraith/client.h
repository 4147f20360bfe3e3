// wraith's user API: a Client configured once, requests that look like Chrome's, responses with everything
// a scraper or tester needs.
//
//   wraith::Client client;                                   // profile chromium156, verification on
//   auto r = client.get("https://example.test/");            // Result<Response>
//   if (r) std::cout << r->status << " " << r->text();
//   else   std::cerr << r.error().describe();
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include <asio/any_io_executor.hpp>
#include <asio/awaitable.hpp>
#include <nlohmann/json.hpp>

#include "wraith/auth.h"
#include "wraith/cookie_jar.h"
#include "wraith/error.h"
#include "wraith/profile.h"

namespace wraith {

// What kind of request Chrome would be making; picks the profile's header template and priority.
enum class RequestKind { navigate, fetch, xhr, form, image, script, style };
const char* to_string(RequestKind kind);
Result<RequestKind> parse_request_kind(std::string_view name);

enum class HttpVersion { automatic, http1_1, http2 };

struct Timeouts {
  std::chrono::milliseconds resolve{30000};
  std::chrono::milliseconds connect{30000};
  std::chrono::milliseconds tls{30000};
  std::chrono::milliseconds first_byte{60000};
  std::chrono::milliseconds read_idle{60000};
  std::chrono::milliseconds write_idle{60000};
  std::chrono::milliseconds total{0};  // 0 = no overall limit
  std::chrono::milliseconds pool_acquire{30000};
};

struct ClientConfig {
  std::string profile;                    // built-in profile name; empty = default_profile_name()
  std::optional<Profile> profile_data;    // or a profile loaded from a file (wins over `profile`)
  std::string proxy;                      // curl-style proxy URL; empty = direct
  Timeouts timeouts;
  int max_redirects = 20;                 // like Chrome; 0 = never follow
  std::shared_ptr<CookieJar> cookies = std::make_shared<CookieJar>();  // null = no cookies
  bool insecure = false;                  // explicit opt-out of certificate and hostname verification
  std::string ca_file;                    // PEM bundle; empty = system store
  HeaderList default_headers;             // added to every request (replace profile values in place)
  std::size_t max_connections_per_host = 6;  // HTTP/1.1, like Chrome
  HttpVersion version = HttpVersion::automatic;
  std::map<std::string, std::string> resolve;  // "host:port" -> address (curl's --resolve)
  std::uint64_t max_response_body = 1ull << 30;  // larger bodies fail with ErrorKind::too_large
  bool decompress = true;                 // decode Content-Encoding (gzip, deflate, br, zstd)
  std::optional<auth::Credentials> auth;  // basic, bearer, digest (RFC 7616) or any; never logged
};

// A request body produced on demand: return the next chunk (empty = done), or an error.
using BodySource = std::function<Result<std::vector<std::uint8_t>>()>;

struct Request {
  std::string method = "GET";
  std::string url;
  HeaderList headers;                     // replace template values in place, or go where Chrome puts them
  std::string body;                       // a whole body ...
  BodySource body_source;                 // ... or a streamed one (chunked on h1, DATA frames on h2)
  RequestKind kind = RequestKind::navigate;
  std::string referer;                    // sets referer and the sec-fetch-site computation
  std::optional<int> max_redirects;       // overrides the client's policy for this request
  std::optional<auth::Credentials> auth;  // overrides ClientConfig::auth; sent to the first origin only
  bool fresh_connection = false;          // open a new connection (TLS resumes from the cache) instead of reusing one
  // Streaming response: called with each body chunk as it arrives (the body is then not kept).
  std::function<Result<void>(std::span<const std::uint8_t>)> on_body;
  // Called on the client's loop with the status and headers of each final response whose body goes to on_body,
  // before its first on_body call. Redirects being followed are skipped: neither hook sees them (their bodies
  // are dropped, as curl -L and browsers do); a 401 answered by a retry is announced like any response.
  std::function<void(int status, const HeaderList& headers)> on_response_head;
};

struct Timings {
  double dns_ms = 0, connect_ms = 0, tls_ms = 0, ttfb_ms = 0, total_ms = 0;
};

struct Response {
  int status = 0;
  std::string version;                    // "h2" or "http/1.1"
  HeaderList headers;                     // as received, in order
  HeaderList trailers;
  std::string url;                        // effective URL after redirects
  std::vector<std::string> history;       // every URL that redirected, in order
  std::string body;                       // decoded unless ClientConfig::decompress is false
  Timings timings;
  bool reused_connection = false;
  std::string tls_alpn;

  // Case-insensitive lookups.
  std::optional<std::string> header(std::string_view name) const;
  std::vector<std::string> header_values(std::string_view name) const;
  // Body as text; charset from Content-Type (UTF-8 and ISO-8859-1 are converted to UTF-8).
  std::string text() const;
  // Parses the body as JSON; ErrorKind::decode on invalid JSON.
  Result<nlohmann::json> json() const;
};

class Client {
 public:
  // Errors in the config (unknown profile, unreadable CA file, bad proxy URL) surface on the first request
  // and from create(); the constructor never throws.
  explicit Client(ClientConfig config = {});
  // Runs the client on the caller's executor instead of a loop thread of its own: requests sent with
  // async_send from coroutines on that executor take no cross-thread hop (the fastest way to drive many
  // requests). The executor must run handlers one at a time (an io_context run by one thread, or a strand).
  // An io_context made with ASIO_CONCURRENCY_HINT_UNSAFE_IO and run by one thread is fine, and cheaper.
  // Destroy the client when no request is in flight; its connections then close on the executor.
  Client(ClientConfig config, asio::any_io_executor executor);
  ~Client();
  Client(const Client&) = delete;
  Client& operator=(const Client&) = delete;

  // Validates the config eagerly.
  static Result<std::unique_ptr<Client>> create(ClientConfig config);
  static Result<std::unique_ptr<Client>> create(ClientConfig config, asio::any_io_executor executor);

  // Synchronous calls; thread-safe on one shared Client. With a caller's executor, never call them from a
  // handler on that executor (it would wait for itself).
  Result<Response> get(const std::string& url, RequestKind kind = RequestKind::navigate);
  Result<Response> send(Request request);
  // Coroutine call, usable from any asio executor; completes on the caller's executor. Called on the client's
  // own executor, it runs inline.
  asio::awaitable<Result<Response>> async_send(Request request);
  // Where the client's connections and requests run.
  asio::any_io_executor executor() const;

  const Profile& profile() const;
  CookieJar* cookies() const;
  // Observability for -v: what was written for the last request on this thread (request line/pseudo-headers
  // and headers in wire order), and one "> [h2] ..." line per HTTP/2 frame written on connections opened
  // while a log is set (preface, SETTINGS, WINDOW_UPDATE, HEADERS with priority, ...).
  struct WireLog {
    std::function<void(const std::string& line)> sink;
  };
  void set_wire_log(WireLog log);

  struct Impl;

 private:
  std::unique_ptr<Impl> impl_;
};

// One-shot helpers with a default client.
Result<Response> get(const std::string& url, ClientConfig config = {});

}  // namespace wraith
