#include "core/json_read.h"

#include <charconv>
#include <cmath>
#include <limits>

namespace dypls::json_read {
namespace {

bool equal_ignoring_case(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    auto lower = [](char c) {
      return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
    };
    if (lower(a[i]) != lower(b[i])) return false;
  }
  return true;
}

std::string_view trim_spaces(std::string_view text) {
  while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) text.remove_prefix(1);
  while (!text.empty() && (text.back() == ' ' || text.back() == '\t')) text.remove_suffix(1);
  return text;
}

}  // namespace

std::optional<Json> parse(std::string_view text) {
  Json parsed = Json::parse(text.begin(), text.end(), nullptr, /*allow_exceptions=*/false);
  if (parsed.is_discarded()) return std::nullopt;
  return parsed;
}

const Json* member(const Json& value, std::string_view name) {
  if (!value.is_object()) return nullptr;
  const Json* found = nullptr;
  auto exact = value.find(std::string(name));
  if (exact != value.end()) {
    found = &*exact;
  } else {
    for (auto it = value.begin(); it != value.end(); ++it) {
      if (equal_ignoring_case(it.key(), name)) {
        found = &it.value();
        break;
      }
    }
  }
  if (found == nullptr || found->is_null()) return nullptr;
  return found;
}

const Json* object_member(const Json& value, std::string_view name) {
  const Json* found = member(value, name);
  return (found != nullptr && found->is_object()) ? found : nullptr;
}

std::optional<std::string> as_string(const Json& value) {
  if (value.is_string()) return value.get_ref<const std::string&>();
  if (value.is_number_integer() || value.is_number_unsigned() || value.is_boolean()) {
    return value.dump();
  }
  if (value.is_number_float()) {
    // A large number the server wrote as a float (1.7012345678E10) is still the same digits.
    if (auto integral = as_int(value)) return std::to_string(*integral);
    return value.dump();
  }
  return std::nullopt;
}

std::optional<std::int64_t> as_int(const Json& value) {
  if (value.is_number_integer()) return value.get<std::int64_t>();
  if (value.is_number_unsigned()) {
    auto unsigned_value = value.get<std::uint64_t>();
    if (unsigned_value > static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max())) {
      return std::nullopt;
    }
    return static_cast<std::int64_t>(unsigned_value);
  }
  if (value.is_number_float()) {
    double number = value.get<double>();
    // 2^63 is exactly representable; anything at or beyond it does not fit.
    if (!std::isfinite(number) || std::trunc(number) != number || number >= 9.2233720368547758e18 ||
        number < -9.2233720368547758e18) {
      return std::nullopt;
    }
    return static_cast<std::int64_t>(number);
  }
  if (value.is_string()) {
    std::string_view text = trim_spaces(value.get_ref<const std::string&>());
    if (!text.empty() && text.front() == '+') text.remove_prefix(1);
    std::int64_t result = 0;
    auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), result);
    if (error != std::errc() || end != text.data() + text.size() || text.empty()) {
      return std::nullopt;
    }
    return result;
  }
  return std::nullopt;
}

std::optional<bool> as_bool(const Json& value) {
  if (value.is_boolean()) return value.get<bool>();
  if (value.is_number_integer() || value.is_number_unsigned()) {
    auto number = as_int(value);
    if (number == 0) return false;
    if (number == 1) return true;
    return std::nullopt;
  }
  if (value.is_string()) {
    std::string_view text = trim_spaces(value.get_ref<const std::string&>());
    if (equal_ignoring_case(text, "true") || text == "1") return true;
    if (equal_ignoring_case(text, "false") || text == "0") return false;
  }
  return std::nullopt;
}

std::optional<std::string> string_field(const Json& object, std::string_view name) {
  const Json* found = member(object, name);
  return found != nullptr ? as_string(*found) : std::nullopt;
}

std::optional<std::int64_t> int_field(const Json& object, std::string_view name) {
  const Json* found = member(object, name);
  return found != nullptr ? as_int(*found) : std::nullopt;
}

std::optional<bool> bool_field(const Json& object, std::string_view name) {
  const Json* found = member(object, name);
  return found != nullptr ? as_bool(*found) : std::nullopt;
}

}  // namespace dypls::json_read
