#include "sandbox/answers.h"

#include "core/time_format.h"

namespace dypls::sandbox {

OrderedJson gateway_error_body(const GatewayError& error, const std::string& request_id) {
  OrderedJson body;
  body["RequestId"] = request_id;
  body["HostId"] = "dyplsapi.aliyuncs.com";
  body["Code"] = error.code;
  body["Message"] = error.message;
  body["Recommend"] = "https://api.aliyun.com/troubleshoot?q=" + error.code + "&product=Dyplsapi";
  return body;
}

OrderedJson business_body(const Outcome& outcome, const std::string& request_id) {
  OrderedJson body;
  body["RequestId"] = request_id;
  body["Code"] = outcome.code;
  body["Message"] = outcome.message;
  return body;
}

OrderedJson stock_payload(const StockReport& report) {
  OrderedJson dto;
  if (!report.listed) {
    dto["Amount"] = report.amount;
    dto["City"] = report.city;
  } else {
    // The live answer for 全国列表 carries only the rows: no top-level Amount or City.
    OrderedJson list = OrderedJson::array();
    for (const auto& [city, amount] : report.per_city) {
      list.push_back(OrderedJson{{"Amount", amount}, {"City", city}});
    }
    // The real answer nests the list one level down, under a lower-case key.
    dto["RemainDTOList"] = OrderedJson{{"remainDTO", std::move(list)}};
  }
  return dto;
}

OrderedJson number_payload(const OwnedNumber& number) {
  OrderedJson dto;
  dto["PurchaseTime"] = china_time(number.purchased_at);
  dto["Vendor"] = static_cast<int>(number.vendor);
  dto["Province"] = number.province;
  dto["City"] = number.city;
  dto["SecretStatus"] = static_cast<int>(number.status());
  dto["CertifyStatus"] = number.certified ? 1 : 0;
  return dto;
}

namespace {

void append_escaped(std::string& out, std::string_view text) {
  for (char c : text) {
    switch (c) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += "&quot;";
        break;
      case '\'':
        out += "&apos;";
        break;
      default:
        out.push_back(c);
    }
  }
}

void append_element(std::string& out, std::string_view name, const OrderedJson& value) {
  if (value.is_array()) {
    for (const OrderedJson& item : value) append_element(out, name, item);
    return;
  }
  out.append("<").append(name).append(">");
  if (value.is_object()) {
    for (const auto& [key, child] : value.items()) append_element(out, key, child);
  } else if (value.is_string()) {
    append_escaped(out, value.get_ref<const std::string&>());
  } else if (!value.is_null()) {
    out += value.dump();
  }
  out.append("</").append(name).append(">");
}

}  // namespace

std::string to_xml(const OrderedJson& body, std::string_view root) {
  std::string out = "<?xml version='1.0' encoding='UTF-8'?>";
  append_element(out, root, body);
  return out;
}

std::string china_time(std::int64_t epoch_seconds) {
  std::string text =
      format_iso8601_utc(epoch_seconds + std::int64_t{8} * 3600);  // YYYY-MM-DDThh:mm:ssZ
  if (text.size() == 20) {
    text[10] = ' ';
    text.pop_back();
  }
  return text;
}

}  // namespace dypls::sandbox
