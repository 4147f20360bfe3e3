#include "inspect/page.h"

namespace wraith::inspect {
namespace {

// Sequential on purpose: one request at a time, in a fixed order, so that the HPACK dynamic table each
// request sees is the same from one capture to the next. The data: icon keeps Chrome from requesting
// /favicon.ico in the middle of the sequence (it would race the fetch and become the parent stream of the
// next request's HEADERS priority). The form is submitted by script (no user
// activation), so Chrome sends no sec-fetch-user on it.
constexpr std::string_view kCapturePage = R"(<!doctype html>
<html><head><meta charset="utf-8"><title>wraith profile capture</title><link rel="icon" href="data:,"></head>
<body>
<img id="img" alt="">
<form id="form" method="POST" action="/k/form"><input type="text" name="q" value="wraith"></form>
<script>
window.addEventListener('load', async () => {
  try { await (await fetch('/k/fetch')).text(); } catch (e) {}
  await new Promise((done) => {
    const x = new XMLHttpRequest();
    x.open('GET', '/k/xhr');
    x.onloadend = done;
    x.send();
  });
  await new Promise((done) => {
    const img = document.getElementById('img');
    img.onload = img.onerror = done;
    img.src = '/k/image';
  });
  document.getElementById('form').submit();
});
</script>
</body></html>
)";

// Requests started in one task, so their streams are open together: Chrome's HEADERS priority then names the
// previous open stream of the same or a higher priority as the parent (Http2PriorityDependencies), which a
// sequential page never shows. Four fetches (u=1), then an image (u=2) and a fetch again while they are open.
constexpr std::string_view kParallelPage = R"(<!doctype html>
<html><head><meta charset="utf-8"><title>wraith parallel requests</title><link rel="icon" href="data:,"></head>
<body>
<script>
window.addEventListener('load', async () => {
  const all = [1, 2, 3, 4].map((i) => fetch('/k/fetch?i=' + i).then((r) => r.text()).catch(() => {}));
  const img = new Image();
  all.push(new Promise((done) => { img.onload = img.onerror = done; img.src = '/k/image?i=5'; }));
  all.push(fetch('/k/fetch?i=6').then((r) => r.text()).catch(() => {}));
  await Promise.all(all);
  document.title = 'done';
});
</script>
</body></html>
)";

// A 1x1 RGBA PNG (signature, IHDR, one zlib-compressed scanline in IDAT, IEND; CRC-32 per RFC 2083).
constexpr unsigned char kPng[] = {
    0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0x00, 0x00, 0x0d, 0x49, 0x48, 0x44, 0x52, 0x00,
    0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x01, 0x08, 0x06, 0x00, 0x00, 0x00, 0x1f, 0x15, 0xc4, 0x89, 0x00,
    0x00, 0x00, 0x0b, 0x49, 0x44, 0x41, 0x54, 0x78, 0x9c, 0x63, 0x60, 0x00, 0x02, 0x00, 0x00, 0x05, 0x00,
    0x01, 0x7a, 0x5e, 0xab, 0x3f, 0x00, 0x00, 0x00, 0x00, 0x49, 0x45, 0x4e, 0x44, 0xae, 0x42, 0x60, 0x82};

std::string_view without_query(std::string_view path) {
  const auto q = path.find_first_of("?#");
  return q == std::string_view::npos ? path : path.substr(0, q);
}

}  // namespace

std::optional<PageAnswer> page_answer(std::string_view path) {
  const auto p = without_query(path);
  if (p.rfind("/capture/", 0) == 0) return PageAnswer{"text/html; charset=utf-8", std::string(kCapturePage)};
  if (p.rfind("/parallel/", 0) == 0) return PageAnswer{"text/html; charset=utf-8", std::string(kParallelPage)};
  if (p == "/k/image") return PageAnswer{"image/png", std::string(reinterpret_cast<const char*>(kPng), sizeof kPng)};
  return std::nullopt;
}

std::string capture_kind_of(std::string_view path) {
  const auto p = without_query(path);
  if (p.rfind("/capture/", 0) == 0) return "navigate";
  for (const char* kind : {"fetch", "xhr", "image", "form"})
    if (p == std::string("/k/") + kind) return kind;
  return "";
}

}  // namespace wraith::inspect
