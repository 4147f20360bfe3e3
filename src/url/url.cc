#include "wraith/url.h"

#include <cstdio>

#include "url/host.h"
#include "url/percent.h"
#include "url/reference.h"

namespace wraith {
namespace {

// Chromium refuses URLs longer than 2 MiB (url::kMaxURLChars); so do we, which also bounds memory.
constexpr std::size_t kMaxUrlLength = 2 * 1024 * 1024;

Error url_error(std::string msg) { return Error(ErrorKind::invalid_url, std::move(msg), "url"); }

std::uint16_t default_port_for(std::string_view scheme) {
  return (scheme == "https" || scheme == "wss") ? 443 : 80;
}

// Browsers strip leading and trailing C0 controls and spaces; controls left inside are an error here
// (a browser would drop tab/CR/LF silently, but for a client they are more likely an injection attempt).
Result<std::string_view> clean_input(std::string_view s, bool allow_empty) {
  if (s.size() > kMaxUrlLength) return url_error("URL longer than 2 MiB");
  while (!s.empty() && static_cast<unsigned char>(s.front()) <= 0x20) s.remove_prefix(1);
  while (!s.empty() && static_cast<unsigned char>(s.back()) <= 0x20) s.remove_suffix(1);
  if (s.empty() && !allow_empty) return url_error("empty URL");
  for (std::size_t i = 0; i < s.size(); ++i) {
    auto c = static_cast<unsigned char>(s[i]);
    if (c < 0x20) {
      char buf[64];
      std::snprintf(buf, sizeof buf, "control character 0x%02x at offset %zu", c, i);
      return url_error(buf);
    }
  }
  return s;
}

// For http(s)/ws(s) a backslash before the query is a path separator, as in every browser.
std::string slashes_normalised(std::string_view s) {
  std::string out(s);
  std::size_t end = out.find_first_of("?#");
  if (end == std::string::npos) end = out.size();
  for (std::size_t i = 0; i < end; ++i) {
    if (out[i] == '\\') out[i] = '/';
  }
  return out;
}

std::string lowercase(std::string_view s) {
  std::string out(s);
  for (char& c : out) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c + 32);
  }
  return out;
}

bool supported_scheme(std::string_view s) { return s == "http" || s == "https" || s == "ws" || s == "wss"; }

Result<std::optional<std::uint16_t>> parse_port(std::string_view s, std::string_view scheme) {
  if (s.empty()) return std::optional<std::uint16_t>{};  // "host:" means the default port
  std::uint32_t value = 0;
  for (char c : s) {
    if (c < '0' || c > '9') return url_error("port '" + std::string(s) + "' is not a number");
    value = value * 10 + static_cast<std::uint32_t>(c - '0');
    if (value > 65535) return url_error("port '" + std::string(s) + "' out of range (1-65535)");
  }
  if (value == 0) return url_error("port 0 is not usable");
  if (value == default_port_for(scheme)) return std::optional<std::uint16_t>{};
  return std::optional<std::uint16_t>{static_cast<std::uint16_t>(value)};
}

}  // namespace

Result<Url> Url::parse(std::string_view input) {
  auto cleaned = clean_input(input, false);
  if (!cleaned) return cleaned.take_error();
  std::string text = slashes_normalised(*cleaned);
  std::string_view s = text;

  std::size_t colon = s.find(':');
  if (colon == std::string_view::npos || !url::is_scheme(s.substr(0, colon))) {
    return url_error("missing scheme in '" + std::string(s.substr(0, 64)) + "' (relative references need resolve())");
  }
  Url u;
  u.scheme_ = lowercase(s.substr(0, colon));
  if (!supported_scheme(u.scheme_)) {
    return url_error("unsupported scheme '" + u.scheme_ + "' (only http, https, ws, wss)");
  }
  s.remove_prefix(colon + 1);
  // Special schemes ignore how many slashes follow the colon ("http:/x", "http:x" both mean http://x/).
  while (!s.empty() && s.front() == '/') s.remove_prefix(1);

  std::size_t authority_end = s.find_first_of("/?#");
  if (authority_end == std::string_view::npos) authority_end = s.size();
  std::string_view authority = s.substr(0, authority_end);
  s.remove_prefix(authority_end);

  std::size_t at = authority.rfind('@');
  if (at != std::string_view::npos) {
    std::string_view userinfo = authority.substr(0, at);
    authority.remove_prefix(at + 1);
    if (!url::has_valid_escapes(userinfo)) return url_error("invalid percent escape in userinfo");
    std::size_t sep = userinfo.find(':');
    url::append_encoded(userinfo.substr(0, sep), url::EncodeSet::userinfo, u.username_);
    if (sep != std::string_view::npos) {
      url::append_encoded(userinfo.substr(sep + 1), url::EncodeSet::userinfo, u.password_);
    }
  }

  std::string_view host = authority;
  std::string_view port;
  bool has_port = false;
  if (!authority.empty() && authority.front() == '[') {
    std::size_t close = authority.find(']');
    if (close == std::string_view::npos) return url_error("unterminated IPv6 literal");
    host = authority.substr(0, close + 1);
    std::string_view rest = authority.substr(close + 1);
    if (!rest.empty()) {
      if (rest.front() != ':') return url_error("unexpected characters after IPv6 literal");
      port = rest.substr(1);
      has_port = true;
    }
  } else if (std::size_t c = authority.rfind(':'); c != std::string_view::npos) {
    host = authority.substr(0, c);
    port = authority.substr(c + 1);
    has_port = true;
  }
  auto parsed_host = url::parse_host(host);
  if (!parsed_host) return parsed_host.take_error();
  u.host_ = std::move(parsed_host->text);
  u.host_kind_ = parsed_host->kind;
  if (has_port) {
    auto p = parse_port(port, u.scheme_);
    if (!p) return p.take_error();
    u.port_ = *p;
  }

  std::size_t path_end = s.find_first_of("?#");
  if (path_end == std::string_view::npos) path_end = s.size();
  std::string dotless;
  url::remove_dot_segments(s.substr(0, path_end), dotless);
  url::append_encoded(dotless, url::EncodeSet::path, u.target_);
  if (u.target_.empty()) u.target_ = "/";
  u.path_len_ = u.target_.size();
  s.remove_prefix(path_end);

  if (!s.empty() && s.front() == '?') {
    std::size_t query_end = s.find('#');
    if (query_end == std::string_view::npos) query_end = s.size();
    u.target_.push_back('?');
    url::append_encoded(s.substr(1, query_end - 1), url::EncodeSet::query, u.target_);
    s.remove_prefix(query_end);
  }
  if (!s.empty() && s.front() == '#') {
    u.has_fragment_ = true;
    url::append_encoded(s.substr(1), url::EncodeSet::fragment, u.fragment_);
  }
  return u;
}

Result<Url> Url::resolve(std::string_view reference) const {
  // An empty reference is allowed: it means the base without its fragment (RFC 3986 5.4.1).
  auto cleaned = clean_input(reference, true);
  if (!cleaned) return cleaned.take_error();
  std::string text = slashes_normalised(*cleaned);
  url::Reference r = url::split_reference(text);
  // Non-strict resolution (RFC 3986 5.2.2 note): "http:g" against an http base is relative.
  if (r.scheme && !r.authority && lowercase(*r.scheme) == scheme_) r.scheme.reset();
  if (r.scheme) return parse(text);

  std::string out = scheme_ + "://";
  std::string_view path, query;
  bool has_q = false;
  if (r.authority) {
    out.append(*r.authority);
    path = r.path;
    if (r.query) {
      query = *r.query;
      has_q = true;
    }
  } else {
    if (has_credentials()) {
      out += username_;
      if (!password_.empty()) out += ':' + password_;
      out += '@';
    }
    out += authority();
  }
  std::string merged;
  if (!r.authority) {
    if (r.path.empty()) {
      path = this->path();
      if (r.query) {
        query = *r.query;
        has_q = true;
      } else if (has_query()) {
        query = this->query();
        has_q = true;
      }
    } else {
      if (r.path.front() == '/') {
        path = r.path;
      } else {
        // merge(): the base path up to and including its last '/', then the reference path.
        std::string_view base_path = this->path();
        merged.assign(base_path.substr(0, base_path.rfind('/') + 1));
        merged.append(r.path);
        path = merged;
      }
      if (r.query) {
        query = *r.query;
        has_q = true;
      }
    }
  }
  out.append(path.empty() || path.front() == '/' ? "" : "/");
  out.append(path);
  if (has_q) {
    out += '?';
    out.append(query);
  }
  if (r.fragment) {
    out += '#';
    out.append(*r.fragment);
  }
  return parse(out);
}

std::string Url::username() const { return url::percent_decode(username_).value_or(username_); }
std::string Url::password() const { return url::percent_decode(password_).value_or(password_); }

std::uint16_t Url::default_port() const { return default_port_for(scheme_); }

std::string_view Url::query() const {
  if (!has_query()) return {};
  return std::string_view(target_).substr(path_len_ + 1);
}

std::string Url::authority() const {
  // The exact size, so "127.0.0.1:8443" stays in the string's inline buffer (no allocation).
  const std::string port = port_ ? std::to_string(*port_) : std::string();
  std::string out;
  out.reserve(host_.size() + (host_kind_ == HostKind::ipv6 ? 2 : 0) + (port_ ? 1 + port.size() : 0));
  if (host_kind_ == HostKind::ipv6) {
    out += '[';
    out += host_;
    out += ']';
  } else {
    out += host_;
  }
  if (port_) {
    out += ':';
    out += port;
  }
  return out;
}

std::string Url::to_string() const {
  std::string out = scheme_ + "://";
  if (has_credentials()) {
    out += username_;
    if (!password_.empty()) out += ':' + password_;
    out += '@';
  }
  out += authority();
  out += target_;
  if (has_fragment_) {
    out += '#';
    out += fragment_;
  }
  return out;
}

}  // namespace wraith
