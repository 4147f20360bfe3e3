#include "util/ascii.h"
#include "auth/challenge.h"

#include <string>

namespace wraith::auth {
namespace {

char ascii_lower(char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c; }

bool is_alnum(unsigned char c) { return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }

// RFC 9110 5.6.2 tchar.
bool is_tchar(unsigned char c) {
  if (is_alnum(c)) return true;
  switch (c) {
    case '!': case '#': case '$': case '%': case '&': case '\'': case '*': case '+':
    case '-': case '.': case '^': case '_': case '`': case '|': case '~':
      return true;
    default:
      return false;
  }
}

// RFC 9110 11.2 token68 (without the trailing '=' padding).
bool is_token68_char(unsigned char c) {
  return is_alnum(c) || c == '-' || c == '.' || c == '_' || c == '~' || c == '+' || c == '/';
}

// qdtext and the escaped octet of a quoted-pair: HTAB, SP, VCHAR, obs-text (RFC 9110 5.6.4).
bool is_quotable(unsigned char c) { return c == '\t' || (c >= 0x20 && c != 0x7f); }

Error malformed(std::string what, std::size_t offset) {
  return Error(ErrorKind::protocol, "auth challenge: " + what + " at offset " + std::to_string(offset), "auth");
}

class Parser {
 public:
  Parser(std::string_view text, std::vector<Challenge>& out) : s_(text), out_(out) {}

  Result<void> run() {
    // Whether the last challenge still accepts auth-params: not before the first scheme, nor after a token68.
    bool params_open = false;
    for (;;) {
      skip_separators();
      if (at_end()) return {};
      std::size_t element_start = pos_;
      std::string_view name = token();
      if (name.empty()) return malformed("expected an auth-scheme or parameter name", element_start);
      std::size_t after_name = pos_;
      skip_ows();
      if (!at_end() && peek() == '=') {
        if (!params_open) return malformed("parameter outside a challenge", element_start);
        if (auto r = param_after_name(name); !r) return r;
        continue;
      }
      pos_ = after_name;
      if (auto r = new_challenge(name); !r) return r;
      if (auto r = challenge_body(params_open); !r) return r;
    }
  }

 private:
  bool at_end() const { return pos_ >= s_.size(); }
  unsigned char peek() const { return static_cast<unsigned char>(s_[pos_]); }
  void skip_ows() {
    while (!at_end() && (peek() == ' ' || peek() == '\t')) ++pos_;
  }
  void skip_separators() {
    skip_ows();
    while (!at_end() && peek() == ',') {
      ++pos_;
      skip_ows();
    }
  }
  std::string_view token() {
    std::size_t start = pos_;
    while (!at_end() && is_tchar(peek())) ++pos_;
    return s_.substr(start, pos_ - start);
  }

  Result<void> new_challenge(std::string_view scheme) {
    if (out_.size() >= kMaxChallenges) {
      return Error(ErrorKind::too_large, "auth challenge: more than " + std::to_string(kMaxChallenges) + " challenges", "auth");
    }
    Challenge c;
    c.scheme.assign(scheme);
    out_.push_back(std::move(c));
    return {};
  }

  // After "scheme": nothing, a token68, or the first auth-param.
  Result<void> challenge_body(bool& params_open) {
    params_open = true;
    if (at_end() || peek() == ',') return {};
    if (peek() != ' ' && peek() != '\t') return malformed("expected a space after the auth-scheme", pos_);
    skip_ows();
    if (at_end() || peek() == ',') return {};

    std::size_t start = pos_;
    std::string_view name = token();
    skip_ows();
    if (!name.empty() && !at_end() && peek() == '=') {
      // "name=value" is a parameter; "abc=" / "abc==" followed by ',' or the end is token68 padding.
      std::size_t eq = pos_;
      ++pos_;
      skip_ows();
      bool padding = at_end() || peek() == ',' || peek() == '=';
      pos_ = eq;
      if (!padding) return param_after_name(name);
    }
    pos_ = start;
    while (!at_end() && is_token68_char(peek())) ++pos_;
    if (pos_ == start) return malformed("expected token68 or auth-param", start);
    while (!at_end() && peek() == '=') ++pos_;
    out_.back().token68.assign(s_.substr(start, pos_ - start));
    params_open = false;  // a token68 is the whole challenge (RFC 9110 11.2)
    return end_of_element();
  }

  // pos_ is at '=' (after BWS); name is the parameter name already read.
  Result<void> param_after_name(std::string_view name) {
    ++pos_;  // '='
    skip_ows();
    std::size_t value_start = pos_;
    std::string value;
    if (!at_end() && peek() == '"') {
      if (auto r = quoted_string(value); !r) return r;
    } else {
      std::string_view t = token();
      if (t.empty()) return malformed("expected a token or quoted-string value", value_start);
      value.assign(t);
    }
    Challenge& c = out_.back();
    if (c.params.size() >= kMaxAuthParams) {
      return Error(ErrorKind::too_large, "auth challenge: more than " + std::to_string(kMaxAuthParams) + " parameters", "auth");
    }
    std::string lowered(name);
    for (char& ch : lowered) ch = ascii_lower(ch);
    if (c.param(lowered) != nullptr) return malformed("duplicate parameter '" + lowered + "'", value_start);
    c.params.push_back(AuthParam{std::move(lowered), std::move(value)});
    return end_of_element();
  }

  Result<void> quoted_string(std::string& value) {
    std::size_t open = pos_;
    ++pos_;
    for (;;) {
      if (at_end()) return malformed("unterminated quoted-string", open);
      unsigned char c = peek();
      ++pos_;
      if (c == '"') return {};
      if (c == '\\') {
        if (at_end()) return malformed("unterminated quoted-pair", pos_);
        c = peek();
        ++pos_;
      }
      if (!is_quotable(c)) return malformed("control character in quoted-string", pos_ - 1);
      value.push_back(static_cast<char>(c));
    }
  }

  Result<void> end_of_element() {
    skip_ows();
    if (!at_end() && peek() != ',') return malformed("expected ',' or the end", pos_);
    return {};
  }

  std::string_view s_;
  std::size_t pos_ = 0;
  std::vector<Challenge>& out_;
};

}  // namespace

using util::iequals;

bool Challenge::is(std::string_view scheme_name) const { return iequals(scheme, scheme_name); }

const std::string* Challenge::param(std::string_view name) const {
  for (const AuthParam& p : params) {
    if (iequals(p.name, name)) return &p.value;
  }
  return nullptr;
}

Result<void> parse_challenges(std::string_view header_value, std::vector<Challenge>& out) {
  if (header_value.size() > kMaxChallengeHeaderBytes) {
    return Error(ErrorKind::too_large, "auth challenge: header value longer than " + std::to_string(kMaxChallengeHeaderBytes) + " bytes", "auth");
  }
  return Parser(header_value, out).run();
}

Result<std::vector<Challenge>> parse_challenges(std::string_view header_value) {
  std::vector<Challenge> out;
  if (auto r = parse_challenges(header_value, out); !r) return r.take_error();
  return out;
}

Result<std::vector<Challenge>> collect_challenges(std::span<const std::pair<std::string, std::string>> headers,
                                                  std::string_view header_name) {
  std::vector<Challenge> out;
  std::size_t total = 0;
  for (const auto& [name, value] : headers) {
    if (!iequals(name, header_name)) continue;
    total += value.size();
    if (total > kMaxChallengeHeaderBytes) {
      return Error(ErrorKind::too_large, "auth challenge: " + std::string(header_name) + " headers longer than " + std::to_string(kMaxChallengeHeaderBytes) + " bytes", "auth");
    }
    if (auto r = parse_challenges(value, out); !r) return r.take_error();
  }
  return out;
}

}  // namespace wraith::auth
