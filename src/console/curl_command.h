// "Copy as curl": a shell command that sends exactly one freshly signed request.
#pragma once
#include <string>

#include "core/signer.h"

namespace dypls::console {

// `url` is the absolute address the request goes to (relay + "/api" + path_and_query).
std::string curl_command(const SignedRequest& request, const std::string& url);

// Quotes `text` for a POSIX shell.
std::string shell_quote(const std::string& text);

}  // namespace dypls::console
