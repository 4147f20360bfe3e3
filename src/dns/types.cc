#include "dns/types.h"

#include <algorithm>

namespace wraith::dns {

std::vector<asio::ip::tcp::endpoint> interleave(const std::vector<asio::ip::address>& v6,
                                                const std::vector<asio::ip::address>& v4, std::uint16_t port) {
  std::vector<asio::ip::tcp::endpoint> out;
  out.reserve(v6.size() + v4.size());
  std::size_t i = 0, j = 0;
  while (i < v6.size() || j < v4.size()) {
    if (i < v6.size()) out.emplace_back(v6[i++], port);
    if (j < v4.size()) out.emplace_back(v4[j++], port);
  }
  return out;
}

std::string normalize_host(std::string_view host) {
  std::string out(host);
  std::transform(out.begin(), out.end(), out.begin(),
                 [](unsigned char c) { return c >= 'A' && c <= 'Z' ? char(c - 'A' + 'a') : char(c); });
  return out;
}

bool is_localhost_name(std::string_view host) {
  std::string name = normalize_host(host);
  if (!name.empty() && name.back() == '.') name.pop_back();
  constexpr std::string_view kLocal = "localhost";
  if (name == kLocal) return true;
  return name.size() > kLocal.size() + 1 && name.compare(name.size() - kLocal.size(), kLocal.size(), kLocal) == 0 &&
         name[name.size() - kLocal.size() - 1] == '.';
}

std::optional<asio::ip::address> parse_ip_literal(std::string_view host) {
  if (host.size() > 2 && host.front() == '[' && host.back() == ']') host = host.substr(1, host.size() - 2);
  asio::error_code ec;
  auto address = asio::ip::make_address(std::string(host), ec);
  if (ec) return std::nullopt;
  return address;
}

Result<void> check_host_name(std::string_view host) {
  auto bad = [&](const char* why) {
    return Error(ErrorKind::resolve, "could not resolve host: invalid name (" + std::string(why) + ")", "dns");
  };
  std::string_view name = host;
  if (!name.empty() && name.back() == '.') name.remove_suffix(1);
  if (name.empty()) return bad("empty");
  if (name.size() > 253) return bad("longer than 253 octets");
  std::size_t label = 0;
  for (char c : name) {
    auto u = static_cast<unsigned char>(c);
    if (u <= 0x20 || u == 0x7f) return bad("space or control character");
    if (c == '.') {
      if (label == 0) return bad("empty label");
      label = 0;
    } else if (++label > 63) {
      return bad("label longer than 63 octets");
    }
  }
  return {};
}

const char* to_string(Family family) { return family == Family::v6 ? "IPv6" : "IPv4"; }

}  // namespace wraith::dns
