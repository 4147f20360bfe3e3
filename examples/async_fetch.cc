// Coroutines: several fetch() sub-requests in flight at once on one shared client (one h2 connection).
#include <iostream>

#include <asio/co_spawn.hpp>
#include <asio/detached.hpp>
#include <asio/io_context.hpp>
#include <wraith/client.h>

int main(int argc, char** argv) {
  if (argc < 2) {
    std::cerr << "usage: example_async_fetch URL [COUNT]\n";
    return 2;
  }
  int count = argc > 2 ? std::atoi(argv[2]) : 10;
  wraith::Client client;
  asio::io_context io;
  for (int i = 0; i < count; ++i)
    asio::co_spawn(io, [&client, url = std::string(argv[1]), i]() -> asio::awaitable<void> {
      wraith::Request request;
      request.url = url;
      request.kind = wraith::RequestKind::fetch;  // sec-fetch-mode: cors, priority u=1, i
      auto response = co_await client.async_send(std::move(request));
      if (response) std::cout << i << ": " << response->status << " (" << response->body.size() << " bytes)\n";
      else std::cout << i << ": " << response.error().describe() << "\n";
    }, asio::detached);
  io.run();
}
