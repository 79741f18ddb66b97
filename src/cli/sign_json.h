// The dypls-sign line protocol: one JSON request in, one JSON answer out (see docs/design.md).
//
// Pure and non-throwing, so tests and the conformance suite can drive it line by line. The
// caller supplies the timestamp and nonce used when a line leaves them out.
#pragma once
#include <optional>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "core/signer.h"

namespace dypls::cli {

// Everything one signing needs, read from one input line.
struct SignInput {
  RequestSpec spec;
  AccessKey key;
  SigningContext ctx;
};

struct SignInputResult {
  std::optional<SignInput> input;  // set when the line is usable
  std::string error;               // otherwise: what was wrong and what to do (never a secret)
};

// Reads one request object. `fresh` fills in a missing timestamp or nonce.
SignInputResult read_sign_input(const nlohmann::json& line, const SigningContext& fresh);

// The answer object for a signed request: signature and every stage, plus url (and body).
nlohmann::json signed_to_json(const SignInput& input, const SignedRequest& signed_request);

// The whole protocol for one line of text: an answer object or {"error": "..."}, serialised
// without a newline. An "id" member of the request, when present, is echoed in the answer.
std::string sign_json_line(std::string_view line, const SigningContext& fresh);

// "https://" + endpoint + path_and_query.
std::string request_url(std::string_view endpoint, std::string_view path_and_query);

}  // namespace dypls::cli
