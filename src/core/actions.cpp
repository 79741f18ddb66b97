#include "core/actions.h"

#include <array>
#include <limits>
#include <utility>

#include "core/json_read.h"

namespace dypls {
namespace {

using json_read::Json;

// City names are a few Chinese characters (3 bytes each in UTF-8); 64 bytes is generous.
constexpr std::size_t kMaxCityBytes = 64;
constexpr std::size_t kMaxPrefixDigits = 18;
// Mobile-like numbers have 11 digits; 95 numbers run to 12 or 13.
constexpr std::size_t kMinNumberDigits = 11;
constexpr std::size_t kMaxNumberDigits = 13;
constexpr std::size_t kMaxPoolKeyBytes = 64;

constexpr std::array<std::pair<Action, std::string_view>, 6> kActionNames = {{
    {Action::kQuerySecretNoRemain, "QuerySecretNoRemain"},
    {Action::kBuySecretNo, "BuySecretNo"},
    {Action::kReleaseSecretNo, "ReleaseSecretNo"},
    {Action::kQuerySecretNoDetail, "QuerySecretNoDetail"},
    {Action::kLockSecretNo, "LockSecretNo"},
    {Action::kUnlockSecretNo, "UnlockSecretNo"},
}};

bool all_digits(std::string_view text) {
  for (char c : text) {
    if (c < '0' || c > '9') return false;
  }
  return true;
}

void add(std::vector<FieldError>& errors, std::string field, std::string en, std::string zh) {
  errors.push_back({std::move(field), Message{std::move(en), std::move(zh)}});
}

void check_spec_id(int spec_id, std::vector<FieldError>& errors) {
  if (spec_id < 1 || spec_id > 3) {
    add(errors, "SpecId",
        "SpecId must be 1 (virtual-operator 170/171 numbers), 2 (carrier numbers) or 3 "
        "(95 numbers); got " +
            std::to_string(spec_id) + ".",
        "SpecId 必须是 1（虚商号码 170/171）、2（运营商号码）或 3（95 号码），当前为 " +
            std::to_string(spec_id) + "。");
  }
}

void check_city(std::string_view city, int spec_id, bool stock_query,
                std::vector<FieldError>& errors) {
  if (city.empty()) {
    add(errors, "City",
        "City is required: a city name such as 杭州, or 全国 for the whole country.",
        "City 为必填：请填写城市名，例如 杭州，或填写 全国。");
    return;
  }
  if (city.size() > kMaxCityBytes) {
    add(errors, "City",
        "City is " + std::to_string(city.size()) +
            " bytes long; a city name is a few characters, "
            "such as 杭州.",
        "City 长度为 " + std::to_string(city.size()) +
            " 字节，过长；城市名只有几个字，例如 杭州。");
    return;
  }
  for (unsigned char c : city) {
    if (c < 0x20 || c == 0x7F || c == ' ') {
      add(errors, "City", "City contains spaces or control characters; enter only the city name.",
          "City 中含有空格或控制字符；请只填写城市名。");
      return;
    }
  }
  if (city == kCityNationwideList && !stock_query) {
    add(errors, "City",
        "全国列表 (list per city) works only for the stock query. Pick one city, or 全国.",
        "全国列表 只能用于查询库存。购买时请选择一个城市，或 全国。");
  }
  if (spec_id == 3 && city != kCityNationwideGeneric) {
    add(errors, "City", "SpecId 3 (95 numbers) needs City = 全国通用.",
        "SpecId 为 3（95 号码）时，City 必须为 全国通用。");
  }
}

void check_prefix(std::string_view prefix, std::vector<FieldError>& errors) {
  if (prefix.empty()) return;
  if (!all_digits(prefix)) {
    add(errors, "SecretNo",
        "The number prefix may contain digits only (for example 170 or 1710); leave it empty for "
        "any number.",
        "号码前缀只能包含数字（例如 170 或 1710）；不限号段请留空。");
  } else if (prefix.size() > kMaxPrefixDigits) {
    add(errors, "SecretNo",
        "The number prefix has " + std::to_string(prefix.size()) +
            " digits; at most 18 are allowed.",
        "号码前缀有 " + std::to_string(prefix.size()) + " 位，最多 18 位。");
  }
}

void check_pool_key(std::string_view pool_key, std::vector<FieldError>& errors) {
  if (pool_key.empty()) {
    add(errors, "PoolKey",
        "PoolKey is required: the pool's key from the console's number pool page (like FC1000…).",
        "PoolKey 为必填：请填写控制台号码池页面上的号池 Key（形如 FC1000…）。");
    return;
  }
  if (pool_key.size() > kMaxPoolKeyBytes) {
    add(errors, "PoolKey",
        "PoolKey is " + std::to_string(pool_key.size()) +
            " characters long; pool keys are short "
            "(like FC1000…). Copy only the key.",
        "PoolKey 长度为 " + std::to_string(pool_key.size()) +
            "，过长；号池 Key 很短（形如 FC1000…），"
            "请只复制 Key 本身。");
    return;
  }
  for (unsigned char c : pool_key) {
    if (c <= ' ' || c >= 0x7F) {
      add(errors, "PoolKey",
          "PoolKey contains spaces, control or non-ASCII characters. Copy the key again "
          "(letters and digits, like FC1000…).",
          "PoolKey 中含有空格、控制字符或非 ASCII 字符。请重新复制（字母和数字，形如 FC1000…）。");
      return;
    }
  }
}

void check_number(std::string_view number, std::vector<FieldError>& errors) {
  if (number.empty()) {
    add(errors, "SecretNo", "SecretNo is required: the full privacy number, such as 17012345678.",
        "SecretNo 为必填：请填写完整的隐私号码，例如 17012345678。");
    return;
  }
  if (!all_digits(number) || number.size() < kMinNumberDigits || number.size() > kMaxNumberDigits) {
    add(errors, "SecretNo",
        "SecretNo must be the full number: 11 to 13 digits, without +86, spaces or dashes "
        "(for example 17012345678).",
        "SecretNo 必须是完整号码：11 到 13 位数字，不带 +86、空格或横线（例如 17012345678）。");
  }
}

bool is_number_action(Action action) {
  return action == Action::kReleaseSecretNo || action == Action::kQuerySecretNoDetail ||
         action == Action::kLockSecretNo || action == Action::kUnlockSecretNo;
}

RequestSpec base_spec(Action action) {
  RequestSpec spec;
  spec.method = HttpMethod::kPost;
  spec.style = SignatureStyle::kV1;
  spec.host = std::string(kApiHost);
  spec.action = std::string(action_name(action));
  spec.version = std::string(kApiVersion);
  return spec;
}

// ---- Answers ----

// The common envelope: either the success payload's object, or the error to report.
struct Envelope {
  std::string request_id;
  std::optional<Json> body;  // set on success (HTTP 2xx, Code OK)
  std::optional<ApiError> error;
};

Envelope open_envelope(int http_status, std::string_view body,
                       const RetryAfterHeaders& retry_after) {
  Envelope envelope;
  auto parsed = json_read::parse(body);
  if (parsed && parsed->is_object()) {
    envelope.request_id = json_read::string_field(*parsed, "RequestId").value_or("");
    auto code = json_read::string_field(*parsed, "Code");
    if (http_status >= 200 && http_status < 300 && code && (*code == "OK" || *code == "ok")) {
      envelope.body = std::move(parsed);
      return envelope;
    }
  }
  envelope.error = classify_error(http_status, body, retry_after);
  if (envelope.request_id.empty()) envelope.request_id = envelope.error->request_id;
  return envelope;
}

// Code OK, but the payload we need is not there or unreadable.
ApiError missing_payload(const std::string& request_id, std::string_view what, bool purchase) {
  ApiError error;
  error.kind = ErrorKind::kMalformed;
  error.http_status = 200;
  error.request_id = request_id;
  error.message = "The answer said OK but " + std::string(what) + " could not be read.";
  if (purchase) {
    // The purchase went through; only its number is unknown. Buying again would buy twice.
    error.outcome_unknown = true;
    error.hint = {
        "The purchase succeeded but the answer did not say which number was bought. Do not buy "
        "again: look the number up in the Alibaba Cloud console (号码隐私保护 > 号码管理).",
        "购买已成功，但返回中没有给出买到的号码。请勿重复购买：请到阿里云控制台（号码隐私保护 > "
        "号码管理）中查看。"};
  } else {
    error.hint = {
        "The answer was not in the expected shape. Try again; if it keeps happening, "
        "report the RequestId.",
        "返回的格式与预期不符。请重试；如果持续出现，请提供 RequestId 反馈。"};
  }
  return error;
}

template <typename T>
Answer<T> failed(Envelope& envelope) {
  Answer<T> answer;
  answer.request_id = envelope.request_id;
  answer.error = std::move(envelope.error);
  return answer;
}

std::optional<std::string> string_at(const Json& object, std::string_view name) {
  return json_read::string_field(object, name);
}

// remainDTO is a list, but converters of XML answers turn a one-element list into an object.
void read_per_city(const Json& list_holder, std::vector<CityStock>& out) {
  const Json* entries = json_read::member(list_holder, "remainDTO");
  if (entries == nullptr) return;
  auto read_one = [&out](const Json& entry) {
    if (!entry.is_object()) return;
    CityStock stock;
    stock.city = string_at(entry, "City").value_or("");
    stock.amount = json_read::int_field(entry, "Amount").value_or(0);
    out.push_back(std::move(stock));
  };
  if (entries->is_array()) {
    for (const Json& entry : *entries) read_one(entry);
  } else {
    read_one(*entries);
  }
}

// The rows added up; negative amounts count as none, and the sum saturates instead of overflowing.
std::int64_t sum_of_rows(const std::vector<CityStock>& rows) {
  constexpr std::int64_t kCeiling = std::numeric_limits<std::int64_t>::max();
  std::int64_t sum = 0;
  for (const CityStock& row : rows) {
    if (row.amount <= 0) continue;
    sum = row.amount > kCeiling - sum ? kCeiling : sum + row.amount;
  }
  return sum;
}

NumberStatus status_from_int(std::optional<std::int64_t> value) {
  if (!value || *value < 0 || *value > 3) return NumberStatus::kUnknown;
  return static_cast<NumberStatus>(*value);
}

}  // namespace

std::string_view action_name(Action action) {
  for (const auto& [known, name] : kActionNames) {
    if (known == action) return name;
  }
  return "";
}

std::optional<Action> action_from_name(std::string_view name) {
  for (const auto& [action, known] : kActionNames) {
    if (known == name) return action;
  }
  return std::nullopt;
}

std::vector<FieldError> validate(const QueryRemainRequest& request) {
  std::vector<FieldError> errors;
  check_spec_id(request.spec_id, errors);
  check_city(request.city, request.spec_id, /*stock_query=*/true, errors);
  check_prefix(request.secret_no_prefix, errors);
  return errors;
}

std::vector<FieldError> validate(const BuyRequest& request) {
  std::vector<FieldError> errors;
  check_pool_key(request.pool_key, errors);
  check_spec_id(request.spec_id, errors);
  check_city(request.city, request.spec_id, /*stock_query=*/false, errors);
  check_prefix(request.secret_no_prefix, errors);
  return errors;
}

std::vector<FieldError> validate(const NumberRequest& request) {
  std::vector<FieldError> errors;
  if (!is_number_action(request.action)) {
    add(errors, "Action",
        std::string(action_name(request.action)) +
            " does not take a single number; use Release, Detail, Lock or Unlock.",
        std::string(action_name(request.action)) +
            " 不是针对单个号码的操作；请使用释放、详情、锁定或解锁。");
  }
  check_pool_key(request.pool_key, errors);
  check_number(request.secret_no, errors);
  return errors;
}

RequestSpec to_spec(const QueryRemainRequest& request) {
  RequestSpec spec = base_spec(Action::kQuerySecretNoRemain);
  spec.params.push_back({"SpecId", std::to_string(request.spec_id)});
  spec.params.push_back({"City", request.city});
  if (!request.secret_no_prefix.empty()) {
    spec.params.push_back({"SecretNo", request.secret_no_prefix});
  }
  return spec;
}

RequestSpec to_spec(const BuyRequest& request) {
  RequestSpec spec = base_spec(Action::kBuySecretNo);
  spec.params.push_back({"PoolKey", request.pool_key});
  spec.params.push_back({"SpecId", std::to_string(request.spec_id)});
  spec.params.push_back({"City", request.city});
  if (!request.secret_no_prefix.empty()) {
    spec.params.push_back({"SecretNo", request.secret_no_prefix});
  }
  if (request.display_pool) {
    spec.params.push_back({"DisplayPool", *request.display_pool ? "true" : "false"});
  }
  return spec;
}

RequestSpec to_spec(const NumberRequest& request) {
  RequestSpec spec = base_spec(request.action);
  spec.params.push_back({"PoolKey", request.pool_key});
  spec.params.push_back({"SecretNo", request.secret_no});
  return spec;
}

std::string_view status_name(NumberStatus status) {
  switch (status) {
    case NumberStatus::kUnbound:
      return "unbound";
    case NumberStatus::kBound:
      return "bound";
    case NumberStatus::kLocked:
      return "locked";
    case NumberStatus::kFrozen:
      return "frozen";
    case NumberStatus::kUnknown:
      return "unknown";
  }
  return "unknown";
}

Answer<StockAnswer> parse_stock_answer(int http_status, std::string_view body,
                                       const RetryAfterHeaders& retry_after) {
  Envelope envelope = open_envelope(http_status, body, retry_after);
  if (!envelope.body) return failed<StockAnswer>(envelope);
  Answer<StockAnswer> answer;
  answer.request_id = envelope.request_id;
  const Json* dto = json_read::object_member(*envelope.body, "SecretRemainDTO");
  if (dto == nullptr) {
    answer.error = missing_payload(answer.request_id, "SecretRemainDTO", /*purchase=*/false);
    return answer;
  }
  StockAnswer stock;
  stock.city = string_at(*dto, "City").value_or("");
  if (const Json* list = json_read::object_member(*dto, "RemainDTOList")) {
    read_per_city(*list, stock.per_city);
  }
  stock.rows_sum = sum_of_rows(stock.per_city);
  const std::optional<std::int64_t> reported = json_read::int_field(*dto, "Amount");
  if (reported) {
    stock.amount = *reported;
    stock.total_source = stock.per_city.empty() || stock.rows_sum == *reported
                             ? StockTotalSource::kReported
                             : StockTotalSource::kReportedDisagrees;
  } else if (!stock.per_city.empty()) {
    stock.amount = stock.rows_sum;
    stock.total_source = StockTotalSource::kSummed;
  }
  answer.value = std::move(stock);
  return answer;
}

Answer<BuyAnswer> parse_buy_answer(int http_status, std::string_view body,
                                   const RetryAfterHeaders& retry_after) {
  Envelope envelope = open_envelope(http_status, body, retry_after);
  if (!envelope.body) return failed<BuyAnswer>(envelope);
  Answer<BuyAnswer> answer;
  answer.request_id = envelope.request_id;
  const Json* dto = json_read::object_member(*envelope.body, "SecretBuyInfoDTO");
  std::optional<std::string> number = dto != nullptr ? string_at(*dto, "SecretNo") : std::nullopt;
  if (!number || number->empty()) {
    answer.error =
        missing_payload(answer.request_id, "SecretBuyInfoDTO.SecretNo", /*purchase=*/true);
    return answer;
  }
  answer.value = BuyAnswer{std::move(*number)};
  return answer;
}

Answer<NumberDetail> parse_detail_answer(int http_status, std::string_view body,
                                         const RetryAfterHeaders& retry_after) {
  Envelope envelope = open_envelope(http_status, body, retry_after);
  if (!envelope.body) return failed<NumberDetail>(envelope);
  Answer<NumberDetail> answer;
  answer.request_id = envelope.request_id;
  const Json* dto = json_read::object_member(*envelope.body, "SecretNoInfoDTO");
  if (dto == nullptr) {
    answer.error = missing_payload(answer.request_id, "SecretNoInfoDTO", /*purchase=*/false);
    return answer;
  }
  NumberDetail detail;
  detail.purchase_time = string_at(*dto, "PurchaseTime").value_or("");
  auto vendor = json_read::int_field(*dto, "Vendor");
  detail.vendor = (vendor && *vendor >= 1 && *vendor <= 3) ? static_cast<int>(*vendor) : 0;
  detail.province = string_at(*dto, "Province").value_or("");
  detail.city = string_at(*dto, "City").value_or("");
  detail.status = status_from_int(json_read::int_field(*dto, "SecretStatus"));
  detail.certify_status = json_read::bool_field(*dto, "CertifyStatus");
  answer.value = std::move(detail);
  return answer;
}

Answer<EmptyAnswer> parse_empty_answer(int http_status, std::string_view body,
                                       const RetryAfterHeaders& retry_after) {
  Envelope envelope = open_envelope(http_status, body, retry_after);
  if (!envelope.body) return failed<EmptyAnswer>(envelope);
  Answer<EmptyAnswer> answer;
  answer.request_id = envelope.request_id;
  answer.value = EmptyAnswer{};
  return answer;
}

}  // namespace dypls
