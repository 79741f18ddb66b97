// The console's Transport in the browser: emscripten_fetch (XMLHttpRequest underneath).
#pragma once
#include <functional>
#include <utility>

#include "ports.h"

namespace dypls::platform {

class FetchTransport final : public console::Transport {
 public:
  void send(console::HttpRequest request, console::ResponseHandler done) override;

  // Requests sent and not yet answered: the page keeps drawing while any is out.
  int in_flight() const { return in_flight_; }
  // Called after each answer has been handled (the page draws it).
  void on_answered(std::function<void()> hook) { answered_ = std::move(hook); }
  // For finish(): one request has been answered and handled.
  void settle();

 private:
  int in_flight_ = 0;
  std::function<void()> answered_;
};

}  // namespace dypls::platform
