#include "signer.h"

#include <algorithm>
#include <array>
#include <cstdint>
#include <cstring>
#include <initializer_list>
#include <iterator>
#include <memory>
#include <new>
#include <type_traits>

#include "ascii_text.h"
#include "crypto.h"
#include "encoding.h"

namespace dypls {
namespace {

constexpr std::string_view kV3Algorithm = "ACS3-HMAC-SHA256";
constexpr std::string_view kFormContentType = "application/x-www-form-urlencoded";
// hex(SHA-256("")): a constant, so no signature pays for hashing nothing (a unit test checks it).
constexpr std::string_view kEmptyBodySha256Hex =
    "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";

// The names V1 sets itself; a business parameter of the same name is replaced, never doubled.
// Format is not among them: a caller may ask for XML, as the vendor SDKs allow (JSON otherwise).
bool is_v1_common_name(std::string_view name) {
  // Each starts with one of these; most business names do not, and are told apart by one byte.
  if (name.empty() || (name[0] != 'A' && name[0] != 'S' && name[0] != 'T' && name[0] != 'V')) {
    return false;
  }
  static constexpr std::string_view kCommon[] = {
      "Action",         "Version",   "AccessKeyId",   "SignatureMethod", "SignatureVersion",
      "SignatureNonce", "Timestamp", "SecurityToken", "Signature"};
  return std::find(std::begin(kCommon), std::end(kCommon), name) != std::end(kCommon);
}

std::string_view trim(std::string_view text) {
  const auto is_space = [](char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; };
  while (!text.empty() && is_space(text.front())) text.remove_prefix(1);
  while (!text.empty() && is_space(text.back())) text.remove_suffix(1);
  return text;
}

// The parts joined into one string sized once: a chain of operator+ reallocates as it grows.
std::string concat(std::initializer_list<std::string_view> parts) {
  std::size_t size = 0;
  for (const std::string_view part : parts) size += part.size();
  std::string out;
  out.reserve(size);
  for (const std::string_view part : parts) out += part;
  return out;
}

// A parameter seen in place: the signer reads the request, key and context without copying them.
struct ParamView {
  std::string_view name;
  std::string_view value;
  // The name is known to need no escape (the signer's own names): it is its own encoding, in
  // the canonical query and again in the string to sign.
  bool plain_name = false;
  // The same for the value (the signer's constant values).
  bool plain_value = false;
};
static_assert(std::is_trivially_copyable_v<ParamView> &&
              std::is_trivially_destructible_v<ParamView>);

// Room for a request's views, on the stack for a request of the usual size (a V1 request is its
// business parameters and nine common ones), on the heap past it: an allocation and a call per
// view added cost a signature more than the views themselves. Not copied or moved (it points
// into itself), so filled in place. The stack room is raw bytes, each view constructed as it is
// pushed: an array of views would be zeroed whole first (a memset of 480 bytes per signature).
class ParamViews {
 public:
  explicit ParamViews(std::size_t capacity) {
    if (capacity > kOnStack) {
      on_heap_.resize(capacity);
      data_ = on_heap_.data();
    }
  }
  ParamViews(const ParamViews&) = delete;
  ParamViews& operator=(const ParamViews&) = delete;
  ~ParamViews() = default;

  void push_back(const ParamView& view) { new (data_ + size_++) ParamView(view); }  // within room
  ParamView* data() { return data_; }
  std::size_t size() const { return size_; }
  ParamView* begin() { return data_; }
  ParamView* end() { return data_ + size_; }

 private:
  static constexpr std::size_t kOnStack = 24;
  alignas(ParamView) unsigned char on_stack_[kOnStack * sizeof(ParamView)];
  std::vector<ParamView> on_heap_;
  ParamView* data_ = reinterpret_cast<ParamView*>(on_stack_);
  std::size_t size_ = 0;
};

// The common names in the order V1 signs them (byte order), as add_v1_signed_param_views adds
// them.
constexpr std::string_view kV1CommonInOrder[] = {
    "AccessKeyId",    "Action",           "Format",    "SecurityToken", "SignatureMethod",
    "SignatureNonce", "SignatureVersion", "Timestamp", "Version"};
constexpr bool in_byte_order(const std::string_view* names, std::size_t count) {
  for (std::size_t i = 1; i < count; ++i) {
    if (!(names[i - 1] < names[i])) return false;
  }
  return true;
}
static_assert(in_byte_order(kV1CommonInOrder, std::size(kV1CommonInOrder)));

constexpr std::size_t kV1CommonCount = std::size(kV1CommonInOrder);

// Adds V1's signed parameters to `params` (room for the business ones and kV1CommonCount): the
// business ones (minus the signer's names), then the common ones, already in the order they
// are signed in, so only the business ones are sorted, and merged with them. Returns where the
// common ones start.
std::size_t add_v1_signed_param_views(const RequestSpec& spec, const AccessKey& key,
                                      const SigningContext& ctx, ParamViews& params) {
  bool has_format = false;
  for (const Param& param : spec.params) {
    if (is_v1_common_name(param.name)) continue;
    has_format = has_format || std::string_view(param.name) == "Format";
    params.push_back({param.name, param.value});
  }
  const std::size_t common_from = params.size();
  // In kV1CommonInOrder's order.
  params.push_back({"AccessKeyId", key.id, true});
  params.push_back({"Action", spec.action, true});
  if (!has_format) params.push_back({"Format", "JSON", true, true});
  if (!key.security_token.empty()) params.push_back({"SecurityToken", key.security_token, true});
  params.push_back({"SignatureMethod", "HMAC-SHA1", true, true});
  params.push_back({"SignatureNonce", ctx.nonce, true});
  params.push_back({"SignatureVersion", "1.0", true, true});
  params.push_back({"Timestamp", ctx.timestamp, true});
  params.push_back({"Version", spec.version, true});
  return common_from;
}

constexpr std::string_view kV1EncodedPath = "&%2F&";

// Copies a short text (a name, a key) to `out...` and advances each, in fixed-size pieces: eight
// bytes at a time, then four, two and one, reading no byte past the text. A memcpy of a size the
// compiler cannot see is a memory.copy in the page build, which V8 runs as a call out of the wasm
// code; a signature made about 30 of them, for names of about ten bytes.
template <typename... Out>
[[gnu::always_inline]] inline void put_short_bytes(std::string_view text, Out&... out) {
  const char* in = text.data();
  std::size_t left = text.size();
  const auto piece = [&](auto word) {
    std::memcpy(&word, in, sizeof word);
    (std::memcpy(out, &word, sizeof word), ...);
    in += sizeof word;
    ((out += sizeof word), ...);
  };
  for (; left >= 8; left -= 8) piece(std::uint64_t{});
  if ((left & 4) != 0) piece(std::uint32_t{});
  if ((left & 2) != 0) piece(std::uint16_t{});
  if ((left & 1) != 0) piece(std::uint8_t{});
}

// Room for the strings a signature is written in before they are copied out at their real
// sizes: on the stack up to a request with an STS token (about 15 KB of worst-case room), on the
// heap past it. An allocation and its free cost a wasm signature about as much as encoding a
// token.
class Scratch {
 public:
  Scratch() = default;
  Scratch(const Scratch&) = delete;
  Scratch& operator=(const Scratch&) = delete;
  ~Scratch() = default;

  // Room for `size` bytes, uninitialised; valid while this lives. Called once.
  char* room(std::size_t size) {
    if (size <= kOnStack) return on_stack_;
    on_heap_.reset(new char[size]);
    return on_heap_.get();
  }

 private:
  static constexpr std::size_t kOnStack = std::size_t{16} * 1024;
  char on_stack_[kOnStack];
  std::unique_ptr<char[]> on_heap_;
};

// The canonical query and, when `method` is given, V1's string to sign (the canonical query
// encoded again), built together in `scratch`: each value is read once, and written encoded once
// into the one and twice into the other. Only the names are encoded ahead, to sort by. The
// canonical query has `head` bytes free before it and `tail` after it, for the wire form.
struct V1Strings {
  char* canonical_begin = nullptr;
  char* canonical_end = nullptr;
  std::string_view string_to_sign;
  std::string_view canonical() const {
    return {canonical_begin, static_cast<std::size_t>(canonical_end - canonical_begin)};
  }
};

// Byte order of the (encoded) names. Names differ within their first bytes: compared here,
// without a call to memcmp per pair.
bool by_name(const ParamView& a, const ParamView& b) {
  const std::size_t common = std::min(a.name.size(), b.name.size());
  for (std::size_t i = 0; i < common; ++i) {
    if (a.name[i] != b.name[i]) {
      return static_cast<unsigned char>(a.name[i]) < static_cast<unsigned char>(b.name[i]);
    }
  }
  return a.name.size() < b.name.size();
}

// Sorts [first, last) by name; a repeated name keeps its values in order. A request has a few
// business parameters: an insertion sort needs no buffer (std::stable_sort allocates one) and
// fewer comparisons; a long list goes to std::stable_sort.
void sort_by_name(ParamView* first, ParamView* last) {
  constexpr std::ptrdiff_t kInsertionSortMax = 32;
  if (last - first > kInsertionSortMax) {
    std::stable_sort(first, last, by_name);
    return;
  }
  for (ParamView* next = first; next != last; ++next) {
    const ParamView param = *next;
    ParamView* at = next;
    for (; at != first && by_name(param, at[-1]); --at) *at = at[-1];
    *at = param;
  }
}

// `params` from `sorted_from` on are in order already, with plain names.
// The views are encoded and sorted in place.
V1Strings v1_strings(ParamViews& params, std::size_t sorted_from, const HttpMethod* method,
                     Scratch& scratch, std::size_t head = 0, std::size_t tail = 0) {
  // The encoded names, the canonical query and the string to sign are written into one
  // uninitialised scratch block sized for the worst case, and the strings copied out at their
  // real sizes: resizing the strings to the worst case would zero several times their real length
  // first (and keep that capacity in every signed request the console's history holds).
  const std::string_view method_text = method == nullptr ? "" : method_name(*method);
  std::size_t names_room = 0;
  std::size_t canonical_room = head + tail;
  std::size_t twice_room = method_text.size() + kV1EncodedPath.size();
  for (const ParamView& param : params) {
    if (!param.plain_name) names_room += percent_encoded_room(param.name.size());
    canonical_room +=
        percent_encoded_room(param.name.size()) + percent_encoded_room(param.value.size()) + 2;
    // The encoded name encoded again is the name encoded twice.
    twice_room += percent_encoded_twice_room(param.name.size()) +
                  percent_encoded_twice_room(param.value.size()) + 6;
  }
  char* const scratch_start = scratch.room(names_room + canonical_room + twice_room);
  char* names = scratch_start;
  for (ParamView& param : params) {  // each name is then seen encoded, in the scratch block
    if (param.plain_name) continue;
    char* const name_start = names;
    write_percent_encoded(names, param.name);
    const auto size = static_cast<std::size_t>(names - name_start);
    param.plain_name = size == param.name.size();  // nothing escaped: encoding it again is a copy
    param.name = std::string_view(name_start, size);
  }
  ParamView* const unsorted = params.data();
  ParamView* const sorted = unsorted + sorted_from;
  ParamView* const end = unsorted + params.size();
  sort_by_name(unsorted, sorted);
  char* const once_start = scratch_start + names_room + head;
  char* const twice_start = scratch_start + names_room + canonical_room;
  char* once = once_start;
  char* twice = nullptr;
  if (method != nullptr) {
    twice = twice_start;
    put_bytes(twice, method_text);
    put_bytes(twice, kV1EncodedPath);
  }
  // The two sorted runs merged as they are written; on equal names the first run goes first
  // (sign_v1's two runs share no name).
  for (ParamView *left = unsorted, *right = sorted; left != sorted || right != end;) {
    const bool take_left = left != sorted && (right == end || !by_name(*right, *left));
    const ParamView& param = take_left ? *left++ : *right++;
    const bool first = once == once_start;
    if (!first) *once++ = '&';
    if (twice == nullptr) {
      put_bytes(once, param.name);
      *once++ = '=';
      write_percent_encoded(once, param.value);
      continue;
    }
    if (!first) put_bytes(twice, "%26");
    if (param.plain_name) {
      put_short_bytes(param.name, once, twice);
    } else {
      put_bytes(once, param.name);
      write_percent_encoded(twice, param.name);
    }
    *once++ = '=';
    put_bytes(twice, "%3D");
    if (param.plain_value) {
      put_short_bytes(param.value, once, twice);
    } else {
      write_percent_encoded_once_and_twice(once, twice, param.value);
    }
  }
  V1Strings out;
  out.canonical_begin = once_start;
  out.canonical_end = once;
  if (twice != nullptr) {
    out.string_to_sign =
        std::string_view(twice_start, static_cast<std::size_t>(twice - twice_start));
  }
  return out;
}

std::string with_query(std::string_view query) {
  return query.empty() ? std::string("/") : concat({"/?", query});
}

SignedRequest sign_v1(const RequestSpec& spec, const AccessKey& key, const SigningContext& ctx) {
  SignedRequest out;
  out.method = spec.method;
  ParamViews views(spec.params.size() + kV1CommonCount);
  const std::size_t common_from = add_v1_signed_param_views(spec, key, ctx, views);
  // Signature goes last; the canonical string is already sorted and encoded, so it is the wire
  // form. Written around it in the scratch block (after "/?" for GET), and copied out once.
  constexpr std::string_view kSignatureName = "&Signature=";
  constexpr std::string_view kPathThenQuery = "/?";
  constexpr std::size_t kSignatureSize = (kSha1Size + 2) / 3 * 4;  // Base64
  Scratch scratch;
  const V1Strings strings =
      v1_strings(views, common_from, &spec.method, scratch, kPathThenQuery.size(),
                 kSignatureName.size() + percent_encoded_room(kSignatureSize));
  const std::string_view canonical = strings.canonical();
  out.canonical.assign(canonical.data(), canonical.size());
  out.string_to_sign.assign(strings.string_to_sign.data(), strings.string_to_sign.size());
  out.signature = v1::signature(key.secret, strings.string_to_sign);
  const bool post = spec.method == HttpMethod::kPost;
  char* const wire_start = strings.canonical_begin - (post ? 0 : kPathThenQuery.size());
  if (!post) std::memcpy(wire_start, kPathThenQuery.data(), kPathThenQuery.size());
  char* wire_end = strings.canonical_end;
  put_bytes(wire_end, kSignatureName);
  write_percent_encoded(wire_end, out.signature);
  std::string wire(wire_start, static_cast<std::size_t>(wire_end - wire_start));
  if (post) {
    // The form body keeps the token and signature out of URLs and access logs.
    out.path_and_query = "/";
    out.body = std::move(wire);
    out.content_type = std::string(kFormContentType);
  } else {
    out.path_and_query = std::move(wire);
  }
  return out;
}

SignedRequest sign_v3(const RequestSpec& spec, const AccessKey& key, const SigningContext& ctx) {
  SignedRequest out;
  out.method = spec.method;
  const std::string query = v1::canonical_query(spec.params);
  // Business parameters travel in the query, so the body is always empty.
  HeaderList headers = v3::signed_headers(spec, key, ctx, kEmptyBodySha256Hex);
  out.canonical = v3::canonical_request(spec.method, query, headers, kEmptyBodySha256Hex);
  out.string_to_sign = v3::string_to_sign(out.canonical);
  out.signature = v3::signature(key.secret, out.string_to_sign);
  std::size_t names_size = 0;
  for (const auto& header : headers) names_size += header.first.size() + 1;
  out.signed_headers.reserve(names_size);
  for (const auto& header : headers) {
    if (!out.signed_headers.empty()) out.signed_headers.push_back(';');
    out.signed_headers += header.first;
  }
  out.authorization = concat({kV3Algorithm, " Credential=", key.id,
                              ",SignedHeaders=", out.signed_headers, ",Signature=", out.signature});
  // Host is signed but set by the transport from the URL; everything else is sent as signed.
  out.headers.reserve(headers.size());
  for (auto& header : headers) {
    if (header.first != "host") out.headers.push_back(std::move(header));
  }
  out.headers.emplace_back("Authorization", out.authorization);
  out.path_and_query = with_query(query);
  return out;
}

}  // namespace

std::string_view method_name(HttpMethod method) {
  return method == HttpMethod::kGet ? "GET" : "POST";
}

namespace v1 {

ParamList signed_params(const RequestSpec& spec, const AccessKey& key, const SigningContext& ctx) {
  ParamViews views(spec.params.size() + kV1CommonCount);
  add_v1_signed_param_views(spec, key, ctx, views);
  ParamList params;
  params.reserve(views.size());
  for (const ParamView& view : views) {
    params.push_back({std::string(view.name), std::string(view.value)});
  }
  return params;
}

std::string canonical_query(const ParamList& params) {
  ParamViews views(params.size());
  for (const Param& param : params) views.push_back({param.name, param.value});
  Scratch scratch;
  return std::string(v1_strings(views, params.size(), nullptr, scratch).canonical());
}

std::string string_to_sign(HttpMethod method, std::string_view canonical_query) {
  const std::string_view name = method_name(method);
  std::string out;
  out.reserve(name.size() + kV1EncodedPath.size() + canonical_query.size() * 3 + 2);
  out += name;
  out += kV1EncodedPath;
  append_percent_encoded(out, canonical_query);
  return out;
}

std::string signature(std::string_view secret, std::string_view string_to_sign) {
  // The key is secret + "&"; a secret of the usual size is joined on the stack, not the heap.
  constexpr std::size_t kShortKey = 64;
  if (secret.size() >= kShortKey) {
    return base64_encode(hmac_sha1(concat({secret, "&"}), string_to_sign));
  }
  char key[kShortKey];
  char* next = key;
  put_short_bytes(secret, next);
  *next++ = '&';
  std::array<unsigned char, kSha1Size> digest{};
  hmac_sha1(std::string_view(key, static_cast<std::size_t>(next - key)), string_to_sign, digest);
  return base64_encode(
      std::string_view(reinterpret_cast<const char*>(digest.data()), digest.size()));
}

}  // namespace v1

namespace v3 {

HeaderList signed_headers(const RequestSpec& spec, const AccessKey& key, const SigningContext& ctx,
                          std::string_view body_sha256_hex) {
  // Built in place: an initializer list would copy every value (the token is over a kilobyte).
  HeaderList headers;
  headers.reserve(8);
  headers.emplace_back("host", spec.host);
  headers.emplace_back("x-acs-action", spec.action);
  headers.emplace_back("x-acs-content-sha256", body_sha256_hex);
  headers.emplace_back("x-acs-date", ctx.timestamp);
  headers.emplace_back("x-acs-signature-nonce", ctx.nonce);
  headers.emplace_back("x-acs-version", spec.version);
  if (!key.security_token.empty()) {
    headers.emplace_back("x-acs-accesskey-id", key.id);
    headers.emplace_back("x-acs-security-token", key.security_token);
  }
  std::sort(headers.begin(), headers.end());
  return headers;
}

std::string canonical_request(HttpMethod method, std::string_view canonical_query,
                              const HeaderList& sorted_headers, std::string_view body_sha256_hex) {
  const std::string_view method_text = method_name(method);
  std::size_t size =
      method_text.size() + 3 + canonical_query.size() + 1 + 1 + 1 + body_sha256_hex.size();
  for (const auto& [name, value] : sorted_headers) {
    size += name.size() + 1 + trim(value).size() + 1 + name.size() + 1;
  }
  std::string out(size, '\0');
  char* next = out.data();
  put_bytes(next, method_text);
  put_bytes(next, "\n/\n");
  put_bytes(next, canonical_query);
  *next++ = '\n';
  for (const auto& [name, value] : sorted_headers) {
    put_bytes(next, name);
    *next++ = ':';
    put_bytes(next, trim(value));
    *next++ = '\n';
  }
  *next++ = '\n';
  // Names joined by ';' (a ';' only once something was written, as a signed-headers list from a
  // request parsed by the sandbox may hold an empty name).
  const char* names_start = next;
  for (const auto& header : sorted_headers) {
    if (next != names_start) *next++ = ';';
    put_bytes(next, header.first);
  }
  *next++ = '\n';
  put_bytes(next, body_sha256_hex);
  out.resize(static_cast<std::size_t>(next - out.data()));
  return out;
}

std::string string_to_sign(std::string_view canonical_request) {
  return concat({kV3Algorithm, "\n", hex_lower(sha256(canonical_request))});
}

std::string signature(std::string_view secret, std::string_view string_to_sign) {
  return hex_lower(hmac_sha256(secret, string_to_sign));
}

}  // namespace v3

SignedRequest sign(const RequestSpec& spec, const AccessKey& key, const SigningContext& ctx) {
  return spec.style == SignatureStyle::kV3 ? sign_v3(spec, key, ctx) : sign_v1(spec, key, ctx);
}

}  // namespace dypls
