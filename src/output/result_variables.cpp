#include "output/result_variables.hpp"

#include <stdexcept>

#include "model/parameters.hpp"

namespace osteosim::output {

namespace {

using enum EntryKind;
using enum DType;

// Dimension lists shared by many variables.
const std::vector<std::string> kBySite{"year", "sex", "age_band", "site"};
const std::vector<std::string> kByBand{"year", "sex", "age_band"};
const std::vector<std::string> kByDrug{"year", "sex", "age_band", "drug"};
const std::vector<std::string> kByProgramme{"year", "sex", "age_band", "programme"};
const std::vector<std::string> kByOutcome{"outcome"};

// Site lists of the descriptions, from the site registry.

/// "a, b or c": items between separators, the last one before the last item.
std::string joined(const std::vector<std::string>& items, const std::string& separator,
                   const std::string& last) {
  std::string text;
  for (std::size_t i = 0; i < items.size(); ++i) {
    text += (i == 0 ? "" : (i + 1 == items.size() ? last : separator)) + items[i];
  }
  return text;
}
std::vector<std::string> clinical_site_labels() {
  std::vector<std::string> labels;
  for (const auto& row : model::kSiteTable) {
    if (model::is_clinical(row.site)) labels.emplace_back(row.label);
  }
  return labels;
}
/// "hip, clinical_vertebral, silent_vertebral = morphometric only, wrist"
std::string site_names_with_recognition() {
  std::vector<std::string> names;
  for (const auto& row : model::kSiteTable) {
    names.push_back(std::string(row.name) +
                    (model::is_clinical(row.site) ? "" : " = morphometric only"));
  }
  return joined(names, ", ", ", ");
}
/// "hip_first_year, vertebral_first_year (clinical), wrist_first_year": a site sharing its
/// process with a morphometric one is marked clinical.
std::string first_year_cost_categories() {
  std::vector<std::string> names;
  for (const auto& row : model::kSiteTable) {
    if (row.cost_category.empty()) continue;
    const bool shared = model::sites_of_process(static_cast<int>(row.process)) > 1;
    names.push_back(std::string(row.cost_category) + (shared ? " (clinical)" : ""));
  }
  return joined(names, ", ", ", ");
}

std::vector<ResultEntry> root_attributes() {
  const std::string g = "/";
  return {
      {g, "format", attribute, string, {}, "", "file format", "Always \"osteosim-results\".", ""},
      {g,
       "format_version",
       attribute,
       int32,
       {},
       "",
       "file format version",
       "Bumped whenever a reader of the previous version would misread a file.",
       ""},
      {g,
       "osteosim_version",
       attribute,
       string,
       {},
       "",
       "osteosim version that wrote the file",
       "",
       ""},
      {g, "git_commit", attribute, string, {}, "", "git commit osteosim was built from", "", ""},
      {g, "compiler", attribute, string, {}, "", "compiler osteosim was built with", "", ""},
      {g, "created", attribute, string, {}, "", "creation time (UTC, ISO 8601)", "", ""},
      {g, "command_line", attribute, string, {}, "", "command line of the run", "", ""},
      {g,
       "seed",
       attribute,
       int64,
       {},
       "",
       "random seed",
       "Unsigned 32-bit seed, stored as int64 so that R reads it as an integer too.",
       ""},
      {g, "agents", attribute, int64, {}, "agents", "simulated agents", "", ""},
      {g,
       "persons_per_agent",
       attribute,
       float64,
       {},
       "persons",
       "real persons per simulated agent",
       "Multiply simulated counts by this for the real population.",
       ""},
      {g, "scenario", attribute, string, {}, "", "scenario name", "", ""},
      {g, "model", attribute, string, {}, "", "model folder under models/", "", ""},
      {g,
       "population_kind",
       attribute,
       string,
       {},
       "",
       "population kind",
       "\"cohort\" (everyone the same age at the start) or \"cross_section\" (an age/sex "
       "pyramid of a calendar year).",
       ""},
      {g, "start_year", attribute, int32, {}, "year", "first calendar year simulated", "", ""},
      {g, "years", attribute, int32, {}, "years", "number of years simulated", "", ""},
      {g, "time_step_months", attribute, int32, {}, "months", "time step", "", ""},
  };
}

std::vector<ResultEntry> config_entries() {
  const std::string g = "/config";
  return {
      {g,
       "scenario_yaml",
       variable,
       string,
       {},
       "",
       "resolved scenario and model (YAML)",
       "Everything the run used, after extends/overrides.",
       ""},
      {g, "input_files", coordinate, string, {"input_files"}, "", "files read by the run", "", ""},
      {g,
       "input_sha256",
       variable,
       string,
       {"input_files"},
       "",
       "SHA-256 of each input file (hex)",
       "",
       ""},
  };
}

std::vector<ResultEntry> strategy_entries() {
  const std::string g(kStrategyGroupPattern);
  return {
      {g, "strategy", attribute, string, {}, "", "strategy name", "The group's own name.", ""},
      {g,
       "year",
       coordinate,
       int32,
       {"year"},
       "year",
       "calendar year",
       "Calendar year simulated (each row covers the whole year).",
       ""},
      {g, "sex", coordinate, string, {"sex"}, "", "sex", "\"female\", \"male\".", ""},
      {g,
       "age_band",
       coordinate,
       string,
       {"age_band"},
       "",
       "age band (years)",
       "Five-year age band at the time of the event (at the start of the year for "
       "population): \"50-54\" ... \"100+\".",
       ""},
      {g,
       "site",
       coordinate,
       string,
       {"site"},
       "",
       "fracture site",
       "Vertebral fractures are morphometric deformities, either clinically recognised "
       "(clinical_vertebral) or not (silent_vertebral); all vertebral = their sum.",
       ""},
      {g,
       "drug",
       coordinate,
       string,
       {"drug"},
       "",
       "drug of the catalogue",
       "alendronate, risedronate, zoledronic_acid, denosumab, raloxifene, teriparatide.",
       ""},
      {g,
       "programme",
       coordinate,
       string,
       {"programme"},
       "",
       "community programme",
       "exercise, home_hazard_removal, calcium_vitamin_d.",
       ""},
      {g,
       "outcome",
       coordinate,
       string,
       {"outcome"},
       "",
       "fracture outcome compared",
       "The fracture sites and all_clinical (" + joined(clinical_site_labels(), " + ", " + ") +
           ").",
       ""},
      {g,
       "age",
       variable,
       int32,
       {"age_band"},
       "years",
       "first age of the age band",
       "A numeric coordinate beside the age_band labels: 50, 55, ..., 100. Every variable "
       "over age_band names it in its CF `coordinates` attribute, so xarray attaches it "
       "and plots over age work, e.g. `ds.fractures.sum(\"site\").plot(x=\"year\", "
       "y=\"age\", col=\"sex\")`.",
       ""},
      {g,
       "blocks",
       attribute,
       int64,
       {},
       "blocks",
       "independent blocks of agents",
       "Replicates behind the Monte Carlo intervals of this group.",
       ""},
      {g, "fractures", variable, int64, kBySite, "fractures", "fractures (simulated agents)",
       "All fractures of simulated agents, by calendar year, sex, age band at fracture and "
       "site. Multiply by persons_per_agent for the real population.",
       ""},
      {g, "first_fractures", variable, int64, kBySite, "fractures",
       "first fractures at the site (simulated agents)",
       "Fractures that are the agent's first at that site during the run; the sum over years "
       "divided by the starting population is a cumulative risk.",
       ""},
      {g, "first_any_fracture", variable, int64, kByBand, "fractures",
       "first clinical fracture at any site (simulated agents)",
       "Agents having their first clinical fracture (" +
           joined(clinical_site_labels(), ", ", " or ") + ") of the run.",
       ""},
      {g, "deaths", variable, int64, kByBand, "deaths", "deaths from all causes (simulated agents)",
       "", ""},
      {g, "deaths_after_fracture", variable, int64, kByBand, "deaths",
       "deaths attributed to a prior fracture",
       "Deaths drawn from the excess mortality hazard after fracture (a subset of deaths).", ""},
      {g, "population", variable, int64, kByBand, "persons",
       "population alive at the start of the year",
       "Simulated agents alive on 1 January, by their age band then.", ""},
      {g, "falls", variable, int64, kByBand, "falls", "falls (simulated agents)",
       "All falls, whether or not they caused a fracture.", ""},
      {g, "person_years", variable, float64, kByBand, "years",
       "person-time alive (simulated agents)", "", ""},
      {g, "fractures_scaled", variable, float64, kBySite, "fractures",
       "fractures, estimate for the real population",
       "fractures x persons_per_agent: the number expected in the population the simulated "
       "agents stand for.",
       ""},
      {g, "incidence_per_100k", variable, float64, kBySite, "fractures per 100000 person-years",
       "fracture incidence rate",
       "fractures / person_years x 100000; NaN (the _FillValue) where there is no person-time.",
       ""},
      {g, "screened", variable, int64, kByBand, "attendances", "screening attendances",
       "Invitations taken up (each interval counts again).", ""},
      {g, "persons_screened", variable, int64, kByBand, "persons", "persons screened",
       "Agents attending screening for the first time in the run (for numbers needed to screen).",
       ""},
      {g, "dxa_scans", variable, int64, kByBand, "scans", "DXA scans", "", ""},
      {g, "persons_treated", variable, int64, kByBand, "persons", "persons treated",
       "Agents starting their first drug course of the run (for numbers needed to treat).", ""},
      {g, "treatment_starts", variable, int64, kByDrug, "courses", "drug courses started",
       "Including later courses of a sequence and re-treatment after a holiday.", ""},
      {g, "treated_person_years", variable, float64, kByDrug, "years", "time on each drug",
       "Person-time on the drug (persistent users; after discontinuation not counted).", ""},
      {g, "adverse_events", variable, int64, kByDrug, "events",
       "serious adverse events on the drug", "", ""},
      {g, "programme_starts", variable, int64, kByProgramme, "persons",
       "persons joining a community programme", "", ""},
      {g, "block_fractures_sum", variable, int64, kByOutcome, "fractures",
       "sum over blocks of the block's fractures",
       "With the sum of squares, gives the Monte "
       "Carlo variance of the total as if strategies were simulated independently.",
       ""},
      {g, "block_fractures_sum_squares", variable, int64, kByOutcome, "fractures^2",
       "sum over blocks of the squared block fractures", "", ""},
      {g, "paired_difference_sum", variable, int64, kByOutcome, "fractures",
       "sum over blocks of (this strategy - first strategy) fractures",
       "Paired on the same agents and random numbers (common random numbers); zero for the "
       "first strategy.",
       ""},
      {g, "paired_difference_sum_squares", variable, int64, kByOutcome, "fractures^2",
       "sum over blocks of squared paired differences", "", ""},
      {g, "fractures_averted", variable, float64, kByOutcome, "fractures",
       "fractures averted versus the first strategy (simulated agents)",
       "First strategy's fractures minus this strategy's; multiply by persons_per_agent for the "
       "real population.",
       ""},
      {g, "fractures_averted_low", variable, float64, kByOutcome, "fractures",
       "lower end of the 95% Monte Carlo interval of fractures_averted",
       "From the block-to-block variance of the paired difference (normal approximation).", ""},
      {g, "fractures_averted_high", variable, float64, kByOutcome, "fractures",
       "upper end of the 95% Monte Carlo interval of fractures_averted", "", ""},
  };
}

const std::string kWithMicrodata = "microdata_agents > 0";

std::vector<ResultEntry> event_entries() {
  const std::string g(kEventsGroupPattern);
  const std::string w = kWithMicrodata;
  const std::vector<std::string> row{"row"};
  return {
      {g, "row", coordinate, int64, row, "", "row of the event table",
       "0, 1, 2, ...: rows are in agent order, and in time order within an agent.", w},
      {g, "agent", variable, int64, row, "", "agent id",
       "The same id is the same synthetic person in every strategy (common random numbers); "
       "joins with the baseline group.",
       w},
      {g, "time_years", variable, float64, row, "years", "simulation time of the event",
       "Years since the start of the run (start_year, 1 January).", w},
      {g, "age_years", variable, float64, row, "years", "exact age at the event",
       "Age at entry plus time_years minus the entry time.", w},
      {g, "event", variable, string, row, "", "kind of event",
       "entry, fall (every fall, also those that break a bone), fracture, death_background "
       "(life-table hazard), death_after_fracture (excess hazard after fracture), screened, "
       "dxa, treatment_start, treatment_stop, adverse_event, programme_start.",
       w},
      {g, "site", variable, string, row, "", "fracture site",
       "Of a fracture row (" + site_names_with_recognition() + "); empty for other events.", w},
      {g, "value", variable, float64, row, "", "value of the event",
       "fracture: 1 if the agent's first at that site, else 0; screened: 1 if the first "
       "attendance; dxa: measured T-score; treatment_start, treatment_stop, adverse_event: "
       "drug code (index into the strategy group's drug coordinate); programme_start: "
       "programme code; NaN otherwise.",
       w},
  };
}

std::vector<ResultEntry> baseline_entries() {
  const std::string g(kBaselineGroupPattern);
  const std::string w = kWithMicrodata;
  const std::vector<std::string> agent{"agent"};
  std::vector<ResultEntry> entries{
      {g, "agent", coordinate, int64, agent, "", "agent id", "The sampled agents, in id order.", w},
      {g, "entry_time_years", variable, float64, agent, "years", "simulation time of entry",
       "0 for the starting population; later for open-population entrants.", w},
      {g, "sex", variable, string, agent, "", "sex", "\"female\", \"male\".", w},
      {g, "age_years", variable, float64, agent, "years", "age at entry",
       "Exact age when the agent entered.", w},
      {g, "bmd_g_cm2", variable, float64, agent, "g/cm2", "femoral-neck BMD at entry",
       "True BMD (no measurement error).", w},
      {g, "t_score", variable, float64, agent, "", "T-score at entry",
       "True (not measured) femoral-neck T-score against the model's reference.", w},
      {g, "weight_kg", variable, float64, agent, "kg", "body weight at entry",
       "As used by the OST prescreen.", w},
  };
  for (std::string_view factor : model::kRiskFactorNames) {
    entries.push_back({g, std::string(factor), variable, int32, agent, "",
                       "risk factor " + std::string(factor) + " at entry",
                       "1 if present, 0 if not (FRAX-style clinical risk factor).", w});
  }
  return entries;
}

std::vector<ResultEntry> economics_entries() {
  const std::string g(kStrategyGroupPattern);
  const std::vector<std::string> by_category{"year", "category"};
  const std::vector<std::string> by_year{"year"};
  return {
      {g,
       "category",
       coordinate,
       string,
       {"category"},
       "",
       "cost category",
       first_year_cost_categories() +
           ", fracture_later_years, "
           "long_term_care (nursing home after hip fracture), drugs, monitoring, dxa, "
           "prescreening, "
           "fall_programmes, adverse_events, productivity_and_caregiving (societal perspective "
           "only).",
       ""},
      {g, "costs", variable, float64, by_category, "<currency>", "costs, undiscounted (simulated agents)",
       "In the currency and price year of /analysis/cea; by the calendar year they occur in.", ""},
      {g, "discounted_costs", variable, float64, by_category, "<currency>",
       "costs discounted to the start of the run (simulated agents)",
       "Event costs discounted at the event's time, continuous costs by the exact integral of "
       "(1 + rate)^-t over the time they accrue.",
       ""},
      {g, "qalys", variable, float64, by_year, "QALY", "quality-adjusted life-years, undiscounted",
       "Baseline utility by age and sex times the fracture multipliers, integrated over the "
       "time lived (simulated agents).",
       ""},
      {g, "discounted_qalys", variable, float64, by_year, "QALY",
       "quality-adjusted life-years discounted to the start of the run", "", ""},
      {g, "discounted_life_years", variable, float64, by_year, "years",
       "life-years discounted to the start of the run",
       "Undiscounted life-years are person_years summed over sex and age band.", ""},
  };
}

/// The cost-effectiveness analysis: deterministic from the main run, and from the PSA draws.
std::vector<ResultEntry> analysis_entries() {
  const std::string g = "/analysis/cea";
  const std::string psa = "psa.draws > 0";
  const std::string sized = "psa.noise_share is given";
  const std::vector<std::string> by_strategy{"strategy"};
  const std::vector<std::string> by_wtp_strategy{"wtp", "strategy"};
  std::vector<ResultEntry> entries{
      {g,
       "perspective",
       attribute,
       string,
       {},
       "",
       "costing perspective",
       "payer or societal.",
       ""},
      {g, "currency", attribute, string, {}, "", "currency of all costs", "", ""},
      {g, "price_year", attribute, int32, {}, "year", "price year of all costs", "", ""},
      {g,
       "discount_rate_costs",
       attribute,
       float64,
       {},
       "1/year",
       "annual discount rate of costs",
       "",
       ""},
      {g,
       "discount_rate_effects",
       attribute,
       float64,
       {},
       "1/year",
       "annual discount rate of QALYs and life-years",
       "",
       ""},
      {g, "strategy", coordinate, string, by_strategy, "", "strategy", "In the scenario's order.",
       ""},
      {g, "wtp", coordinate, float64, {"wtp"}, "<currency>/QALY", "willingness to pay per QALY",
       "0 to the scenario's (else the model's) willingness_to_pay.grid_max_per_qaly by its "
       "grid_step_per_qaly, and its thresholds.",
       ""},
      {g, "threshold", coordinate, float64, {"threshold"}, "<currency>/QALY",
       "willingness-to-pay thresholds",
       "The thresholds_per_qaly of the scenario's (else the model's) willingness_to_pay: the "
       "values the summary shows; each is on the wtp grid. The tornado uses the middle one "
       "(the upper of two).",
       ""},
      {g, "cost", variable, float64, by_strategy, "<currency>", "discounted cost per person", "", ""},
      {g, "qaly", variable, float64, by_strategy, "QALY", "discounted QALYs per person", "", ""},
      {g, "life_years", variable, float64, by_strategy, "years", "discounted life-years per person",
       "", ""},
      {g, "clinical_fractures", variable, float64, by_strategy, "fractures",
       "clinical fractures per person (undiscounted)", "", ""},
      {g, "dominance", variable, string, by_strategy, "", "dominance status",
       "frontier, dominated (another strategy costs no more and gives at least as many QALYs) or "
       "extendedly_dominated (a mix of two frontier strategies would dominate it).",
       ""},
      {g, "incremental_cost", variable, float64, by_strategy, "<currency>",
       "cost minus the previous frontier strategy's, per person", "NaN off the frontier.", ""},
      {g, "incremental_qaly", variable, float64, by_strategy, "QALY",
       "QALYs minus the previous frontier strategy's, per person", "NaN off the frontier.", ""},
      {g, "icer", variable, float64, by_strategy, "<currency>/QALY",
       "incremental cost-effectiveness ratio",
       "Against the previous strategy on the frontier (sorted by cost); NaN for the cheapest "
       "frontier strategy and off the frontier.",
       ""},
      {g, "incremental_cost_se", variable, float64, by_strategy, "<currency>",
       "Monte Carlo SE of cost minus the first strategy's, per person",
       "From block-to-block variation of the paired difference (common random numbers).", ""},
      {g, "incremental_qaly_se", variable, float64, by_strategy, "QALY",
       "Monte Carlo SE of QALYs minus the first strategy's, per person", "", ""},
      {g, "nmb", variable, float64, by_wtp_strategy, "<currency>", "net monetary benefit per person",
       "wtp x qaly - cost (deterministic run).", ""},
      {g, "ceac", variable, float64, by_wtp_strategy, "1", "cost-effectiveness acceptability curve",
       "Share of PSA draws in which the strategy has the highest net monetary benefit; sums to "
       "1 over strategies.",
       psa},
      {g,
       "ceaf",
       variable,
       string,
       {"wtp"},
       "",
       "cost-effectiveness acceptability frontier",
       "The strategy with the highest mean net monetary benefit over the PSA draws.",
       psa},
      {g,
       "evpi",
       variable,
       float64,
       {"wtp"},
       "<currency>",
       "expected value of perfect information per person",
       "E[max over strategies of NMB] - max over strategies of E[NMB], over the PSA draws.",
       psa},
      {g,
       "nmb_noise_share",
       variable,
       float64,
       {"wtp", "strategy"},
       "1",
       "share of the between-draw variance of the incremental NMB that is Monte Carlo noise",
       "One-way ANOVA (O'Hagan, Stevenson and Madan 2007 Health Econ 16:1009) of the NMB minus "
       "the first strategy's: each draw's Monte Carlo variance wtp^2 se_qaly^2 + se_cost^2 - "
       "2 wtp cov (paired block statistics) over the draws' variance; the rest is parameter "
       "uncertainty, which the CEAC and EVPI should show. NaN for the first strategy and with "
       "fewer than two draws; psa.noise_share sizes a PSA to bring it under a target.",
       psa},
  };
  const std::string d = "/analysis/psa";
  const std::vector<std::string> by_draw{"psa_draw", "strategy"};
  for (ResultEntry e : std::vector<ResultEntry>{
           {d,
            "agents_per_draw",
            attribute,
            int64,
            {},
            "agents",
            "agents simulated per draw",
            "",
            psa},
           {d,
            "noise_share_target",
            attribute,
            float64,
            {},
            "1",
            "psa.noise_share the PSA was sized for",
            "The largest share of the between-draw variance of an incremental cost or QALY "
            "that may be simulation noise. A pilot PSA (pilot_draws draws of "
            "pilot_agents_per_draw agents) measured the shares; agents_per_draw is the size "
            "that brings each to this target (at least 2048).",
            sized},
           {d, "pilot_draws", attribute, int64, {}, "draws", "draws of the pilot PSA", "", sized},
           {d,
            "pilot_agents_per_draw",
            attribute,
            int64,
            {},
            "agents",
            "agents per draw of the pilot PSA",
            "psa.agents_per_draw of the scenario.",
            sized},
           {d,
            "psa_draw",
            coordinate,
            int64,
            {"psa_draw"},
            "",
            "PSA draw",
            "0, 1, ...: draw d uses random-number key (seed, d) and its own parameter sample.",
            psa},
           {d, "strategy", coordinate, string, by_strategy, "", "strategy", "", psa},
           {d,
            "parameter",
            coordinate,
            string,
            {"parameter"},
            "",
            "uncertain parameter",
            "Every number with a non-fixed distribution: its dotted key in model.yaml, drugs.yaml, "
            "interventions.yaml or economics.yaml; a Dirichlet group gives one entry per share "
            "(key.category).",
            psa},
           {d,
            "parameter_value",
            variable,
            float64,
            {"psa_draw", "parameter"},
            "",
            "parameter value drawn",
            "Units of the key in its model file (shares for a Dirichlet).",
            psa},
           {d, "cost", variable, float64, by_draw, "<currency>", "discounted cost per person", "",
            psa},
           {d, "qaly", variable, float64, by_draw, "QALY", "discounted QALYs per person", "", psa},
           {d, "life_years", variable, float64, by_draw, "years",
            "discounted life-years per person", "", psa},
           {d, "clinical_fractures", variable, float64, by_draw, "fractures",
            "clinical fractures per person", "", psa},
           {d, "incremental_cost_se", variable, float64, by_draw, "<currency>",
            "Monte Carlo SE of the draw's cost minus the first strategy's, per person",
            "Compare with the between-draw SD of the incremental cost: when it is not small, "
            "raise psa.agents_per_draw.",
            psa},
           {d, "incremental_qaly_se", variable, float64, by_draw, "QALY",
            "Monte Carlo SE of the draw's QALYs minus the first strategy's, per person", "", psa},
           {d,
            "incremental_cost_noise_share",
            variable,
            float64,
            {"strategy"},
            "1",
            "share of the between-draw variance of the incremental cost that is Monte Carlo noise",
            "One-way ANOVA (O'Hagan, Stevenson and Madan 2007 Health Econ 16:1009): mean squared "
            "incremental_cost_se over the variance of the draws' incremental costs; the rest is "
            "parameter uncertainty. NaN for the first strategy and with fewer than two draws.",
            psa},
           {d,
            "incremental_qaly_noise_share",
            variable,
            float64,
            {"strategy"},
            "1",
            "share of the between-draw variance of the incremental QALYs that is Monte Carlo noise",
            "As incremental_cost_noise_share, for QALYs. The noise variance falls as "
            "1/agents_per_draw; `osteosim summary` prints the agents per draw for a 10% share.",
            psa},
       }) {
    entries.push_back(std::move(e));
  }
  const std::string o = "/analysis/one_way";
  const std::vector<std::string> by_bound{"parameter", "bound", "strategy"};
  for (ResultEntry e : std::vector<ResultEntry>{
           {o,
            "parameter",
            coordinate,
            string,
            {"parameter"},
            "",
            "parameter varied",
            "Every number of the model files with a non-fixed scalar distribution, one at a time "
            "(Dirichlet groups are not varied one way).",
            psa},
           {o,
            "bound",
            coordinate,
            string,
            {"bound"},
            "",
            "end of the range",
            "low = 2.5% quantile, high = 97.5% quantile of the parameter's distribution.",
            psa},
           {o, "strategy", coordinate, string, by_strategy, "", "strategy", "", psa},
           {o,
            "parameter_value",
            variable,
            float64,
            {"parameter", "bound"},
            "",
            "value used",
            "Units of the key in economics.yaml.",
            psa},
           {o, "cost", variable, float64, by_bound, "<currency>", "discounted cost per person",
            "All runs share agents and random numbers (psa.agents_per_draw agents), so "
            "differences are the parameter's effect alone.",
            psa},
           {o, "qaly", variable, float64, by_bound, "QALY", "discounted QALYs per person", "", psa},
           {o, "base_cost", variable, float64, by_strategy, "<currency>",
            "discounted cost per person, every parameter at its value", "", psa},
           {o, "base_qaly", variable, float64, by_strategy, "QALY",
            "discounted QALYs per person, every parameter at its value", "", psa},
       }) {
    entries.push_back(std::move(e));
  }
  const std::string v = "/analysis/evppi";
  const std::string grouped = "psa.draws > 0 and two or more parameters share a key prefix";
  for (ResultEntry e : std::vector<ResultEntry>{
           {v, "method", attribute, string, {}, "", "how EVPPI was estimated",
            "Strong, Oakley & Brennan 2014 (Med Decis Making 34:311): the incremental cost and "
            "QALYs of each strategy against the first are smoothed on the parameter(s) by a "
            "penalised cubic regression spline (additive over a group's parameters, by rank), "
            "smoothing chosen by GCV; EVPPI = mean over draws of the largest fitted net benefit "
            "- the largest mean fitted net benefit.",
            psa},
           {v, "skipped", attribute, string, {}, "", "estimates left out",
            "The parameters and groups with too few PSA draws for their regression, and why; "
            "their EVPPI is NaN.",
            "psa.draws > 0 and a regression had more coefficients than draws"},
           {v, "wtp", coordinate, float64, {"wtp"}, "<currency>/QALY", "willingness to pay per QALY",
            "As /analysis/cea/wtp.", psa},
           {v, "parameter", coordinate, string, {"parameter"}, "", "uncertain parameter",
            "As /analysis/psa/parameter.", psa},
           {v, "evppi", variable, float64, {"wtp", "parameter"}, "<currency>",
            "expected value of partial perfect information per person",
            "What knowing this parameter alone would be worth: at most /analysis/cea/evpi, up to "
            "smoothing error; about 0 for a parameter the decision does not depend on. NaN when "
            "skipped.",
            psa},
           {v, "parameter_group", coordinate, string, {"parameter_group"}, "", "group of parameters",
            "key.*: the parameters under a parent key (e.g. a drug's, a Dirichlet group's shares) "
            "or a top-level key (costs.*, utilities.*), each set of parameters once.",
            grouped},
           {v, "group_members", variable, string, {"parameter_group"}, "", "parameters of the group",
            "Comma-separated.", grouped},
           {v, "group_evppi", variable, float64, {"wtp", "parameter_group"}, "<currency>",
            "expected value of partial perfect information per person, parameters jointly",
            "An additive model misses interactions between a group's parameters, so where they "
            "matter this is an underestimate. NaN when skipped.",
            grouped},
       }) {
    entries.push_back(std::move(e));
  }
  return entries;
}

std::vector<ResultEntry> all_entries() {
  std::vector<ResultEntry> entries;
  for (auto part : {root_attributes(), config_entries(), strategy_entries(), economics_entries(),
                    event_entries(), baseline_entries(), analysis_entries()}) {
    entries.insert(entries.end(), part.begin(), part.end());
  }
  return entries;
}

}  // namespace

const std::vector<ResultEntry>& result_entries() {
  static const std::vector<ResultEntry> entries = all_entries();
  return entries;
}

const ResultEntry& declared_entry(std::string_view group, std::string_view name) {
  for (const ResultEntry& entry : result_entries()) {
    if (entry.group == group && entry.name == name) return entry;
  }
  throw std::logic_error("result file: '" + std::string(name) + "' in '" + std::string(group) +
                         "' is not declared in output/result_variables.cpp");
}

std::string_view to_string(EntryKind kind) {
  switch (kind) {
    case attribute:
      return "attribute";
    case coordinate:
      return "coordinate";
    case variable:
      return "variable";
  }
  return "?";
}

std::string_view to_string(DType dtype) {
  switch (dtype) {
    case int32:
      return "int32";
    case int64:
      return "int64";
    case float64:
      return "float64";
    case string:
      return "string";
  }
  return "?";
}

}  // namespace osteosim::output
