#include "util/ascii.h"
#include "client/request_plan.h"

#include <algorithm>

#include "h1/field_rules.h"
#include "h2/header_rules.h"

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

// Network-layer headers Chrome adds after the ones the page/renderer set; user headers go before them.
bool is_network_tail(std::string_view lowercase_name) {
  return lowercase_name == "accept-encoding" || lowercase_name == "accept-language" || lowercase_name == "cookie" ||
         lowercase_name == "priority";
}

Slot slot_of(std::string_view value) {
  if (value.size() < 3 || value.front() != '{' || value.back() != '}') return Slot::literal;
  std::string_view key = value.substr(1, value.size() - 2);
  if (key == "authority") return Slot::authority;
  if (key == "sec-fetch-site") return Slot::sec_fetch_site;
  if (key == "origin") return Slot::origin;
  if (key == "referer") return Slot::referer;
  if (key == "cookie") return Slot::cookie;
  if (key == "content-type") return Slot::content_type;
  if (key == "content-length") return Slot::content_length;
  return Slot::literal;
}

std::string_view slot_value(const TemplateField& f, const ComputedValues& c) {
  switch (f.slot) {
    case Slot::literal: return f.value;
    case Slot::authority: return c.authority;
    case Slot::sec_fetch_site: return c.sec_fetch_site;
    case Slot::origin: return c.origin;
    case Slot::referer: return c.referer;
    case Slot::cookie: return c.cookie;
    case Slot::content_type: return c.content_type;
    case Slot::content_length: return c.content_length;
  }
  return f.value;
}

std::vector<TemplateField> compile_fields(const HeaderList& fields, bool lowercase_names) {
  std::vector<TemplateField> out;
  out.reserve(fields.size());
  for (const auto& [name, value] : fields) {
    TemplateField f;
    std::string lower = util::ascii_lowercase(name);
    f.name = lowercase_names ? lower : name;
    f.slot = slot_of(value);
    if (f.slot == Slot::literal) f.value = value;
    f.network_tail = is_network_tail(lower);
    out.push_back(std::move(f));
  }
  return out;
}

// Template fields in order, each value replaced in place by the user's header of that name (the last one
// wins), empty values dropped, and the user's other headers just before the first network-tail field.
// emit(name, value, from_template) is called in wire order; user names are passed as the user wrote them.
template <class Emit>
void merge(const std::vector<TemplateField>& base, const HeaderList& user, const ComputedValues& computed, Emit&& emit) {
  if (user.empty()) {  // the common case: no bookkeeping at all
    for (const auto& f : base)
      if (auto v = slot_value(f, computed); !v.empty()) emit(std::string_view(f.name), v, f.slot == Slot::literal);
    return;
  }
  std::vector<int> replaced_by(base.size(), -1);
  std::vector<char> used(user.size(), 0);
  for (std::size_t b = 0; b < base.size(); ++b)
    for (std::size_t i = 0; i < user.size(); ++i)
      if (!used[i] && iequals(user[i].first, base[b].name)) {
        replaced_by[b] = static_cast<int>(i);
        used[i] = 1;
      }
  auto emit_unused = [&] {
    for (std::size_t i = 0; i < user.size(); ++i)
      if (!used[i]) emit(std::string_view(user[i].first), std::string_view(user[i].second), false);
  };
  bool inserted = false;
  for (std::size_t b = 0; b < base.size(); ++b) {
    const TemplateField& f = base[b];
    const bool from_user = replaced_by[b] >= 0;
    std::string_view v = from_user ? std::string_view(user[static_cast<std::size_t>(replaced_by[b])].second) : slot_value(f, computed);
    if (v.empty()) continue;
    if (!inserted && f.network_tail) {
      inserted = true;
      emit_unused();
    }
    emit(std::string_view(f.name), v, !from_user && f.slot == Slot::literal);
  }
  if (!inserted) emit_unused();
}

}  // namespace

std::string fetch_site(const Url* initiator, const Url& target) {
  if (!initiator) return "none";
  if (same_origin(*initiator, target)) return "same-origin";
  if (same_site(*initiator, target)) return "same-site";
  return "cross-site";
}

Result<RequestTemplates> RequestTemplates::compile(const Profile& profile) {
  RequestTemplates t;
  for (std::size_t k = 0; k < t.kinds_.size(); ++k) {
    auto it = profile.kinds.find(to_string(static_cast<RequestKind>(k)));
    if (it == profile.kinds.end()) continue;
    const KindTemplate& source = it->second;
    CompiledKind kind;
    kind.h2 = compile_fields(source.h2_headers, true);
    kind.h1 = compile_fields(source.h1_headers, false);
    kind.weight = source.weight;
    kind.exclusive = source.exclusive;
    kind.depends_on = source.depends_on;
    // Checked once here, so a request re-checks only what it adds itself.
    auto refuse = [&](Error e) {
      e.message = "profile " + profile.name + ", kind " + it->first + ": " + e.message;
      return e;
    };
    for (const auto& f : kind.h2)
      if (f.slot == Slot::literal)
        if (auto ok = h2::check_outgoing_field(f.name, f.value); !ok) return refuse(ok.take_error());
    for (const auto& f : kind.h1)
      if (f.slot == Slot::literal)
        if (auto ok = h1::validate_header(f.name, f.value); !ok) return refuse(ok.take_error());
    t.kinds_[k] = std::move(kind);
  }
  return t;
}

const CompiledKind* RequestTemplates::find(RequestKind kind) const {
  auto index = static_cast<std::size_t>(kind);
  if (index < kinds_.size() && kinds_[index]) return &*kinds_[index];
  return kinds_[static_cast<std::size_t>(RequestKind::navigate)] ? &*kinds_[static_cast<std::size_t>(RequestKind::navigate)]
                                                                 : nullptr;
}

Result<void> RequestPlan::h2_fields(FieldViews& out, std::vector<std::string>& lowered) const {
  out.clear();
  lowered.clear();
  lowered.reserve(user.size());  // views into it stay valid: no reallocation below
  std::optional<Error> invalid;
  merge(kind->h2, user, computed, [&](std::string_view name, std::string_view value, bool prechecked) {
    if (!prechecked && !util::is_ascii_lowercase(name)) name = lowered.emplace_back(util::ascii_lowercase(name));
    if (!prechecked && !invalid)
      if (auto ok = h2::check_outgoing_field(name, value); !ok) invalid = ok.take_error();
    out.push_back({name, value});
  });
  if (invalid) return *invalid;
  return {};
}

Result<FieldViews> RequestPlan::h1_fields() const {
  FieldViews out;
  out.reserve(kind->h1.size() + user.size() + h1_extra.size());
  std::optional<Error> invalid;
  auto add = [&](std::string_view name, std::string_view value, bool prechecked) {
    if (!prechecked && !invalid)
      if (auto ok = h1::validate_header(name, value); !ok) invalid = ok.take_error();
    out.push_back({name, value});
  };
  merge(kind->h1, user, computed, add);
  // A body must be framed on HTTP/1.1 even when the kind's template has no Content-Length (a navigation
  // or image request given a body): then it goes last, where no template puts anything.
  if (!computed.content_length.empty() &&
      std::none_of(out.begin(), out.end(), [](const auto& f) { return iequals(f.name, "content-length"); }))
    add("Content-Length", computed.content_length, false);
  for (const auto& [n, v] : h1_extra) add(n, v, false);
  if (invalid) return *invalid;
  return out;
}

Result<RequestPlan> plan_request(const RequestTemplates& templates, RequestKind kind, std::string method, const Url& url,
                                 HeaderList user_headers, ComputedValues computed) {
  for (const auto& [name, value] : user_headers)
    if (auto ok = h1::validate_header(name, value); !ok) return ok.take_error();
  const CompiledKind* compiled = templates.find(kind);
  if (!compiled)
    return Error(ErrorKind::invalid_argument, std::string("profile has no '") + to_string(kind) + "' request kind", "client");
  return RequestPlan{std::move(method), url, compiled, std::move(user_headers), std::move(computed), {}};
}

}  // namespace wraith::client
