// Proxy settings as curl spells them on the command line: "http://h:p", "https://user:pass@h:p",
// "socks4a://h", "socks5://h:p", "socks5h://h:p".
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "wraith/error.h"

namespace wraith {

struct ProxyConfig {
  enum class Kind {
    http,     // plain TCP to the proxy; CONNECT for https targets, absolute-form for http targets
    https,    // TLS to the proxy (its own TLS settings), then as http
    socks4a,  // SOCKS4a, the proxy resolves the hostname; username is the SOCKS4 user id
    socks5,   // SOCKS5, the hostname is resolved locally and the address is sent
    socks5h,  // SOCKS5, the hostname is sent and the proxy resolves it (remote DNS)
  };

  Kind kind = Kind::http;
  std::string host;         // lowercase name, dotted IPv4, or IPv6 without brackets
  std::uint16_t port = 0;   // always set (the scheme default when the URL has none)
  std::string username;     // percent-decoded; empty when absent
  std::string password;     // percent-decoded; empty when absent

  // Parses a proxy URL. A missing scheme means http (as curl). Default ports follow curl: 1080 for
  // http and every SOCKS kind, 443 for https. Credentials are percent-decoded. Anything unusable (unknown
  // scheme, socks4:// without the 'a', empty or malformed host, unbracketed IPv6, bad or empty port, a
  // path/query/fragment, bad percent-escape, spaces or control characters) is ErrorKind::invalid_argument
  // with a message naming the problem (and never the password).
  static Result<ProxyConfig> parse(std::string_view url);

  bool has_credentials() const { return !username.empty() || !password.empty(); }

  // "socks5h://user:***@proxy.example:1080": for logs and errors; the password is never printed.
  std::string to_string() const;

  friend bool operator==(const ProxyConfig&, const ProxyConfig&) = default;
};

// "http", "https", "socks4a", "socks5", "socks5h".
const char* to_string(ProxyConfig::Kind kind);

}  // namespace wraith
