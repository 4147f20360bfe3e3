// Digest access authentication, client side (RFC 7616; RFC 2617/2069 forms when the server sends no qop).
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>

#include "auth/challenge.h"
#include "wraith/error.h"

namespace wraith::auth {

enum class DigestAlgorithm { md5, md5_sess, sha256, sha256_sess, sha512_256, sha512_256_sess };

// "MD5", "SHA-256-sess", ... (case-insensitive); nullopt for anything else.
std::optional<DigestAlgorithm> parse_digest_algorithm(std::string_view name);
const char* to_string(DigestAlgorithm algorithm);  // the RFC 7616 spelling
// Higher is stronger (used to choose between several Digest challenges).
int strength(DigestAlgorithm algorithm);

// Whether we can answer this Digest challenge: its algorithm (MD5 when absent), or why not
// (missing realm/nonce -> protocol; unknown algorithm or qop=auth-int only -> protocol, naming it).
Result<DigestAlgorithm> check_digest_challenge(const Challenge& challenge);

struct DigestOptions {
  // Client nonce source; empty means 16 bytes from BoringSSL's CSPRNG as 32 hex digits. Tests inject fixed
  // values to reproduce published vectors.
  std::function<std::string()> cnonce;
};

// State for one protection space, i.e. one (origin, realm): the bound realm, the current nonce and its
// nonce count. Not thread-safe: one owner.
class DigestSession {
 public:
  DigestSession(std::string username, std::string password, DigestOptions options = {});
  ~DigestSession();
  DigestSession(DigestSession&&) = default;
  DigestSession& operator=(DigestSession&&) = default;
  DigestSession(const DigestSession&) = delete;
  DigestSession& operator=(const DigestSession&) = delete;

  // The Authorization (or Proxy-Authorization) value answering challenge for this request:
  // "Digest username=..., realm=..., uri=..., ..., response=...". The nonce count grows by one per call with
  // the same nonce and restarts at 1 for a new nonce (e.g. after stale=true). The first call binds the
  // session to the challenge's realm; another realm is invalid_argument. method must be a token and
  // request_target visible ASCII (invalid_argument otherwise).
  Result<std::string> authorization(std::string_view method, std::string_view request_target, const Challenge& challenge);

  const std::string& realm() const { return realm_; }       // empty until the first authorization()
  const std::string& nonce() const { return nonce_; }       // nonce of the last answer
  std::uint32_t nonce_count() const { return nonce_count_; }  // nc of the last answer

 private:
  std::string username_;
  std::string password_;
  DigestOptions options_;
  std::string realm_;
  bool realm_bound_ = false;  // realm="" is a realm too
  std::string nonce_;
  std::uint32_t nonce_count_ = 0;
};

}  // namespace wraith::auth
