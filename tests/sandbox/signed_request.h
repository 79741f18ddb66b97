// Test helper: turns a request signed by the core signer into what the sandbox receives, the way
// an HTTP server would hand it over.
#pragma once
#include <string>

#include "core/signer.h"
#include "sandbox/request.h"

namespace dypls::sandbox::testing {

inline IncomingRequest to_incoming(const SignedRequest& signed_request, const std::string& host) {
  IncomingRequest in;
  in.method = std::string(method_name(signed_request.method));
  in.host = host;
  in.headers.emplace_back("host", host);
  for (const auto& [name, value] : signed_request.headers) {
    std::string lower = name;
    for (char& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    in.headers.emplace_back(lower, value);
  }
  const std::size_t question = signed_request.path_and_query.find('?');
  if (question != std::string::npos) {
    parse_form(signed_request.path_and_query.substr(question + 1), in.query);
  }
  in.body = signed_request.body;
  if (!signed_request.body.empty()) {
    in.headers.emplace_back("content-type", signed_request.content_type);
    parse_form(signed_request.body, in.form);
  }
  return in;
}

}  // namespace dypls::sandbox::testing
