// What one BuySecretNo answer means for a purchase run, as a pure decision: bought, definitely
// not bought (stop and say why), throttled (refused for load: wait, then buy afresh), or unknown
// (it may have been carried out: reconcile before buying again). The console acts on it; the
// decision itself never looks at anything but the answer.
#pragma once
#include <cstdint>
#include <string>

#include "actions.h"
#include "message.h"

namespace dypls {

enum class PurchaseVerdict {
  kBought,     // secret_no is ours
  kNotBought,  // refused before any work: stop the run, tell the person `message`
  kThrottled,  // refused for load: wait wait_ms, then send a freshly signed purchase
  kUnknown,    // may have been carried out: nothing more is bought until reconciled
};

struct PurchaseDisposition {
  PurchaseVerdict verdict = PurchaseVerdict::kUnknown;
  std::string secret_no;     // kBought
  std::int64_t wait_ms = 0;  // kThrottled, bounded by throttle_wait_ms()
  // The account may not buy by API (the action is refused, or RAM denies it): buy in Alibaba
  // Cloud's console, and manage the numbers here.
  bool buy_in_console = false;
  std::string code;  // "OK" or the error's code
  Message message;   // what to tell the person (the hint); empty for kBought
};

// `throttle_streak` is how many throttled answers came in a row before this one (it sets the
// backoff when the answer names no wait).
PurchaseDisposition purchase_disposition(const Answer<BuyAnswer>& answer, int throttle_streak);

}  // namespace dypls
