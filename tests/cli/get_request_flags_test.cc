// `wraith get` flags that shape the request, each checked by what a loopback server saw: `wraith inspect`
// (header order and values, protocol, connection, h2 vs h1) and the fixture origin (method, body bytes).
#include <filesystem>
#include <regex>

#include <gtest/gtest.h>

#include "cli_harness.h"
#include "process.h"
#include "wraith/profile.h"

using namespace wraith::cli_test;
using wraith::test_support::write_file;

namespace {

// What the inspector answered for the one request of this run.
nlohmann::json inspected(const RunResult& run) {
  EXPECT_EQ(run.code, 0) << run.err;
  auto doc = nlohmann::json::parse(run.out, nullptr, false);
  EXPECT_FALSE(doc.is_discarded()) << "not JSON: " << run.out.substr(0, 300);
  return doc.is_discarded() ? nlohmann::json::object() : doc;
}

// The fixture origin's /echo document.
nlohmann::json echoed(const RunResult& run) { return inspected(run); }

wraith::KindTemplate template_for(const std::string& profile, const std::string& kind) {
  auto p = wraith::builtin_profile(profile);
  if (!p) throw std::runtime_error(p.error().describe());
  return p->kinds.at(kind);
}

// The seen headers are the template's (values computed per request may leave some out), in its order,
// and every fixed template value arrived unchanged.
void expect_template_followed(const nlohmann::json& seen, const wraith::HeaderList& tmpl, const std::string& what) {
  auto seen_names = header_names(seen);
  std::size_t at = 0;
  for (const auto& name : seen_names) {
    while (at < tmpl.size() && tmpl[at].first != name) ++at;
    ASSERT_LT(at, tmpl.size()) << what << ": '" << name << "' is not in the template, or out of its order";
    if (tmpl[at].second.find('{') == std::string::npos) {
      EXPECT_EQ(header_value(seen, name), tmpl[at].second) << what << ": " << name;
    }
  }
  for (const auto& [name, value] : tmpl) {
    if (value.find('{') == std::string::npos) {
      EXPECT_NE(std::find(seen_names.begin(), seen_names.end(), name), seen_names.end()) << what << ": fixed header " << name << " missing";
    }
  }
}

#define REQUIRE_SERVER(server) ASSERT_TRUE((server).ok()) << "test server did not start"

}  // namespace

TEST(GetRequestFlags, MethodFlag) {
  FixtureServer origin;
  REQUIRE_SERVER(origin);
  EXPECT_EQ(echoed(run_wraith({"-X", "PUT", origin.url("/echo")}))["method"], "PUT");
  // -X wins over the POST that -d implies, and keeps the body (curl's behaviour).
  auto patched = echoed(run_wraith({"-X", "PATCH", "-d", "k=v", origin.url("/echo")}));
  EXPECT_EQ(patched["method"], "PATCH");
  EXPECT_EQ(patched["body"], "k=v");
  Inspector inspector;
  REQUIRE_SERVER(inspector);
  EXPECT_EQ(inspected(run_wraith({"-k", "-X", "DELETE", inspector.https("/m")}))["this_request"]["method"], "DELETE");
}

TEST(GetRequestFlags, HeaderReplacesTemplateValueInPlaceOrAddsBeforeAcceptEncoding) {
  Inspector inspector;
  REQUIRE_SERVER(inspector);
  auto plain = inspected(run_wraith({"-k", inspector.https("/h")}))["this_request"]["headers"];
  auto replaced = inspected(run_wraith({"-k", "-H", "Accept: text/x-wraith", inspector.https("/h")}))["this_request"]["headers"];
  EXPECT_EQ(header_names(replaced), header_names(plain)) << "a template header must keep its place";
  EXPECT_EQ(header_value(replaced, "accept"), "text/x-wraith");
  EXPECT_NE(header_value(plain, "accept"), "text/x-wraith");

  auto added = inspected(run_wraith({"-k", "-H", "X-Wraith-Added: yes", inspector.https("/h")}))["this_request"]["headers"];
  auto names = header_names(added);
  auto at = std::find(names.begin(), names.end(), "x-wraith-added");
  ASSERT_NE(at, names.end());
  EXPECT_EQ(header_value(added, "x-wraith-added"), "yes");
  ASSERT_NE(at + 1, names.end());
  EXPECT_EQ(*(at + 1), "accept-encoding") << "page-set headers go right before accept-encoding";
  names.erase(at);
  EXPECT_EQ(names, header_names(plain));

  // On HTTP/1.1 too (the h1 template, original case kept for the added header's name).
  auto h1 = inspected(run_wraith({"-k", "--http1.1", "-H", "X-Wraith-Added: yes", inspector.https("/h")}))["this_request"];
  EXPECT_EQ(header_value(h1["headers"], "x-wraith-added"), "yes");
  auto order = h1["header_order"];
  EXPECT_NE(std::find(order.begin(), order.end(), "X-Wraith-Added"), order.end()) << order;
  auto h1_names = header_names(h1["headers"]);
  auto h1_at = std::find(h1_names.begin(), h1_names.end(), "x-wraith-added");
  ASSERT_NE(h1_at, h1_names.end());
  ASSERT_NE(h1_at + 1, h1_names.end());
  EXPECT_EQ(*(h1_at + 1), "accept-encoding");
}

TEST(GetRequestFlags, DataPostsFormEncodedAndStripsNewlinesFromFiles) {
  FixtureServer origin;
  REQUIRE_SERVER(origin);
  TempDir temp("wraith-cli-data");
  const std::string dir = temp.path();
  write_file(dir + "/form.txt", "a=1\r\n&b=2\n");
  auto doc = echoed(run_wraith({"-d", "@" + dir + "/form.txt", "-d", "c=3", origin.url("/echo")}));
  EXPECT_EQ(doc["method"], "POST");
  EXPECT_EQ(doc["body"], "a=1&b=2&c=3") << "newlines stripped from @file, repeated -d joined with &";
  EXPECT_EQ(header_value(doc["headers"], "content-type"), "application/x-www-form-urlencoded");
  EXPECT_EQ(header_value(doc["headers"], "content-length"), "11");
  // A content-type given with -H wins.
  auto typed = echoed(run_wraith({"-d", "x", "-H", "Content-Type: text/plain", origin.url("/echo")}));
  EXPECT_EQ(header_value(typed["headers"], "content-type"), "text/plain");
  // An unreadable @file is a read error (curl's 26), before any request.
  EXPECT_EQ(run_wraith({"-s", "-d", "@" + dir + "/missing.txt", origin.url("/echo")}).code, 26);
}

TEST(GetRequestFlags, DataBinaryKeepsBytes) {
  FixtureServer origin;
  REQUIRE_SERVER(origin);
  TempDir temp("wraith-cli-binary");
  const std::string dir = temp.path();
  std::string bytes = "line1\r\nline2\n\x01\x7f";
  write_file(dir + "/body.bin", bytes);
  auto doc = echoed(run_wraith({"--data-binary", "@" + dir + "/body.bin", origin.url("/echo")}));
  EXPECT_EQ(doc["method"], "POST");
  EXPECT_EQ(doc["body"], bytes);
  auto literal = echoed(run_wraith({"--data-binary", "a\nb", origin.url("/echo")}));
  EXPECT_EQ(literal["body"], "a\nb");
  // --data-raw: an @ is just a byte.
  auto raw = echoed(run_wraith({"--data-raw", "@" + dir + "/body.bin", origin.url("/echo")}));
  EXPECT_EQ(raw["body"], "@" + dir + "/body.bin");
}

TEST(GetRequestFlags, JsonSetsContentTypeAndAccept) {
  FixtureServer origin;
  REQUIRE_SERVER(origin);
  auto doc = echoed(run_wraith({"--json", "{\"k\": [1, 2]}", origin.url("/echo")}));
  EXPECT_EQ(doc["method"], "POST");
  EXPECT_EQ(doc["body"], "{\"k\": [1, 2]}");
  EXPECT_EQ(header_value(doc["headers"], "content-type"), "application/json");
  EXPECT_EQ(header_value(doc["headers"], "accept"), "application/json");
  int accepts = 0;
  for (const auto& name : header_names(doc["headers"])) accepts += name == "accept";
  EXPECT_EQ(accepts, 1) << "--json replaces the template's accept, it does not add a second";
}

TEST(GetRequestFlags, FormSendsMultipartWithWebKitBoundary) {
  FixtureServer origin;
  REQUIRE_SERVER(origin);
  TempDir temp("wraith-cli-form");
  const std::string dir = temp.path();
  write_file(dir + "/upload.bin", std::string("file\0bytes\r\n", 12));
  auto doc = echoed(run_wraith({"-F", "field=value 1", "-F", "file=@" + dir + "/upload.bin", origin.url("/echo")}));
  EXPECT_EQ(doc["method"], "POST");
  std::string type = header_value(doc["headers"], "content-type");
  std::smatch m;
  ASSERT_TRUE(std::regex_match(type, m, std::regex("multipart/form-data; boundary=(----WebKitFormBoundary[A-Za-z0-9]{16})"))) << type;
  std::string b = m[1];
  std::string expected = "--" + b + "\r\nContent-Disposition: form-data; name=\"field\"\r\n\r\nvalue 1\r\n" +
                         "--" + b + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"upload.bin\"\r\n" +
                         "Content-Type: application/octet-stream\r\n\r\n" + std::string("file\0bytes\r\n", 12) + "\r\n" +
                         "--" + b + "--\r\n";
  EXPECT_EQ(doc["body"].get<std::string>(), expected);
  EXPECT_EQ(header_value(doc["headers"], "content-length"), std::to_string(expected.size()));
  // A fresh boundary per run, like Chrome's.
  auto again = echoed(run_wraith({"-F", "a=b", origin.url("/echo")}));
  EXPECT_NE(header_value(again["headers"], "content-type"), type);
}

TEST(GetRequestFlags, UserSendsBasicAuthorization) {
  FixtureServer origin;
  REQUIRE_SERVER(origin);
  // /auth challenges a request without credentials; the run must end at the echo behind it.
  auto doc = echoed(run_wraith({"-u", "alice:open sesame", origin.url("/auth")}));
  EXPECT_EQ(header_value(doc["headers"], "authorization"), "Basic YWxpY2U6b3BlbiBzZXNhbWU=");  // base64("alice:open sesame")
  auto refused = run_wraith({"-w", "%{http_code}", origin.url("/auth")});
  EXPECT_EQ(refused.code, 0);
  EXPECT_EQ(refused.out, "who are you401");
}

TEST(GetRequestFlags, BearerTokenIsSent) {
  FixtureServer origin;
  REQUIRE_SERVER(origin);
  auto doc = echoed(run_wraith({"--oauth2-bearer", "t0ken.abc", origin.url("/echo")}));
  EXPECT_EQ(header_value(doc["headers"], "authorization"), "Bearer t0ken.abc");
}

// navigate and image templates have no content-length slot: a body given with --kind navigate (or image) must
// still be framed on HTTP/1.1 (the plan adds Content-Length itself).
TEST(GetRequestFlags, BodyWithATemplateWithoutContentLengthIsFramed) {
  FixtureServer origin;
  REQUIRE_SERVER(origin);
  for (const std::string kind : {"navigate", "image"}) {
    auto doc = echoed(run_wraith({"--kind", kind, "-d", "k=v", origin.url("/echo")}));
    EXPECT_EQ(doc["body"], "k=v") << kind;
    EXPECT_EQ(header_value(doc["headers"], "content-length"), "3") << kind;
  }
}

TEST(GetRequestFlags, ResolvePinsTheAddress) {
  FixtureServer origin;
  REQUIRE_SERVER(origin);
  std::string port = std::to_string(origin.port());
  auto doc = echoed(run_wraith({"--resolve", "pinned.wraith.test:" + port + ":127.0.0.1", "http://pinned.wraith.test:" + port + "/echo"}));
  EXPECT_EQ(header_value(doc["headers"], "host"), "pinned.wraith.test:" + port);
  // Only that host:port is pinned.
  EXPECT_EQ(run_wraith({"-s", "--resolve", "other.wraith.test:1:127.0.0.1", "http://pinned.wraith.invalid:" + port + "/echo"}).code, 6);
}

TEST(GetRequestFlags, HttpVersionFlagsForceTheProtocol) {
  Inspector inspector;
  REQUIRE_SERVER(inspector);
  auto automatic = inspected(run_wraith({"-k", inspector.https("/v")}));
  EXPECT_EQ(automatic["http_version"], "h2");
  auto h1 = inspected(run_wraith({"-k", "--http1.1", inspector.https("/v")}));
  EXPECT_EQ(h1["http_version"], "http/1.1");
  EXPECT_EQ(h1["this_request"]["http_version"], "HTTP/1.1");
  auto h2 = inspected(run_wraith({"-k", "--http2", inspector.https("/v")}));
  EXPECT_EQ(h2["http_version"], "h2");
  // http:// is HTTP/1.1 unless --http2 asks for h2c with prior knowledge.
  auto plain = inspected(run_wraith({inspector.http("/v")}));
  EXPECT_EQ(plain["http_version"], "http/1.1");
  EXPECT_EQ(plain["transport"], "tcp");
  auto h2c = inspected(run_wraith({"--http2", inspector.http("/v")}));
  EXPECT_EQ(h2c["http_version"], "h2");
  EXPECT_EQ(h2c["transport"], "tcp");
}

TEST(GetRequestFlags, CookieStringIsSent) {
  FixtureServer origin;
  REQUIRE_SERVER(origin);
  auto doc = echoed(run_wraith({"-b", "a=1; b=two", origin.url("/echo")}));
  EXPECT_EQ(header_value(doc["headers"], "cookie"), "a=1; b=two");
}

TEST(GetRequestFlags, KindPicksTheProfilesTemplate) {
  Inspector inspector;
  REQUIRE_SERVER(inspector);
  const std::string profile = wraith::default_profile_name();
  std::map<std::string, std::string> dest;
  for (const std::string kind : {"navigate", "fetch", "xhr", "image", "form"}) {
    std::vector<std::string> args{"-k", "--kind", kind, inspector.https("/kind/" + kind)};
    if (kind == "form") args.insert(args.begin(), {"-d", "q=1"});
    SCOPED_TRACE(kind);
    auto seen = inspected(run_wraith(args))["this_request"]["headers"];
    expect_template_followed(seen, template_for(profile, kind).h2_headers, kind);
    dest[kind] = header_value(seen, "sec-fetch-dest");
    // A form POST carries origin (null: no initiating page) and content-length.
    if (kind == "form") {
      EXPECT_EQ(header_value(seen, "origin"), "null");
      EXPECT_EQ(header_value(seen, "content-length"), "3");
    }
  }
  EXPECT_EQ(dest["navigate"], "document");
  EXPECT_EQ(dest["fetch"], "empty");
  EXPECT_EQ(dest["xhr"], "empty");
  EXPECT_EQ(dest["image"], "image");
  EXPECT_EQ(dest["form"], "document");
  EXPECT_EQ(run_wraith({"--kind", "telepathy", inspector.https("/")}).code, 2);
}

TEST(GetRequestFlags, ProfilePicksTheBrowser) {
  Inspector inspector;
  REQUIRE_SERVER(inspector);
  for (const std::string profile : {"chrome156-windows", "chrome156-android", "chromium156"}) {
    auto seen = inspected(run_wraith({"-k", "--profile", profile, inspector.https("/p")}))["this_request"]["headers"];
    expect_template_followed(seen, template_for(profile, "navigate").h2_headers, profile);
    std::string ua;
    for (const auto& [n, v] : template_for(profile, "navigate").h2_headers) if (n == "user-agent") ua = v;
    EXPECT_EQ(header_value(seen, "user-agent"), ua) << profile;
  }
  auto windows = inspected(run_wraith({"-k", "--profile", "chrome156-windows", inspector.https("/p")}))["this_request"]["headers"];
  EXPECT_EQ(header_value(windows, "sec-ch-ua-platform"), "\"Windows\"");
  auto android = inspected(run_wraith({"-k", "--profile", "chrome156-android", inspector.https("/p")}))["this_request"]["headers"];
  EXPECT_EQ(header_value(android, "sec-ch-ua-mobile"), "?1");
}

TEST(GetRequestFlags, ProfileFileIsLoaded) {
  Inspector inspector;
  REQUIRE_SERVER(inspector);
  auto profile = wraith::builtin_profile(wraith::default_profile_name());
  ASSERT_TRUE(profile);
  const std::string marker = "Mozilla/5.0 (wraith-cli-test) ProfileFile/1.0";
  profile->name = "cli-test-profile";
  for (auto& [kind, tmpl] : profile->kinds) {
    for (auto& [n, v] : tmpl.h2_headers) if (n == "user-agent") v = marker;
    for (auto& [n, v] : tmpl.h1_headers) if (n == "User-Agent") v = marker;
  }
  // A wire-level difference too: another initial stream window in the preface SETTINGS.
  for (auto& [id, value] : profile->h2.settings) if (id == 4) value = 1048576;
  TempDir temp("wraith-cli-profile");
  const std::string dir = temp.path();
  write_file(dir + "/profile.json", wraith::profile_to_json(*profile));
  auto run = run_wraith({"-k", "-v", "--profile-file", dir + "/profile.json", inspector.https("/pf")});
  auto doc = inspected(run);
  EXPECT_EQ(header_value(doc["this_request"]["headers"], "user-agent"), marker);
  EXPECT_NE(doc["fingerprint"]["akamai"].get<std::string>().find("4:1048576"), std::string::npos) << doc["fingerprint"]["akamai"];
  EXPECT_NE(run.err.find("* profile: cli-test-profile"), std::string::npos) << run.err;
  write_file(dir + "/broken.json", "{\"name\": 1}");
  EXPECT_EQ(run_wraith({"-k", "--profile-file", dir + "/broken.json", inspector.https("/")}).code, 26);
}

TEST(GetRequestFlags, VerboseShowsProfileAlpnAndHeadersInWireOrder) {
  Inspector inspector;
  REQUIRE_SERVER(inspector);
  auto run = run_wraith({"-k", "-v", inspector.https("/verbose")});
  auto doc = inspected(run);
  const std::string& err = run.err;
  EXPECT_NE(err.find("* profile: " + wraith::default_profile_name()), std::string::npos) << err;
  EXPECT_NE(err.find("ALPN h2"), std::string::npos) << err;
  EXPECT_NE(err.find("> :method: GET"), std::string::npos) << err;
  EXPECT_NE(err.find("> :path: /verbose"), std::string::npos) << err;
  // Request headers as sent: the "> name: value" lines in the order the inspector received them.
  std::vector<std::string> logged, frames;
  std::istringstream lines(err);
  for (std::string line; std::getline(lines, line);) {
    if (line.rfind("> [h2] ", 0) == 0) frames.push_back(line.substr(7));
    if (line.rfind("> ", 0) != 0 || line.rfind("> :", 0) == 0 || line.rfind("> [h2] ", 0) == 0) continue;
    auto colon = line.find(':');
    logged.push_back(line.substr(2, colon - 2));
  }
  EXPECT_EQ(logged, header_names(doc["this_request"]["headers"]));
  // The frames sent: the preface, then the first flight exactly as the inspector received it.
  const auto& received = doc["h2"]["preface_frames"];
  ASSERT_EQ(received.size(), 3u) << doc["h2"].dump();
  ASSERT_GE(frames.size(), 4u) << err;
  EXPECT_EQ(frames[0].rfind("PREFACE ", 0), 0u) << frames[0];
  for (std::size_t i = 0; i < received.size(); ++i) {
    const auto& f = received[i];
    std::string expected = f["type"].get<std::string>() + " stream=" + std::to_string(f["stream"].get<int>()) +
                           " length=" + std::to_string(f["length"].get<int>());
    std::string names;
    for (const auto& n : f["flag_names"]) names += (names.empty() ? "" : "|") + n.get<std::string>();
    if (!names.empty()) expected += " flags=" + names;
    EXPECT_EQ(frames[i + 1].rfind(expected, 0), 0u) << frames[i + 1] << "\n" << f.dump();
  }
  EXPECT_EQ(received[0]["type"], "SETTINGS");
  for (const auto& s : received[0]["settings"])
    EXPECT_NE(frames[1].find(" " + s["name"].get<std::string>() + "=" + std::to_string(s["value"].get<std::uint32_t>())),
              std::string::npos) << frames[1];
  EXPECT_NE(frames[2].find(" increment=" + std::to_string(received[1]["increment"].get<std::uint32_t>())), std::string::npos)
      << frames[2];
  const auto& priority = received[2]["priority"];
  EXPECT_NE(frames[3].find(" exclusive=" + std::to_string(priority["exclusive"].get<int>()) + " depends_on=" +
                           std::to_string(priority["depends_on"].get<int>()) + " weight=" +
                           std::to_string(priority["weight"].get<int>())), std::string::npos) << frames[3];
  EXPECT_NE(err.find("< HTTP/2 200"), std::string::npos) << err;
  EXPECT_NE(err.find("< content-type: application/json"), std::string::npos) << err;
  // Without -v, none of it.
  auto quiet = run_wraith({"-k", inspector.https("/verbose")});
  EXPECT_EQ(quiet.code, 0);
  EXPECT_EQ(quiet.err, "");
  // HTTP/1.1: the request line and headers as written.
  auto h1 = run_wraith({"-k", "-v", "--http1.1", inspector.https("/verbose1")});
  EXPECT_EQ(h1.code, 0);
  EXPECT_NE(h1.err.find("> GET /verbose1 HTTP/1.1"), std::string::npos) << h1.err;
  EXPECT_NE(h1.err.find("ALPN http/1.1"), std::string::npos) << h1.err;
  EXPECT_NE(h1.err.find("< HTTP/1.1 200"), std::string::npos) << h1.err;
  EXPECT_EQ(h1.err.find("[h2]"), std::string::npos) << h1.err;
}

TEST(GetRequestFlags, SeveralUrlsShareOneConnection) {
  Inspector inspector;
  REQUIRE_SERVER(inspector);
  const std::string sep = "\n--wraith-transfer-end--\n";
  auto run = run_wraith({"-k", "-w", sep, inspector.https("/one"), inspector.https("/two"), inspector.https("/three")});
  ASSERT_EQ(run.code, 0) << run.err;
  auto parts = split(run.out, sep);
  ASSERT_EQ(parts.size(), 4u);
  auto first = parse_json(parts[0]), second = parse_json(parts[1]), third = parse_json(parts[2]);
  EXPECT_EQ(first["this_request"]["path"], "/one");
  EXPECT_EQ(third["this_request"]["path"], "/three");
  EXPECT_EQ(second["connection"], first["connection"]);
  EXPECT_EQ(third["connection"], first["connection"]);
  EXPECT_EQ(third["requests"].size(), 3u);
  // HTTP/1.1 keep-alive as well: the fixture origin sees one client port.
  FixtureServer origin;
  REQUIRE_SERVER(origin);
  auto h1 = run_wraith({"-w", sep, origin.url("/echo"), origin.url("/echo")});
  ASSERT_EQ(h1.code, 0) << h1.err;
  auto h1_parts = split(h1.out, sep);
  ASSERT_EQ(h1_parts.size(), 3u);
  EXPECT_EQ(parse_json(h1_parts[0])["peer"], parse_json(h1_parts[1])["peer"]);
  // --fresh-connect: one connection per URL.
  auto fresh = run_wraith({"--fresh-connect", "-w", sep, origin.url("/echo"), origin.url("/echo")});
  auto fresh_parts = split(fresh.out, sep);
  ASSERT_EQ(fresh_parts.size(), 3u);
  EXPECT_NE(parse_json(fresh_parts[0])["peer"], parse_json(fresh_parts[1])["peer"]);
}
