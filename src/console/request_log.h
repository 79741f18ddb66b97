// The history of every request the console sent: what was signed, what came back, how long it
// took. Secrets never enter it: the SecurityToken is masked in the stored signing strings, and
// the secret itself is never seen here.
#pragma once
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/api_error.h"
#include "core/signer.h"

namespace dypls::console {

struct LogEntry {
  std::size_t id = 0;
  std::int64_t sent_at_ms = 0;
  std::string action;
  SignatureStyle style = SignatureStyle::kV1;
  RequestSpec spec;  // business parameters only: enough to sign afresh ("copy as curl")
  // Signing stages, with the SecurityToken masked.
  std::string canonical;
  std::string string_to_sign;
  std::string signature;  // one-time; shown for debugging, never exported
  bool pending = true;
  int http_status = 0;
  std::string code;  // "OK" or the error code
  std::string request_id;
  std::int64_t latency_ms = 0;
  std::string response_body;
  std::optional<ApiError> error;
  std::optional<SignatureDiagnosis> signature_diagnosis;
};

class RequestLog {
 public:
  // Adds an entry and returns its id (ids are indices: entries are never removed).
  std::size_t add(LogEntry entry);
  LogEntry* find(std::size_t id);
  const LogEntry* find(std::size_t id) const;
  const std::vector<LogEntry>& entries() const { return entries_; }
  std::size_t size() const { return entries_.size(); }

  std::string to_csv() const;
  std::string to_json() const;

 private:
  std::vector<LogEntry> entries_;
};

// Replaces every form of `token` (raw, percent-encoded once or twice) in `text` with a mask.
std::string mask_token(std::string text, const std::string& token);

// "2026-11-28T06:52:17.123Z"
std::string format_time_ms(std::int64_t epoch_ms);

}  // namespace dypls::console
