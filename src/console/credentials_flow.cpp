#include "credentials_flow.h"

#include <algorithm>
#include <utility>

#include <nlohmann/json.hpp>

#include "credentials_status.h"
#include "trimmed.h"

namespace dypls::console {
std::optional<FlowResult> CredentialsFlow::restore(std::int64_t now_s) {
  std::optional<std::string> remembered = storage_.get(kRememberKey);
  if (!remembered) return std::nullopt;
  state_.remember_in_tab = true;
  FlowResult result = paste(std::move(*remembered), now_s);
  if (!result.ok) storage_.remove(kRememberKey);
  return result;
}

FlowResult CredentialsFlow::paste(std::string text, std::int64_t now_s) {
  CredentialsResult result = parse_credentials(text, now_s);
  if (!result.credentials) {
    state_.last_error = result.error;
    return FlowResult::refused(result.error);
  }
  state_.active = std::move(result.credentials);
  state_.last_error = {};
  state_.pasted = std::move(text);
  state_.paste_buffer.clear();
  state_.active_profile.clear();
  pasted_at_s_ = now_s;
  if (state_.remember_in_tab) storage_.set(kRememberKey, state_.pasted);
  const std::string key = mask_key_id(state_.active->key.id);
  return FlowResult::done(
      Notice{{"Credentials ready: " + key, "凭证已就绪：" + key}, StatusLevel::kSuccess});
}

FlowResult CredentialsFlow::save_profile(std::string name_in) {
  const std::string name = trimmed(std::move(name_in));
  if (!state_.active || name.empty()) {
    return FlowResult::refused(
        {"Paste credentials and give the profile a name first.", "请先粘贴凭证并为配置命名。"});
  }
  CredentialsProfile profile{name, *state_.active, state_.pasted, pasted_at_s_};
  auto it = std::find_if(state_.profiles.begin(), state_.profiles.end(),
                         [&](const CredentialsProfile& p) { return p.name == name; });
  if (it != state_.profiles.end()) {
    *it = std::move(profile);
  } else {
    state_.profiles.push_back(std::move(profile));
  }
  state_.active_profile = name;
  state_.profile_name.clear();
  return FlowResult::done();
}

FlowResult CredentialsFlow::use_profile(std::string name) {
  auto it = std::find_if(state_.profiles.begin(), state_.profiles.end(),
                         [&](const CredentialsProfile& p) { return p.name == name; });
  if (it == state_.profiles.end()) return {};
  state_.active = it->credentials;
  state_.pasted = it->pasted;
  pasted_at_s_ = it->pasted_at;
  state_.active_profile = std::move(name);
  if (state_.remember_in_tab) storage_.set(kRememberKey, state_.pasted);
  return FlowResult::done(
      Notice{{"Using profile: " + state_.active_profile, "正在使用配置：" + state_.active_profile},
             StatusLevel::kInfo});
}

void CredentialsFlow::delete_profile(std::string name) {
  state_.profiles.erase(std::remove_if(state_.profiles.begin(), state_.profiles.end(),
                                       [&](const CredentialsProfile& p) { return p.name == name; }),
                        state_.profiles.end());
  if (state_.active_profile == name) state_.active_profile.clear();
}

void CredentialsFlow::set_remember_in_tab(bool remember) {
  state_.remember_in_tab = remember;
  if (remember && state_.active) {
    storage_.set(kRememberKey, state_.pasted);
  } else if (!remember) {
    storage_.remove(kRememberKey);
  }
}

FlowResult CredentialsFlow::forget() {
  state_.active.reset();
  state_.pasted.clear();
  state_.paste_buffer.clear();
  state_.profiles.clear();
  state_.active_profile.clear();
  state_.remember_in_tab = false;
  storage_.remove(kRememberKey);
  return FlowResult::done(Notice{{"Credentials forgotten.", "凭证已清除。"}, StatusLevel::kInfo});
}

std::optional<Message> CredentialsFlow::problem(std::int64_t now_s) const {
  const CredentialsLife life = credentials_life(state_, pasted_at_s_, now_s);
  if (life.status == CredentialsStatus::kNone) {
    return Message{"Paste credentials first (Credentials tab).", "请先粘贴凭证（凭证页）。"};
  }
  if (life.status == CredentialsStatus::kExpired) {
    return Message{"Credentials expired: get fresh STS credentials and paste them.",
                   "凭证已过期：请获取新的 STS 凭证并粘贴。"};
  }
  return std::nullopt;
}

std::optional<std::string> demo_pool_key(std::string_view assume_role_answer) {
  const auto answer = nlohmann::json::parse(assume_role_answer, nullptr, false);
  if (!answer.is_object()) return std::nullopt;
  const auto it = answer.find("SandboxPoolKey");
  if (it == answer.end() || !it->is_string()) return std::nullopt;
  return it->get<std::string>();
}

}  // namespace dypls::console
