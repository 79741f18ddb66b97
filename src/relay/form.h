// "a=1&b=2" in a query or an application/x-www-form-urlencoded body, decoded, and what the relay
// takes a parameter's name to be.
#pragma once
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/signer.h"

namespace dypls::relay {

// nullopt when an escape is malformed. `form_encoded` also reads '+' as a space.
// Empty pieces ("a=1&&b=2") are skipped; "a" alone is the parameter a with an empty value.
std::optional<ParamList> parse_urlencoded(std::string_view text, bool form_encoded);
// The same into `out`, whose parameters are reused (their strings keep their room: a list kept
// from one call to the next decodes without allocating). False when an escape is malformed; `out`
// then holds no meaningful list.
bool parse_urlencoded_into(std::string_view text, bool form_encoded, ParamList& out);

// The API's parameters as the gateway could read them: the query and a form body are both
// decoded with '+' as a space and %XY as a byte (a gateway may do either to a query, so the relay
// assumes the one that reveals more). nullopt when an escape is malformed.
std::optional<ParamList> parse_api_params(std::string_view text);
bool parse_api_params_into(std::string_view text, ParamList& out);

// What a parameter name is, decided once for the allow-lists and the duplicate checks: the
// decoded name, made only of letters, digits, '.', '_' and '-' (every name the API defines).
// Anything else ("Action " from "Action+" or "Action%20", "Act%00ion", an empty name) is
// ambiguous: a gateway may trim it, keep it or reject it, so the relay refuses the request
// rather than guess which parameter it is.
bool is_plain_param_name(std::string_view decoded_name);

// Parameter names compare without regard to case, as a gateway may ("action" is Action). Inline:
// every name of every call is compared with Action and Version.
inline bool same_param_name(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    const char x = a[i] >= 'A' && a[i] <= 'Z' ? static_cast<char>(a[i] | 0x20) : a[i];
    const char y = b[i] >= 'A' && b[i] <= 'Z' ? static_cast<char>(b[i] | 0x20) : b[i];
    if (x != y) return false;
  }
  return true;
}
// Equal for names same_param_name finds equal (and for few others): compared first, so that
// finding duplicates among n names costs n^2/2 integer compares, not string compares.
std::uint64_t param_name_hash(std::string_view name);

// A query's or form body's parameters read as parse_api_params reads them ('+' a space, %XY a
// byte), for the admission's checks: the names decoded, the values as they stand in the text and
// decoded only when read (the relay reads three of them; a long SecurityToken is never copied).
// The list holds a copy of its text, so it is a value that may be handed on; a list kept from
// call to call parses without allocating.
class FormParams {
 public:
  FormParams() = default;
  // parse(text), for tests; a malformed escape leaves an empty list.
  explicit FormParams(std::string_view text);

  // False when an escape (in a name or a value) is malformed; the list then holds nothing
  // meaningful. Empty pieces ("a=1&&b=2") are skipped; "a" alone is a with an empty value.
  bool parse(std::string_view text);
  // parse() of a query as it stands in a request target, with the relay's checks of its raw
  // bytes made in the same pass: `clean` when every byte is an RFC 3986 query character or an
  // escape of two hex digits (the list is then meaningful), `control_escape` when an escape
  // decodes to a control character (a byte below 0x20, or 0x7F).
  struct QueryScan {
    bool clean = false;
    bool control_escape = false;
  };
  QueryScan parse_query(std::string_view text);
  std::size_t size() const { return entries_.size(); }
  bool empty() const { return entries_.empty(); }
  // Bytes of text the list holds.
  std::size_t text_size() const { return text_.size(); }

  std::string_view name(std::size_t i) const {
    const Entry& entry = entries_[i];
    return {(entry.decoded ? names_ : text_).data() + entry.name_at, entry.name_size};
  }
  // Whether the decoded name is plain (is_plain_param_name), and its param_name_hash.
  bool plain_name(std::size_t i) const { return entries_[i].plain; }
  std::uint64_t name_hash(std::size_t i) const { return entries_[i].hash; }
  std::string_view raw_value(std::size_t i) const {
    return {text_.data() + entries_[i].value_at, entries_[i].value_size};
  }
  // The decoded value: a view of the list's text when there is nothing to decode, else of
  // `scratch`, which receives it.
  std::string_view value(std::size_t i, std::string& scratch) const;
  std::string value(std::size_t i) const;
  // Whether a name or value holds a control character (CR, LF, NUL..., DEL; tab too), as a byte
  // or from an escape.
  bool has_control_char() const;

 private:
  template <bool kQuery>
  bool parse_text(std::string_view text, bool* control_escape);

  struct Entry {
    std::size_t name_at;  // in names_ when decoded, else in text_
    std::size_t name_size;
    std::size_t value_at;  // in text_
    std::size_t value_size;
    std::uint64_t hash;
    bool plain;
    bool decoded;  // the name held an escape or a '+' (or a byte no name holds)
  };
  std::string text_;
  std::string names_;  // the decoded names, one after another (most names are read in text_)
  std::vector<Entry> entries_;
};

}  // namespace dypls::relay
