#!/usr/bin/env Rscript
# The strategy comparison and cost-effectiveness analysis of an osteosim result, in R with
# hdf5r alone (no osteosim code, no CEA package): strategies compared (clinical fractures
# averted, costs, QALYs), the incremental table with ICERs, the net monetary benefit at the
# file's thresholds, the CEAC recomputed from the PSA draws, and the PSA written in the
# layouts R's CEA packages take (dampack, BCEA, hesim), as CSV files.
#
#   Rscript examples/osteosim-cea.R [OUT.h5] [OUTPUT_DIR]
#
# OUT.h5: a run of scenarios/us-women-screening-cea.yaml, or of any scenario with
# strategies and psa.draws > 0 (without a PSA: the tables, no CEAC or PSA files).
# Debian: r-base-core r-cran-hdf5r. hdf5r shows arrays with their dimensions REVERSED
# (HDF5 is row-major, R column-major): /analysis/psa/cost (psa_draw, strategy) in the file
# is cost[strategy, psa_draw] here, hence the t() below. docs/outputs.md lists every dataset.
suppressPackageStartupMessages(library(hdf5r))

args <- commandArgs(trailingOnly = TRUE)
path <- if (length(args) >= 1) args[1] else "results/cea.h5"
out_dir <- if (length(args) >= 2) args[2] else "."
if (!file.exists(path)) stop("result file '", path, "' does not exist")
dir.create(out_dir, showWarnings = FALSE, recursive = TRUE)

file <- H5File$new(path, mode = "r")
if (!file$exists("analysis/cea")) stop(path, " has no /analysis/cea: run a scenario with strategies")
cea <- file[["analysis/cea"]]
currency <- h5attr(cea, "currency")   # all costs are in this currency; never assume one
price_year <- h5attr(cea, "price_year")
dr_costs <- h5attr(cea, "discount_rate_costs")
dr_qalys <- h5attr(cea, "discount_rate_effects")
strategies <- cea[["strategy"]]$read()
first <- strategies[1]                # the comparator: the first strategy of the scenario
thresholds <- cea[["threshold"]]$read()
wtp <- cea[["wtp"]]$read()
cat(sprintf("%s: %d strategies; costs in %s (%d prices), %s perspective\n", h5attr(file, "scenario"),
            length(strategies), currency, price_year, h5attr(cea, "perspective")))

# Strategies compared: per person, discounted costs and QALYs; clinical fractures
# (undiscounted) per 1,000 and those averted against the first strategy.
compared <- data.frame(
  strategy = strategies,
  cost = cea[["cost"]]$read(),
  qaly = cea[["qaly"]]$read(),
  fractures_per_1000 = 1000 * cea[["clinical_fractures"]]$read())
compared$averted_per_1000 <- compared$fractures_per_1000[1] - compared$fractures_per_1000
names(compared)[2] <- paste0("cost_", currency)
cat("\nStrategies compared, per person (fractures per 1,000; averted against '", first, "')\n", sep = "")
print(format(compared, digits = 5), row.names = FALSE)

# The incremental cost-effectiveness table, as osteosim computed it: strategies by cost,
# dominated ones flagged, ICERs between successive strategies of the frontier.
incremental <- data.frame(
  strategy = strategies,
  cost = cea[["cost"]]$read(),
  qaly = cea[["qaly"]]$read(),
  dominance = cea[["dominance"]]$read(),
  incremental_cost = cea[["incremental_cost"]]$read(),
  incremental_qaly = cea[["incremental_qaly"]]$read(),
  icer = cea[["icer"]]$read())
incremental <- incremental[order(incremental$cost), ]
cat(sprintf("\nIncremental cost-effectiveness (ICER in %s per QALY)\n", currency))
print(format(incremental, digits = 5), row.names = FALSE)

# Net monetary benefit (wtp x QALYs - cost) of the deterministic run at each threshold.
nmb <- t(cea[["nmb"]]$read())         # [wtp, strategy]
dimnames(nmb) <- list(wtp = format(wtp, scientific = FALSE, trim = TRUE), strategy = strategies)
at <- match(thresholds, wtp)
cat(sprintf("\nNet monetary benefit per person (%s) at the thresholds\n", currency))
print(round(nmb[at, , drop = FALSE], 1))
best <- strategies[apply(nmb[at, , drop = FALSE], 1, which.max)]
cat("highest NMB:", paste(sprintf("%s at %s %s/QALY", best, format(thresholds, big.mark = ",", trim = TRUE),
                                  currency), collapse = "; "), "\n")

if (!file$exists("analysis/psa")) {
  file$close_all()
  cat("\nno PSA in this file (psa.draws = 0): no CEAC or PSA tables\n")
  quit(status = 0)
}
psa <- file[["analysis/psa"]]
cost <- t(psa[["cost"]]$read())        # [draw, strategy]
qaly <- t(psa[["qaly"]]$read())
parameters <- t(psa[["parameter_value"]]$read())   # [draw, parameter]
colnames(cost) <- colnames(qaly) <- strategies
colnames(parameters) <- psa[["parameter"]]$read()
draws <- nrow(cost)

# CEAC from the draws: at each wtp, the share of draws in which each strategy has the
# highest net monetary benefit (first strategy on ties, as osteosim's summary does).
ceac <- t(sapply(wtp, function(k) {
  winner <- max.col(k * qaly - cost, ties.method = "first")
  tabulate(winner, nbins = length(strategies)) / draws
}))
dimnames(ceac) <- dimnames(nmb)
stored <- t(cea[["ceac"]]$read())
cat(sprintf("\nCEAC from %d PSA draws (largest difference from /analysis/cea/ceac: %.3g)\n", draws,
            max(abs(ceac - stored))))
print(round(ceac[at, , drop = FALSE], 3))
png(file.path(out_dir, "ceac-R.png"), width = 800, height = 500)
matplot(wtp / 1000, ceac, type = "l", lty = 1, lwd = 2, ylim = c(0, 1), col = seq_along(strategies),
        xlab = sprintf("willingness to pay (thousand %s per QALY)", currency),
        ylab = "probability cost-effective", main = "Cost-effectiveness acceptability curves")
abline(v = thresholds / 1000, lty = 3, col = "grey40")
legend("right", legend = strategies, col = seq_along(strategies), lty = 1, lwd = 2)
invisible(dev.off())
file$close_all()

# The PSA in the layouts of R's CEA packages, as CSV (read back with read.csv or
# data.table::fread, check.names = FALSE keeps the dotted parameter keys):
# dampack  make_psa_obj(cost, effectiveness, parameters, strategies, currency):
#          data frames of one row per draw and one column per strategy; parameters one
#          column each (Alarid-Escudero et al., dampack vignette "psa_analysis").
#            psa <- dampack::make_psa_obj(cost = read.csv("psa-cost.csv", check.names = FALSE),
#              effectiveness = read.csv("psa-qaly.csv", check.names = FALSE),
#              parameters = read.csv("psa-parameters.csv", check.names = FALSE),
#              strategies = STRATEGIES, currency = CURRENCY)
# BCEA     bcea(eff, cost, ref, interventions): nsim x nint matrices, the same tables as
#          matrices (Baio et al., ?BCEA::bcea):
#            BCEA::bcea(as.matrix(read.csv("psa-qaly.csv")), as.matrix(read.csv("psa-cost.csv")),
#                       ref = 1, interventions = STRATEGIES)
# hesim    a "ce" object: list(costs = data.table(category, dr, sample, strategy_id, grp_id,
#          costs), qalys = data.table(dr, sample, strategy_id, grp_id, qalys)), one row per
#          draw and strategy (?hesim::ce); then hesim::cea(ce, dr_costs = DR, dr_qalys = DR).
#          strategy_id is the position in psa-strategies.csv, sample the draw + 1, grp_id 1
#          (one population), category "total", dr the file's discount rates.
write.csv(cost, file.path(out_dir, "psa-cost.csv"), row.names = FALSE)
write.csv(qaly, file.path(out_dir, "psa-qaly.csv"), row.names = FALSE)
write.csv(parameters, file.path(out_dir, "psa-parameters.csv"), row.names = FALSE)
write.csv(data.frame(strategy_id = seq_along(strategies), strategy = strategies, currency = currency),
          file.path(out_dir, "psa-strategies.csv"), row.names = FALSE)
# column-major: strategy varies slowest, draw fastest
long <- data.frame(sample = rep(seq_len(draws), times = length(strategies)),
                   strategy_id = rep(seq_along(strategies), each = draws), grp_id = 1L)
write.csv(data.frame(category = "total", dr = dr_costs, long, costs = as.vector(cost)),
          file.path(out_dir, "psa-hesim-costs.csv"), row.names = FALSE)
write.csv(data.frame(dr = dr_qalys, long, qalys = as.vector(qaly)),
          file.path(out_dir, "psa-hesim-qalys.csv"), row.names = FALSE)
cat(sprintf("\nPSA: %d draws x %d strategies, %d parameters; mean cost per strategy (%s):\n", draws,
            length(strategies), ncol(parameters), currency))
print(round(colMeans(cost), 2))
cat("\nwrote ceac-R.png and psa-{cost,qaly,parameters,strategies,hesim-costs,hesim-qalys}.csv to", out_dir, "\n")
