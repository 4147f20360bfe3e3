// Turns (profile, request kind, URL, user headers) into the exact header list Chrome would send, for h2
// (lowercase, pseudo-headers apart) and for HTTP/1.1 (Chrome's case, Host first).
//
// A profile's templates are compiled once per client (RequestTemplates): names lowercased, `{placeholders}`
// turned into slots, literal fields checked against HTTP/2's rules. A request then only fills in its computed
// values and user headers, and its fields are views: nothing is copied on the way to the encoder.
#pragma once

#include <array>
#include <optional>
#include <string>
#include <vector>

#include "h2/hpack/header_field.h"
#include "wraith/client.h"
#include "wraith/url.h"

namespace wraith::client {

// Values computed per request; an empty value drops the header from the template.
struct ComputedValues {
  std::string authority;
  std::string sec_fetch_site;  // none | same-origin | same-site | cross-site
  std::string origin;
  std::string referer;
  std::string cookie;
  std::string content_type;
  std::string content_length;
};

// Where a template field's value comes from.
enum class Slot : std::uint8_t { literal, authority, sec_fetch_site, origin, referer, cookie, content_type, content_length };

struct TemplateField {
  std::string name;   // h2: lowercase; h1: Chrome's case
  std::string value;  // for Slot::literal
  Slot slot = Slot::literal;
  bool network_tail = false;  // a header Chrome's network layer adds after the page's (user headers go before)
};

struct CompiledKind {
  std::vector<TemplateField> h2, h1;
  std::uint16_t weight = 256;
  bool exclusive = true;
  std::uint32_t depends_on = 0;
};

class RequestTemplates {
 public:
  // Fails with ErrorKind::invalid_header when a literal h2 field breaks RFC 9113's field rules.
  static Result<RequestTemplates> compile(const Profile& profile);
  // The kind's template, or navigate's when the profile lacks it; null when it has neither.
  const CompiledKind* find(RequestKind kind) const;

 private:
  std::array<std::optional<CompiledKind>, 7> kinds_;  // indexed by RequestKind
};

using FieldViews = std::vector<h2::hpack::HeaderView>;

struct RequestPlan {
  std::string method;
  const Url& url;  // the caller's, which outlives the plan (one exchange)
  const CompiledKind* kind = nullptr;
  HeaderList user;          // checked for CR/LF/NUL and token names; as the user wrote them
  ComputedValues computed;
  HeaderList h1_extra;      // HTTP/1.1 only, after the template's fields (Proxy-Authorization)

  // Regular h2 fields in wire order (user names lowercased into `lowered`, which must outlive `out`). Fails
  // with ErrorKind::invalid_header for a user or computed field HTTP/2 forbids (connection-specific, te, ...).
  Result<void> h2_fields(FieldViews& out, std::vector<std::string>& lowered) const;
  // HTTP/1.1 fields in wire order, Host first, then h1_extra. Fails with ErrorKind::invalid_header for a
  // user, computed or extra field with CR/LF/NUL or a bad name (the template's own were checked at compile).
  Result<FieldViews> h1_fields() const;
};

// sec-fetch-site of a request to `target` initiated from `initiator` (none when there is no initiator).
std::string fetch_site(const Url* initiator, const Url& target);

// Fails with ErrorKind::invalid_header for CR/LF/NUL or a bad name in user headers, and
// ErrorKind::invalid_argument when the profile lacks the kind.
Result<RequestPlan> plan_request(const RequestTemplates& templates, RequestKind kind, std::string method, const Url& url,
                                 HeaderList user_headers, ComputedValues computed);

}  // namespace wraith::client
