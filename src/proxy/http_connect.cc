#include "proxy/http_connect.h"

#include <openssl/base64.h>

#include "h1/request_writer.h"
#include "h1/response_parser.h"
#include "proxy/handshake_io.h"

namespace wraith::proxy {

namespace {

// Remembers what the reply head said; the parser's views live only during the callbacks.
class ReplySink final : public h1::Sink {
 public:
  void on_status(const h1::StatusLine& line) override {
    reason.assign(line.reason.substr(0, 128));
  }
  void on_headers_complete(const h1::ResponseHead& head) override {
    code = head.code;
    head_done = true;
  }
  int code = 0;
  bool head_done = false;
  std::string reason;
};

Error status_error(const ReplySink& sink, const std::string& target, const ProxyConfig& config) {
  Error e;
  if (sink.code == 407) {
    e = proxy_error(std::string("proxy authentication required (") +
                    (config.has_credentials() ? "the proxy rejected the credentials" : "no proxy credentials configured") +
                    ")");
  } else {
    std::string status = std::to_string(sink.code);
    if (!sink.reason.empty()) status += " " + sink.reason;
    e = proxy_error("proxy refused CONNECT " + target + ": HTTP " + status);
  }
  e.peer_code = static_cast<std::uint32_t>(sink.code);
  return e;
}

asio::awaitable<Result<std::vector<std::uint8_t>>> exchange(net::Stream& stream, const std::string& request,
                                                            const std::string& target, const ProxyConfig& config,
                                                            const HttpConnectOptions& options) {
  auto sent = co_await stream.write_all(std::span(reinterpret_cast<const std::uint8_t*>(request.data()), request.size()));
  if (!sent) co_return sent.take_error();

  h1::Limits limits;
  limits.max_header_block = options.max_reply_head;
  limits.max_line = options.max_reply_head;
  limits.max_headers = 128;
  limits.max_informational = 4;
  h1::ResponseParser parser(limits);
  parser.set_request_method("CONNECT");
  ReplySink sink;
  std::uint8_t buffer[4096];
  for (;;) {
    auto n = co_await stream.read_some(buffer);
    if (!n) co_return n.take_error();
    if (*n == 0) co_return proxy_error("proxy closed the connection before its reply to CONNECT " + target + " ended");
    std::span<const std::uint8_t> data(buffer, *n);
    auto used = parser.feed(data, sink);
    if (!used) co_return proxy_error("malformed reply to CONNECT " + target + ": " + used.error().message);
    if (!sink.head_done) continue;
    if (sink.code < 200 || sink.code > 299) co_return status_error(sink, target, config);
    // A 2xx CONNECT reply is a tunnel: the head is complete and everything after it is tunnel data.
    auto rest = data.subspan(*used);
    co_return std::vector<std::uint8_t>(rest.begin(), rest.end());
  }
}

}  // namespace

std::string connect_authority(const std::string& host, std::uint16_t port) {
  std::string out = host.find(':') != std::string::npos ? "[" + host + "]" : host;
  return out + ":" + std::to_string(port);
}

std::string proxy_authorization(const ProxyConfig& config) {
  if (!config.has_credentials()) return {};
  std::string plain = config.username + ":" + config.password;
  std::size_t encoded_len = 0;
  if (!EVP_EncodedLength(&encoded_len, plain.size())) return {};
  std::string encoded(encoded_len, '\0');
  std::size_t written = EVP_EncodeBlock(reinterpret_cast<std::uint8_t*>(encoded.data()),
                                        reinterpret_cast<const std::uint8_t*>(plain.data()), plain.size());
  encoded.resize(written);
  return "Basic " + encoded;
}

Result<std::string> connect_request(const std::string& host, std::uint16_t port, const ProxyConfig& config,
                                    const std::string& user_agent) {
  std::string target = connect_authority(host, port);
  std::string authorization = proxy_authorization(config);
  h1::HeaderLine headers[4];
  std::size_t count = 0;
  headers[count++] = {"Host", target};
  headers[count++] = {"Proxy-Connection", "keep-alive"};
  if (!user_agent.empty()) headers[count++] = {"User-Agent", user_agent};
  if (!authorization.empty()) headers[count++] = {"Proxy-Authorization", authorization};
  std::span<const h1::HeaderLine> lines(headers, count);
  if (auto valid = h1::validate_request_head("CONNECT", target, lines); !valid) return valid.take_error();
  std::string out;
  h1::write_request_head("CONNECT", target, lines, out);
  return out;
}

asio::awaitable<Result<std::vector<std::uint8_t>>> http_connect(net::Stream& stream, const std::string& host,
                                                                std::uint16_t port, const ProxyConfig& config,
                                                                const HttpConnectOptions& options) {
  if (config.kind != ProxyConfig::Kind::http && config.kind != ProxyConfig::Kind::https)
    co_return Error(ErrorKind::invalid_argument, "http_connect needs an http or https proxy, not " + config.to_string(), "proxy");
  auto request = connect_request(host, port, config, options.user_agent);
  if (!request) co_return request.take_error();
  std::string target = connect_authority(host, port);
  std::string what = "CONNECT " + target + " via " + config.to_string();  // named: see tunnel.cc
  co_return co_await within(exchange(stream, *request, target, config, options), options.timeout, what);
}

}  // namespace wraith::proxy
