#include "dns/overrides.h"

#include <charconv>

namespace wraith::dns {

namespace {

Error bad(const std::string& why) { return Error(ErrorKind::invalid_argument, why, "dns"); }

std::string key_of(std::string_view host, std::uint16_t port) {
  return normalize_host(host) + ":" + std::to_string(port);
}

Result<std::uint16_t> parse_port(std::string_view text) {
  unsigned value = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (text.empty() || ec != std::errc() || end != text.data() + text.size() || value > 65535)
    return bad("bad port '" + std::string(text) + "' in --resolve entry");
  return static_cast<std::uint16_t>(value);
}

}  // namespace

Result<std::pair<std::string, std::string>> split_resolve_entry(std::string_view entry) {
  // host:port:addr — addr may contain colons (IPv6), so split on the first two.
  auto first = entry.find(':');
  auto second = first == std::string_view::npos ? std::string_view::npos : entry.find(':', first + 1);
  if (second == std::string_view::npos || first == 0 || second == first + 1 || second + 1 >= entry.size())
    return bad("--resolve wants host:port:address, got '" + std::string(entry) + "'");
  auto port = parse_port(entry.substr(first + 1, second - first - 1));
  if (!port) return port.take_error();
  return std::pair{std::string(entry.substr(0, second)), std::string(entry.substr(second + 1))};
}

Result<std::vector<asio::ip::address>> parse_address_list(std::string_view list) {
  std::vector<asio::ip::address> out;
  constexpr std::size_t kMaxAddresses = 64;  // bounded: an override is typed by a person, not a zone file
  if (list.empty()) return bad("--resolve entry has no address");
  while (true) {  // every item, including an empty one after a trailing comma, must be an address
    auto comma = list.find(',');
    std::string_view item = list.substr(0, comma);
    auto address = parse_ip_literal(item);
    if (!address) return bad("not an IP address in --resolve: '" + std::string(item) + "'");
    if (out.size() == kMaxAddresses) return bad("too many addresses in one --resolve entry");
    out.push_back(*address);
    if (comma == std::string_view::npos) break;
    list.remove_prefix(comma + 1);
  }
  return out;
}

Result<void> Overrides::add(std::string_view entry) {
  auto split = split_resolve_entry(entry);
  if (!split) return split.take_error();
  auto colon = split->first.rfind(':');
  auto port = parse_port(std::string_view(split->first).substr(colon + 1));
  if (!port) return port.take_error();
  return add(std::string_view(split->first).substr(0, colon), *port, split->second);
}

Result<void> Overrides::add(std::string_view host, std::uint16_t port, std::string_view addresses) {
  auto list = parse_address_list(addresses);
  if (!list) return list.take_error();
  entries_[key_of(host, port)] = std::move(*list);
  return {};
}

const std::vector<asio::ip::address>* Overrides::find(std::string_view host, std::uint16_t port) const {
  if (entries_.empty()) return nullptr;
  auto it = entries_.find(key_of(host, port));
  return it == entries_.end() ? nullptr : &it->second;
}

}  // namespace wraith::dns
