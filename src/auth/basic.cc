#include "auth/basic.h"

#include <openssl/base64.h>
#include <openssl/mem.h>

namespace wraith::auth {

std::string base64_encode(std::string_view bytes) {
  std::size_t with_nul = 0;
  if (!EVP_EncodedLength(&with_nul, bytes.size())) return {};
  std::string out(with_nul, '\0');
  std::size_t n = EVP_EncodeBlock(reinterpret_cast<std::uint8_t*>(out.data()),
                                  reinterpret_cast<const std::uint8_t*>(bytes.data()), bytes.size());
  out.resize(n);
  return out;
}

std::string basic_authorization(std::string_view user, std::string_view pass) {
  std::string joined;
  joined.reserve(user.size() + 1 + pass.size());
  joined.append(user).append(1, ':').append(pass);
  std::string value = "Basic " + base64_encode(joined);
  OPENSSL_cleanse(joined.data(), joined.size());  // the plain password should not linger in freed memory
  return value;
}

Result<std::string> bearer_authorization(std::string_view token) {
  if (token.empty()) return Error(ErrorKind::invalid_argument, "bearer token is empty", "auth");
  for (char c : token) {
    auto u = static_cast<unsigned char>(c);
    if (u < 0x21 || u > 0x7e) {
      return Error(ErrorKind::invalid_argument, "bearer token has a byte outside visible ASCII", "auth");
    }
  }
  std::string value;
  value.reserve(7 + token.size());
  value.append("Bearer ").append(token);
  return value;
}

}  // namespace wraith::auth
