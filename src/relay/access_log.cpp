#include "relay/access_log.h"

#include <algorithm>
#include <cstdio>

#include <nlohmann/json.hpp>

#include "core/time_format.h"

namespace dypls::relay {

std::string mask_identifier(std::string_view id) {
  if (id.empty()) return {};
  if (id.size() < 10) return "***";
  // Keep the "STS." prefix whole: it says what kind of key it was.
  const std::size_t head = id.substr(0, 4) == "STS." ? 8 : 4;
  return std::string(id.substr(0, head)) + "..." + std::string(id.substr(id.size() - 2));
}

namespace {

double tenths(double ms) {
  return static_cast<double>(static_cast<long long>(ms * 10.0)) / 10.0;
}

// Printable ASCII without a quote or backslash: written as is, no escaping needed.
bool plain(std::string_view text) {
  return std::all_of(text.begin(), text.end(), [](char ch) {
    const auto c = static_cast<unsigned char>(ch);
    return c >= 0x20 && c < 0x7F && c != '"' && c != '\\';
  });
}

void add_string(std::string& out, std::string_view key, std::string_view value) {
  out += '"';
  out += key;
  out += "\":\"";
  out += value;
  out += "\",";
}

void add_number(std::string& out, std::string_view key, long long value) {
  out += '"';
  out += key;
  out += "\":";
  out += std::to_string(value);
  out += ',';
}

std::string format_with_json(const AccessLogEntry& entry) {
  nlohmann::json line = {
      {"time", entry.time},     {"client", entry.client},
      {"method", entry.method}, {"path", entry.path.substr(0, 128)},
      {"status", entry.status},
  };
  if (!entry.action.empty()) line["action"] = entry.action.substr(0, 64);
  if (entry.upstream_status) line["upstreamStatus"] = *entry.upstream_status;
  if (!entry.request_id.empty()) line["requestId"] = entry.request_id.substr(0, 64);
  if (!entry.relay_code.empty()) line["code"] = entry.relay_code;
  if (!entry.key_id.empty()) line["keyId"] = mask_identifier(entry.key_id);
  line["latencyMs"] = tenths(entry.latency_ms);
  return line.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

}  // namespace

// Every request writes one: the usual line (plain text, a sane latency) is written directly, in
// the same bytes nlohmann's dump gives (keys in its sorted order); anything else goes through it.
std::string format_access_log(const AccessLogEntry& entry) {
  const std::string_view path = std::string_view(entry.path).substr(0, 128);
  const std::string_view action = std::string_view(entry.action).substr(0, 64);
  const std::string_view request_id = std::string_view(entry.request_id).substr(0, 64);
  const std::string key_id = mask_identifier(entry.key_id);
  const double latency = tenths(entry.latency_ms);
  const bool simple = plain(entry.time) && plain(entry.client) && plain(entry.method) &&
                      plain(path) && plain(action) && plain(request_id) &&
                      plain(entry.relay_code) && plain(key_id) && latency >= 0 && latency < 1e9;
  if (!simple) return format_with_json(entry);
  std::string out = "{";
  out.reserve(256);
  if (!action.empty()) add_string(out, "action", action);
  add_string(out, "client", entry.client);
  if (!entry.relay_code.empty()) add_string(out, "code", entry.relay_code);
  if (!key_id.empty()) add_string(out, "keyId", key_id);
  char number[32];
  (void)std::snprintf(number, sizeof number, "%.1f", latency);
  out += "\"latencyMs\":";
  out += number;
  out += ',';
  add_string(out, "method", entry.method);
  add_string(out, "path", path);
  if (!request_id.empty()) add_string(out, "requestId", request_id);
  add_number(out, "status", entry.status);
  add_string(out, "time", entry.time);
  if (entry.upstream_status) add_number(out, "upstreamStatus", *entry.upstream_status);
  out.back() = '}';
  return out;
}

namespace {

// Reads the top-level "RequestId" without building the document (this runs on every answer): the
// same verdict as parsing it whole, where a repeated key keeps its last value.
class RequestIdReader final : public nlohmann::json_sax<nlohmann::json> {
 public:
  bool found() const { return top_is_object_ && is_string_; }
  std::string take() { return std::move(value_); }

  bool null() override { return scalar(); }
  bool boolean(bool /*val*/) override { return scalar(); }
  bool number_integer(number_integer_t /*val*/) override { return scalar(); }
  bool number_unsigned(number_unsigned_t /*val*/) override { return scalar(); }
  bool number_float(number_float_t /*val*/, const string_t& /*s*/) override { return scalar(); }
  bool string(string_t& val) override {
    if (at_request_id()) {
      value_ = std::move(val);
      is_string_ = true;
    }
    return true;
  }
  bool binary(binary_t& /*val*/) override { return scalar(); }
  bool start_object(std::size_t /*elements*/) override {
    if (depth_ == 0) top_is_object_ = true;
    return open();
  }
  bool key(string_t& val) override {
    if (depth_ == 1) key_is_request_id_ = val == "RequestId";
    return true;
  }
  bool end_object() override { return close(); }
  bool start_array(std::size_t /*elements*/) override { return open(); }
  bool end_array() override { return close(); }
  bool parse_error(std::size_t /*position*/, const std::string& /*last_token*/,
                   const nlohmann::detail::exception& /*ex*/) override {
    return false;
  }

 private:
  bool at_request_id() const { return depth_ == 1 && key_is_request_id_; }
  bool scalar() {
    if (at_request_id()) is_string_ = false;
    return true;
  }
  bool open() {
    if (at_request_id()) is_string_ = false;
    ++depth_;
    key_is_request_id_ = false;
    return true;
  }
  bool close() {
    --depth_;
    key_is_request_id_ = false;
    return true;
  }

  int depth_ = 0;
  bool top_is_object_ = false;
  bool key_is_request_id_ = false;
  bool is_string_ = false;
  std::string value_;
};

}  // namespace

std::string extract_request_id(std::string_view body, std::string_view header_value) {
  RequestIdReader reader;
  if (nlohmann::json::sax_parse(body, &reader) && reader.found()) return reader.take();
  return std::string(header_value);
}

std::string log_timestamp(long long epoch_ms) {
  const long long seconds = epoch_ms >= 0 ? epoch_ms / 1000 : (epoch_ms - 999) / 1000;
  const long long millis = epoch_ms - seconds * 1000;
  std::string text = format_iso8601_utc(seconds);  // "...:ssZ"
  char frac[8];
  (void)std::snprintf(frac, sizeof frac, ".%03lldZ", millis);
  text.pop_back();
  return text + frac;
}

}  // namespace dypls::relay
