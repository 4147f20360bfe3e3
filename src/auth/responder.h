// What the client calls: which Authorization header to send first, and how to answer a 401/407.
#pragma once

#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <utility>

#include "auth/challenge.h"
#include "auth/digest.h"
#include "wraith/auth.h"
#include "wraith/error.h"

namespace wraith::auth {

using HeaderField = std::pair<std::string, std::string>;

// One Authenticator per origin (or per proxy) and credential set; one owner, not thread-safe.
// Protocol per request: call initial() once at the start of every request (it also resets the per-request
// retry state), then on_challenge() after each 401 (407 for Target::proxy) until it yields no header.
class Authenticator {
 public:
  enum class Target {
    origin,  // WWW-Authenticate -> Authorization
    proxy,   // Proxy-Authenticate -> Proxy-Authorization
  };
  // Digest gives up after this many stale=true (or forgotten-nonce) renewals within one request.
  static constexpr int kMaxNonceRenewals = 2;

  explicit Authenticator(Credentials credentials, Target target = Target::origin, DigestOptions digest_options = {});

  // Header for the first attempt: Basic/Bearer preemptively; Digest only once a challenge was seen (then the
  // cached nonce is reused with the next nc); nothing for `any` until the server said which scheme it wants.
  std::optional<HeaderField> initial(std::string_view method, std::string_view target);

  // After a 401/407: the header for one retry, or nullopt when we cannot answer (no challenge for our scheme,
  // or these credentials were already rejected: a second 401 without stale=true). After a nullopt or an
  // error, later calls yield nullopt until the next initial(). Errors: the challenge
  // header is malformed (protocol) or too large (too_large); the only Digest challenge asks for something
  // unsupported such as qop=auth-int (protocol); the credentials are unusable (invalid_argument).
  Result<std::optional<HeaderField>> on_challenge(std::string_view method, std::string_view target,
                                                  std::span<const HeaderField> response_headers);

  // After a final response (any status): picks up Digest's nextnonce from Authentication-Info
  // (Proxy-Authentication-Info for Target::proxy), RFC 7616 3.5, so the next request's preemptive answer
  // uses it. A malformed header is ignored (it carries no credentials; the next challenge recovers).
  // rspauth (server-to-client authentication) is not verified.
  void on_response(std::span<const HeaderField> response_headers);

  const char* challenge_header() const { return target_ == Target::origin ? "WWW-Authenticate" : "Proxy-Authenticate"; }
  const char* authorization_header() const { return target_ == Target::origin ? "Authorization" : "Proxy-Authorization"; }
  const char* info_header() const { return target_ == Target::origin ? "Authentication-Info" : "Proxy-Authentication-Info"; }

 private:
  enum class Sent { none, basic, bearer, digest };

  std::optional<HeaderField> basic_header();
  Result<std::optional<HeaderField>> answer_challenge(std::string_view method, std::string_view target,
                                                      std::span<const HeaderField> response_headers);
  Result<std::optional<HeaderField>> answer_digest(std::string_view method, std::string_view target,
                                                   const std::vector<Challenge>& challenges, Sent previous);

  Credentials credentials_;
  Target target_;
  DigestOptions digest_options_;
  std::optional<Error> invalid_;             // from validate(); reported by on_challenge()
  std::optional<DigestSession> digest_;      // the protection space we answered last
  std::optional<Challenge> last_digest_;     // its challenge, for preemptive reuse of the nonce
  bool server_wants_basic_ = false;          // `any`: the server asked for Basic, so send it up front now
  Sent sent_ = Sent::none;                   // what the current attempt carried
  bool sent_preemptive_digest_ = false;      // the current attempt reused a cached nonce
  int nonce_renewals_ = 0;
  bool gave_up_ = false;                     // on_challenge() said no (or failed) during this request
};

}  // namespace wraith::auth
