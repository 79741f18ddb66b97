// Type-tolerant, non-throwing reads from parsed JSON. Alibaba's answers drift: the same field is
// 1 in one action and "2" in another, and sometimes null. Every read here checks the type and
// returns nullopt instead of throwing.
#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

namespace dypls::json_read {

using Json = nlohmann::json;

// Parses without exceptions; nullopt when `text` is not one complete JSON value.
std::optional<Json> parse(std::string_view text);

// The member `name` of an object: an exact match first, then one that differs only in case.
// nullptr when `value` is not an object, has no such member, or the member is null.
const Json* member(const Json& value, std::string_view name);
// member() that must itself be an object.
const Json* object_member(const Json& value, std::string_view name);

// A string, or a number or boolean rendered as text ("17012345678", "true").
std::optional<std::string> as_string(const Json& value);
// An integer, or a string holding one (surrounding spaces allowed), or a float with no fraction.
std::optional<std::int64_t> as_int(const Json& value);
// A boolean, 0/1, or "true"/"false"/"0"/"1" in any case.
std::optional<bool> as_bool(const Json& value);

std::optional<std::string> string_field(const Json& object, std::string_view name);
std::optional<std::int64_t> int_field(const Json& object, std::string_view name);
std::optional<bool> bool_field(const Json& object, std::string_view name);

}  // namespace dypls::json_read
