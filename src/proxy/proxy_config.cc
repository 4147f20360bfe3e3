#include "wraith/proxy.h"

#include <asio/ip/address.hpp>

namespace wraith {

namespace {

constexpr std::size_t kMaxUrl = 8192;
constexpr std::size_t kMaxHostName = 253;  // RFC 1035 limit on a dotted name

Error bad(const std::string& what) { return Error(ErrorKind::invalid_argument, "invalid proxy URL: " + what, "proxy"); }

struct Scheme {
  std::string_view name;
  ProxyConfig::Kind kind;
  std::uint16_t default_port;
};

// curl's defaults: every proxy kind but https defaults to 1080 (CURL_DEFAULT_PROXY_PORT), https to 443.
constexpr Scheme kSchemes[] = {
    {"http", ProxyConfig::Kind::http, 1080},       {"https", ProxyConfig::Kind::https, 443},
    {"socks4a", ProxyConfig::Kind::socks4a, 1080}, {"socks5", ProxyConfig::Kind::socks5, 1080},
    {"socks5h", ProxyConfig::Kind::socks5h, 1080},
};

char lower(char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c; }

std::string lowercase(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = lower(c);
  return out;
}

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  c = lower(c);
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  return -1;
}

Result<std::string> percent_decode(std::string_view in, const char* what) {
  std::string out;
  out.reserve(in.size());
  for (std::size_t i = 0; i < in.size(); ++i) {
    if (in[i] != '%') {
      out += in[i];
      continue;
    }
    int hi = i + 2 < in.size() ? hex_value(in[i + 1]) : -1;
    int lo = i + 2 < in.size() ? hex_value(in[i + 2]) : -1;
    if (hi < 0 || lo < 0) return bad(std::string("bad percent-escape in the ") + what);
    out += static_cast<char>(hi * 16 + lo);
    i += 2;
  }
  return out;
}

bool is_unreserved(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '.' ||
         c == '_' || c == '~';
}

std::string percent_encode(std::string_view in) {
  static const char* digits = "0123456789ABCDEF";
  std::string out;
  for (char c : in) {
    if (is_unreserved(c)) {
      out += c;
    } else {
      auto b = static_cast<unsigned char>(c);
      out += '%';
      out += digits[b >> 4];
      out += digits[b & 15];
    }
  }
  return out;
}

bool is_name_char(char c) {
  return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '.' || c == '_';
}

Result<std::uint16_t> parse_port(std::string_view text) {
  if (text.empty()) return bad("empty port after ':'");
  if (text.size() > 5) return bad("port '" + std::string(text) + "' is not 1-65535");
  unsigned value = 0;
  for (char c : text) {
    if (c < '0' || c > '9') return bad("port '" + std::string(text) + "' is not a number");
    value = value * 10 + static_cast<unsigned>(c - '0');
  }
  if (value == 0 || value > 65535) return bad("port '" + std::string(text) + "' is not 1-65535");
  return static_cast<std::uint16_t>(value);
}

// host[:port] or [v6][:port]; fills config.host and, when present, the port.
Result<void> parse_host_port(std::string_view hostport, ProxyConfig& config) {
  std::string_view host;
  std::string_view port;
  bool has_port = false;
  if (!hostport.empty() && hostport.front() == '[') {
    auto close = hostport.find(']');
    if (close == std::string_view::npos) return bad("unterminated '[' in the host");
    host = hostport.substr(1, close - 1);
    std::string_view rest = hostport.substr(close + 1);
    if (!rest.empty()) {
      if (rest.front() != ':') return bad("unexpected text after ']'");
      port = rest.substr(1);
      has_port = true;
    }
    asio::error_code ec;
    auto v6 = asio::ip::make_address_v6(std::string(host), ec);
    if (ec) return bad("'" + std::string(host) + "' is not an IPv6 address");
    config.host = v6.to_string();
  } else {
    auto colon = hostport.find(':');
    if (colon != std::string_view::npos && hostport.find(':', colon + 1) != std::string_view::npos)
      return bad("an IPv6 proxy address must be in brackets");
    host = hostport.substr(0, colon);
    if (colon != std::string_view::npos) {
      port = hostport.substr(colon + 1);
      has_port = true;
    }
    if (host.empty()) return bad("no host");
    if (host.size() > kMaxHostName) return bad("host name longer than 253 characters");
    std::string name = lowercase(host);
    for (char c : name)
      if (!is_name_char(c)) return bad("character '" + std::string(1, c) + "' not allowed in the host");
    if (name.front() == '.' || name.find("..") != std::string::npos) return bad("empty label in the host");
    config.host = std::move(name);
  }
  if (config.host.empty()) return bad("no host");
  if (has_port) {
    auto value = parse_port(port);
    if (!value) return value.take_error();
    config.port = *value;
  }
  return {};
}

}  // namespace

const char* to_string(ProxyConfig::Kind kind) {
  for (const auto& scheme : kSchemes)
    if (scheme.kind == kind) return scheme.name.data();
  return "?";
}

Result<ProxyConfig> ProxyConfig::parse(std::string_view url) {
  if (url.empty()) return bad("empty");
  if (url.size() > kMaxUrl) return bad("longer than 8192 bytes");
  for (char c : url)
    if (static_cast<unsigned char>(c) <= 0x20 || c == 0x7f) return bad("contains a space or control character");

  ProxyConfig config;
  std::string_view rest = url;
  const Scheme* scheme = &kSchemes[0];  // no scheme means http, as in curl
  if (auto sep = url.find("://"); sep != std::string_view::npos) {
    std::string name = lowercase(url.substr(0, sep));
    scheme = nullptr;
    for (const auto& candidate : kSchemes)
      if (candidate.name == name) scheme = &candidate;
    if (!scheme) {
      if (name == "socks4") return bad("socks4:// (local DNS) is not supported; use socks4a://");
      return bad("unsupported scheme '" + name + "' (want http, https, socks4a, socks5 or socks5h)");
    }
    rest = url.substr(sep + 3);
  }
  config.kind = scheme->kind;
  config.port = scheme->default_port;

  auto end = rest.find_first_of("/?#");
  std::string_view authority = rest.substr(0, end);
  if (end != std::string_view::npos && rest.substr(end) != "/")
    return bad("a proxy URL has no path, query or fragment");

  if (auto at = authority.rfind('@'); at != std::string_view::npos) {
    std::string_view userinfo = authority.substr(0, at);
    authority = authority.substr(at + 1);
    auto colon = userinfo.find(':');
    auto user = percent_decode(userinfo.substr(0, colon), "username");
    if (!user) return user.take_error();
    config.username = std::move(*user);
    if (colon != std::string_view::npos) {
      auto pass = percent_decode(userinfo.substr(colon + 1), "password");
      if (!pass) return pass.take_error();
      config.password = std::move(*pass);
    }
  }
  if (auto r = parse_host_port(authority, config); !r) return r.take_error();
  return config;
}

std::string ProxyConfig::to_string() const {
  std::string out = wraith::to_string(kind);
  out += "://";
  if (has_credentials()) {
    out += percent_encode(username);
    if (!password.empty()) out += ":***";
    out += '@';
  }
  if (host.find(':') != std::string::npos)
    out += "[" + host + "]";
  else
    out += host;
  out += ':';
  out += std::to_string(port);
  return out;
}

}  // namespace wraith
