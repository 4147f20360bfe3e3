// The simplest use: one GET that looks like Chrome's navigation, printed with its status and headers.
#include <iostream>

#include <wraith/client.h>

int main(int argc, char** argv) {
  if (argc < 2) {
    std::cerr << "usage: example_get URL\n";
    return 2;
  }
  wraith::Client client;  // chrome156 for this platform, certificate verification on
  auto response = client.get(argv[1]);
  if (!response) {
    std::cerr << response.error().describe() << "\n";
    return 1;
  }
  std::cout << response->status << " " << response->version << "\n";
  for (const auto& [name, value] : response->headers) std::cout << name << ": " << value << "\n";
  std::cout << "\n" << response->text().substr(0, 500) << "\n";
}
