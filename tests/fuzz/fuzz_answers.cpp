// Fuzzes the answer parsers and classify_error with any body, status and Retry-After, and checks
// what must always hold: exactly one of value and error, a hint in both languages, and Relay
// kinds only for Relay codes.
//
// Input layout: byte 0 picks the HTTP status, byte 1 says whether a wait header follows (high
// bit), which one (bit 6: x-acs-retry-after, else Retry-After) and how long it is (low nibble),
// then that header, then the body.
#include <array>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <optional>
#include <string>
#include <string_view>

#include "core/actions.h"
#include "core/api_error.h"
#include "core/purchase_disposition.h"

namespace {

constexpr std::array<int, 16> kStatuses = {0,   200, 201, 400, 403, 404, 413, 429,
                                           500, 502, 503, 504, 302, 418, -1,  999};

void require(bool condition) {
  if (!condition) std::abort();
}

void check_error(const dypls::ApiError& error) {
  require(!error.hint.en.empty() && !error.hint.zh.empty());
  require((error.kind == dypls::ErrorKind::kRelay) == (error.code.rfind("Relay.", 0) == 0));
  if (error.retry_after_ms) {
    require(*error.retry_after_ms >= 0 && *error.retry_after_ms <= 86400000);
  }
  const std::int64_t wait = dypls::throttle_wait_ms(error, 3);
  require(wait >= dypls::kMinThrottleWaitMs && wait <= dypls::kMaxThrottleWaitMs);
  if (error.server_string_to_sign && error.server_string_to_sign->size() >= 8) {
    // The server's string to sign carries the token: it must not leak into the message.
    require(error.message.find(*error.server_string_to_sign) == std::string::npos);
  }
  if (error.kind == dypls::ErrorKind::kTransport) require(error.outcome_unknown);
}

template <typename T>
void check_answer(const dypls::Answer<T>& answer) {
  require(answer.value.has_value() != answer.error.has_value());
  if (answer.error) check_error(*answer.error);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size < 2) return 0;
  const int status = kStatuses[data[0] % kStatuses.size()];
  dypls::RetryAfterHeaders retry_after;
  std::size_t offset = 2;
  if ((data[1] & 0x80) != 0) {
    std::size_t length = data[1] & 0x0F;
    if (length > size - offset) length = size - offset;
    std::string value(reinterpret_cast<const char*>(data + offset), length);
    // Bit 6 picks the header: x-acs-retry-after (ms) or Retry-After (seconds).
    if ((data[1] & 0x40) != 0) {
      retry_after.acs_ms = std::move(value);
    } else {
      retry_after.standard_s = std::move(value);
    }
    offset += length;
  }
  std::string_view body(reinterpret_cast<const char*>(data + offset), size - offset);

  check_answer(dypls::parse_stock_answer(status, body, retry_after));
  const auto bought = dypls::parse_buy_answer(status, body, retry_after);
  check_answer(bought);
  const dypls::PurchaseDisposition disposition = dypls::purchase_disposition(bought, data[0] % 9);
  require((disposition.verdict == dypls::PurchaseVerdict::kBought) == bought.ok());
  if (disposition.verdict == dypls::PurchaseVerdict::kThrottled) {
    require(disposition.wait_ms >= dypls::kMinThrottleWaitMs &&
            disposition.wait_ms <= dypls::kMaxThrottleWaitMs);
  }
  if (status == 0) require(disposition.verdict == dypls::PurchaseVerdict::kUnknown);
  check_answer(dypls::parse_detail_answer(status, body, retry_after));
  check_answer(dypls::parse_empty_answer(status, body, retry_after));

  dypls::ApiError error = dypls::classify_error(status, body, retry_after);
  check_error(error);
  if (error.server_string_to_sign) {
    // Against our own string (here, the body's other half) the diagnosis must stay in bounds.
    std::string_view ours = body.substr(body.size() / 2);
    dypls::SignatureDiagnosis diagnosis =
        dypls::diagnose_signature_mismatch(*error.server_string_to_sign, ours);
    require(diagnosis.first_difference <= ours.size());
    require(!diagnosis.explanation.en.empty() && !diagnosis.explanation.zh.empty());
  }
  std::string_view half = body.substr(0, body.size() / 2);
  dypls::SignatureDiagnosis diagnosis =
      dypls::diagnose_signature_mismatch(half, body.substr(half.size()));
  require(diagnosis.first_difference <= body.size());
  return 0;
}
