# English texts of wijkbudget. Numbers and amounts come in as arguments
# ($…), already formatted.

## Console: the table after a run

console-head = { $name } — { $n } replications, seed { $seed }, { $years }
console-variant = variant
console-p-any = P(overrun)
console-p-last = in last year
console-overrun-mean = expected overrun
console-overrun-p95 = P95 overrun
console-total = total cost ± se
console-against = Paired difference with { $baseline }:
console-difference = cost difference ± se
console-interval = 90% interval
console-p-saving = P(saving)
console-break-even = break-even
console-never = not within horizon
console-se-note =
    P(overrun) = probability of an overrun in any year; overrun = spend beyond ceiling and reserve, summed
    over the horizon; se = Monte Carlo standard error; difference and interval: variant minus baseline, paired

## Console: the table after a sensitivity analysis

sens-console-head = { $name } · { $variant } — sensitivity analysis ({ $n } replications, seed { $seed })
sens-console-correlated = note: Sobol indices assume independent inputs; correlated parameters are treated as one input ({ $groups })
sens-console-note = note
sens-console-at-medians = at the medians
sens-console-input = input
sens-console-swing = swing P10–P90
sens-console-rank = rank ρ
sens-console-legend =
    swing = output with the input at P90 minus at P10, the rest at the median; S1/ST = first-order/total Sobol index
    {"["}{ $conf } interval]; mu* = Morris, mean absolute effect over P1–P99; rank ρ = Spearman in a plain Monte Carlo run

## Console: the table after an allocation (allocate)

alloc-console-head = { $name } — { $areas } areas, { $n } replications, seed { $seed }, { $first }–{ $last }, budget { $budget } ({ $policy })
alloc-console-policy-overspend = overruns are paid
alloc-console-policy-waitlist = waiting list when the budget is tight
alloc-console-key = Key { $key }:
alloc-console-key-target = Key { $key } (common probability { $p }):
alloc-console-area = area
alloc-console-budget = budget year 1
alloc-console-share = share
alloc-console-cost = expected cost ± se
alloc-console-interval = 90% interval
alloc-console-p-overrun = P(overrun)
alloc-console-overrun = expected overrun
alloc-console-waited = months waited
alloc-console-municipality = municipality
alloc-console-pool-title = Shared risk reserve (solidarity pool), probability of an overrun:
alloc-console-key-column = key
alloc-console-pool = pool { $size }
alloc-console-any-area = any area
alloc-console-legend =
    cost = care spend over the horizon; P(overrun) = probability of a deficit in any year; overrun = spend above budget, summed over the horizon;
    any area = some area keeps a deficit the pool does not cover; municipality = total spend above total budget plus pool; se = Monte Carlo standard error

## Workbook resultaten.xlsx: sheets, columns, notes

xlsx-overview = Overview
xlsx-comparison = Comparison
xlsx-comparison-years = Comparison by year
xlsx-horizon = Horizon
xlsx-yearly = By year (all)
xlsx-assumptions = Assumptions
xlsx-drivers = Drivers
xlsx-variant = variant
xlsx-description = description
xlsx-baseline = baseline
xlsx-year = year
xlsx-key = key
xlsx-metric = metric
xlsx-unit = unit
xlsx-over-horizon = over the horizon
xlsx-mean = mean
xlsx-scenario = scenario
xlsx-file = file
xlsx-seed = seed
xlsx-replications = replications
xlsx-horizon-years = horizon (years)
xlsx-first-year = first year
xlsx-last-year = last year
xlsx-parameter-uncertainty = parameter uncertainty
xlsx-process-uncertainty = process uncertainty
xlsx-program = program
xlsx-generator = random generator
xlsx-yes = yes
xlsx-no = no
xlsx-p-any = P(overrun) any year
xlsx-p-last = P(overrun) last year
xlsx-overrun-mean = expected overrun
xlsx-overrun-p95 = P95 overrun
xlsx-total-cost = total cost
xlsx-difference = total cost difference
xlsx-unpaired-se = se unpaired
xlsx-interval-low = 90% interval from
xlsx-interval-high = 90% interval to
xlsx-p-saving = P(saving)
xlsx-break-even = break-even year
xlsx-never = not within horizon
xlsx-overrun-difference = overrun difference
xlsx-cumulative = cumulative difference
xlsx-p-saving-cumulative = P(saving) cumulative
xlsx-escalations-avoided = escalations avoided
xlsx-p-overrun = P(overrun)
xlsx-parameter = parameter
xlsx-distribution = distribution
xlsx-expected = expected value
xlsx-source = source
xlsx-line = line
xlsx-rank-total-cost = rank correlation total cost
xlsx-rank-overrun = rank correlation overrun
xlsx-unit-euro = euro
xlsx-unit-count = count
xlsx-unit-probability = probability
xlsx-agg-sum = sum
xlsx-agg-mean = mean
xlsx-agg-last = last year
xlsx-agg-max = maximum
xlsx-cut = Cut after { $max } of { $n } rows; the CSV files hold every row.
xlsx-note-1 = P(overrun) = probability of an overrun in any year; overrun = spend beyond ceiling and reserve, summed over the horizon.
xlsx-note-2 = se = Monte Carlo standard error; P5 and P95 = 5th and 95th percentile over the replications.
xlsx-note-3 = Differences: variant minus baseline, paired per replication (common random numbers); negative is a saving.
xlsx-note-4 = Amounts in euros of the year in which they are spent (nominal).

## Metrics (metric-<name> from src/metrics.rs), without stream and level

metric-total_cost = total cost
metric-care_spend = care spend
metric-team_spend = team spend
metric-prevention_spend = prevention
metric-ceiling = ceiling
metric-deficit = deficit
metric-reserve_draw = reserve draw
metric-overrun = overrun
metric-overrun_flag = overrun occurred
metric-reserve_end = reserve at year end
metric-reinvested = reinvested
metric-households = households
metric-new_needs = new needs
metric-relapses = relapses
metric-escalations = escalations
metric-waiting_end = waiting at year end
metric-waiting_months = months waiting
metric-spend = spend
metric-clients = clients

## Charts: titles, axes, legends

chart-municipality = municipality
chart-under-key = under key
chart-gives = gives
chart-for = for
chart-expected-cost-in = expected cost in
chart-the-largest-gap-of-all = the largest gap of all keys
chart-under-every-key-each-area = under every key each area's budget covers its expected cost in
chart-expected-cost = expected cost
chart-and-90-interval-p5-p95 = and 90% interval (P5–P95)
chart-budget-and-care-spend-in = Budget and care spend in
chart-gives-2 = gives
chart-the-largest-chance-of-an = the largest chance of an overrun:
chart-chance-of-an-overrun-per = chance of an overrun per area
chart-under-equal-risk-every-area = under equal risk every area has
chart-equal-risk-level = equal-risk level
chart-chance-of-an-overrun-in = Chance of an overrun in at least one year,
chart-a-pool-of = a pool of
chart-cuts-the-chance-that-some = cuts the chance that some area overruns from
chart-to = to
chart-for-the-municipality-as-a = for the municipality as a whole from
chart-chance-of-an-overrun-against = chance of an overrun against the size of the pool
chart-chance-that-some-area-overruns = chance that some area overruns, by key:
chart-chance-that-the-municipality-as = chance that the municipality as a whole overruns
chart-dashed-the-municipality-as-a = dashed: the municipality as a whole
chart-shared-reserve-pool-topped-up = Shared reserve (pool), topped up at the start of every year; amount in
chart-chance-of-an-uncovered-overrun = Chance of an uncovered overrun in at least one year
chart-replications-per-point = replications per point
chart-common = (common)
chart-tornado = tornado
chart-trajectories = trajectories
chart-levels = levels
chart-depends-most-on = depends most on
chart-from = from
chart-to-2 = to
chart-between = between
chart-and = and
chart-input-at-its-p10 = input at its P10
chart-input-at-its-p90 = input at its P90
chart-all-at-the-median = all at the median:
chart-one-input-from-p10-to = one input from P10 to P90, the rest at the median
chart-explains = explains
chart-of-the-variance-with-interactions = of the variance (with interactions)
chart-this-input-alone-s1 = this input alone (S1)
chart-with-interactions-st = with interactions (ST)
chart-interval = {" "}interval
chart-bootstrap = (bootstrap)
chart-share-of-the-variance-of = Share of the variance of:
chart-has-the-largest-effect = has the largest effect
chart-on-average = on average
chart-input-right-large-effect = input; right: large effect
chart-sigma-mu-above-non-linear = sigma = mu*; above: non-linear or interacting
chart-mean-absolute-effect = mean absolute effect
chart-spread-of-the-effect = spread of the effect
chart-scenario = scenario
chart-source = Source
chart-replications = replications
chart-care-spend-per-year-against = care spend per year against the ceiling; chance of an overrun in
chart-90-of-outcomes-p5-p95 = 90% of outcomes (P5–P95)
chart-50-of-outcomes-p25-p75 = 50% of outcomes (P25–P75)
chart-median = median
chart-ceiling = ceiling
chart-care-spend-per-year-counts = Care spend per year (counts against the ceiling)
chart-has-the-smallest-chance-of = has the smallest chance of an overrun
chart-in-at-least-one-year = in at least one year
chart-against = against
chart-for-2 = for
chart-chance-of-an-overrun = chance of an overrun
chart-chance-of-an-overrun-in-2 = Chance of an overrun in the year
chart-always-0 = {" "}(always 0)
chart-total-cost = Total cost
chart-is-the-cheapest-on-average = is the cheapest on average
chart-middle-50-p25-p75 = middle 50% (P25–P75)
chart-median-of-the-baseline = median of the baseline:
chart-care-team-and-prevention = care, team and prevention
chart-is-the-largest-stream = is the largest stream
chart-of-care-spend-in = of care spend in
chart-care-spend-per-stream = care spend per stream
chart-ceiling-mean = ceiling (mean)
chart-mean-care-spend-per-year = Mean care spend per year
chart-escalations-per-year = Escalations per year
chart-fewest-with = fewest with
chart-in = in
chart-escalations-per-year-mean-households = Escalations per year (mean, households)
chart-households-waiting-at-year-end = Households waiting at year end
chart-most-with = most with
chart-no-variant-builds-up-a = No variant builds up a waiting list
chart-waiting-at-year-end-mean = Waiting at year end (mean, households)
chart-against-2 = against
chart-chance-of-a-saving = chance of a saving
chart-cheaper = cheaper
chart-more-expensive = more expensive
chart-saving-cheaper = saving (cheaper)
chart-no-saving-same-cost-or = no saving (same cost or dearer)
chart-90-interval-p5-p95 = 90% interval (P5–P95)
chart-saving-on-total-cost = Saving on total cost
chart-whole-period-negative-dearer = whole period; negative: dearer
chart-year = Year
chart-share-of-simulated-futures = Share of simulated futures
chart-chance-of-a-saving-2 = Chance of a saving:
chart-on-average-2 = On average

## Report (rapport.html): sentences of src/report/text.rs. HTML markup is
## allowed; names from the scenario come in escaped.

report-overrun = With <strong>{ $name }</strong> the chance that care spend exceeds the ceiling, beyond what the reserve absorbs, in at least one year of { $period } is <strong>{ $p }</strong> (± { $se }). The expected overrun over the whole period is <strong>{ $mean }</strong>; { $worst }.
report-overrun-worst = in the worst 5% of futures the overrun is <strong>{ $p95 }</strong> or more
report-overrun-none = in at least 95% of futures there is no overrun
report-more = more
report-less = less
report-paid-back = from { $year } on it is cumulatively cheaper
report-not-paid-back = it does not pay back within the period
report-comparison = <strong>{ $variant }</strong> costs on average <strong>{ $amount } { $more }</strong> than { $baseline } over { $period } (90% interval of the difference: { $interval }); the chance that it is cheaper is <strong>{ $p_saving }</strong>, and { $paid_back }. Its chance of an overrun is { $p_variant }, against { $p_baseline }.
report-escalations-fewer = { $n } fewer escalations
report-escalations-more = { $n } more escalations
report-prevention = The extra prevention costs { $extra } and saves { $saved } in care and team spend on average ({ $escalations }): { $payback }.
report-prevention-no-payback = it does not pay back within this period
report-prevention-payback = it pays back
report-yes = yes
report-no = no
report-methods =
    <p>Monte Carlo simulation: for each variant <strong>{ $n }</strong> possible futures were computed, month by month over { $years } years from { $start }, with seed <strong>{ $seed }</strong> (the same seed gives exactly the same results). In each future the uncertain assumptions are drawn from their distributions (parameter uncertainty: { $parameter }) and the chance of who needs care, escalates or recovers is simulated (process uncertainty: { $process }).</p>
    <p>All variants use the same random numbers: future <em>r</em> is the same world for every variant, so a difference between variants is measured future by future (paired) and is much more precise than the difference of two separate means.</p>
    <p>Every mean has a Monte Carlo standard error (sd/√n) and every probability √(p(1−p)/n): the uncertainty from the finite number of futures, not the uncertainty about the future itself (shown by the P5–P95 intervals). Percentiles are type 7 (linear interpolation). Amounts are nominal.</p>
report-left-out-1 = Households with needs in several streams are counted once per stream: the streams are independent given the assumptions (correlated assumptions can still tie them together).
report-left-out-2 = Incidence applies to all households of a stratum, including those already in care in that stream (a small overstatement when prevalence is high).
report-left-out-3 = Waiting clients do not recover or leave the area; nobody moves out of care to another area.
report-left-out-4 = Prices change once a year; the ceiling is known at the start of each year.
report-left-out-5 = Prevention spend is always spent in full, and its effect depends on spend per household in the whole area, not on whom it reaches.
report-left-out-6 = Care is never stopped to meet the ceiling.
