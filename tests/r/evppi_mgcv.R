#!/usr/bin/env Rscript
# Cross-check of osteosim's EVPPI (/analysis/evppi, src/analysis/evppi.cpp) against the
# reference smoother of the method it implements: the regression (metamodel) method of
# Strong, Oakley & Brennan 2014 (Med Decis Making 34:311, "Estimating multiparameter
# partial expected value of perfect information from a probabilistic sensitivity analysis
# sample: a nonparametric regression approach"), refitted here with R's mgcv::gam, as that
# paper does, on the PSA draws of the same result file.
#
#   Rscript tests/r/evppi_mgcv.R OUT.h5 [--all-wtp]
#
# Exit 0 when osteosim agrees with mgcv, 1 (and what disagrees) when not, 2 on bad input.
# Debian: r-base-core r-cran-hdf5r r-cran-mgcv (scripts/setup). A missing package is an
# error, never a skip.
#
# What is refitted. For each strategy d other than the first (the baseline, g_0 = 0), the
# per-draw incremental net benefit INB_d(wtp) = wtp * dQALY_d - dCost_d is regressed on
# the parameter(s) theta: INB_d ~ s(theta) for one parameter, and for a group the ADDITIVE
# model INB_d ~ s(theta_1) + ... + s(theta_m): osteosim's group smoother is additive
# (src/analysis/additive_spline.hpp says why: a tensor product te() needs 10^m columns),
# so the cross-check is of that model, not of Strong's te(). Then
#   EVPPI = mean_n max_d g_d(theta_n) - max_d mean_n g_d(theta_n).
# mgcv's defaults as in Strong 2014: thin-plate regression spline, k = 10, GCV, on the
# parameter's own scale (osteosim smooths P-splines on ranks, one smoothing parameter per
# response); the two smoothers differ, so they agree only up to the regression's error.
#
# Where: at the willingness-to-pay thresholds of the file (/analysis/cea/threshold, the
# values the summary prints), for every parameter and every group osteosim estimated;
# --all-wtp compares the singles at every WTP value of /analysis/evppi/wtp too (~4 min).
#
# Tolerance (derived, not tuned): the standard error of mgcv's EVPPI estimate as Strong
# 2014 compute it (section "Estimating the standard error of the EVPPI estimate"): draw
# the GAM coefficients from their posterior N(beta_hat, Vp) (vcov(gam), which covers the
# smoothing bias too: Nychka 1988 JASA 83:1134; Marra & Wood 2012 Scand J Stat 39:53),
# recompute the EVPPI for each of 1000 draws, and take their SD. It is the uncertainty of
# the regression estimate given these PSA draws: another sound smoother of the same draws
# can land anywhere within a few SEs (osteosim smooths cost and QALYs on ranks with cubic
# P-splines, mgcv the net benefit on the raw scale with thin-plate splines, and regression
# EVPPI is biased up by however much each undersmooths), while an error in osteosim's
# estimator (EVPPI formula, strategy baseline, WTP scaling, no smoothing at all, values
# assigned to the wrong parameter where mgcv separates them) moves it by more. Each
# comparison passes when
#   |EVPPI_osteosim - EVPPI_mgcv| <= z * SE + 1e-9,
# z the two-sided normal quantile for a false-failure rate of 1e-4 over all comparisons
# together (Bonferroni; the project's rate, tests/unit/monte_carlo_tolerance.hpp). The SD of
# an SD from 1000 draws is ~2% of it, absorbed by z; 1e-9 (currency units) only lets exact
# zeros (a constant parameter) pass. On the shipped CEA's draws (2026-12) the SEs are 0.6 to
# 12 USD against an EVPI of 54 to 119 USD per person: the PSA's Monte Carlo noise (8192
# agents per draw) limits how precisely ANY regression estimate of EVPPI is known there.
# Seen then: osteosim without smoothing (EVPPI = EVPI) fails all 195 comparisons, and
# EVPPIs moved one parameter along fail one; every EVPPI times 3 passes (the largest is
# 7 USD) -- this check catches errors of the order of the EVPI or misplaced values, not a
# factor of 2 or 3 on a few-USD EVPPI, which the synthetic test (test_evppi.cpp) covers.
#
# Ranking: among the 5 parameters mgcv ranks highest at the reference threshold (the middle
# one, as the summary and tornado use), every pair mgcv separates by more than
# z * sqrt(SE_i^2 + SE_j^2) must be in the same order in osteosim's numbers.
suppressPackageStartupMessages({
  library(hdf5r)
  library(mgcv)
})

args <- commandArgs(trailingOnly = TRUE)
bad_input <- function(...) {
  message("evppi_mgcv.R: ", ...)
  quit(status = 2)
}
all_wtp <- "--all-wtp" %in% args
args <- setdiff(args, "--all-wtp")
if (length(args) != 1) bad_input("usage: Rscript evppi_mgcv.R OUT.h5 [--all-wtp]")
path <- args[1]
if (!file.exists(path)) bad_input("result file '", path, "' does not exist")
file <- tryCatch(H5File$new(path, mode = "r"), error = function(e) bad_input(path, ": ", conditionMessage(e)))
for (g in c("analysis/psa", "analysis/evppi", "analysis/cea")) {
  if (!file$exists(g)) bad_input(path, ": no /", g, " (run a scenario with psa.draws > 0)")
}

# hdf5r reverses dimensions: (psa_draw, parameter) in the file is [parameter, psa_draw] here.
psa <- file[["analysis/psa"]]
theta <- t(psa[["parameter_value"]]$read())
colnames(theta) <- psa[["parameter"]]$read()
cost <- t(psa[["cost"]]$read())            # [draw, strategy]
qaly <- t(psa[["qaly"]]$read())
strategies <- psa[["strategy"]]$read()
ev <- file[["analysis/evppi"]]
wtp <- ev[["wtp"]]$read()
os_single <- t(ev[["evppi"]]$read())      # [wtp, parameter]
colnames(os_single) <- ev[["parameter"]]$read()
has_groups <- ev$exists("parameter_group")
if (has_groups) {
  os_group <- t(ev[["group_evppi"]]$read())
  colnames(os_group) <- ev[["parameter_group"]]$read()
  members <- strsplit(ev[["group_members"]]$read(), ", ", fixed = TRUE)
  names(members) <- colnames(os_group)
}
thresholds <- file[["analysis/cea/threshold"]]$read()
currency <- h5attr(file[["analysis/cea"]], "currency")
file$close_all()

draws <- nrow(theta)
d_cost <- cost[, -1, drop = FALSE] - cost[, 1]
d_qaly <- qaly[, -1, drop = FALSE] - qaly[, 1]
n_posterior <- 1000
set.seed(20261202)
cat(sprintf("%d draws, %d strategies, %d parameters, %d WTP values; currency %s\n", draws,
            length(strategies), ncol(theta), length(wtp), currency))

# EVPPI and its Strong 2014 posterior SE for the parameters `cols` at one wtp.
evppi_mgcv <- function(cols, w) {
  x <- as.data.frame(theta[, cols, drop = FALSE])
  names(x) <- paste0("x", seq_along(cols))
  form <- as.formula(paste("inb ~", paste0("s(", names(x), ")", collapse = " + ")))
  # baseline g_0 = 0: the running maxima start at 0
  best <- numeric(draws); mean_fit <- 0
  best_sim <- matrix(0, draws, n_posterior); mean_sim <- matrix(0, ncol(d_cost), n_posterior)
  for (d in seq_len(ncol(d_cost))) {
    x$inb <- w * d_qaly[, d] - d_cost[, d]
    m <- gam(form, data = x)
    g <- fitted(m)
    best <- pmax(best, g)
    mean_fit <- max(mean_fit, mean(g))
    beta <- rmvn(n_posterior, coef(m), vcov(m))      # Vp, the Bayesian posterior
    g_sim <- predict(m, type = "lpmatrix") %*% t(beta) # [draw, posterior sample]
    best_sim <- pmax(best_sim, g_sim)
    mean_sim[d, ] <- colMeans(g_sim)
  }
  sims <- colMeans(best_sim) - pmax(0, apply(mean_sim, 2, max))
  c(evppi = mean(best) - mean_fit, se = sd(sims))
}

informative <- function(cols) any(apply(theta[, cols, drop = FALSE], 2, function(v) length(unique(v)) > 1))

at <- match(thresholds, wtp)
if (anyNA(at)) bad_input(path, ": a threshold is not on /analysis/evppi/wtp")
singles_at <- if (all_wtp) seq_along(wtp) else at
items <- list()
for (p in colnames(theta)) {
  items[[length(items) + 1]] <- list(kind = "parameter", name = p, cols = p, wtp = wtp[singles_at],
                                     osteosim = os_single[singles_at, p])
}
if (has_groups) {
  for (g in names(members)) {
    # osteosim leaves out (NaN) a group with no fewer draws than coefficients; so does mgcv
    if (1 + 9 * length(members[[g]]) >= draws) next
    items[[length(items) + 1]] <- list(kind = "group", name = g, cols = members[[g]],
                                       wtp = wtp[at], osteosim = os_group[at, g])
  }
}

rows <- list()
for (item in items) {
  for (i in seq_along(item$wtp)) {
    r <- if (informative(item$cols)) evppi_mgcv(item$cols, item$wtp[i]) else c(evppi = 0, se = 0)
    rows[[length(rows) + 1]] <- data.frame(kind = item$kind, name = item$name, wtp = item$wtp[i],
                                           osteosim = item$osteosim[i], mgcv = r[["evppi"]],
                                           se = r[["se"]])
  }
}
result <- do.call(rbind, rows)
if (anyNA(result$osteosim)) {
  message("osteosim's EVPPI is NaN for: ", paste(unique(result$name[is.na(result$osteosim)]), collapse = ", "))
  quit(status = 1)
}
comparisons <- nrow(result)
z <- qnorm(1 - 1e-4 / (2 * comparisons))
floor <- 1e-9
result$tolerance <- z * result$se + floor
result$off <- abs(result$osteosim - result$mgcv) > result$tolerance
cat(sprintf("%d comparisons; z = %.2f (1e-4 false failures, Bonferroni); SE %.3g to %.3g %s\n", comparisons, z,
            min(result$se[result$se > 0]), max(result$se), currency))

reference <- thresholds[(length(thresholds) %/% 2) + 1]
show <- result[result$wtp %in% thresholds, ]
show <- show[order(show$wtp, -show$mgcv), ]
cat(sprintf("\nEVPPI per person (%s) at the thresholds, largest first (top 8 per WTP):\n", currency))
for (w in thresholds) {
  s <- head(show[show$wtp == w, ], 8)
  cat(sprintf("  WTP %s\n", format(w, big.mark = ",", scientific = FALSE)))
  for (k in seq_len(nrow(s))) {
    cat(sprintf("    %-44s osteosim %9.4f  mgcv %9.4f  SE %8.4f%s\n", s$name[k], s$osteosim[k],
                s$mgcv[k], s$se[k], if (s$off[k]) "  OFF" else ""))
  }
}

failed <- FALSE
if (any(result$off)) {
  failed <- TRUE
  bad <- result[result$off, ]
  cat(sprintf("\nFAIL: %d of %d EVPPI values differ from mgcv by more than z * SE:\n", nrow(bad), comparisons))
  print(head(bad[order(-abs(bad$osteosim - bad$mgcv) / bad$tolerance), ], 20), row.names = FALSE)
} else {
  ratio <- abs(result$osteosim - result$mgcv) / pmax(result$se, floor)
  cat(sprintf("\nall %d within z * SE; largest |difference| / SE = %.2f (median %.2f)\n", comparisons,
              max(ratio), median(ratio)))
}

# Ranking at the reference threshold, singles: pairs mgcv separates must keep their order.
at_ref <- result[result$kind == "parameter" & result$wtp == reference, ]
at_ref <- head(at_ref[order(-at_ref$mgcv), ], 5)
swapped <- character(0)
for (i in seq_len(nrow(at_ref) - 1)) {
  for (j in (i + 1):nrow(at_ref)) {
    gap <- at_ref$mgcv[i] - at_ref$mgcv[j]
    if (gap > z * sqrt(at_ref$se[i]^2 + at_ref$se[j]^2) && at_ref$osteosim[i] <= at_ref$osteosim[j]) {
      swapped <- c(swapped, paste(at_ref$name[i], ">", at_ref$name[j]))
    }
  }
}
cat(sprintf("\nranking at WTP %s: mgcv %s; osteosim %s\n", format(reference, big.mark = ",", scientific = FALSE),
            paste(at_ref$name, collapse = " > "),
            paste(at_ref$name[order(-at_ref$osteosim)], collapse = " > ")))
if (length(swapped)) {
  failed <- TRUE
  cat("FAIL: osteosim orders against mgcv's clear separation:", paste(swapped, collapse = "; "), "\n")
}
if (failed) quit(status = 1)
cat("osteosim's EVPPI agrees with mgcv\n")
