#!/usr/bin/env Rscript
# Open an osteosim result file in R with hdf5r alone (no osteosim code): print the
# remaining lifetime risk table and draw incidence by age and fractures by year.
#
#   Rscript examples/osteosim-results.R [OUT.h5] [OUTPUT_DIR]
#
# Debian: r-base-core r-cran-hdf5r. HDF5 arrays are row-major and R is column-major, so
# hdf5r shows every array with its dimensions REVERSED: fractures(year, sex, age_band,
# site) in the file is fractures[site, age_band, sex, year] here.
suppressPackageStartupMessages(library(hdf5r))

args <- commandArgs(trailingOnly = TRUE)
path <- if (length(args) >= 1) args[1] else "results/us-cohort-50.h5"
out_dir <- if (length(args) >= 2) args[2] else "."
if (!file.exists(path)) stop("result file '", path, "' does not exist")

file <- H5File$new(path, mode = "r")
cat("scenario", h5attr(file, "scenario"), "- population", h5attr(file, "population_kind"),
    "-", h5attr(file, "agents"), "agents x", h5attr(file, "persons_per_agent"), "persons each\n")

# A variable over (year, sex, age_band[, site]) as a labelled R array, in R's reversed
# order: [site, ]age_band, sex, year. docs/outputs.md lists every variable's dimensions.
read_variable <- function(group, name) {
  values <- group[[name]]$read()
  dims <- rev(c("year", "sex", "age_band", "site")[seq_along(dim(values))])
  dimnames(values) <- setNames(lapply(dims, function(d) as.character(group[[d]]$read())), dims)
  values
}

for (strategy in names(file[["strategies"]])) {
  group <- file[[paste0("strategies/", strategy)]]
  population <- read_variable(group, "population")        # [age_band, sex, year]
  first <- read_variable(group, "first_fractures")         # [site, age_band, sex, year]
  fractures <- read_variable(group, "fractures")
  person_years <- read_variable(group, "person_years")     # [age_band, sex, year]

  # Table: cumulative risk of a first fracture over the run, % of the starting population.
  start <- colSums(population[, , 1])                      # by sex
  risk <- sweep(apply(first, c("site", "sex"), sum), 2, start, "/") * 100
  cat("\nStrategy", strategy, "- cumulative risk of a first fracture (%), sex x site\n")
  print(round(t(risk), 1))

  # Figure 1: incidence per 100,000 person-years by age band, female and male, per site.
  events <- apply(fractures, c("site", "age_band", "sex"), sum)
  py <- apply(person_years, c("age_band", "sex"), sum)
  png(file.path(out_dir, paste0(strategy, "-incidence-by-age-R.png")), width = 1400, height = 420)
  par(mfrow = c(1, dim(events)[1]), mar = c(7, 4.5, 3, 1))
  for (site in dimnames(events)$site) {
    rate <- events[site, , ] / py * 1e5
    rate[py == 0] <- NA
    matplot(rate, type = "b", pch = 19, lty = 1, col = c("firebrick", "steelblue"), xaxt = "n",
            log = "y", main = site, xlab = "",
            ylab = "fractures per 100,000 person-years")
    axis(1, at = seq_len(nrow(rate)), labels = rownames(rate), las = 2)
    title(xlab = "age band (years)", line = 5)
    legend("topleft", legend = colnames(rate), col = c("firebrick", "steelblue"), pch = 19)
  }
  invisible(dev.off())

  # Figure 2: fractures per calendar year in the real population, by site.
  scaled <- apply(read_variable(group, "fractures_scaled"), c("year", "site"), sum)
  png(file.path(out_dir, paste0(strategy, "-by-year-R.png")), width = 800, height = 500)
  years <- as.integer(rownames(scaled))
  matplot(years, scaled / 1000, type = "l", lty = 1, lwd = 2, xlab = "calendar year",
          ylab = "fractures per year (thousands)", main = paste("Fractures by year,", strategy))
  legend("topleft", legend = colnames(scaled), col = seq_len(ncol(scaled)), lty = 1, lwd = 2)
  invisible(dev.off())
}
file$close_all()
cat("\nwrote figures to", out_dir, "\n")
