#include "fingerprint/digest.h"

#include <openssl/md5.h>
#include <openssl/sha.h>

#include "util/hex.h"

namespace wraith::fingerprint {

std::string md5_hex(std::string_view text) {
  std::uint8_t out[MD5_DIGEST_LENGTH];
  MD5(reinterpret_cast<const std::uint8_t*>(text.data()), text.size(), out);
  return util::to_hex(out);
}

std::string sha256_hex(std::string_view text) {
  std::uint8_t out[SHA256_DIGEST_LENGTH];
  SHA256(reinterpret_cast<const std::uint8_t*>(text.data()), text.size(), out);
  return util::to_hex(out);
}

}  // namespace wraith::fingerprint
