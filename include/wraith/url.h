// URLs as a browser sees them: parsing, normalisation and RFC 3986 reference resolution for http(s)/ws(s).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "wraith/error.h"

namespace wraith {

// The (scheme, host, port) triple that decides what may share a connection, cookies and credentials.
struct Origin {
  std::string scheme;  // lowercase: "http", "https", "ws", "wss"
  std::string host;    // as Url::host(): lowercase name, dotted IPv4, or IPv6 without brackets
  std::uint16_t port = 0;  // always the effective port (defaults filled in)

  friend bool operator==(const Origin&, const Origin&) = default;
};

class Url {
 public:
  enum class HostKind { name, ipv4, ipv6 };

  // Parses an absolute http/https/ws/wss URL. Like a browser it trims leading/trailing spaces and C0
  // controls, lowercases scheme and host, treats '\' as '/', canonicalises IPv4 (also "127.1", "0x7f.1")
  // and IPv6 literals, drops a port equal to the scheme's default, removes dot segments and
  // percent-encodes characters in path/query/userinfo that must not travel raw (space -> %20, ...).
  // Valid escapes are left alone; a stray '%' stays as written in path/query/fragment (Chrome sends it
  // that way) but is an error in host and userinfo, which get decoded. Any other scheme, an empty or
  // malformed host, a non-ASCII host (no IDNA yet: pass the xn-- form), a port that is not 1-65535, or
  // control characters inside the URL (tab/CR/LF included) give ErrorKind::invalid_url.
  static Result<Url> parse(std::string_view input);

  // Resolves a reference (e.g. a Location header) against this URL per RFC 3986 section 5.2 (non-strict:
  // "http:g" with our own scheme counts as relative, as browsers do). The result is parsed like parse().
  Result<Url> resolve(std::string_view reference) const;

  const std::string& scheme() const { return scheme_; }
  // Percent-decoded credentials; empty when absent.
  std::string username() const;
  std::string password() const;
  bool has_credentials() const { return !username_.empty() || !password_.empty(); }

  // Host without brackets: "example.com", "127.0.0.1", "::1".
  const std::string& host() const { return host_; }
  HostKind host_kind() const { return host_kind_; }
  bool is_ip_literal() const { return host_kind_ != HostKind::name; }

  // The explicit port, or nullopt when absent or equal to the scheme default (browsers drop it).
  std::optional<std::uint16_t> port() const { return port_; }
  std::uint16_t port_or_default() const { return port_ ? *port_ : default_port(); }
  bool is_default_port() const { return !port_; }
  std::uint16_t default_port() const;
  // True for https and wss.
  bool is_secure() const { return scheme_ == "https" || scheme_ == "wss"; }

  // Path, always starting with '/'; query without '?'; fragment without '#'.
  std::string_view path() const { return std::string_view(target_).substr(0, path_len_); }
  std::string_view query() const;
  bool has_query() const { return target_.size() > path_len_; }
  const std::string& fragment() const { return fragment_; }
  bool has_fragment() const { return has_fragment_; }

  // "path?query": the request-target of an origin-form request line (the fragment never travels).
  const std::string& target() const { return target_; }
  // "host[:port]" as Chrome sends it in Host / :authority: IPv6 bracketed, default port omitted.
  std::string authority() const;
  Origin origin() const { return Origin{scheme_, host_, port_or_default()}; }
  // The full serialised URL, credentials and fragment included.
  std::string to_string() const;

  // Equal when the canonical forms are equal (fragment included).
  friend bool operator==(const Url&, const Url&) = default;

 private:
  Url() = default;

  std::string scheme_;
  std::string username_;  // percent-encoded as it will be serialised
  std::string password_;
  std::string host_;
  HostKind host_kind_ = HostKind::name;
  std::optional<std::uint16_t> port_;
  std::string target_;     // path plus optional "?query"
  std::size_t path_len_ = 0;
  std::string fragment_;
  bool has_fragment_ = false;
};

inline bool same_origin(const Url& a, const Url& b) { return a.origin() == b.origin(); }

}  // namespace wraith
