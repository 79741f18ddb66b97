#include "request_log.h"

#include <cstdio>

#include <nlohmann/json.hpp>

#include "core/encoding.h"
#include "core/time_format.h"

namespace dypls::console {
namespace {

constexpr const char* kMask = "***";

void replace_all(std::string& text, const std::string& what, const std::string& with) {
  if (what.empty()) return;
  for (std::size_t at = text.find(what); at != std::string::npos;
       at = text.find(what, at + with.size())) {
    text.replace(at, what.size(), with);
  }
}

// RFC 4180: quote every field that needs it, double the quotes inside.
std::string csv_field(const std::string& value) {
  if (value.find_first_of(",\"\r\n") == std::string::npos) return value;
  std::string out = "\"";
  for (char c : value) {
    if (c == '"') out += '"';
    out += c;
  }
  out += '"';
  return out;
}

const char* style_name(SignatureStyle style) {
  return style == SignatureStyle::kV1 ? "V1" : "V3";
}

}  // namespace

std::size_t RequestLog::add(LogEntry entry) {
  entry.id = entries_.size();
  entries_.push_back(std::move(entry));
  return entries_.back().id;
}

LogEntry* RequestLog::find(std::size_t id) {
  return id < entries_.size() ? &entries_[id] : nullptr;
}

const LogEntry* RequestLog::find(std::size_t id) const {
  return id < entries_.size() ? &entries_[id] : nullptr;
}

std::string RequestLog::to_csv() const {
  std::string out = "time,action,style,http_status,code,request_id,latency_ms\r\n";
  for (const LogEntry& e : entries_) {
    out += csv_field(format_time_ms(e.sent_at_ms)) + ',' + csv_field(e.action) + ',' +
           style_name(e.style) + ',' + std::to_string(e.http_status) + ',' + csv_field(e.code) +
           ',' + csv_field(e.request_id) + ',' + std::to_string(e.latency_ms) + "\r\n";
  }
  return out;
}

std::string RequestLog::to_json() const {
  nlohmann::json out = nlohmann::json::array();
  for (const LogEntry& e : entries_) {
    nlohmann::json params = nlohmann::json::object();
    for (const Param& p : e.spec.params) params[p.name] = p.value;
    nlohmann::json item = {
        {"time", format_time_ms(e.sent_at_ms)},
        {"action", e.action},
        {"style", style_name(e.style)},
        {"params", params},
        {"pending", e.pending},
        {"httpStatus", e.http_status},
        {"code", e.code},
        {"requestId", e.request_id},
        {"latencyMs", e.latency_ms},
        {"canonical", e.canonical},
        {"stringToSign", e.string_to_sign},
        {"response", e.response_body},
    };
    out.push_back(std::move(item));
  }
  // Bodies come from the network: replace invalid UTF-8 instead of throwing.
  return out.dump(2, ' ', false, nlohmann::json::error_handler_t::replace);
}

std::string mask_token(std::string text, const std::string& token) {
  if (token.empty()) return text;
  const std::string once = percent_encode(token);
  const std::string twice = percent_encode(once);
  replace_all(text, twice, kMask);
  replace_all(text, once, kMask);
  replace_all(text, token, kMask);
  return text;
}

std::string format_time_ms(std::int64_t epoch_ms) {
  const std::int64_t seconds = epoch_ms >= 0 ? epoch_ms / 1000 : (epoch_ms - 999) / 1000;
  const auto millis = static_cast<int>(epoch_ms - seconds * 1000);
  std::string text = format_iso8601_utc(seconds);  // "...:ssZ"
  char fraction[8];
  (void)std::snprintf(fraction, sizeof fraction, ".%03dZ", millis);
  text.pop_back();
  return text + fraction;
}

}  // namespace dypls::console
