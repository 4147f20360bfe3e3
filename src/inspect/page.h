// The inspector's page mode: a few paths answer with something other than the JSON report, so that a real
// browser pointed at the inspector makes every request kind Chrome has (profile capture, issue 5):
//   /capture/...  an HTML page whose script, after load, runs fetch('/k/fetch'), an XHR GET of '/k/xhr',
//                 loads <img src=/k/image> and submits a POST form to /k/form, one after the other;
//   /parallel/... an HTML page whose script starts fetch('/k/fetch?i=1..4'), an image '/k/image?i=5' and
//                 fetch('/k/fetch?i=6') together, so the browser's streams are open at the same time;
//   /k/image      a 1x1 PNG (a JSON body would make the image load fail and could change what Chrome sends).
// Every other path, /k/fetch, /k/xhr and /k/form included, keeps the JSON report.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace wraith::inspect {

struct PageAnswer {
  std::string content_type;
  std::string body;
};

// The answer for a request path (query included or not); nullopt means "answer with the JSON report".
std::optional<PageAnswer> page_answer(std::string_view path);

// The request kind a capture-page path stands for ("fetch", "xhr", "image", "form"), "navigate" for the
// page itself, "" for any other path.
std::string capture_kind_of(std::string_view path);

}  // namespace wraith::inspect
