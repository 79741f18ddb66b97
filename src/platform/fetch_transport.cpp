#include "fetch_transport.h"

#include <emscripten/fetch.h>

#include <cstring>
#include <memory>
#include <string>
#include <vector>

namespace dypls::platform {
namespace {

// Owns what emscripten_fetch reads while the request runs, and the handler to call once.
struct InFlight {
  FetchTransport* owner = nullptr;
  console::HttpRequest request;
  console::ResponseHandler done;
  std::vector<const char*> header_pointers;
};

std::string lower(std::string text) {
  for (char& c : text) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return text;
}

std::string trim(const std::string& text) {
  const auto first = text.find_first_not_of(" \t\r\n");
  if (first == std::string::npos) return {};
  const auto last = text.find_last_not_of(" \t\r\n");
  return text.substr(first, last - first + 1);
}

// "name: value\r\n..." as XMLHttpRequest.getAllResponseHeaders() gives it.
HeaderList parse_headers(const std::string& raw) {
  HeaderList headers;
  std::size_t start = 0;
  while (start < raw.size()) {
    std::size_t end = raw.find("\r\n", start);
    if (end == std::string::npos) end = raw.size();
    const std::string line = raw.substr(start, end - start);
    const std::size_t colon = line.find(':');
    if (colon != std::string::npos) {
      headers.emplace_back(lower(trim(line.substr(0, colon))), trim(line.substr(colon + 1)));
    }
    start = end + 2;
  }
  return headers;
}

void finish(emscripten_fetch_t* fetch) {
  std::unique_ptr<InFlight> in_flight(static_cast<InFlight*>(fetch->userData));
  console::HttpResponse response;
  response.status = fetch->status;
  if (fetch->data != nullptr && fetch->numBytes > 0) {
    response.body.assign(fetch->data, static_cast<std::size_t>(fetch->numBytes));
  }
  if (response.status != 0) {
    const std::size_t length = emscripten_fetch_get_response_headers_length(fetch);
    std::string raw(length, '\0');
    if (length > 0) emscripten_fetch_get_response_headers(fetch, raw.data(), length);
    if (!raw.empty() && raw.back() == '\0') raw.pop_back();
    response.headers = parse_headers(raw);
  } else {
    response.transport_error = "no answer (network error, timeout or refused by the browser)";
  }
  emscripten_fetch_close(fetch);
  in_flight->done(response);
  in_flight->owner->settle();
}

}  // namespace

void FetchTransport::settle() {
  --in_flight_;
  if (answered_) answered_();
}

void FetchTransport::send(console::HttpRequest request, console::ResponseHandler done) {
  auto in_flight = std::make_unique<InFlight>();
  in_flight->owner = this;
  in_flight->request = std::move(request);
  in_flight->done = std::move(done);
  for (const auto& [name, value] : in_flight->request.headers) {
    in_flight->header_pointers.push_back(name.c_str());
    in_flight->header_pointers.push_back(value.c_str());
  }
  in_flight->header_pointers.push_back(nullptr);

  emscripten_fetch_attr_t attr;
  emscripten_fetch_attr_init(&attr);
  std::strncpy(attr.requestMethod, in_flight->request.method.c_str(),
               sizeof(attr.requestMethod) - 1);
  attr.attributes = EMSCRIPTEN_FETCH_LOAD_TO_MEMORY;
  attr.requestHeaders = in_flight->header_pointers.data();
  if (!in_flight->request.body.empty()) {
    attr.requestData = in_flight->request.body.data();
    attr.requestDataSize = in_flight->request.body.size();
  }
  attr.timeoutMSecs = static_cast<unsigned long>(in_flight->request.timeout_ms);
  attr.onsuccess = finish;
  attr.onerror = finish;
  const std::string url = in_flight->request.url;
  attr.userData = in_flight.release();  // owned by the fetch until finish()
  ++in_flight_;
  emscripten_fetch(&attr, url.c_str());
}

}  // namespace dypls::platform
