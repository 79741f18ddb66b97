// The JSON bodies the real endpoint sends: business answers (HTTP 200, Code "OK" or isv.*) and the
// gateway's error shape {RequestId, HostId, Code, Message, Recommend}.
#pragma once
#include <cstdint>
#include <string>

#include <nlohmann/json.hpp>

#include "sandbox/authenticator.h"
#include "sandbox/inventory.h"

namespace dypls::sandbox {

using OrderedJson = nlohmann::ordered_json;

OrderedJson gateway_error_body(const GatewayError& error, const std::string& request_id);
// {"RequestId", "Code", "Message"}: the start of every business answer.
OrderedJson business_body(const Outcome& outcome, const std::string& request_id);

// SecretRemainDTO: {Amount, City} for one city or 全国, only RemainDTOList for 全国列表 (the live
// shape: the client sums the rows).
OrderedJson stock_payload(const StockReport& report);
OrderedJson number_payload(const OwnedNumber& number);  // SecretNoInfoDTO

// The XML form of an answer, for V1 calls that do not ask for JSON (XML is the gateway's default):
// <?xml …?><Root><RequestId>…</RequestId>…</Root>, arrays as repeated elements.
std::string to_xml(const OrderedJson& body, std::string_view root);

// "2021-12-03 15:19:27" in China Standard Time (UTC+8), as QuerySecretNoDetail writes it.
std::string china_time(std::int64_t epoch_seconds);

}  // namespace dypls::sandbox
