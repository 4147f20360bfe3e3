// wraith [get] URL...: curl's flags and meanings, Chrome's traffic.
#include <unistd.h>

#include <cctype>
#include <cerrno>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <strings.h>
#include <fstream>
#include <iostream>
#include <random>
#include <sstream>
#include <string>
#include <vector>

#include "commands.h"
#include "exit_codes.h"
#include "progress.h"
#include "wraith/client.h"
#include "wraith/url.h"

namespace wraith::cli {

namespace {

const char* kGetHelp =
    "usage: wraith [get] [options] URL...\n"
    "Fetches each URL in order with one client (connections and TLS sessions are reused) and writes the body\n"
    "to stdout. Traffic follows the profile (default chrome156 for this platform): TLS hello, HTTP/2 frames, header order.\n"
    "  -X, --request METHOD     request method\n"
    "  -H, --header 'N: V'      add or replace a header (repeatable)\n"
    "  -d, --data DATA          POST body (@file reads a file; repeated -d are joined with &)\n"
    "      --data-binary DATA   POST body, bytes as given (@file)\n"
    "      --json DATA          POST JSON (sets content-type and accept)\n"
    "  -F, --form name=value    multipart/form-data field (name=@file uploads a file)\n"
    "  -o, --output FILE        write the body to FILE;  -O: use the URL's file name\n"
    "  -L, --location           follow redirects;  --max-redirs N (default 20 with -L)\n"
    "  -x, --proxy URL          proxy: http://, https://, socks4a://, socks5://, socks5h:// (user:pass@ allowed)\n"
    "  -k, --insecure           do not verify certificates (explicit opt-out)\n"
    "      --cacert FILE        trust this CA bundle instead of the system store\n"
    "      --resolve H:P:ADDR   use ADDR for host H port P (repeatable)\n"
    "      --fresh-connect      a new connection per URL (later ones resume the TLS session, as Chrome's do)\n"
    "      --http1.1 | --http2  force the protocol (h2c with prior knowledge for http:// + --http2)\n"
    "  -b, --cookie FILE|N=V    read cookies from a Netscape file, or send this Cookie string\n"
    "  -c, --cookie-jar FILE    write cookies to FILE afterwards (curl-compatible)\n"
    "  -u, --user USER:PASS     basic authentication (--digest: RFC 7616 digest; --anyauth: what the\n"
    "                           server asks for);  --oauth2-bearer TOKEN\n"
    "      --compressed         accept and decode gzip/deflate/br/zstd (default, like a browser)\n"
    "      --no-compressed      keep the body as sent\n"
    "  -I, --head               HEAD request, print headers;  -i, --include: print headers before the body\n"
    "  -s, --silent             no progress or error text;  -v, --verbose: show what goes on the wire\n"
    "  -w, --write-out FMT      print FMT after each transfer (%{http_code}, %{time_total}, %{size_download},\n"
    "                           %{url_effective}, %{num_redirects}, %{http_version}, %{content_type}, \\n)\n"
    "  -m, --max-time SECS      overall time limit;  --connect-timeout SECS\n"
    "      --profile NAME       browser profile (default chrome156; chromium156, chrome156-{linux,windows,macos,android});  --profile-file FILE\n"
    "      --kind KIND          navigate | fetch | xhr | form | image (header template and priority; default\n"
    "                           navigate, form with -d/-F, fetch with --json)\n"
    "Exit codes follow curl: 3 bad URL, 6 resolve, 7 connect, 28 timeout, 35 TLS, 47 redirects, 60 certificate.\n";

struct Options {
  std::vector<std::string> urls;
  std::string method;
  HeaderList headers;
  std::optional<std::string> data;
  std::vector<std::pair<std::string, std::string>> form;
  std::string output;
  bool remote_name = false;
  bool follow = false;
  int max_redirs = 20;
  bool head = false, include = false, silent = false, verbose = false;
  std::string write_out;
  std::string cookie_file, cookie_string, cookie_jar;
  std::string kind;  // empty: from the body (see parse)
  bool json = false;
  bool fresh_connect = false;
  ClientConfig config;
};

bool read_file(const std::string& path, std::string& out) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return false;
  std::stringstream s;
  s << in.rdbuf();
  out = s.str();
  return true;
}

// Chrome's multipart boundary: "----WebKitFormBoundary" + 16 characters from [A-Za-z0-9].
std::string webkit_boundary() {
  static const char alphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
  std::random_device rd;
  std::string b = "----WebKitFormBoundary";
  for (int i = 0; i < 16; ++i) b += alphabet[rd() % 62];
  return b;
}

Result<std::string> multipart_body(const std::vector<std::pair<std::string, std::string>>& fields, const std::string& boundary) {
  std::string body;
  for (const auto& [name, value] : fields) {
    body += "--" + boundary + "\r\n";
    if (!value.empty() && value[0] == '@') {
      std::string content;
      std::string path = value.substr(1);
      if (!read_file(path, content)) return Error(ErrorKind::config, "cannot read form file '" + path + "'", "cli");
      auto slash = path.find_last_of('/');
      body += "Content-Disposition: form-data; name=\"" + name + "\"; filename=\"" +
              (slash == std::string::npos ? path : path.substr(slash + 1)) + "\"\r\nContent-Type: application/octet-stream\r\n\r\n";
      body += content;
    } else {
      body += "Content-Disposition: form-data; name=\"" + name + "\"\r\n\r\n" + value;
    }
    body += "\r\n";
  }
  body += "--" + boundary + "--\r\n";
  return body;
}

Result<std::chrono::milliseconds> seconds_arg(const std::string& flag, const char* value) {
  char* end = nullptr;
  double s = std::strtod(value, &end);
  if (!end || *end || s < 0) return Error(ErrorKind::invalid_argument, flag + " wants seconds, got '" + value + "'", "cli");
  return std::chrono::milliseconds(static_cast<long long>(s * 1000));
}

Result<Options> parse(int argc, char** argv) {
  Options o;
  auto need = [&](int& i, const std::string& flag) -> Result<const char*> {
    if (i + 1 >= argc) return Error(ErrorKind::invalid_argument, "option " + flag + " needs a value", "cli");
    return argv[++i];
  };
  auto add_data = [&](const std::string& value, bool binary, bool allow_file = true) -> Result<void> {
    std::string content = value;
    if (allow_file && !value.empty() && value[0] == '@') {
      if (!read_file(value.substr(1), content))
        return Error(ErrorKind::config, "cannot read data file '" + value.substr(1) + "'", "cli");
      if (!binary) std::erase_if(content, [](char c) { return c == '\r' || c == '\n'; });
    }
    o.data = o.data ? *o.data + "&" + content : content;
    return {};
  };
  for (int i = 0; i < argc; ++i) {
    std::string a = argv[i];
// Takes the option's value or fails with a typed error naming the option.
#define VALUE(flag)                   \
  auto value_or = need(i, flag);      \
  if (!value_or) return value_or.take_error(); \
  std::string value = *value_or;
    if (a == "-h" || a == "--help") {
      std::fputs(kGetHelp, stdout);
      std::exit(0);
    } else if (a == "-X" || a == "--request") {
      VALUE(a) o.method = value;
    } else if (a == "-H" || a == "--header") {
      VALUE(a)
      auto colon = value.find(':');
      if (colon == std::string::npos || colon == 0)
        return Error(ErrorKind::invalid_header, "header '" + value + "' has no 'name: value' form", "cli");
      std::string v = value.substr(colon + 1);
      while (!v.empty() && v.front() == ' ') v.erase(0, 1);
      o.headers.emplace_back(value.substr(0, colon), v);
    } else if (a == "-d" || a == "--data" || a == "--data-ascii") {
      VALUE(a) if (auto r = add_data(value, false); !r) return r.take_error();
    } else if (a == "--data-binary" || a == "--data-raw") {
      VALUE(a) if (auto r = add_data(value, true, a == "--data-binary"); !r) return r.take_error();
    } else if (a == "--json") {
      VALUE(a) if (auto r = add_data(value, true); !r) return r.take_error();
      o.json = true;
      o.headers.emplace_back("content-type", "application/json");
      o.headers.emplace_back("accept", "application/json");
    } else if (a == "-F" || a == "--form") {
      VALUE(a)
      auto eq = value.find('=');
      if (eq == std::string::npos) return Error(ErrorKind::invalid_argument, "-F wants name=value", "cli");
      o.form.emplace_back(value.substr(0, eq), value.substr(eq + 1));
    } else if (a == "-o" || a == "--output") {
      VALUE(a) o.output = value;
    } else if (a == "-O" || a == "--remote-name") {
      o.remote_name = true;
    } else if (a == "-L" || a == "--location") {
      o.follow = true;
    } else if (a == "--max-redirs") {
      VALUE(a) o.max_redirs = std::atoi(value.c_str());
    } else if (a == "-x" || a == "--proxy") {
      VALUE(a) o.config.proxy = value;
    } else if (a == "-k" || a == "--insecure") {
      o.config.insecure = true;
    } else if (a == "--cacert") {
      VALUE(a) o.config.ca_file = value;
    } else if (a == "--resolve") {
      VALUE(a)
      auto first = value.find(':'), second = first == std::string::npos ? first : value.find(':', first + 1);
      if (second == std::string::npos) return Error(ErrorKind::invalid_argument, "--resolve wants host:port:address", "cli");
      o.config.resolve[value.substr(0, second)] = value.substr(second + 1);
    } else if (a == "--http1.1") {
      o.config.version = HttpVersion::http1_1;
    } else if (a == "--http2" || a == "--http2-prior-knowledge") {
      o.config.version = HttpVersion::http2;
    } else if (a == "-b" || a == "--cookie") {
      VALUE(a) if (value.find('=') != std::string::npos) o.cookie_string = value; else o.cookie_file = value;
    } else if (a == "-c" || a == "--cookie-jar") {
      VALUE(a) o.cookie_jar = value;
    } else if (a == "-u" || a == "--user") {
      VALUE(a)
      auto colon = value.find(':');
      auth::Credentials creds;
      creds.scheme = o.config.auth ? o.config.auth->scheme : auth::Credentials::Scheme::basic;
      creds.username = value.substr(0, colon);
      creds.password = colon == std::string::npos ? "" : value.substr(colon + 1);
      o.config.auth = creds;
    } else if (a == "--digest" || a == "--anyauth" || a == "--basic") {
      if (!o.config.auth) o.config.auth = auth::Credentials{};
      o.config.auth->scheme = a == "--digest" ? auth::Credentials::Scheme::digest
                              : a == "--anyauth" ? auth::Credentials::Scheme::any : auth::Credentials::Scheme::basic;
    } else if (a == "--oauth2-bearer") {
      VALUE(a)
      o.config.auth = auth::Credentials{auth::Credentials::Scheme::bearer, "", "", value};
    } else if (a == "--fresh-connect") {
      o.fresh_connect = true;
    } else if (a == "--compressed") {
      o.config.decompress = true;
    } else if (a == "--no-compressed") {
      o.config.decompress = false;
    } else if (a == "-I" || a == "--head") {
      o.head = true;
    } else if (a == "-i" || a == "--include") {
      o.include = true;
    } else if (a == "-s" || a == "--silent") {
      o.silent = true;
    } else if (a == "-v" || a == "--verbose") {
      o.verbose = true;
    } else if (a == "-w" || a == "--write-out") {
      VALUE(a) o.write_out = value;
    } else if (a == "-m" || a == "--max-time") {
      VALUE(a) auto t = seconds_arg(a, value.c_str()); if (!t) return t.take_error(); o.config.timeouts.total = *t;
    } else if (a == "--connect-timeout") {
      VALUE(a) auto t = seconds_arg(a, value.c_str()); if (!t) return t.take_error(); o.config.timeouts.connect = *t;
    } else if (a == "--profile") {
      VALUE(a) o.config.profile = value;
    } else if (a == "--profile-file") {
      VALUE(a)
      auto p = load_profile_file(value);
      if (!p) return p.take_error();
      o.config.profile_data = *p;
    } else if (a == "--kind") {
      VALUE(a) o.kind = value;
    } else if (a.size() > 1 && a[0] == '-') {
      return Error(ErrorKind::invalid_argument, "unknown option '" + a + "' (see wraith get --help)", "cli");
    } else {
      o.urls.push_back(a);
    }
#undef VALUE
  }
  if (o.urls.empty()) return Error(ErrorKind::invalid_argument, "no URL given (see wraith get --help)", "cli");
  o.config.max_redirects = o.follow ? o.max_redirs : 0;
  // What Chrome would be doing: a body from -d/-F is a form submission, --json is a page's fetch(). The
  // navigate template has no content-length slot, so a body there would go out unframed on HTTP/1.1.
  if (o.kind.empty()) o.kind = o.json ? "fetch" : (o.data || !o.form.empty()) ? "form" : "navigate";
  return o;
}

std::string remote_file_name(const std::string& url) {
  auto parsed = Url::parse(url);
  std::string path = parsed ? std::string(parsed->path()) : std::string();
  auto slash = path.find_last_of('/');
  std::string name = slash == std::string::npos ? path : path.substr(slash + 1);
  return name.empty() ? "index.html" : name;
}

std::string write_out(const std::string& format, const Response& r) {
  std::string out;
  for (std::size_t i = 0; i < format.size(); ++i) {
    if (format[i] == '\\' && i + 1 < format.size()) {
      char c = format[++i];
      out += c == 'n' ? '\n' : c == 't' ? '\t' : c == 'r' ? '\r' : c;
      continue;
    }
    if (format.compare(i, 2, "%{") == 0) {
      auto end = format.find('}', i);
      if (end != std::string::npos) {
        std::string var = format.substr(i + 2, end - i - 2);
        char buf[64];
        if (var == "http_code" || var == "response_code") out += std::to_string(r.status);
        else if (var == "time_total") { std::snprintf(buf, sizeof buf, "%.6f", r.timings.total_ms / 1000); out += buf; }
        else if (var == "time_connect") { std::snprintf(buf, sizeof buf, "%.6f", r.timings.connect_ms / 1000); out += buf; }
        else if (var == "size_download") out += std::to_string(r.body.size());
        else if (var == "url_effective") out += r.url;
        else if (var == "num_redirects") out += std::to_string(r.history.size());
        else if (var == "http_version") out += r.version == "h2" ? "2" : "1.1";
        else if (var == "content_type") out += r.header("content-type").value_or("");
        else out += "%{" + var + "}";
        i = end;
        continue;
      }
    }
    out += format[i];
  }
  return out;
}

// The byte count a response's body will end at: `so_far` plus its Content-Length, or 0 when that is
// unknown (no or a malformed Content-Length, or a body being decoded, which arrives larger than announced).
std::uint64_t expected_total(const HeaderList& headers, std::uint64_t so_far, bool decoding) {
  std::optional<std::uint64_t> length;
  for (const auto& [name, value] : headers) {
    if (strcasecmp(name.c_str(), "content-encoding") == 0 && decoding && strcasecmp(value.c_str(), "identity") != 0)
      return 0;
    if (strcasecmp(name.c_str(), "content-length") == 0) {
      char* end = nullptr;
      errno = 0;
      unsigned long long n = std::strtoull(value.c_str(), &end, 10);
      if (value.empty() || !std::isdigit(static_cast<unsigned char>(value[0])) || *end || errno) return 0;
      length = n;
    }
  }
  return length && *length > 0 ? so_far + *length : 0;
}

void print_head(FILE* out, const Response& r) {
  std::fprintf(out, "%s %d\r\n", r.version == "h2" ? "HTTP/2" : "HTTP/1.1", r.status);
  for (const auto& [n, v] : r.headers) std::fprintf(out, "%s: %s\r\n", n.c_str(), v.c_str());
  std::fputs("\r\n", out);
}

}  // namespace

int get_command(int argc, char** argv) {
  auto parsed = parse(argc, argv);
  if (!parsed) {
    std::fprintf(stderr, "wraith: %s\n", parsed.error().describe().c_str());
    return exit_code_for(parsed.error());
  }
  Options& o = *parsed;
  if (!o.cookie_file.empty()) {
    auto loaded = o.config.cookies->load_netscape_file(o.cookie_file, CookieClock::now());
    if (!loaded && !o.silent) std::fprintf(stderr, "wraith: %s\n", loaded.error().describe().c_str());
  }
  auto client = Client::create(o.config);
  if (!client) {
    if (!o.silent) std::fprintf(stderr, "wraith: %s\n", client.error().describe().c_str());
    return exit_code_for(client.error());
  }
  auto kind = parse_request_kind(o.kind);
  if (!kind) {
    std::fprintf(stderr, "wraith: %s\n", kind.error().describe().c_str());
    return exit_code_for(kind.error());
  }
  if (o.verbose) {
    std::fprintf(stderr, "* profile: %s\n", (*client)->profile().name.c_str());
    (*client)->set_wire_log({[](const std::string& line) { std::fprintf(stderr, "%s\n", line.c_str()); }});
  }
  int exit_code = 0;
  for (const auto& url : o.urls) {
    Request request;
    request.url = url;
    request.kind = *kind;
    request.fresh_connection = o.fresh_connect;
    request.headers = o.headers;
    if (!o.cookie_string.empty()) request.headers.emplace_back("cookie", o.cookie_string);
    if (o.data) {
      request.method = "POST";
      request.body = *o.data;
      bool has_type = false;
      for (const auto& [n, v] : request.headers) has_type = has_type || strcasecmp(n.c_str(), "content-type") == 0;
      // The form template computes this type itself, and only while there is a body: a 301/302/303 that
      // turns the POST into a GET then drops it, as Chrome does. Other kinds need it said.
      if (!has_type && *kind != RequestKind::form)
        request.headers.emplace_back("content-type", "application/x-www-form-urlencoded");
    }
    if (!o.form.empty()) {
      std::string boundary = webkit_boundary();
      auto body = multipart_body(o.form, boundary);
      if (!body) {
        std::fprintf(stderr, "wraith: %s\n", body.error().describe().c_str());
        return exit_code_for(body.error());
      }
      request.method = "POST";
      request.body = *body;
      request.headers.emplace_back("content-type", "multipart/form-data; boundary=" + boundary);
    }
    if (o.head) request.method = "HEAD";
    if (!o.method.empty()) request.method = o.method;

    std::string output = o.remote_name ? remote_file_name(url) : o.output;
    FILE* sink = stdout;
    if (!output.empty()) {
      sink = std::fopen(output.c_str(), "wb");
      if (!sink) {
        if (!o.silent) std::fprintf(stderr, "wraith: cannot write '%s'\n", output.c_str());
        return 23;
      }
    }
    Progress progress(!output.empty() && !o.silent && isatty(STDERR_FILENO));
    std::uint64_t received = 0;
    std::uint64_t total = 0;  // where `received` ends when this response's size is known; 0 = unknown
    request.on_response_head = [&](int, const HeaderList& headers) { total = expected_total(headers, received, o.config.decompress); };
    // -i to stdout: the head is known only once send() returns, so the body waits for it.
    const bool hold_body = o.include && sink == stdout;
    std::string held;
    bool write_failed = false;  // curl's 23, whatever error the transfer then ends with
    request.on_body = [&](std::span<const std::uint8_t> chunk) -> Result<void> {
      if (hold_body) {
        held.append(reinterpret_cast<const char*>(chunk.data()), chunk.size());
      } else if (std::fwrite(chunk.data(), 1, chunk.size(), sink) != chunk.size()) {
        write_failed = true;
        return Error(ErrorKind::io, "write to output failed", "cli");
      }
      received += chunk.size();
      progress.update(received, total);
      return {};
    };
    auto response = (*client)->send(std::move(request));
    progress.finish(received);
    if (sink != stdout && std::fclose(sink) != 0) write_failed = true;  // buffered bytes that did not fit
    if (!response) {
      if (!o.silent) std::fprintf(stderr, "wraith: %s\n", response.error().describe().c_str());
      exit_code = write_failed ? 23 : exit_code_for(response.error());
      continue;
    }
    if (write_failed) {
      if (!o.silent) std::fprintf(stderr, "wraith: cannot write '%s'\n", output.c_str());
      exit_code = 23;
    }
    response->body.resize(received);  // for %{size_download}
    if (o.verbose) {
      std::fprintf(stderr, "* %s, ALPN %s\n", response->url.c_str(), response->version.c_str());
      std::fprintf(stderr, "< %s %d\n", response->version == "h2" ? "HTTP/2" : "HTTP/1.1", response->status);
      for (const auto& [n, v] : response->headers) std::fprintf(stderr, "< %s: %s\n", n.c_str(), v.c_str());
    }
    if (o.head || o.include) print_head(stdout, *response);
    std::fwrite(held.data(), 1, held.size(), stdout);
    if (!o.write_out.empty()) std::fputs(write_out(o.write_out, *response).c_str(), stdout);
    std::fflush(stdout);
  }
  if (!o.cookie_jar.empty()) {
    auto saved = o.config.cookies->save_netscape_file(o.cookie_jar, CookieClock::now());
    if (!saved && !o.silent) std::fprintf(stderr, "wraith: %s\n", saved.error().describe().c_str());
  }
  return exit_code;
}

}  // namespace wraith::cli
