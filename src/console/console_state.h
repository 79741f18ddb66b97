// Everything the console shows, as plain data. Panels read it and call the Controller; tests
// drive the Controller and read it back. Nothing here holds I/O.
#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/actions.h"
#include "core/credentials.h"
#include "core/message.h"
#include "core/purchase_run.h"
#include "ledger.h"
#include "number_list.h"
#include "request_log.h"

namespace dypls::console {

enum class Language { kZh, kEn };
enum class Theme { kDark, kLight };

struct Settings {
  std::string relay_url;  // empty: the page's own origin
  SignatureStyle style = SignatureStyle::kV1;
  Language language = Language::kZh;
  Theme theme = Theme::kDark;
  float ui_scale = 1.0f;
};

struct RelayConfig {
  bool loaded = false;
  bool failed = false;
  bool sandbox = false;
  std::string sign_host = std::string(kApiHost);
  std::vector<std::string> actions;
  std::string version;
};

enum class CredentialsStatus { kNone, kValid, kExpiringSoon, kExpired, kNoExpiry };

// A named set of credentials, to switch between accounts or roles. Memory only.
struct CredentialsProfile {
  std::string name;
  ParsedCredentials credentials;
  std::string pasted;
  std::int64_t pasted_at = 0;
};

struct CredentialsState {
  std::optional<ParsedCredentials> active;
  std::string pasted;  // the text as pasted, kept only to "remember in this tab"
  bool remember_in_tab = false;
  Message last_error;        // why the last paste was refused
  std::string paste_buffer;  // the paste area's text
  std::vector<CredentialsProfile> profiles;
  std::string active_profile;  // name of the profile in use, if any
  std::string profile_name;    // the name being typed
};

enum class StockSort { kCityAsc, kCityDesc, kAmountAsc, kAmountDesc };

struct StockState {
  int spec_id = 1;
  std::string city = std::string(kCityNationwideList);
  std::string prefix;
  bool busy = false;
  std::optional<StockAnswer> answer;
  std::vector<CityStock> rows;      // answer rows, in the chosen order
  std::vector<std::string> cities;  // every city a 全国列表 answer named (the live list)
  StockSort sort = StockSort::kAmountDesc;
  std::optional<ApiError> error;
  QueryRemainRequest answered_for;  // the query `answer` is for (the form may have changed since)
  std::int64_t answered_ms = 0;     // when it came
};

struct BuyForm {
  std::string pool_key;
  int spec_id = 1;
  std::string city;
  std::string prefix;
  bool display_pool = false;
  int quantity = 1;
};

// The purchase run's state is the core's (core/purchase_run.h): its transitions are pure.
using dypls::AttemptResult;
using dypls::PurchaseAttempt;
using dypls::PurchaseRun;
using dypls::RunPhase;

// A purchase whose answer never came (or was never recorded: the page closed mid-purchase). No
// purchase in its pool may start until the person resolves it. A view of a ledger attempt.
struct UnknownPurchase {
  std::string attempt_id;
  bool no_outcome_recorded =
      false;  // pending in the ledger: a page went away, or another tab waits
  std::string why;
  BuyRequest request;
  std::int64_t at_ms = 0;
  std::size_t log_id = 0;
  std::optional<std::int64_t> stock_before;  // the ledger's figure from before the purchase
  std::int64_t stock_before_ms = 0;          // when that figure was read
  std::optional<std::int64_t> stock_after;   // fetched for the reconciliation
  std::int64_t stock_after_ms = 0;
  Message stock_after_failure;  // why the last query for it failed; empty once one answered
  bool stock_fetched = false;   // the automatic fetch of the figure after was sent (once)
  bool reconciling = false;
  bool reconciled = false;       // a reconcile query answered
  std::string lookup_number;     // a number the person wants to check with QuerySecretNoDetail
  bool checking_number = false;  // that check is in flight
  Message number_check;          // what the last check found, when it did not settle it
  std::string number_verdict;    // its NumberCheckVerdict name ("" before any check)
};

// Another tab's purchase in flight: its attempt has no outcome yet and its tab holds the lock
// (or it is too young to tell). Shown as such, never as an unknown outcome.
struct PurchaseElsewhere {
  std::string attempt_id;
  BuyRequest request;
  std::int64_t at_ms = 0;
};

enum class NumberOrigin { kBought, kLookedUp };

struct NumberRecord {
  std::string secret_no;
  std::string pool_key;
  std::string city;
  NumberOrigin origin = NumberOrigin::kBought;
  std::optional<NumberDetail> detail;
  std::string bought_at;  // local purchase time (UTC, ISO) when bought here
  bool released = false;
  bool busy = false;
  std::string release_confirmation;  // what the person typed to confirm a release
  std::optional<ApiError> error;
};

// A pasted list being looked up, one number at a time.
struct NumberImport {
  std::string pool_key;
  std::vector<std::string> queue;        // still to look up, in order
  std::vector<std::size_t> queue_lines;  // the line each came from
  std::size_t total = 0;                 // numbers read from the list
  std::size_t found = 0;                 // looked up and listed
  std::vector<ListProblem> problems;     // unusable lines, then numbers the API did not know
  std::size_t problem_count = 0;
  std::size_t duplicates = 0;
  bool too_many = false;
  bool too_long = false;
  bool in_flight = false;
  int throttle_waits = 0;
  std::int64_t next_at_ms = 0;  // not before this (spacing, or a throttle wait)
  bool active() const { return in_flight || !queue.empty(); }
};

struct NumbersState {
  std::vector<NumberRecord> records;
  std::string lookup_pool_key;
  std::string lookup_number;
  std::string import_text;
  NumberImport import;
};

using dypls::StatusLevel;

struct StatusLine {
  Message text;
  StatusLevel level = StatusLevel::kInfo;
  std::int64_t at_ms = 0;
  std::uint64_t seq = 0;  // bumps on every change, so the page can announce it
};

struct ConsoleState {
  Settings settings;
  std::string page_origin;  // e.g. "http://127.0.0.1:8080"; for absolute URLs (curl)
  RelayConfig relay;
  CredentialsState credentials;
  StockState stock;
  BuyForm buy;
  PurchaseRun run;
  std::optional<UnknownPurchase> unknown;
  std::vector<PurchaseElsewhere> buying_elsewhere;
  Message reconcile_note;  // how the last unknown outcome was settled, shown on Buy
  NumbersState numbers;
  Ledger ledger;           // this browser's purchase ledger for the relay (durable, shared by tabs)
  Message ledger_problem;  // what loading it found wrong, in plain words (empty: nothing)
  std::string forget_confirmation;  // what the person typed to forget the history
  RequestLog log;
  StatusLine status;
  std::int64_t clock_offset_ms = 0;  // server minus local, from the relay's Date header
  bool clock_offset_measured = false;
  bool demo_loading = false;
};

}  // namespace dypls::console
