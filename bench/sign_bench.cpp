// Signs the same cases over and over and reports signatures per second, so that the native core,
// the wasm core under Node and the vendor's Node signers are timed on identical inputs
// (bench/sign.mjs writes the cases and runs the same loop over the vendor's functions).
//
//   dypls-bench-sign CASES.jsonl [--seconds S] [--runs N]   one JSON line of rates
//   dypls-bench-sign CASES.jsonl --print                    one signature per case, to cross-check
//
// Cases are dypls-sign input lines (docs/design.md). Reading them is not timed: only sign().
// Beside each rate, the signer's limit: the same cases' HMAC alone (HMAC-SHA1 for V1, HMAC-SHA256
// for V3) over the string to sign each produces, in the same engine. No signer of these cases
// can be faster than that; the gap is what building the string to sign costs.
// And the floor: the hashing the signature version itself requires. V3 hashes the canonical
// request (SHA-256, the STS token in it) before the HMAC; V1 has nothing beyond the HMAC.
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <fstream>
#include <functional>
#include <iostream>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "cli/sign_json.h"
#include "core/crypto.h"
#include "core/signer.h"

namespace {

using dypls::cli::SignInput;
using Clock = std::chrono::steady_clock;

#ifdef __EMSCRIPTEN__
constexpr const char* kEngine = "wasm";
#else
constexpr const char* kEngine = "native";
#endif

struct Options {
  std::string cases_path;
  double seconds = 1.0;  // each run signs whole passes until at least this long has passed
  int runs = 5;
  bool print = false;
};

bool parse_options(int argc, char** argv, Options& options) {
  for (int i = 1; i < argc; ++i) {
    const std::string arg = argv[i];
    if (arg == "--print") {
      options.print = true;
    } else if (arg == "--seconds" && i + 1 < argc) {
      options.seconds = std::stod(argv[++i]);
    } else if (arg == "--runs" && i + 1 < argc) {
      options.runs = std::stoi(argv[++i]);
    } else if (options.cases_path.empty() && arg.rfind("--", 0) != 0) {
      options.cases_path = arg;
    } else {
      return false;
    }
  }
  return !options.cases_path.empty() && options.seconds > 0 && options.runs > 0;
}

// Every line must parse: a bench that silently skips cases would time less work.
bool read_cases(const std::string& path, std::vector<SignInput>& cases, std::vector<int>& ids) {
  std::ifstream in(path);
  if (!in) {
    std::cerr << "cannot read " << path << ": give the cases file bench/sign.mjs writes\n";
    return false;
  }
  std::string line;
  int number = 0;
  while (std::getline(in, line)) {
    ++number;
    if (line.empty()) continue;
    const auto json = nlohmann::json::parse(line, nullptr, false);
    if (json.is_discarded()) {
      std::cerr << path << ":" << number << ": not JSON\n";
      return false;
    }
    auto result = dypls::cli::read_sign_input(json, {});
    if (!result.input) {
      std::cerr << path << ":" << number << ": " << result.error << "\n";
      return false;
    }
    cases.push_back(std::move(*result.input));
    ids.push_back(json.value("id", number - 1));
  }
  if (cases.empty()) std::cerr << path << ": no cases\n";
  return !cases.empty();
}

// One case's hashing alone: the HMAC of its string to sign, and for the floor also the SHA-256 of
// the V3 canonical request (empty: HMAC only).
struct HmacAlone {
  bool v1 = true;
  std::string key;  // V1: secret + "&"
  std::string string_to_sign;
  std::string canonical_to_hash;
};

HmacAlone hmac_alone(const SignInput& input, bool with_canonical_hash) {
  const bool v1 = input.spec.style == dypls::SignatureStyle::kV1;
  const dypls::SignedRequest signed_request = dypls::sign(input.spec, input.key, input.ctx);
  return {v1, v1 ? input.key.secret + "&" : input.key.secret, signed_request.string_to_sign,
          with_canonical_hash && !v1 ? signed_request.canonical : std::string()};
}

std::size_t work(const SignInput& input) {
  return dypls::sign(input.spec, input.key, input.ctx).signature.size();
}

std::size_t work(const HmacAlone& job) {
  const std::size_t hashed =
      job.canonical_to_hash.empty() ? 0 : dypls::sha256(job.canonical_to_hash).size();
  return hashed + (job.v1 ? dypls::hmac_sha1(job.key, job.string_to_sign)
                          : dypls::hmac_sha256(job.key, job.string_to_sign))
                      .size();
}

// One subset to time: how many items a pass does, and the pass (it returns a checksum).
struct Subset {
  std::size_t size = 0;
  std::function<std::size_t()> pass;
};

template <typename Item>
Subset subset_of(const std::vector<const Item*>& items) {
  return {items.size(), [&items] {
            std::size_t sum = 0;
            for (const Item* item : items) sum += work(*item);
            return sum;
          }};
}

// Items per second over each of `subsets` (signatures and HMACs alone alike), median of `runs`
// runs. The subsets are timed in turns of whole passes, about a tenth of `seconds` each, rotating
// which goes first, until each has run for `seconds`: on a shared machine a burst of load from
// elsewhere then lands on all of them alike, and none is always the first one timed. A signer and
// its limit are timed in the same turns, so the ratio between them shares the machine's moods.
// (Timed one after the other, each in its own window, the mix could come out slower than both of
// its halves, and a signer slower than its limit by however the load changed.)
std::vector<double> median_rates(const std::vector<Subset>& subsets, const Options& options,
                                 std::size_t& sink) {
  const double turn_seconds = options.seconds / 10;
  std::vector<std::vector<double>> rates(subsets.size());
  for (int run = 0; run < options.runs; ++run) {
    std::vector<std::size_t> counts(subsets.size(), 0);
    std::vector<double> elapsed(subsets.size(), 0);
    for (std::size_t k = 0; k < subsets.size(); ++k) {
      if (subsets[k].size == 0) elapsed[k] = options.seconds;  // nothing to time: done
    }
    for (std::size_t turn = 0; *std::min_element(elapsed.begin(), elapsed.end()) < options.seconds;
         ++turn) {
      for (std::size_t k = 0; k < subsets.size(); ++k) {
        const std::size_t which = (turn + k) % subsets.size();
        const Subset& subset = subsets[which];
        if (elapsed[which] >= options.seconds) continue;
        const auto start = Clock::now();
        double spent = 0;
        do {
          sink += subset.pass();
          counts[which] += subset.size;
          spent = std::chrono::duration<double>(Clock::now() - start).count();
        } while (spent < turn_seconds);
        elapsed[which] += spent;
      }
    }
    for (std::size_t k = 0; k < subsets.size(); ++k) {
      rates[k].push_back(subsets[k].size == 0 ? 0.0 : static_cast<double>(counts[k]) / elapsed[k]);
    }
  }
  std::vector<double> medians;
  for (auto& subset_rates : rates) {
    std::sort(subset_rates.begin(), subset_rates.end());
    medians.push_back(subset_rates[subset_rates.size() / 2]);
  }
  return medians;
}

}  // namespace

int main(int argc, char** argv) {
  Options options;
  if (!parse_options(argc, argv, options)) {
    std::cerr << "usage: dypls-bench-sign CASES.jsonl [--seconds S] [--runs N] [--print]\n";
    return 2;
  }
  std::vector<SignInput> cases;
  std::vector<int> ids;
  if (!read_cases(options.cases_path, cases, ids)) return 1;

  if (options.print) {
    for (std::size_t i = 0; i < cases.size(); ++i) {
      const auto signed_request = dypls::sign(cases[i].spec, cases[i].key, cases[i].ctx);
      std::cout << nlohmann::json{{"id", ids[i]}, {"signature", signed_request.signature}}.dump()
                << "\n";
    }
    return 0;
  }

  std::vector<const SignInput*> all;
  std::vector<const SignInput*> v1;
  std::vector<const SignInput*> v3;
  for (const SignInput& input : cases) {
    all.push_back(&input);
    (input.spec.style == dypls::SignatureStyle::kV1 ? v1 : v3).push_back(&input);
  }
  std::vector<HmacAlone> jobs;
  std::vector<HmacAlone> floor_jobs;
  jobs.reserve(cases.size());
  floor_jobs.reserve(cases.size());
  for (const SignInput& input : cases) {
    jobs.push_back(hmac_alone(input, false));
    floor_jobs.push_back(hmac_alone(input, true));
  }
  std::vector<const HmacAlone*> jobs_all;
  std::vector<const HmacAlone*> jobs_v1;
  std::vector<const HmacAlone*> jobs_v3;
  for (const HmacAlone& job : jobs) {
    jobs_all.push_back(&job);
    (job.v1 ? jobs_v1 : jobs_v3).push_back(&job);
  }
  std::vector<const HmacAlone*> floor_all;
  std::vector<const HmacAlone*> floor_v3;
  for (const HmacAlone& job : floor_jobs) {
    floor_all.push_back(&job);
    if (!job.v1) floor_v3.push_back(&job);
  }
  std::size_t sink = 0;
  {
    Options warm = options;  // one short pass so the first timed run is not the cold one
    warm.runs = 1;
    warm.seconds = options.seconds / 4;
    median_rates({subset_of(all), subset_of(jobs_all)}, warm, sink);
  }
  // "all" is the cases in the generator's order, V1 and V3 mixed as a console sends them.
  const auto rates = median_rates(
      {subset_of(all), subset_of(v1), subset_of(v3), subset_of(jobs_all), subset_of(jobs_v1),
       subset_of(jobs_v3), subset_of(floor_all), subset_of(floor_v3)},
      options, sink);
  nlohmann::json out = {{"engine", kEngine}, {"cases", cases.size()}};
  out["all"] = rates[0];
  out["v1"] = rates[1];
  out["v3"] = rates[2];
  out["limit"] = {{"all", rates[3]}, {"v1", rates[4]}, {"v3", rates[5]}};
  // V1's floor is its limit (the same HMAC).
  out["floor"] = {{"all", rates[6]}, {"v1", rates[4]}, {"v3", rates[7]}};
  out["checksum"] = sink;  // keeps the optimiser from dropping the work
  std::cout << out.dump() << std::endl;
  return 0;
}
