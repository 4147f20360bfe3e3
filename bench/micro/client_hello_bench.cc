// Building Chrome's ClientHello: a fresh SSL from the chromium156 ClientContext (src/tls/client_context.h),
// SSL_do_handshake into memory BIOs up to the first flight (X25519MLKEM768 + X25519 key shares, GREASE, ALPS,
// ECH GREASE). Time per hello; the flight's size is reported as a counter.
#include <benchmark/benchmark.h>

#include <openssl/bio.h>
#include <openssl/ssl.h>

#include "client/profile_mapping.h"
#include "tls/client_context.h"
#include "wraith/profile.h"

namespace {

using namespace wraith;

void BM_ClientHelloChromium156(benchmark::State& state) {
  auto profile = builtin_profile("chromium156");
  if (!profile) {
    state.SkipWithError("no chromium156 profile");
    return;
  }
  auto context = tls::ClientContext::create(profile->tls, profile->name, {.insecure = true},
                                            client::alps_settings(*profile));
  if (!context) {
    state.SkipWithError("no chromium156 context");
    return;
  }
  size_t flight = 0;
  for (auto _ : state) {
    auto ssl = (*context)->new_ssl("bench.test", 443);
    if (!ssl) {
      state.SkipWithError("new_ssl failed");
      break;
    }
    BIO* in = BIO_new(BIO_s_mem());
    BIO* out = BIO_new(BIO_s_mem());
    SSL_set_bio(ssl->get(), in, out);  // the SSL owns both now
    int ret = SSL_do_handshake(ssl->get());
    if (ret > 0 || SSL_get_error(ssl->get(), ret) != SSL_ERROR_WANT_READ) {
      state.SkipWithError("handshake did not stop after the first flight");
      break;
    }
    flight = BIO_pending(out);
    benchmark::DoNotOptimize(flight);
  }
  state.counters["flight_bytes"] = static_cast<double>(flight);
}
BENCHMARK(BM_ClientHelloChromium156);

}  // namespace
