#include "auth/responder.h"

#include "auth/basic.h"

namespace wraith::auth {

Authenticator::Authenticator(Credentials credentials, Target target, DigestOptions digest_options)
    : credentials_(std::move(credentials)), target_(target), digest_options_(std::move(digest_options)) {
  if (auto r = validate(credentials_); !r) invalid_ = r.take_error();
}

std::optional<HeaderField> Authenticator::basic_header() {
  sent_ = Sent::basic;
  return HeaderField{authorization_header(), basic_authorization(credentials_.username, credentials_.password)};
}

std::optional<HeaderField> Authenticator::initial(std::string_view method, std::string_view target) {
  sent_ = Sent::none;
  sent_preemptive_digest_ = false;
  nonce_renewals_ = 0;
  gave_up_ = false;
  if (invalid_) return std::nullopt;
  using S = Credentials::Scheme;
  switch (credentials_.scheme) {
    case S::basic:
      return basic_header();
    case S::bearer: {
      auto value = bearer_authorization(credentials_.token);
      if (!value) return std::nullopt;
      sent_ = Sent::bearer;
      return HeaderField{authorization_header(), std::move(*value)};
    }
    case S::any:
      if (server_wants_basic_) return basic_header();
      [[fallthrough]];
    case S::digest: {
      if (!digest_ || !last_digest_) return std::nullopt;
      auto value = digest_->authorization(method, target, *last_digest_);
      if (!value) return std::nullopt;  // e.g. nonce count exhausted: wait for a fresh challenge
      sent_ = Sent::digest;
      sent_preemptive_digest_ = true;
      return HeaderField{authorization_header(), std::move(*value)};
    }
  }
  return std::nullopt;
}

void Authenticator::on_response(std::span<const HeaderField> response_headers) {
  if (!last_digest_) return;
  for (const auto& [name, value] : response_headers) {
    if (!iequals(name, info_header())) continue;
    // The value is a bare #auth-param list: the body of a challenge, so parse it as one.
    std::vector<Challenge> parsed;
    if (value.size() > kMaxChallengeHeaderBytes || !parse_challenges("Digest " + value, parsed) || parsed.size() != 1) continue;
    const std::string* next = parsed[0].param("nextnonce");
    if (next == nullptr || next->empty()) continue;
    for (AuthParam& p : last_digest_->params) {
      if (p.name == "nonce") p.value = *next;
    }
  }
}

Result<std::optional<HeaderField>> Authenticator::answer_digest(std::string_view method, std::string_view target,
                                                                const std::vector<Challenge>& challenges,
                                                                Sent previous) {
  // The strongest answerable Digest challenge; the first refusal explains why none was.
  const Challenge* best = nullptr;
  int best_strength = 0;
  std::optional<Error> refusal;
  for (const Challenge& c : challenges) {
    if (!c.is("Digest")) continue;
    auto algorithm = check_digest_challenge(c);
    if (!algorithm) {
      if (!refusal) refusal = algorithm.take_error();
      continue;
    }
    if (strength(*algorithm) > best_strength) {
      best = &c;
      best_strength = strength(*algorithm);
    }
  }
  if (best == nullptr) {
    if (refusal) return *refusal;
    return std::optional<HeaderField>{};
  }

  if (previous == Sent::digest) {
    // A second challenge after a Digest answer means wrong credentials, unless the nonce merely expired:
    // stale=true (RFC 7616 3.3), or our preemptive reuse of an old nonce met a server that forgot it.
    const std::string* stale = best->param("stale");
    const bool renewable = (stale != nullptr && iequals(*stale, "true")) || sent_preemptive_digest_;
    const bool same_nonce = digest_ && *best->param("nonce") == digest_->nonce();
    if (!renewable || same_nonce || ++nonce_renewals_ > kMaxNonceRenewals) return std::optional<HeaderField>{};
  }
  sent_preemptive_digest_ = false;

  const std::string& realm = *best->param("realm");
  if (!digest_ || digest_->realm() != realm) {
    digest_.emplace(credentials_.username, credentials_.password, digest_options_);
  }
  auto value = digest_->authorization(method, target, *best);
  if (!value) return value.take_error();
  last_digest_ = *best;
  sent_ = Sent::digest;
  return std::optional<HeaderField>{HeaderField{authorization_header(), std::move(*value)}};
}

Result<std::optional<HeaderField>> Authenticator::on_challenge(std::string_view method, std::string_view target,
                                                               std::span<const HeaderField> response_headers) {
  // Once we gave up on this request, further challenges change nothing until the next initial().
  if (gave_up_) return std::optional<HeaderField>{};
  auto answer = answer_challenge(method, target, response_headers);
  if (!answer || !answer->has_value()) gave_up_ = true;
  return answer;
}

Result<std::optional<HeaderField>> Authenticator::answer_challenge(std::string_view method, std::string_view target,
                                                                   std::span<const HeaderField> response_headers) {
  if (invalid_) return *invalid_;
  auto challenges = collect_challenges(response_headers, challenge_header());
  if (!challenges) return challenges.take_error();
  const Sent previous = sent_;
  sent_ = Sent::none;
  const std::optional<HeaderField> none;

  auto offers = [&](std::string_view scheme) {
    for (const Challenge& c : *challenges) {
      if (c.is(scheme)) return true;
    }
    return false;
  };

  using S = Credentials::Scheme;
  switch (credentials_.scheme) {
    case S::basic:
      if (previous == Sent::basic || !offers("Basic")) return none;
      return basic_header();
    case S::bearer: {
      if (previous == Sent::bearer || !offers("Bearer")) return none;
      auto value = bearer_authorization(credentials_.token);
      if (!value) return value.take_error();
      sent_ = Sent::bearer;
      return std::optional<HeaderField>{HeaderField{authorization_header(), std::move(*value)}};
    }
    case S::digest:
      return answer_digest(method, target, *challenges, previous);
    case S::any: {
      if (previous == Sent::basic) return none;
      auto digest = answer_digest(method, target, *challenges, previous);
      if (digest && digest->has_value()) return digest;
      // Never fall back to Basic after a refused Digest answer: that would hand the password out in the clear
      // to whoever just refused the hash. Otherwise Basic is the answer when Digest is absent or unusable.
      if (previous == Sent::digest || !offers("Basic")) return digest;
      server_wants_basic_ = true;
      return basic_header();
    }
  }
  return none;
}

}  // namespace wraith::auth
