// The credentials: pasting (any shape the core knows), remembering them in this tab when the
// person opts in, named profiles, forgetting, the sandbox's demo credentials, and whether they
// can sign now. Owns ConsoleState::credentials and the tab's remembered copy; returns what to
// tell the person instead of writing the status line.
#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "console_state.h"
#include "flow_result.h"
#include "ports.h"

namespace dypls::console {

inline constexpr const char* kRememberKey = "dypls.credentials";

class CredentialsFlow {
 public:
  CredentialsFlow(CredentialsState& state, Storage& storage) : state_(state), storage_(storage) {}

  // Pastes the credentials remembered in this tab, if the person opted in; a remembered text
  // that no longer reads is dropped. Nothing when none were remembered.
  std::optional<FlowResult> restore(std::int64_t now_s);
  // Parses `text`; on success it replaces the active credentials (and leaves any profile).
  FlowResult paste(std::string text, std::int64_t now_s);
  void set_remember_in_tab(bool remember);
  FlowResult forget();
  // Named profiles (memory only; forget() wipes them too).
  FlowResult save_profile(std::string name);
  FlowResult use_profile(std::string name);
  void delete_profile(std::string name);

  // Why nothing may be signed at `now_s` (none, or expired); nullopt when they are usable.
  std::optional<Message> problem(std::int64_t now_s) const;
  std::int64_t pasted_at_s() const { return pasted_at_s_; }

 private:
  CredentialsState& state_;
  Storage& storage_;
  std::int64_t pasted_at_s_ = 0;
};

// The pool key the sandbox names beside its demo credentials (GET /sandbox/assume-role), if any.
std::optional<std::string> demo_pool_key(std::string_view assume_role_answer);

}  // namespace dypls::console
