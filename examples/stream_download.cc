// Streaming: the body goes to a file chunk by chunk as it arrives (never whole in memory).
#include <cstdio>
#include <iostream>

#include <wraith/client.h>

int main(int argc, char** argv) {
  if (argc < 3) {
    std::cerr << "usage: example_stream_download URL FILE\n";
    return 2;
  }
  std::FILE* out = std::fopen(argv[2], "wb");
  if (!out) return 1;
  wraith::Client client;
  wraith::Request request;
  request.url = argv[1];
  request.on_body = [out](std::span<const std::uint8_t> chunk) -> wraith::Result<void> {
    if (std::fwrite(chunk.data(), 1, chunk.size(), out) != chunk.size())
      return wraith::Error(wraith::ErrorKind::io, "write failed", "example");
    return {};
  };
  auto response = client.send(std::move(request));
  std::fclose(out);
  if (!response) {
    std::cerr << response.error().describe() << "\n";
    return 1;
  }
  std::cout << response->status << ", saved to " << argv[2] << "\n";
}
