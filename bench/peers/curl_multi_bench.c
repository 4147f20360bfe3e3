/* libcurl multi peer for bench/run.sh: N GETs of one URL, at most C in flight, HTTP/2 multiplexed on one
 * connection (or, with --h1, up to C keep-alive HTTP/1.1 connections). Easy handles are reused, bodies are
 * counted and dropped. A request counts only with status 200 and exactly --expect-bytes body bytes.
 * The last line is one JSON object like `wraith bench`'s: {"ok":N,"errors":E,"bytes":B,"loop_s":T,"proto":"h2"}
 * --fresh: a new connection (TCP + TLS; libcurl's own session cache may resume) for every request, HTTP/1.1.
 * usage: curl_multi_bench --url URL --n N --concurrency C [--expect-bytes B] [--h1] [--fresh] [-k] */
#include <curl/curl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

struct transfer {
  CURL* easy;
  curl_off_t length;
};

static size_t count_body(char* data, size_t size, size_t nmemb, void* user) {
  (void)data;
  ((struct transfer*)user)->length += (curl_off_t)(size * nmemb);
  return size * nmemb;
}

static double now_s(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

int main(int argc, char** argv) {
  const char* url = NULL;
  long n = 1000, concurrency = 1;
  long long expect = -1;
  int h1 = 0, insecure = 0, fresh = 0;
  for (int i = 1; i < argc; ++i) {
    if (!strcmp(argv[i], "--url") && i + 1 < argc) url = argv[++i];
    else if (!strcmp(argv[i], "--n") && i + 1 < argc) n = atol(argv[++i]);
    else if (!strcmp(argv[i], "--concurrency") && i + 1 < argc) concurrency = atol(argv[++i]);
    else if (!strcmp(argv[i], "--expect-bytes") && i + 1 < argc) expect = atoll(argv[++i]);
    else if (!strcmp(argv[i], "--h1")) h1 = 1;
    else if (!strcmp(argv[i], "--fresh")) fresh = h1 = 1;
    else if (!strcmp(argv[i], "-k")) insecure = 1;
    else {
      fprintf(stderr, "curl_multi_bench: bad argument '%s'\n", argv[i]);
      return 2;
    }
  }
  if (!url || n <= 0 || concurrency <= 0) {
    fprintf(stderr, "usage: curl_multi_bench --url URL --n N --concurrency C [--expect-bytes B] [--h1] [-k]\n");
    return 2;
  }
  if (concurrency > n) concurrency = n;
  curl_global_init(CURL_GLOBAL_DEFAULT);
  CURLM* multi = curl_multi_init();
  curl_multi_setopt(multi, CURLMOPT_PIPELINING, h1 ? CURLPIPE_NOTHING : CURLPIPE_MULTIPLEX);
  curl_multi_setopt(multi, CURLMOPT_MAX_HOST_CONNECTIONS, h1 ? concurrency : 1L);
  curl_multi_setopt(multi, CURLMOPT_MAXCONNECTS, concurrency);
  curl_multi_setopt(multi, CURLMOPT_MAX_CONCURRENT_STREAMS, concurrency);

  struct transfer* transfers = calloc((size_t)concurrency, sizeof *transfers);
  for (long i = 0; i < concurrency; ++i) {
    CURL* e = curl_easy_init();
    transfers[i].easy = e;
    curl_easy_setopt(e, CURLOPT_URL, url);
    curl_easy_setopt(e, CURLOPT_HTTP_VERSION, h1 ? CURL_HTTP_VERSION_1_1 : CURL_HTTP_VERSION_2TLS);
    curl_easy_setopt(e, CURLOPT_PIPEWAIT, 1L); /* wait for the h2 connection rather than open more */
    curl_easy_setopt(e, CURLOPT_WRITEFUNCTION, count_body);
    curl_easy_setopt(e, CURLOPT_WRITEDATA, &transfers[i]);
    curl_easy_setopt(e, CURLOPT_PRIVATE, &transfers[i]);
    curl_easy_setopt(e, CURLOPT_BUFFERSIZE, 512L * 1024);
    if (fresh) {
      curl_easy_setopt(e, CURLOPT_FRESH_CONNECT, 1L);
      curl_easy_setopt(e, CURLOPT_FORBID_REUSE, 1L);
    }
    if (insecure) {
      curl_easy_setopt(e, CURLOPT_SSL_VERIFYPEER, 0L);
      curl_easy_setopt(e, CURLOPT_SSL_VERIFYHOST, 0L);
    }
  }

  long started = 0, ok = 0, errors = 0;
  long long bytes = 0;
  char first_error[256] = "";
  const char* proto = h1 ? "h1" : "h2";
  double t0 = now_s();
  for (long i = 0; i < concurrency; ++i, ++started) curl_multi_add_handle(multi, transfers[i].easy);
  int running = 1;
  while (running || ok + errors < n) {
    curl_multi_perform(multi, &running);
    CURLMsg* msg;
    int left;
    while ((msg = curl_multi_info_read(multi, &left))) {
      if (msg->msg != CURLMSG_DONE) continue;
      CURL* e = msg->easy_handle;
      struct transfer* t;
      curl_easy_getinfo(e, CURLINFO_PRIVATE, (char**)&t);
      long status = 0, version = 0;
      curl_easy_getinfo(e, CURLINFO_RESPONSE_CODE, &status);
      curl_easy_getinfo(e, CURLINFO_HTTP_VERSION, &version);
      if (version == CURL_HTTP_VERSION_2_0) proto = "h2";
      else if (version == CURL_HTTP_VERSION_1_1) proto = "h1";
      if (msg->data.result == CURLE_OK && status == 200 && (expect < 0 || t->length == expect)) {
        ++ok;
        bytes += t->length;
      } else {
        ++errors;
        if (!first_error[0])
          snprintf(first_error, sizeof first_error, "%s, status %ld, %lld bytes",
                   curl_easy_strerror(msg->data.result), status, (long long)t->length);
      }
      curl_multi_remove_handle(multi, e);
      if (started < n) {
        t->length = 0;
        curl_multi_add_handle(multi, e);
        ++started;
        running = 1;
      }
    }
    if (running) curl_multi_poll(multi, NULL, 0, 1000, NULL);
  }
  double loop_s = now_s() - t0;
  if (first_error[0]) printf("first error: %s\n", first_error);
  printf("requests: %ld ok, %ld errors, %.0f req/s, %.2f MB/s\n", ok, errors, ok / loop_s, bytes / loop_s / 1e6);
  printf("{\"ok\":%ld,\"errors\":%ld,\"bytes\":%lld,\"loop_s\":%.6f,\"proto\":\"%s\"}\n", ok, errors, bytes, loop_s,
         proto);
  for (long i = 0; i < concurrency; ++i) curl_easy_cleanup(transfers[i].easy);
  free(transfers);
  curl_multi_cleanup(multi);
  curl_global_cleanup();
  return errors ? 1 : 0;
}
