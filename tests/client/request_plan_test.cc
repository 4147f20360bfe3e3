// Request plans from compiled templates: where user headers go, what is dropped, what HTTP/2 refuses.
#include <gtest/gtest.h>

#include "client/request_plan.h"
#include "wraith/profile.h"

using namespace wraith;
using namespace wraith::client;

namespace {

struct Planned {
  std::vector<std::pair<std::string, std::string>> h2, h1;
  std::optional<Error> h2_error;
};

Planned plan(HeaderList user, ComputedValues computed = {}) {
  static const auto templates = *RequestTemplates::compile(*builtin_profile("chromium156"));
  auto url = *Url::parse("https://example.test/a");
  if (computed.authority.empty()) computed.authority = "example.test";
  if (computed.sec_fetch_site.empty()) computed.sec_fetch_site = "none";
  auto p = plan_request(templates, RequestKind::navigate, "GET", url, std::move(user), std::move(computed));
  EXPECT_TRUE(p) << p.error().describe();
  Planned out;
  FieldViews views;
  std::vector<std::string> lowered;
  if (auto ok = p->h2_fields(views, lowered); !ok) out.h2_error = ok.error();
  for (const auto& f : views) out.h2.emplace_back(f.name, f.value);
  auto h1 = p->h1_fields();  // (failures are asserted by the tests that provoke them)
  if (h1)
    for (const auto& f : *h1) out.h1.emplace_back(f.name, f.value);
  return out;
}

std::vector<std::string> names(const std::vector<std::pair<std::string, std::string>>& fields) {
  std::vector<std::string> out;
  for (const auto& [n, v] : fields) out.push_back(n);
  return out;
}

std::ptrdiff_t index_of(const std::vector<std::pair<std::string, std::string>>& fields, const std::string& name) {
  for (std::size_t i = 0; i < fields.size(); ++i)
    if (fields[i].first == name) return static_cast<std::ptrdiff_t>(i);
  return -1;
}

}  // namespace

TEST(RequestPlan, TemplateAloneFollowsTheProfileAndDropsEmptyValues) {
  auto p = plan({});
  ASSERT_FALSE(p.h2_error);
  const Profile profile = *builtin_profile("chromium156");
  const auto& kind = profile.kinds.at("navigate");
  std::vector<std::string> expected;
  for (const auto& [n, v] : kind.h2_headers)
    if (v != "{referer}" && v != "{cookie}") expected.push_back(n);  // no initiator, empty jar
  EXPECT_EQ(names(p.h2), expected);
  EXPECT_EQ(p.h1.front(), (std::pair<std::string, std::string>{"Host", "example.test"}));
  EXPECT_EQ(p.h2[static_cast<std::size_t>(index_of(p.h2, "sec-fetch-site"))].second, "none");
}

TEST(RequestPlan, UserHeaderReplacesInPlaceAndTheLastOneWins) {
  auto p = plan({{"Accept", "text/first"}, {"ACCEPT", "text/second"}});
  ASSERT_FALSE(p.h2_error);
  auto base = plan({});
  EXPECT_EQ(names(p.h2), names(base.h2));
  EXPECT_EQ(p.h2[static_cast<std::size_t>(index_of(p.h2, "accept"))].second, "text/second");
  EXPECT_EQ(p.h1[static_cast<std::size_t>(index_of(p.h1, "Accept"))].second, "text/second");  // h1 keeps the template's case
}

TEST(RequestPlan, NewUserHeadersGoBeforeTheNetworkTailInOrder) {
  auto p = plan({{"X-One", "1"}, {"x-two", "2"}});
  ASSERT_FALSE(p.h2_error);
  auto one = index_of(p.h2, "x-one"), two = index_of(p.h2, "x-two"), tail = index_of(p.h2, "accept-encoding");
  ASSERT_GE(one, 0);  // lowercased for h2
  EXPECT_EQ(two, one + 1);
  EXPECT_EQ(tail, two + 1);
  EXPECT_EQ(index_of(p.h1, "X-One") + 2, index_of(p.h1, "Accept-Encoding"));  // as written for h1
}

TEST(RequestPlan, ComputedValuesFillTheirSlots) {
  ComputedValues c;
  c.referer = "https://from.test/";
  c.cookie = "a=1";
  auto p = plan({}, c);
  ASSERT_FALSE(p.h2_error);
  EXPECT_EQ(p.h2[static_cast<std::size_t>(index_of(p.h2, "referer"))].second, "https://from.test/");
  EXPECT_EQ(p.h2[static_cast<std::size_t>(index_of(p.h2, "cookie"))].second, "a=1");
  EXPECT_EQ(index_of(p.h2, "cookie") + 1, index_of(p.h2, "priority"));
}

TEST(RequestPlan, Http2RefusesConnectionSpecificUserHeaders) {
  auto p = plan({{"Connection", "close"}});
  ASSERT_TRUE(p.h2_error);
  EXPECT_EQ(p.h2_error->kind, ErrorKind::invalid_header);
  ComputedValues c;
  c.cookie = "a=1\r\nx: y";  // a user Cookie merged into the jar's value is re-checked too
  EXPECT_TRUE(plan({}, c).h2_error);
}

TEST(RequestPlan, Http1RefusesComputedValuesWithCrLf) {
  static const auto templates = *RequestTemplates::compile(*builtin_profile("chromium156"));
  ComputedValues c;
  c.authority = "example.test";
  c.cookie = "a=1\r\nx: y";
  auto p = plan_request(templates, RequestKind::navigate, "GET", *Url::parse("https://example.test/"), {}, c);
  ASSERT_TRUE(p);
  auto h1 = p->h1_fields();
  ASSERT_FALSE(h1);
  EXPECT_EQ(h1.error().kind, ErrorKind::invalid_header);
  p->computed.cookie = "a=1";
  p->h1_extra.emplace_back("Proxy-Authorization", "Basic x\ny");
  EXPECT_FALSE(p->h1_fields());
}

TEST(RequestPlan, UserHeadersWithCrLfAreRefusedBeforeAnyProtocol) {
  static const auto templates = *RequestTemplates::compile(*builtin_profile("chromium156"));
  auto url = *Url::parse("https://example.test/");
  auto p = plan_request(templates, RequestKind::fetch, "GET", url, {{"x-a", "b\r\nc: d"}}, {});
  ASSERT_FALSE(p);
  EXPECT_EQ(p.error().kind, ErrorKind::invalid_header);
}

TEST(RequestPlan, ProfileWithAForbiddenLiteralFieldDoesNotCompile) {
  Profile broken = *builtin_profile("chromium156");
  broken.kinds["navigate"].h2_headers.emplace_back("transfer-encoding", "chunked");
  auto t = RequestTemplates::compile(broken);
  ASSERT_FALSE(t);
  EXPECT_EQ(t.error().kind, ErrorKind::invalid_header);
}

TEST(RequestPlan, MissingKindFallsBackToNavigate) {
  Profile only_navigate = *builtin_profile("chromium156");
  for (auto it = only_navigate.kinds.begin(); it != only_navigate.kinds.end();)
    it = it->first == "navigate" ? std::next(it) : only_navigate.kinds.erase(it);
  auto t = *RequestTemplates::compile(only_navigate);
  EXPECT_EQ(t.find(RequestKind::image), t.find(RequestKind::navigate));
  only_navigate.kinds.clear();
  EXPECT_EQ(RequestTemplates::compile(only_navigate)->find(RequestKind::navigate), nullptr);
}
