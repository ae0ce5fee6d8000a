#pragma once
/// Incremental cost-effectiveness analysis on arrays: the efficiency frontier with strong
/// and extended dominance, ICERs along it, net monetary benefit, and from PSA draws the
/// acceptability curve (CEAC), the frontier (CEAF) and the expected value of perfect
/// information (EVPI). Pure functions, no I/O.
#include <array>
#include <cstdint>
#include <string_view>
#include <vector>

namespace osteosim::analysis {

enum class Dominance : std::uint8_t { frontier = 0, dominated, extendedly_dominated };
inline constexpr std::array<std::string_view, 3> kDominanceNames{"frontier", "dominated",
                                                                  "extendedly_dominated"};

struct CeaRow {
  Dominance status = Dominance::frontier;
  /// Against the previous strategy on the frontier (by cost); 0 for the first.
  double incremental_cost = 0;
  double incremental_qaly = 0;
  /// ICER against the previous frontier strategy; NaN off the frontier and for the first.
  double icer = 0;
};

/// The incremental table, rows in the order of the inputs. Strategies are sorted by cost
/// (ties by effect, higher first); a strategy is dominated when another costs no more and
/// gives at least as much effect (one of them strictly), extendedly dominated when a mix of
/// two others would dominate it (its ICER exceeds that of the next more effective frontier
/// strategy). Textbook procedure: Drummond et al. 2015, Methods for the Economic Evaluation
/// of Health Care Programmes, 4th ed., ch. 4.
std::vector<CeaRow> incremental_analysis(const std::vector<double>& cost,
                                         const std::vector<double>& qaly);

/// Net monetary benefit wtp x effect - cost.
double net_monetary_benefit(double cost, double qaly, double wtp_per_qaly);

/// PSA results: cost[d][s] and qaly[d][s] for draw d and strategy s.
struct PsaTable {
  std::vector<std::vector<double>> cost;
  std::vector<std::vector<double>> qaly;
};

struct PsaSummary {
  std::vector<std::vector<double>> ceac;  ///< [wtp][strategy]: share of draws where it has the highest NMB
  std::vector<int> frontier;              ///< [wtp]: strategy with the highest mean NMB (CEAF)
  std::vector<double> evpi;               ///< [wtp]: E[max NMB] - max E[NMB], per person
};

/// CEAC, CEAF and EVPI over a grid of willingness-to-pay values. Ties in a draw go to the
/// lower index, so every row of the CEAC sums to 1.
PsaSummary summarise_psa(const PsaTable& psa, const std::vector<double>& wtp_grid);

}  // namespace osteosim::analysis
