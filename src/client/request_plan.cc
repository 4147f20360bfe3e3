#include "util/ascii.h"
#include "client/request_plan.h"

#include <algorithm>

#include "h1/field_rules.h"

namespace wraith::client {

namespace {

using util::iequals;


// "example.co.uk" and "a.example.co.uk" are same-site; a cheap registrable-domain approximation on the
// last two labels is wrong for public suffixes, so sites are compared by scheme + host suffix relation.
bool same_site(const Url& a, const Url& b) {
  if (a.scheme() != b.scheme()) return false;
  auto ha = a.host(), hb = b.host();
  if (ha == hb) return true;
  if (a.is_ip_literal() || b.is_ip_literal()) return false;
  auto suffix = [](std::string_view host, std::string_view base) {
    return host.size() > base.size() && host.substr(host.size() - base.size()) == base &&
           host[host.size() - base.size() - 1] == '.';
  };
  return suffix(ha, hb) || suffix(hb, ha);
}

std::string resolve_value(const std::string& value, const ComputedValues& c) {
  if (value.size() < 3 || value.front() != '{' || value.back() != '}') return value;
  std::string_view key(value.data() + 1, value.size() - 2);
  if (key == "authority") return c.authority;
  if (key == "sec-fetch-site") return c.sec_fetch_site;
  if (key == "origin") return c.origin;
  if (key == "referer") return c.referer;
  if (key == "cookie") return c.cookie;
  if (key == "content-type") return c.content_type;
  if (key == "content-length") return c.content_length;
  return value;
}

// Network-layer headers Chrome adds after the ones the page/renderer set; user headers go before them.
bool is_network_tail(std::string_view lowercase_name) {
  return lowercase_name == "accept-encoding" || lowercase_name == "accept-language" || lowercase_name == "cookie" ||
         lowercase_name == "priority";
}

HeaderList merge(const HeaderList& base, const HeaderList& user, const ComputedValues& computed, bool lower_names) {
  HeaderList out;
  out.reserve(base.size() + user.size());
  std::vector<bool> used(user.size(), false);
  for (const auto& [name, value] : base) {
    std::string v = resolve_value(value, computed);
    for (std::size_t i = 0; i < user.size(); ++i)
      if (!used[i] && iequals(user[i].first, name)) {
        v = user[i].second;
        used[i] = true;
      }
    if (!v.empty()) out.emplace_back(name, std::move(v));
  }
  auto tail = std::find_if(out.begin(), out.end(), [](const auto& h) { return is_network_tail(util::ascii_lowercase(h.first)); });
  std::size_t at = static_cast<std::size_t>(tail - out.begin());
  for (std::size_t i = 0; i < user.size(); ++i) {
    if (used[i]) continue;
    out.insert(out.begin() + static_cast<std::ptrdiff_t>(at++),
               {lower_names ? util::ascii_lowercase(user[i].first) : user[i].first, user[i].second});
  }
  return out;
}

}  // namespace

std::string fetch_site(const Url* initiator, const Url& target) {
  if (!initiator) return "none";
  if (same_origin(*initiator, target)) return "same-origin";
  if (same_site(*initiator, target)) return "same-site";
  return "cross-site";
}

Result<RequestPlan> plan_request(const Profile& profile, RequestKind kind, const std::string& method, const Url& url,
                                 const HeaderList& user_headers, const ComputedValues& computed) {
  for (const auto& [name, value] : user_headers)
    if (auto ok = h1::validate_header(name, value); !ok) return ok.take_error();
  auto it = profile.kinds.find(to_string(kind));
  if (it == profile.kinds.end()) it = profile.kinds.find("navigate");
  if (it == profile.kinds.end())
    return Error(ErrorKind::invalid_argument, std::string("profile has no '") + to_string(kind) + "' request kind", "client");
  const KindTemplate& template_kind = it->second;
  RequestPlan plan{method, url, {}, {}, template_kind.weight, template_kind.exclusive, template_kind.depends_on};
  plan.h2_headers = merge(template_kind.h2_headers, user_headers, computed, true);
  plan.h1_headers = merge(template_kind.h1_headers, user_headers, computed, false);
  return plan;
}

}  // namespace wraith::client
