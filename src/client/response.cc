#include <strings.h>

#include "wraith/client.h"

namespace wraith {

const char* to_string(RequestKind kind) {
  switch (kind) {
    case RequestKind::navigate: return "navigate";
    case RequestKind::fetch: return "fetch";
    case RequestKind::xhr: return "xhr";
    case RequestKind::form: return "form";
    case RequestKind::image: return "image";
    case RequestKind::script: return "script";
    case RequestKind::style: return "style";
  }
  return "navigate";
}

Result<RequestKind> parse_request_kind(std::string_view name) {
  for (auto kind : {RequestKind::navigate, RequestKind::fetch, RequestKind::xhr, RequestKind::form, RequestKind::image,
                    RequestKind::script, RequestKind::style})
    if (name == to_string(kind)) return kind;
  return Error(ErrorKind::invalid_argument, "unknown request kind '" + std::string(name) +
                                                "' (navigate, fetch, xhr, form, image, script, style)", "client");
}

std::optional<std::string> Response::header(std::string_view name) const {
  for (const auto& [n, v] : headers)
    if (n.size() == name.size() && strncasecmp(n.data(), name.data(), n.size()) == 0) return v;
  return std::nullopt;
}

std::vector<std::string> Response::header_values(std::string_view name) const {
  std::vector<std::string> out;
  for (const auto& [n, v] : headers)
    if (n.size() == name.size() && strncasecmp(n.data(), name.data(), n.size()) == 0) out.push_back(v);
  return out;
}

std::string Response::text() const {
  auto type = header("content-type").value_or("");
  for (auto& c : type) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  bool latin1 = type.find("charset=iso-8859-1") != std::string::npos || type.find("charset=latin1") != std::string::npos ||
                type.find("charset=windows-1252") != std::string::npos;
  if (!latin1) return body;
  // ISO-8859-1 maps byte for byte onto U+0000..U+00FF.
  std::string out;
  out.reserve(body.size());
  for (unsigned char c : body) {
    if (c < 0x80) {
      out.push_back(static_cast<char>(c));
    } else {
      out.push_back(static_cast<char>(0xc0 | (c >> 6)));
      out.push_back(static_cast<char>(0x80 | (c & 0x3f)));
    }
  }
  return out;
}

Result<nlohmann::json> Response::json() const {
  auto doc = nlohmann::json::parse(body, nullptr, false);
  if (doc.is_discarded()) return Error(ErrorKind::decode, "response body is not valid JSON", "client");
  return doc;
}

}  // namespace wraith
