// The Dyplsapi actions the console uses: typed requests, validation before signing, and typed
// answers parsed without exceptions escaping.
#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "api_error.h"
#include "message.h"
#include "signer.h"

namespace dypls {

inline constexpr std::string_view kApiVersion = "2017-05-25";
inline constexpr std::string_view kApiHost = "dyplsapi.aliyuncs.com";

enum class Action {
  kQuerySecretNoRemain,
  kBuySecretNo,
  kReleaseSecretNo,
  kQuerySecretNoDetail,
  kLockSecretNo,
  kUnlockSecretNo,
};
std::string_view action_name(Action action);
std::optional<Action> action_from_name(std::string_view name);

// Special City values.
inline constexpr std::string_view kCityNationwide = "全国";
inline constexpr std::string_view kCityNationwideList = "全国列表";     // stock query only
inline constexpr std::string_view kCityNationwideGeneric = "全国通用";  // required for SpecId 3

struct QueryRemainRequest {
  int spec_id = 1;
  std::string city;
  std::string secret_no_prefix;  // optional
};
struct BuyRequest {
  std::string pool_key;
  int spec_id = 1;
  std::string city;
  std::string secret_no_prefix;      // optional
  std::optional<bool> display_pool;  // optional
};
// ReleaseSecretNo, QuerySecretNoDetail, LockSecretNo, UnlockSecretNo.
struct NumberRequest {
  Action action = Action::kQuerySecretNoDetail;
  std::string pool_key;
  std::string secret_no;  // the full number
};

struct FieldError {
  std::string field;  // "PoolKey", "SpecId", "City", "SecretNo", ...
  Message message;
};
// Empty when the request may be sent.
std::vector<FieldError> validate(const QueryRemainRequest& request);
std::vector<FieldError> validate(const BuyRequest& request);
std::vector<FieldError> validate(const NumberRequest& request);

// Unsigned requests ready for sign(); call validate() first.
RequestSpec to_spec(const QueryRemainRequest& request);
RequestSpec to_spec(const BuyRequest& request);
RequestSpec to_spec(const NumberRequest& request);

// ---- Answers ----
struct CityStock {
  std::string city;
  std::int64_t amount = 0;
};
// Where StockAnswer::amount came from. A live 全国列表 answer may carry only the rows, with no
// top-level Amount: then the rows are summed.
enum class StockTotalSource {
  kNone,               // neither a total nor rows: 0
  kReported,           // SecretRemainDTO.Amount (the rows, if any, add up to it)
  kSummed,             // no SecretRemainDTO.Amount: the sum of the rows
  kReportedDisagrees,  // SecretRemainDTO.Amount, although the rows add up to rows_sum
};
struct StockAnswer {
  std::string city;
  std::int64_t amount = 0;          // the total to show (see total_source)
  std::vector<CityStock> per_city;  // from RemainDTOList.remainDTO
  StockTotalSource total_source = StockTotalSource::kNone;
  std::int64_t rows_sum = 0;  // the rows' amounts added up (0 without rows)
};
struct BuyAnswer {
  std::string secret_no;
};
enum class NumberStatus { kUnbound = 0, kBound = 1, kLocked = 2, kFrozen = 3, kUnknown = -1 };
std::string_view status_name(NumberStatus status);
struct NumberDetail {
  std::string purchase_time;
  int vendor = 0;  // 1 China Mobile, 2 China Unicom, 3 China Telecom
  std::string province;
  std::string city;
  NumberStatus status = NumberStatus::kUnknown;
  std::optional<bool> certify_status;
};
struct EmptyAnswer {};

template <typename T>
struct Answer {
  std::string request_id;
  std::optional<T> value;         // set on success
  std::optional<ApiError> error;  // set otherwise
  bool ok() const { return value.has_value(); }
};

// `retry_after`: the answer's wait headers, as in classify_error. Never throws; a body that cannot
// be read gives kMalformed.
Answer<StockAnswer> parse_stock_answer(int http_status, std::string_view body,
                                       const RetryAfterHeaders& retry_after = {});
Answer<BuyAnswer> parse_buy_answer(int http_status, std::string_view body,
                                   const RetryAfterHeaders& retry_after = {});
Answer<NumberDetail> parse_detail_answer(int http_status, std::string_view body,
                                         const RetryAfterHeaders& retry_after = {});
Answer<EmptyAnswer> parse_empty_answer(int http_status, std::string_view body,
                                       const RetryAfterHeaders& retry_after = {});

}  // namespace dypls
