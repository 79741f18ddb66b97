// The sandbox's view of an HTTP exchange, free of any server library: what arrived and what to
// answer. The HTTP edge converts to and from these.
#pragma once
#include <optional>
#include <string>
#include <string_view>

#include "core/signer.h"

namespace dypls::sandbox {

struct IncomingRequest {
  std::string method;  // "GET", "POST", ... as received
  std::string host;    // the Host header, as received (V3 signs it)
  ParamList query;     // decoded, in arrival order
  ParamList form;      // decoded application/x-www-form-urlencoded body, if any
  HeaderList headers;  // names lower-cased
  std::string body;

  // The first header of that (lower-case) name.
  std::optional<std::string_view> header(std::string_view lower_name) const;
};

struct Reply {
  int status = 200;
  std::string body;    // JSON, or XML when `xml`
  HeaderList headers;  // besides Content-Type
  // Fault injection: the action was carried out, but the client must not hear back.
  bool drop_connection = false;
  bool state_changed = false;  // persist after answering
  bool xml = false;            // V1 without Format=JSON gets XML, as from the real gateway
};

// Splits "a=1&b=%E6%9D%AD" into decoded pairs ('+' is a space). False on a malformed escape.
bool parse_form(std::string_view text, ParamList& out);

// The value of the first parameter of that name.
std::optional<std::string_view> find_param(const ParamList& params, std::string_view name);

}  // namespace dypls::sandbox
