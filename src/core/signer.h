// Request signing for Alibaba Cloud RPC APIs: V1 (HMAC-SHA1) and V3 (ACS3-HMAC-SHA256).
//
// Every stage is a pure function of its inputs. The timestamp and nonce are inputs, never read
// here, so each stage can be tested byte for byte and the console can show every stage.
#pragma once
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace dypls {

enum class HttpMethod { kGet, kPost };
enum class SignatureStyle { kV1, kV3 };

std::string_view method_name(HttpMethod method);

struct Param {
  std::string name;
  std::string value;  // already rendered: numbers as digits, booleans as "true"/"false"
};
using ParamList = std::vector<Param>;
using HeaderList = std::vector<std::pair<std::string, std::string>>;

struct AccessKey {
  std::string id;
  std::string secret;
  std::string security_token;  // empty for a long-term key
};

// What to send, before any signing.
struct RequestSpec {
  HttpMethod method = HttpMethod::kPost;
  SignatureStyle style = SignatureStyle::kV1;
  std::string host = "dyplsapi.aliyuncs.com";
  std::string action;
  std::string version = "2017-05-25";
  ParamList params;  // business parameters only
};

// The per-attempt inputs: every attempt, retries included, gets a fresh pair.
struct SigningContext {
  std::string timestamp;  // "YYYY-MM-DDThh:mm:ssZ"
  std::string nonce;
};

// The result of signing: what to send, plus each intermediate stage for display.
struct SignedRequest {
  HttpMethod method = HttpMethod::kPost;
  std::string path_and_query;  // "/" or "/?a=b&..." relative to the endpoint
  HeaderList headers;          // to send (V3: the signed x-acs-* and Authorization)
  std::string body;            // V1 POST: the form body; otherwise empty
  std::string content_type;    // set when body is non-empty
  std::string canonical;       // V1: canonical query string; V3: canonical request
  std::string string_to_sign;
  std::string signature;       // V1: base64; V3: lower-case hex
  std::string authorization;   // V3 only
  std::string signed_headers;  // V3 only: "host;x-acs-action;..."
};

namespace v1 {
// All parameters that are signed: business params plus the common ones. Format is JSON unless
// the business params set it (as the vendor SDKs allow); the other common names are the signer's.
ParamList signed_params(const RequestSpec& spec, const AccessKey& key, const SigningContext& ctx);
// Encode names and values, sort by encoded name, join "k=v" with '&'.
std::string canonical_query(const ParamList& params);
// METHOD&%2F&percent_encode(canonical_query)
std::string string_to_sign(HttpMethod method, std::string_view canonical_query);
// Base64(HMAC-SHA1(secret + "&", string_to_sign))
std::string signature(std::string_view secret, std::string_view string_to_sign);
}  // namespace v1

namespace v3 {
// The headers V3 signs, names lower-case, sorted.
HeaderList signed_headers(const RequestSpec& spec, const AccessKey& key, const SigningContext& ctx,
                          std::string_view body_sha256_hex);
std::string canonical_request(HttpMethod method, std::string_view canonical_query,
                              const HeaderList& sorted_headers, std::string_view body_sha256_hex);
// "ACS3-HMAC-SHA256\n" + hex(sha256(canonical_request))
std::string string_to_sign(std::string_view canonical_request);
// hex(HMAC-SHA256(secret, string_to_sign))
std::string signature(std::string_view secret, std::string_view string_to_sign);
}  // namespace v3

// Runs every stage of the chosen style and assembles the request.
SignedRequest sign(const RequestSpec& spec, const AccessKey& key, const SigningContext& ctx);

}  // namespace dypls
