#include "auth/digest.h"

#include <openssl/digest.h>
#include <openssl/mem.h>
#include <openssl/rand.h>

#include <cstdio>
#include <initializer_list>
#include <limits>

#include "util/hex.h"

namespace wraith::auth {
namespace {

Error digest_error(ErrorKind kind, std::string message) { return Error(kind, "digest auth: " + std::move(message), "auth"); }

bool is_sess(DigestAlgorithm a) {
  return a == DigestAlgorithm::md5_sess || a == DigestAlgorithm::sha256_sess || a == DigestAlgorithm::sha512_256_sess;
}

const EVP_MD* md_for(DigestAlgorithm a) {
  switch (a) {
    case DigestAlgorithm::md5:
    case DigestAlgorithm::md5_sess: return EVP_md5();
    case DigestAlgorithm::sha256:
    case DigestAlgorithm::sha256_sess: return EVP_sha256();
    case DigestAlgorithm::sha512_256:
    case DigestAlgorithm::sha512_256_sess: return EVP_sha512_256();
  }
  return EVP_md5();
}

// Lower-case hex of H(part0 ":" part1 ":" ...), hashed piecewise so no joined copy of the password exists.
std::string hash_hex(const EVP_MD* md, std::initializer_list<std::string_view> parts) {
  bssl::ScopedEVP_MD_CTX ctx;
  EVP_DigestInit_ex(ctx.get(), md, nullptr);
  bool first = true;
  for (std::string_view p : parts) {
    if (!first) EVP_DigestUpdate(ctx.get(), ":", 1);
    first = false;
    EVP_DigestUpdate(ctx.get(), p.data(), p.size());
  }
  std::uint8_t out[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  EVP_DigestFinal_ex(ctx.get(), out, &len);
  return util::to_hex(std::span<const std::uint8_t>(out, len));
}

struct QopOffer {
  bool present = false;
  bool auth = false;
  bool auth_int = false;
};

// qop="auth, auth-int": a comma-separated token list inside the quoted value.
QopOffer parse_qop(const std::string* value) {
  QopOffer offer;
  if (value == nullptr) return offer;
  offer.present = true;
  std::string_view rest(*value);
  while (!rest.empty()) {
    std::size_t comma = rest.find(',');
    std::string_view item = rest.substr(0, comma);
    while (!item.empty() && (item.front() == ' ' || item.front() == '\t')) item.remove_prefix(1);
    while (!item.empty() && (item.back() == ' ' || item.back() == '\t')) item.remove_suffix(1);
    if (iequals(item, "auth")) offer.auth = true;
    if (iequals(item, "auth-int")) offer.auth_int = true;
    if (comma == std::string_view::npos) break;
    rest.remove_prefix(comma + 1);
  }
  return offer;
}

bool needs_ext_value(std::string_view s) {
  for (char c : s) {
    auto u = static_cast<unsigned char>(c);
    if (u < 0x20 || u >= 0x7f) return true;
  }
  return false;
}

// RFC 8187 attr-char.
bool is_attr_char(unsigned char c) {
  if ((c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')) return true;
  switch (c) {
    case '!': case '#': case '$': case '&': case '+': case '-': case '.': case '^': case '_': case '`': case '|': case '~':
      return true;
    default:
      return false;
  }
}

void append_ext_value(std::string& out, std::string_view s) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  out += "UTF-8''";
  for (char c : s) {
    auto u = static_cast<unsigned char>(c);
    if (is_attr_char(u)) {
      out.push_back(c);
    } else {
      out.push_back('%');
      out.push_back(kHex[u >> 4]);
      out.push_back(kHex[u & 0xf]);
    }
  }
}

void append_quoted(std::string& out, std::string_view s) {
  out.push_back('"');
  for (char c : s) {
    if (c == '"' || c == '\\') out.push_back('\\');
    out.push_back(c);
  }
  out.push_back('"');
}

bool is_token(std::string_view s) {
  if (s.empty()) return false;
  for (char c : s) {
    auto u = static_cast<unsigned char>(c);
    bool alnum = (u >= '0' && u <= '9') || (u >= 'a' && u <= 'z') || (u >= 'A' && u <= 'Z');
    if (!alnum && std::string_view("!#$%&'*+-.^_`|~").find(c) == std::string_view::npos) return false;
  }
  return true;
}

bool is_visible_ascii(std::string_view s) {
  for (char c : s) {
    auto u = static_cast<unsigned char>(c);
    if (u < 0x21 || u > 0x7e) return false;
  }
  return !s.empty();
}

bool is_quotable_text(std::string_view s) {
  for (char c : s) {
    auto u = static_cast<unsigned char>(c);
    if (u != '\t' && (u < 0x20 || u == 0x7f)) return false;
  }
  return true;
}

std::string random_cnonce() {
  std::uint8_t bytes[16];
  RAND_bytes(bytes, sizeof bytes);
  return util::to_hex(bytes);
}

}  // namespace

std::optional<DigestAlgorithm> parse_digest_algorithm(std::string_view name) {
  static constexpr std::pair<std::string_view, DigestAlgorithm> kNames[] = {
      {"MD5", DigestAlgorithm::md5},
      {"MD5-sess", DigestAlgorithm::md5_sess},
      {"SHA-256", DigestAlgorithm::sha256},
      {"SHA-256-sess", DigestAlgorithm::sha256_sess},
      {"SHA-512-256", DigestAlgorithm::sha512_256},
      {"SHA-512-256-sess", DigestAlgorithm::sha512_256_sess},
  };
  for (const auto& [spelling, algorithm] : kNames) {
    if (iequals(spelling, name)) return algorithm;
  }
  return std::nullopt;
}

const char* to_string(DigestAlgorithm a) {
  switch (a) {
    case DigestAlgorithm::md5: return "MD5";
    case DigestAlgorithm::md5_sess: return "MD5-sess";
    case DigestAlgorithm::sha256: return "SHA-256";
    case DigestAlgorithm::sha256_sess: return "SHA-256-sess";
    case DigestAlgorithm::sha512_256: return "SHA-512-256";
    case DigestAlgorithm::sha512_256_sess: return "SHA-512-256-sess";
  }
  return "MD5";
}

int strength(DigestAlgorithm a) {
  switch (a) {
    case DigestAlgorithm::md5:
    case DigestAlgorithm::md5_sess: return 1;
    case DigestAlgorithm::sha256:
    case DigestAlgorithm::sha256_sess: return 2;
    case DigestAlgorithm::sha512_256:
    case DigestAlgorithm::sha512_256_sess: return 3;
  }
  return 0;
}

Result<DigestAlgorithm> check_digest_challenge(const Challenge& c) {
  if (!c.is("Digest")) return digest_error(ErrorKind::invalid_argument, "not a Digest challenge");
  if (c.param("realm") == nullptr) return digest_error(ErrorKind::protocol, "challenge without realm");
  const std::string* nonce = c.param("nonce");
  if (nonce == nullptr || nonce->empty()) return digest_error(ErrorKind::protocol, "challenge without nonce");
  DigestAlgorithm algorithm = DigestAlgorithm::md5;  // RFC 7616 3.3: absent means MD5
  if (const std::string* name = c.param("algorithm")) {
    auto parsed = parse_digest_algorithm(*name);
    if (!parsed) {
      std::string shown = is_visible_ascii(*name) && name->size() <= 64 ? *name : std::string("(unprintable)");
      return digest_error(ErrorKind::protocol, "unsupported algorithm '" + shown + "'");
    }
    algorithm = *parsed;
  }
  QopOffer qop = parse_qop(c.param("qop"));
  if (qop.present && !qop.auth) {
    if (qop.auth_int) {
      return digest_error(ErrorKind::protocol, "server requires qop=auth-int (request body integrity), which is not supported");
    }
    return digest_error(ErrorKind::protocol, "no supported qop offered (only qop=auth is)");
  }
  if (!qop.present && is_sess(algorithm)) {
    return digest_error(ErrorKind::protocol, std::string(to_string(algorithm)) + " without qop (the cnonce has nowhere to go)");
  }
  return algorithm;
}

DigestSession::DigestSession(std::string username, std::string password, DigestOptions options)
    : username_(std::move(username)), password_(std::move(password)), options_(std::move(options)) {}

DigestSession::~DigestSession() { OPENSSL_cleanse(password_.data(), password_.size()); }

Result<std::string> DigestSession::authorization(std::string_view method, std::string_view request_target,
                                                 const Challenge& challenge) {
  auto checked = check_digest_challenge(challenge);
  if (!checked) return checked.take_error();
  const DigestAlgorithm algorithm = *checked;
  if (!is_token(method)) return digest_error(ErrorKind::invalid_argument, "method is not a token");
  if (!is_visible_ascii(request_target)) return digest_error(ErrorKind::invalid_argument, "request target is not visible ASCII");

  const std::string& realm = *challenge.param("realm");
  const std::string& nonce = *challenge.param("nonce");
  if (realm_bound_ && realm != realm_) {
    return digest_error(ErrorKind::invalid_argument, "session belongs to another realm");
  }
  const bool qop = parse_qop(challenge.param("qop")).present;
  std::string cnonce;
  if (qop) {
    cnonce = options_.cnonce ? options_.cnonce() : random_cnonce();
    if (cnonce.empty() || !is_quotable_text(cnonce)) return digest_error(ErrorKind::invalid_argument, "unusable cnonce");
  }

  if (nonce != nonce_) {
    nonce_ = nonce;
    nonce_count_ = 0;
  }
  if (nonce_count_ == std::numeric_limits<std::uint32_t>::max()) {
    return digest_error(ErrorKind::protocol, "nonce count exhausted for this nonce");
  }
  realm_ = realm;
  realm_bound_ = true;
  ++nonce_count_;
  char nc[9];
  std::snprintf(nc, sizeof nc, "%08x", static_cast<unsigned>(nonce_count_));

  // RFC 7616 3.4.2 / 3.4.3 / 3.4.1.
  const EVP_MD* md = md_for(algorithm);
  std::string ha1 = hash_hex(md, {username_, realm, password_});
  if (is_sess(algorithm)) ha1 = hash_hex(md, {ha1, nonce, cnonce});
  const std::string ha2 = hash_hex(md, {method, request_target});
  const std::string response =
      qop ? hash_hex(md, {ha1, nonce, nc, cnonce, "auth", ha2}) : hash_hex(md, {ha1, nonce, ha2});
  OPENSSL_cleanse(ha1.data(), ha1.size());  // HA1 is password-equivalent

  const std::string* userhash = challenge.param("userhash");
  const bool hash_user = userhash != nullptr && iequals(*userhash, "true");

  std::string out = "Digest ";
  if (hash_user) {
    out += "username=";
    append_quoted(out, hash_hex(md, {username_, realm}));  // RFC 7616 3.4.4
  } else if (needs_ext_value(username_)) {
    out += "username*=";  // RFC 7616 3.4.4 / RFC 8187: not representable in a quoted-string
    append_ext_value(out, username_);
  } else {
    out += "username=";
    append_quoted(out, username_);
  }
  out += ", realm=";
  append_quoted(out, realm);
  out += ", uri=";
  append_quoted(out, request_target);
  if (challenge.param("algorithm") != nullptr) {
    out += ", algorithm=";
    out += to_string(algorithm);
  }
  out += ", nonce=";
  append_quoted(out, nonce);
  if (qop) {
    out += ", nc=";
    out += nc;
    out += ", cnonce=";
    append_quoted(out, cnonce);
    out += ", qop=auth";
  }
  out += ", response=\"";
  out += response;
  out += '"';
  if (const std::string* opaque = challenge.param("opaque")) {
    out += ", opaque=";
    append_quoted(out, *opaque);
  }
  if (hash_user) out += ", userhash=true";
  return out;
}

}  // namespace wraith::auth
