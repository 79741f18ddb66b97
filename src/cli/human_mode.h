// dypls-sign for people: flags in, every signing stage and a ready curl command out.
#pragma once
#include <iosfwd>
#include <string>
#include <vector>

#include "core/signer.h"

namespace dypls::cli {

// Where the human mode gets what flags must not carry (they would show in `ps`).
struct HumanEnvironment {
  std::string key_id;          // ALIBABA_CLOUD_ACCESS_KEY_ID, when set
  std::string secret;          // ALIBABA_CLOUD_ACCESS_KEY_SECRET, when set
  std::string security_token;  // ALIBABA_CLOUD_SECURITY_TOKEN, when set
  SigningContext fresh;        // used unless --timestamp / --nonce are given
};

// Returns the exit status. Reads the secret from `in` when the environment has none.
int run_human_mode(const std::vector<std::string>& args, const HumanEnvironment& env,
                   std::istream& in, std::ostream& out, std::ostream& err);

// Quotes a word for a POSIX shell.
std::string shell_quote(const std::string& word);

// A curl command line that sends exactly the signed request.
std::string curl_command(const std::string& endpoint, const SignedRequest& request);

}  // namespace dypls::cli
