#include "util/ascii.h"
#include "cookie/host_rules.h"

#include <arpa/inet.h>
#include <libpsl.h>

#include <cstdint>

namespace wraith::cookie {
namespace {

const psl_ctx_t* psl() {
  // The distribution's list file is fresher than the copy compiled into libpsl; fall back to the built-in one.
  static const psl_ctx_t* ctx = [] {
    const psl_ctx_t* latest = psl_latest(nullptr);
    return latest ? latest : psl_builtin();
  }();
  return ctx;
}

char lower(char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c; }

using util::iequals;

bool ends_with(std::string_view s, std::string_view suffix) {
  return s.size() >= suffix.size() && s.substr(s.size() - suffix.size()) == suffix;
}

}  // namespace

std::string canonical_host(std::string_view host) {
  if (host.size() >= 2 && host.front() == '[' && host.back() == ']') host = host.substr(1, host.size() - 2);
  std::string out(host);
  for (char& c : out) c = lower(c);
  return out;
}

bool is_ip_address(std::string_view host) {
  if (host.empty() || host.size() > 64) return false;
  std::string s(host);
  unsigned char buf[16];
  return inet_pton(AF_INET, s.c_str(), buf) == 1 || inet_pton(AF_INET6, s.c_str(), buf) == 1;
}

bool is_public_suffix(std::string_view domain) {
  const psl_ctx_t* ctx = psl();
  if (!ctx || domain.empty()) return false;
  std::string s(domain);
  // The implicit "*" rule makes unknown TLDs public suffixes too, which matches Chrome refusing
  // Domain=foo for a.foo when "foo" is no known registry.
  return psl_is_public_suffix(ctx, s.c_str()) != 0;
}

std::string registrable_domain(std::string_view host) {
  if (is_ip_address(host)) return std::string(host);
  const psl_ctx_t* ctx = psl();
  std::string s(host);
  if (ctx) {
    if (const char* reg = psl_registrable_domain(ctx, s.c_str())) return std::string(reg);
  }
  return s;
}

bool domain_match(std::string_view host, std::string_view domain) {
  if (host == domain) return true;
  if (domain.empty() || is_ip_address(host)) return false;
  return host.size() > domain.size() && ends_with(host, domain) && host[host.size() - domain.size() - 1] == '.';
}

bool path_match(std::string_view request_path, std::string_view cookie_path) {
  if (request_path == cookie_path) return true;
  if (request_path.size() < cookie_path.size() || request_path.substr(0, cookie_path.size()) != cookie_path)
    return false;
  return cookie_path.back() == '/' || request_path[cookie_path.size()] == '/';
}

std::string default_path(std::string_view request_path) {
  if (request_path.empty() || request_path.front() != '/') return "/";
  std::size_t last = request_path.rfind('/');
  if (last == 0) return "/";
  return std::string(request_path.substr(0, last));
}

bool is_secure_origin(std::string_view scheme, std::string_view host) {
  if (iequals(scheme, "https") || iequals(scheme, "wss")) return true;
  if (host == "localhost" || ends_with(host, ".localhost") || host == "::1") return true;
  std::string s(host);
  std::uint8_t v4[4];
  return inet_pton(AF_INET, s.c_str(), v4) == 1 && v4[0] == 127;
}

}  // namespace wraith::cookie
