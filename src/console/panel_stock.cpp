// Stock: QuerySecretNoRemain by type, city and prefix; a sortable per-city table with a bar
// chart beside it; a row fills the purchase form.
#include <algorithm>
#include <cstdio>

#include "city_picker.h"
#include "imgui.h"
#include "imgui_stdlib.h"
#include "panels.h"

namespace dypls::console {
namespace {

void draw_table(Ui& ui, float width) {
  StockState& stock = ui.state.stock;
  // No ScrollY: the table's own scrolling window would leave the page's Tab order; the child
  // window around it scrolls instead (both ways on a narrow screen).
  const ImGuiTableFlags flags =
      ImGuiTableFlags_Sortable | ImGuiTableFlags_RowBg | ImGuiTableFlags_BordersInnerH;
  if (!ImGui::BeginTable("##stock-table", 3, flags, ImVec2(width, 0))) return;
  ImGui::TableSetupColumn(ui.t(T::ColCity), ImGuiTableColumnFlags_WidthStretch, 0, 0);
  ImGui::TableSetupColumn(ui.t(T::ColAmount),
                          ImGuiTableColumnFlags_WidthFixed | ImGuiTableColumnFlags_DefaultSort |
                              ImGuiTableColumnFlags_PreferSortDescending,
                          ImGui::GetFontSize() * 5, 1);
  ImGui::TableSetupColumn(ui.t(T::ColAction),
                          ImGuiTableColumnFlags_WidthFixed | ImGuiTableColumnFlags_NoSort,
                          ImGui::GetFontSize() * 6, 2);
  ImGui::TableHeadersRow();
  if (ImGuiTableSortSpecs* specs = ImGui::TableGetSortSpecs(); specs && specs->SpecsDirty) {
    if (specs->SpecsCount > 0) {
      const auto& spec = specs->Specs[0];
      const bool ascending = spec.SortDirection == ImGuiSortDirection_Ascending;
      ui.controller.sort_stock(spec.ColumnUserID == 0
                                   ? (ascending ? StockSort::kCityAsc : StockSort::kCityDesc)
                                   : (ascending ? StockSort::kAmountAsc : StockSort::kAmountDesc));
    }
    specs->SpecsDirty = false;
  }
  std::string picked;
  ImGuiListClipper clipper;
  clipper.Begin(static_cast<int>(stock.rows.size()));
  while (clipper.Step()) {
    for (int i = clipper.DisplayStart; i < clipper.DisplayEnd; ++i) {
      const CityStock& row = stock.rows[static_cast<std::size_t>(i)];
      ImGui::TableNextRow();
      ImGui::TableNextColumn();
      ImGui::TextUnformatted(row.city.c_str());
      ImGui::TableNextColumn();
      ImGui::Text("%lld", static_cast<long long>(row.amount));
      ImGui::TableNextColumn();
      ImGui::BeginDisabled(row.amount <= 0 || row.city == kCityNationwideList);
      if (ImGui::SmallButton((std::string(ui.t(T::UseRow)) + "###use-row-" + row.city).c_str())) {
        picked = row.city;
      }
      ImGui::EndDisabled();
      why_disabled(row.amount <= 0 || row.city == kCityNationwideList, ui.t(T::WhyUseRow));
    }
  }
  ImGui::EndTable();
  if (!picked.empty()) {
    ui.controller.fill_buy_from_stock(picked);
    ui.view.switch_to = Tab::kBuy;
  }
}

// Horizontal bars, longest first, as many as fit.
void draw_chart(Ui& ui) {
  const auto& rows = ui.state.stock.rows;
  ImGui::TextUnformatted(ui.t(T::ChartTitle));
  std::vector<const CityStock*> sorted;
  sorted.reserve(rows.size());
  for (const CityStock& row : rows) sorted.push_back(&row);
  std::stable_sort(sorted.begin(), sorted.end(),
                   [](const CityStock* a, const CityStock* b) { return a->amount > b->amount; });
  if (sorted.empty()) return;
  const double max_amount = static_cast<double>(std::max<std::int64_t>(sorted.front()->amount, 1));
  ImDrawList* draw = ImGui::GetWindowDrawList();
  const float line = ImGui::GetTextLineHeightWithSpacing();
  const float label_width = ImGui::GetFontSize() * 5;
  const float number_width = ImGui::GetFontSize() * 4;
  const ImVec2 origin = ImGui::GetCursorScreenPos();
  const float width = ImGui::GetContentRegionAvail().x;
  const auto fit =
      static_cast<std::size_t>(std::max(1.0f, ImGui::GetContentRegionAvail().y / line));
  const std::size_t count = std::min(sorted.size(), fit);
  const ImU32 bar = ImGui::GetColorU32(ImGuiCol_PlotHistogram);
  const ImU32 text = ImGui::GetColorU32(ImGuiCol_Text);
  for (std::size_t i = 0; i < count; ++i) {
    const float y = origin.y + line * static_cast<float>(i);
    draw->AddText(ImVec2(origin.x, y), text, sorted[i]->city.c_str());
    const float span = std::max(0.0f, width - label_width - number_width);
    const float length =
        span * static_cast<float>(static_cast<double>(sorted[i]->amount) / max_amount);
    draw->AddRectFilled(ImVec2(origin.x + label_width, y + 2),
                        ImVec2(origin.x + label_width + length, y + line - 4), bar, 2);
    char amount[32];
    (void)std::snprintf(amount, sizeof amount, "%lld", static_cast<long long>(sorted[i]->amount));
    draw->AddText(ImVec2(origin.x + label_width + length + 6, y), text, amount);
  }
  ImGui::Dummy(ImVec2(width, line * static_cast<float>(count)));
}

}  // namespace

void draw_stock_panel(Ui& ui) {
  StockState& stock = ui.state.stock;
  spec_field(ui, "stock-spec", stock.spec_id);
  bool entered = city_field(ui, "stock-city", stock.city, true);
  fit_next_field(9, std::string(ui.t(T::Prefix)) + "###stock-prefix");
  ImGui::InputText((std::string(ui.t(T::Prefix)) + "###stock-prefix").c_str(), &stock.prefix,
                   ImGuiInputTextFlags_CharsDecimal);
  entered = submitted_with_enter() || entered;
  ImGui::BeginDisabled(stock.busy);
  if (ImGui::Button((std::string(ui.t(T::QueryStock)) + "###query-stock").c_str()) ||
      (entered && !stock.busy)) {
    ui.controller.query_stock();
  }
  ImGui::EndDisabled();
  why_disabled(stock.busy, ui.t(T::WhyBusy));
  if (stock.error) {
    ImGui::SameLine();
    status_text(
        StatusLevel::kError,
        stock.error->code + ": " +
            ui.m(stock.error->hint.en.empty() ? Message{stock.error->message, stock.error->message}
                                              : stock.error->hint));
  }
  ImGui::Separator();
  if (!stock.answer) {
    help_text(ui.t(T::NoStock));
    return;
  }
  ImGui::Text(ui.t(T::Total), static_cast<long long>(stock.answer->amount));
  // Say where the total came from when it is not simply the API's own, agreeing number.
  if (stock.answer->total_source == StockTotalSource::kSummed) {
    ImGui::SameLine();
    help_text(ui.t(T::TotalSummed));
  } else if (stock.answer->total_source == StockTotalSource::kReportedDisagrees) {
    ImGui::SameLine();
    char text[160];
    (void)std::snprintf(text, sizeof text, ui.t(T::TotalDisagrees),
                        static_cast<long long>(stock.answer->rows_sum));
    status_text(StatusLevel::kWarning, text);
  }
  // Side by side on a wide screen; on a narrow one the table takes the width (scrolling sideways
  // if it must) and the chart goes below it.
  const bool narrow = narrow_window();
  const ImVec2 avail = ImGui::GetContentRegionAvail();
  const ImVec2 table_size = narrow ? ImVec2(0, avail.y * 0.6f) : ImVec2(avail.x * 0.5f, 0);
  ImGui::BeginChild("##stock-left", table_size, 0,
                    kFlatForKeyboard | ImGuiWindowFlags_HorizontalScrollbar);
  draw_table(ui, std::max(ImGui::GetContentRegionAvail().x, ImGui::GetFontSize() * 15));
  ImGui::EndChild();
  if (!narrow) ImGui::SameLine();
  ImGui::BeginChild("##stock-chart", ImVec2(0, 0), 0, kFlatForKeyboard);
  draw_chart(ui);
  ImGui::EndChild();
}

}  // namespace dypls::console
