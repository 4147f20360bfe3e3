// make_decoder(): parses Content-Encoding and chains one stage per coding, last-applied first.
#include <string>

#include "decode/decoder.h"
#include "decode/stage.h"

namespace wraith::decode {
namespace {

std::string_view trim_ows(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

std::string lower(std::string_view s) {
  std::string out(s);
  for (char& c : out)
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  return out;
}

class Pipeline final : public Decoder {
 public:
  explicit Pipeline(Limits limits) : limits_(limits) {}

  // Called while building, before any feed: links_ must not move once stages point at each other.
  Result<void> add_coding(std::string_view coding) {
    std::string c = lower(coding);
    std::unique_ptr<Stage> stage;
    if (c == "gzip" || c == "x-gzip") {
      stage = make_gzip_stage(limits_, encoded_in_);
    } else if (c == "deflate") {
      stage = make_deflate_stage(limits_, encoded_in_);
    } else if (c == "br") {
      stage = make_brotli_stage(limits_, encoded_in_);
    } else if (c == "zstd") {
      stage = make_zstd_stage(limits_, encoded_in_);
    } else if (c == "identity") {
      return {};
    } else {
      return Error(ErrorKind::decode, "unsupported Content-Encoding \"" + std::string(coding) + "\"", "decode");
    }
    if (stages_.size() >= limits_.max_codings)
      return Error(ErrorKind::decode, "more than " + std::to_string(limits_.max_codings) + " content codings",
                   "decode");
    // The header lists codings in the order applied, so the last one is decoded first.
    stages_.insert(stages_.begin(), std::move(stage));
    return {};
  }

  void link() {
    links_.clear();
    links_.reserve(stages_.size());
    for (std::size_t i = 0; i + 1 < stages_.size(); ++i) links_.emplace_back(this, i + 1);
  }

  Result<void> feed(std::span<const std::uint8_t> in, Output& out) override {
    if (failed_) return failure_;
    if (finished_) return fail(Error(ErrorKind::decode, "feed() after finish()", "decode"));
    encoded_in_ += in.size();
    sink_ = &out;
    if (stages_.empty()) return in.empty() ? Result<void>() : out.write(in);
    auto r = stages_[0]->feed(in, output_of(0));
    return r ? r : fail(r.take_error());
  }

  Result<void> finish(Output& out) override {
    if (failed_) return failure_;
    if (finished_) return {};
    finished_ = true;
    sink_ = &out;
    // Finishing stage i may still push bytes into stage i+1, so finish in decode order.
    for (std::size_t i = 0; i < stages_.size(); ++i) {
      auto r = stages_[i]->finish(output_of(i));
      if (!r) return fail(r.take_error());
    }
    return {};
  }

  std::uint64_t bytes_in() const override { return encoded_in_; }

 private:
  // Forwards what stage i-1 yields into stage i.
  class Link final : public Output {
   public:
    Link(Pipeline* p, std::size_t next) : p_(p), next_(next) {}
    Result<void> write(std::span<const std::uint8_t> bytes) override {
      return p_->stages_[next_]->feed(bytes, p_->output_of(next_));
    }

   private:
    Pipeline* p_;
    std::size_t next_;
  };

  Output& output_of(std::size_t i) { return i + 1 < stages_.size() ? static_cast<Output&>(links_[i]) : *sink_; }

  Result<void> fail(Error e) {
    failed_ = true;
    failure_ = e;
    return e;
  }

  Limits limits_;
  std::uint64_t encoded_in_ = 0;
  std::vector<std::unique_ptr<Stage>> stages_;
  std::vector<Link> links_;
  Output* sink_ = nullptr;
  bool finished_ = false;
  bool failed_ = false;
  Error failure_;
};

}  // namespace

Result<std::unique_ptr<Decoder>> make_decoder(std::string_view content_encoding, Limits limits) {
  auto pipeline = std::make_unique<Pipeline>(limits);
  while (true) {
    std::size_t comma = content_encoding.find(',');
    std::string_view coding = trim_ows(content_encoding.substr(0, comma));
    if (!coding.empty()) {
      if (auto r = pipeline->add_coding(coding); !r) return r.take_error();
    }
    if (comma == std::string_view::npos) break;
    content_encoding.remove_prefix(comma + 1);
  }
  pipeline->link();
  return std::unique_ptr<Decoder>(std::move(pipeline));
}

}  // namespace wraith::decode
