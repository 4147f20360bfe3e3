#include "wraith/auth.h"

namespace wraith::auth {

const char* to_string(Credentials::Scheme scheme) {
  switch (scheme) {
    case Credentials::Scheme::basic: return "basic";
    case Credentials::Scheme::bearer: return "bearer";
    case Credentials::Scheme::digest: return "digest";
    case Credentials::Scheme::any: return "any";
  }
  return "unknown";
}

std::string Credentials::describe() const {
  std::string out = to_string(scheme);
  if (scheme == Scheme::bearer) {
    out += token.empty() ? " token=<empty>" : " token=<redacted>";
    return out;
  }
  // The user name is not a secret, but it is attacker-visible text: print it only when it is plain ASCII.
  bool printable = true;
  for (char c : username) {
    auto u = static_cast<unsigned char>(c);
    if (u < 0x20 || u > 0x7e || c == '"' || c == '\\') printable = false;
  }
  out += printable ? " user=\"" + username + "\"" : " user=<" + std::to_string(username.size()) + " bytes>";
  out += password.empty() ? " password=<empty>" : " password=<redacted>";
  return out;
}

Result<void> validate(const Credentials& c) {
  using S = Credentials::Scheme;
  if (c.scheme == S::bearer) {
    if (c.token.empty()) return Error(ErrorKind::invalid_argument, "bearer credentials without a token", "auth");
    for (char ch : c.token) {
      auto u = static_cast<unsigned char>(ch);
      if (u < 0x21 || u > 0x7e) return Error(ErrorKind::invalid_argument, "bearer token has a byte outside visible ASCII", "auth");
    }
    return {};
  }
  if (c.scheme == S::basic || c.scheme == S::any) {
    // RFC 7617 2: the user-id cannot contain ':' (the server splits at the first one) nor control characters.
    for (char ch : c.username) {
      auto u = static_cast<unsigned char>(ch);
      if (ch == ':') return Error(ErrorKind::invalid_argument, "basic auth user name contains ':'", "auth");
      if (u < 0x20 || u == 0x7f) return Error(ErrorKind::invalid_argument, "basic auth user name contains a control character", "auth");
    }
    for (char ch : c.password) {
      auto u = static_cast<unsigned char>(ch);
      if (u < 0x20 || u == 0x7f) return Error(ErrorKind::invalid_argument, "basic auth password contains a control character", "auth");
    }
  }
  return {};
}

}  // namespace wraith::auth
