// Activity: every request with time, action, status, Code, RequestId and latency; a row opens
// the signing stages, the answer and the hint; copy as curl signs afresh; CSV/JSON export.
#include <algorithm>
#include <cstdio>

#include <nlohmann/json.hpp>

#include "imgui.h"
#include "item_hooks.h"
#include "panels.h"

namespace dypls::console {
namespace {

std::string label(const Ui& ui, T text, const char* id) {
  return std::string(ui.t(text)) + "###" + id;
}

// A titled, wrapped block of text with a Copy button (signing strings have no spaces, and
// ImGui's multi-line fields do not wrap).
void block(Ui& ui, const char* title, const std::string& text, const char* id) {
  ImGui::TextUnformatted(title);
  ImGui::SameLine();
  copy_button(
      ui, std::string(ui.t(T::Copy)) + "###copy-" + id,
      [text]() -> std::optional<std::string> { return text; }, true);
  ImGui::PushStyleColor(ImGuiCol_ChildBg, ImGui::GetStyleColorVec4(ImGuiCol_FrameBg));
  const float wrap_width = ImGui::GetContentRegionAvail().x - ImGui::GetStyle().WindowPadding.x * 2;
  const ImVec2 size = ImGui::CalcTextSize(text.c_str(), nullptr, false, wrap_width);
  const float height =
      std::min(size.y, ImGui::GetTextLineHeight() * 10) + ImGui::GetStyle().WindowPadding.y * 2;
  ImGui::BeginChild((std::string("##block-") + id).c_str(), ImVec2(0, height),
                    ImGuiChildFlags_AlwaysUseWindowPadding);
  ImGui::PushTextWrapPos(0.0f);
  ImGui::TextUnformatted(text.c_str());
  ImGui::PopTextWrapPos();
  ImGui::EndChild();
  ImGui::PopStyleColor();
}

std::string pretty(const std::string& body) {
  const auto json = nlohmann::json::parse(body, nullptr, false);
  if (json.is_discarded()) return body;
  return json.dump(2, ' ', false, nlohmann::json::error_handler_t::replace);
}

void draw_details(Ui& ui, const LogEntry& entry) {
  ImGui::Separator();
  ImGui::Text("#%zu %s · %s", entry.id, entry.action.c_str(),
              entry.style == SignatureStyle::kV1 ? "V1" : "V3");
  ImGui::SameLine();
  copy_button(ui, label(ui, T::CopyCurl, "copy-curl"),
              [&controller = ui.controller, id = entry.id] { return controller.curl_for(id); });
  same_line_if_fits(ImGui::GetFontSize() * 16);  // else, beside the button, one letter a line
  help_text(ui.t(T::CurlOnce));
  item_hooks_name_last(std::string(ui.t(T::CurlOnce)) + "###curl-once");
  if (entry.error) {
    const ApiError& error = *entry.error;
    ImGui::TextUnformatted(ui.t(T::Hint));
    status_text(StatusLevel::kError, error.code + " · " + ui.m(error.hint));
    if (entry.signature_diagnosis) {
      const SignatureDiagnosis& diagnosis = *entry.signature_diagnosis;
      char text[256];
      if (diagnosis.same_string_to_sign) {
        (void)std::snprintf(text, sizeof text, "%s", ui.t(T::SigSame));
      } else {
        (void)std::snprintf(text, sizeof text, ui.t(T::SigDiff),
                            static_cast<int>(diagnosis.first_difference));
      }
      status_text(StatusLevel::kWarning, text);
      if (!diagnosis.explanation.en.empty()) help_text(ui.m(diagnosis.explanation).c_str());
      if (error.server_string_to_sign) {
        // Ours and theirs, split where they part, so the difference stands out.
        const std::size_t at = diagnosis.first_difference;
        const std::string& theirs = *error.server_string_to_sign;
        block(ui, ui.t(T::ServerStringToSign), theirs, "theirs");
        if (!diagnosis.same_string_to_sign && at <= entry.string_to_sign.size()) {
          // Ours from where the two part, so the difference stands out.
          status_text(StatusLevel::kError, "▶ " + entry.string_to_sign.substr(at));
        }
      }
    }
  }
  block(ui, ui.t(T::Canonical), entry.canonical, "canonical");
  block(ui, ui.t(T::StringToSign), entry.string_to_sign, "sts");
  block(ui, ui.t(T::Signature), entry.signature, "signature");
  block(ui, ui.t(T::AnswerBody), pretty(entry.response_body), "answer");
}

}  // namespace

void draw_activity_panel(Ui& ui) {
  const RequestLog& log = ui.state.log;
  if (ImGui::Button(label(ui, T::ExportCsv, "export-csv").c_str()) && ui.view.download) {
    ui.view.download("dypls-activity.csv", "text/csv", log.to_csv());
  }
  ImGui::SameLine();
  if (ImGui::Button(label(ui, T::ExportJson, "export-json").c_str()) && ui.view.download) {
    ui.view.download("dypls-activity.json", "application/json", log.to_json());
  }
  if (log.size() == 0) {
    help_text(ui.t(T::NoActivity));
    return;
  }
  const float details_height = ui.view.open_entry ? ImGui::GetContentRegionAvail().y * 0.55f : 0;
  // As in Numbers: the child window scrolls (sideways too, on a narrow screen) so that the rows
  // stay in the page's Tab order; a ScrollY table would open a window Tab stops at but not in.
  const ImGuiTableFlags flags =
      ImGuiTableFlags_RowBg | ImGuiTableFlags_BordersInnerH | ImGuiTableFlags_Resizable;
  ImGui::BeginChild("##log-scroll", ImVec2(0, -details_height), 0,
                    kFlatForKeyboard | ImGuiWindowFlags_HorizontalScrollbar);
  static const std::vector<Column> kColumns = {{T::ColTime, 7.5f},   {T::ColAction, 10},
                                               {T::ColHttp, 3},      {T::ColCode, 12},
                                               {T::ColRequestId, 0}, {T::ColLatency, 3.5f}};
  const float request_id_width = ImGui::GetFontSize() * 20;  // a RequestId, about 20 font sizes
  if (ImGui::BeginTable("##log", static_cast<int>(kColumns.size()), flags,
                        ImVec2(table_width(kColumns, request_id_width), 0))) {
    setup_columns(ui, kColumns);
    inert_headers_row();
    const auto& entries = log.entries();
    ImGuiListClipper clipper;
    clipper.Begin(static_cast<int>(entries.size()));
    while (clipper.Step()) {
      for (int row = clipper.DisplayStart; row < clipper.DisplayEnd; ++row) {
        // Newest first.
        const LogEntry& e = entries[entries.size() - 1 - static_cast<std::size_t>(row)];
        ImGui::TableNextRow();
        ImGui::TableNextColumn();
        const std::string time = format_time_ms(e.sent_at_ms).substr(11, 12);
        const bool open = ui.view.open_entry == e.id;
        if (ImGui::Selectable((time + "###log-" + std::to_string(e.id)).c_str(), open,
                              ImGuiSelectableFlags_SpanAllColumns)) {
          ui.view.open_entry = open ? std::nullopt : std::optional<std::size_t>(e.id);
        }
        reveal_if_just_focused();
        ImGui::TableNextColumn();
        ImGui::TextUnformatted(e.action.c_str());
        ImGui::TableNextColumn();
        if (e.pending) {
          ImGui::TextDisabled("…");
        } else {
          ImGui::Text("%d", e.http_status);
        }
        ImGui::TableNextColumn();
        if (e.pending) {
          help_text(ui.t(T::Pending));
        } else {
          status_text(e.code == "OK" ? StatusLevel::kSuccess : StatusLevel::kError, e.code);
        }
        ImGui::TableNextColumn();
        ImGui::TextUnformatted(e.request_id.c_str());
        ImGui::TableNextColumn();
        if (!e.pending) ImGui::Text("%lld", static_cast<long long>(e.latency_ms));
      }
    }
    ImGui::EndTable();
  }
  ImGui::EndChild();
  if (ui.view.open_entry) {
    if (const LogEntry* entry = log.find(*ui.view.open_entry)) {
      ImGui::BeginChild("##log-details", ImVec2(0, 0), 0, kFlatForKeyboard);
      draw_details(ui, *entry);
      ImGui::EndChild();
    }
  }
}

}  // namespace dypls::console
