// The console's Transport in the browser: emscripten_fetch (XMLHttpRequest underneath).
#pragma once
#include "ports.h"

namespace dypls::platform {

class FetchTransport final : public console::Transport {
 public:
  void send(console::HttpRequest request, console::ResponseHandler done) override;
};

}  // namespace dypls::platform
