#include "core/purchase_disposition.h"

namespace dypls {
namespace {

constexpr std::string_view kBuyInConsoleEn =
    "This account cannot buy numbers through the API (BuySecretNo was refused). Buy them in the "
    "Alibaba Cloud console (号码隐私保护 > 号码管理 > 购买号码), then manage them here: look up, "
    "lock, unlock, release. This purchase was not made.";
constexpr std::string_view kBuyInConsoleZh =
    "该账号不能通过 API 购买号码（BuySecretNo 被拒绝）。请在阿里云控制台（号码隐私保护 > 号码管理 "
    "> "
    "购买号码）中购买，然后在这里管理：查询、锁定、解锁、释放。本次购买未执行。";
constexpr std::string_view kOrBuyInConsoleEn =
    " If this account may not buy by API, buy in the Alibaba Cloud console and manage the "
    "numbers here. This purchase was not made.";
constexpr std::string_view kOrBuyInConsoleZh =
    "如果该账号不允许通过 API 购买，请在阿里云控制台中购买，然后在这里管理号码。本次购买未执行。";

Message shown(const ApiError& error) {
  if (!error.hint.en.empty()) return error.hint;
  return {error.message, error.message};
}

}  // namespace

// Unknown is decided first: no wait or refusal read from an answer may hide a lost one.
PurchaseDisposition purchase_disposition(const Answer<BuyAnswer>& answer, int throttle_streak) {
  PurchaseDisposition out;
  if (answer.ok()) {
    out.verdict = PurchaseVerdict::kBought;
    out.secret_no = answer.value->secret_no;
    out.code = "OK";
    return out;
  }
  if (!answer.error) return out;  // neither value nor error: cannot tell, so unknown
  const ApiError& error = *answer.error;
  out.code = error.code;
  out.message = shown(error);
  // Nothing readable came back, or something failed after the request arrived.
  if (error.outcome_unknown || error.kind == ErrorKind::kTransport ||
      error.kind == ErrorKind::kMalformed) {
    out.verdict = PurchaseVerdict::kUnknown;
    return out;
  }
  if (error.throttled) {
    out.verdict = PurchaseVerdict::kThrottled;
    out.wait_ms = throttle_wait_ms(error, throttle_streak);
    return out;
  }
  out.verdict = PurchaseVerdict::kNotBought;
  if (error.family == ErrorFamily::kActionRefused) {
    out.buy_in_console = true;
    out.message = {std::string(kBuyInConsoleEn), std::string(kBuyInConsoleZh)};
  } else if (error.family == ErrorFamily::kPermission) {
    out.buy_in_console = true;
    out.message.en += kOrBuyInConsoleEn;
    out.message.zh += kOrBuyInConsoleZh;
  }
  return out;
}

}  // namespace dypls
