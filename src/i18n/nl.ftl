# Nederlandse teksten van wijkbudget. Getallen en bedragen komen als
# argumenten ($…) binnen, al opgemaakt.

## Console: de tabel na een run

console-head = { $name } — { $n } replicaties, seed { $seed }, { $years }
console-variant = variant
console-p-any = kans overschr.
console-p-last = in laatste jaar
console-overrun-mean = verwacht tekort
console-overrun-p95 = P95 tekort
console-total = totale kosten ± se
console-against = Gepaard verschil met { $baseline }:
console-difference = verschil kosten ± se
console-interval = 90%-interval
console-p-saving = kans besparing
console-break-even = terugverdiend
console-never = niet binnen horizon
console-se-note =
    kans overschr. = kans op een tekort in enig jaar; tekort = uitgaven boven plafond en reserve, opgeteld
    over de horizon; se = Monte Carlo-standaardfout; verschil en interval: variant min basis, per replicatie

## Console: de tabel na een gevoeligheidsanalyse

sens-console-head = { $name } · { $variant } — gevoeligheidsanalyse ({ $n } replicaties, seed { $seed })
sens-console-correlated = let op: Sobol-indices veronderstellen onafhankelijke invoer; gecorreleerde parameters zijn als één invoer behandeld ({ $groups })
sens-console-note = let op
sens-console-at-medians = bij de medianen
sens-console-input = invoer
sens-console-swing = zwaai P10–P90
sens-console-rank = rang-ρ
sens-console-legend =
    zwaai = uitkomst met de invoer op P90 min op P10, de rest op de mediaan; S1/ST = Sobol-index eerste orde/totaal
    {"["}{ $conf }-interval]; mu* = Morris, gemiddeld absoluut effect over P1–P99; rang-ρ = Spearman in een gewone Monte Carlo-run

## Console: de tabel na een verdeling (allocate)

alloc-console-head = { $name } — { $areas } wijken, { $n } replicaties, seed { $seed }, { $first }–{ $last }, budget { $budget } ({ $policy })
alloc-console-policy-overspend = overschrijding wordt betaald
alloc-console-policy-waitlist = wachtlijst bij krap budget
alloc-console-key = Verdeelsleutel { $key }:
alloc-console-key-target = Verdeelsleutel { $key } (gemeenschappelijke kans { $p }):
alloc-console-area = wijk
alloc-console-budget = budget jaar 1
alloc-console-share = aandeel
alloc-console-cost = verwachte kosten ± se
alloc-console-interval = 90%-interval
alloc-console-p-overrun = kans overschr.
alloc-console-overrun = verwacht tekort
alloc-console-waited = wachtmaanden
alloc-console-municipality = gemeente
alloc-console-pool-title = Solidariteitspot (gedeelde risicoreserve), kans op overschrijding:
alloc-console-key-column = verdeelsleutel
alloc-console-pool = pot { $size }
alloc-console-any-area = enige wijk
alloc-console-legend =
    kosten = zorguitgaven over de horizon; kans overschr. = kans op een tekort in enig jaar; tekort = uitgaven boven budget, opgeteld over de horizon;
    enige wijk = een wijk houdt een tekort dat de pot niet dekt; gemeente = totale uitgaven boven totaal budget plus pot; se = Monte Carlo-standaardfout

## Werkboek resultaten.xlsx: bladen, kolommen, voetnoten

xlsx-overview = Overzicht
xlsx-comparison = Vergelijking
xlsx-comparison-years = Vergelijking per jaar
xlsx-horizon = Horizon
xlsx-yearly = Per jaar (alle)
xlsx-assumptions = Aannames
xlsx-drivers = Gevoeligheid
xlsx-variant = variant
xlsx-description = omschrijving
xlsx-baseline = basis
xlsx-year = jaar
xlsx-key = sleutel
xlsx-metric = grootheid
xlsx-unit = eenheid
xlsx-over-horizon = over de horizon
xlsx-mean = gem.
xlsx-scenario = scenario
xlsx-file = bestand
xlsx-seed = seed
xlsx-replications = replicaties
xlsx-horizon-years = horizon (jaren)
xlsx-first-year = eerste jaar
xlsx-last-year = laatste jaar
xlsx-parameter-uncertainty = parameteronzekerheid
xlsx-process-uncertainty = procesonzekerheid
xlsx-program = programma
xlsx-generator = toevalsgenerator
xlsx-yes = ja
xlsx-no = nee
xlsx-p-any = kans overschrijding enig jaar
xlsx-p-last = kans overschrijding laatste jaar
xlsx-overrun-mean = verwacht tekort
xlsx-overrun-p95 = P95 tekort
xlsx-total-cost = totale kosten
xlsx-difference = verschil totale kosten
xlsx-unpaired-se = se zonder paring
xlsx-interval-low = 90%-interval van
xlsx-interval-high = 90%-interval tot
xlsx-p-saving = kans besparing
xlsx-break-even = terugverdiend in
xlsx-never = niet binnen horizon
xlsx-overrun-difference = verschil tekort
xlsx-cumulative = cumulatief verschil
xlsx-p-saving-cumulative = kans besparing cumulatief
xlsx-escalations-avoided = escalaties voorkomen
xlsx-p-overrun = kans overschrijding
xlsx-parameter = parameter
xlsx-distribution = verdeling
xlsx-expected = verwachting
xlsx-source = bron
xlsx-line = regel
xlsx-rank-total-cost = rangcorrelatie totale kosten
xlsx-rank-overrun = rangcorrelatie tekort
xlsx-unit-euro = euro
xlsx-unit-count = aantal
xlsx-unit-probability = kans
xlsx-agg-sum = som
xlsx-agg-mean = gemiddelde
xlsx-agg-last = laatste jaar
xlsx-agg-max = maximum
xlsx-cut = Afgekapt na { $max } van { $n } rijen; alle rijen staan in de CSV-bestanden.
xlsx-note-1 = kans overschrijding = kans op een tekort in enig jaar; tekort = uitgaven boven plafond en reserve, opgeteld over de horizon.
xlsx-note-2 = se = Monte Carlo-standaardfout; P5 en P95 = 5e en 95e percentiel over de replicaties.
xlsx-note-3 = Verschillen: variant min basis, per replicatie gepaard (gemeenschappelijke toevalsgetallen); negatief is een besparing.
xlsx-note-4 = Bedragen in euro van het jaar waarin ze worden uitgegeven (nominaal).

## Grootheden (metric-<naam> uit src/metrics.rs), zonder stroom en niveau

metric-total_cost = totale kosten
metric-care_spend = zorguitgaven
metric-team_spend = uitgaven wijkteam
metric-prevention_spend = preventie
metric-ceiling = plafond
metric-deficit = saldo boven plafond
metric-reserve_draw = onttrekking reserve
metric-overrun = tekort
metric-overrun_flag = overschrijding
metric-reserve_end = reserve eind jaar
metric-reinvested = geherinvesteerd
metric-households = huishoudens
metric-new_needs = nieuwe hulpvragen
metric-relapses = terugval
metric-escalations = escalaties
metric-waiting_end = wachtend eind jaar
metric-waiting_months = wachtmaanden
metric-spend = uitgaven
metric-clients = cliënten

## Grafieken: titels, assen, legenda's

chart-municipality = gemeente
chart-under-key = met sleutel
chart-gives = krijgt
chart-for = voor
chart-expected-cost-in = verwachte kosten in
chart-the-largest-gap-of-all = het grootste gat van alle sleutels
chart-under-every-key-each-area = onder elke sleutel dekt elk wijkbudget de verwachte kosten in
chart-expected-cost = verwachte kosten
chart-and-90-interval-p5-p95 = en 90%-interval (P5–P95)
chart-budget-and-care-spend-in = Budget en zorguitgaven in
chart-gives-2 = heeft
chart-the-largest-chance-of-an = de grootste kans op een tekort:
chart-chance-of-an-overrun-per = kans op een tekort per wijk
chart-under-equal-risk-every-area = bij gelijk risico heeft elke wijk
chart-equal-risk-level = niveau bij gelijk risico
chart-chance-of-an-overrun-in = Kans op een tekort in minstens één jaar,
chart-a-pool-of = een pool van
chart-cuts-the-chance-that-some = verlaagt de kans dat een wijk tekortkomt van
chart-to = naar
chart-for-the-municipality-as-a = voor de gemeente als geheel van
chart-chance-of-an-overrun-against = kans op een tekort tegen de grootte van de pool
chart-chance-that-some-area-overruns = kans dat minstens één wijk tekortkomt, per sleutel:
chart-chance-that-the-municipality-as = kans dat de gemeente als geheel tekortkomt
chart-dashed-the-municipality-as-a = gestreept: de gemeente als geheel
chart-shared-reserve-pool-topped-up = Gedeelde reservepot (pool), aangevuld aan het begin van elk jaar; bedrag in
chart-chance-of-an-uncovered-overrun = Kans op een ongedekt tekort in minstens één jaar
chart-replications-per-point = replicaties per punt
chart-common = (gemeenschappelijk)
chart-tornado = tornado
chart-trajectories = trajecten
chart-levels = niveaus
chart-depends-most-on = hangt vooral af van
chart-from = van
chart-to-2 = tot
chart-between = tussen
chart-and = en
chart-input-at-its-p10 = invoer op zijn P10
chart-input-at-its-p90 = invoer op zijn P90
chart-all-at-the-median = alles op de mediaan:
chart-one-input-from-p10-to = één invoer van P10 naar P90, de rest op de mediaan
chart-explains = verklaart
chart-of-the-variance-with-interactions = van de spreiding (met interacties)
chart-this-input-alone-s1 = alleen deze invoer (S1)
chart-with-interactions-st = met interacties (ST)
chart-interval = -interval
chart-bootstrap = (bootstrap)
chart-share-of-the-variance-of = Aandeel in de variantie van:
chart-has-the-largest-effect = heeft het grootste effect
chart-on-average = gemiddeld
chart-input-right-large-effect = invoer; rechts: groot effect
chart-sigma-mu-above-non-linear = sigma = mu*; erboven: niet-lineair of samenspel
chart-mean-absolute-effect = gemiddeld absoluut effect
chart-spread-of-the-effect = spreiding van het effect
chart-scenario = scenario
chart-source = Bron
chart-replications = replicaties
chart-care-spend-per-year-against = zorguitgaven per jaar tegen het plafond; kans op een tekort in
chart-90-of-outcomes-p5-p95 = 90% van de uitkomsten (P5–P95)
chart-50-of-outcomes-p25-p75 = 50% van de uitkomsten (P25–P75)
chart-median = mediaan
chart-ceiling = plafond
chart-care-spend-per-year-counts = Zorguitgaven per jaar (tellen mee voor het plafond)
chart-has-the-smallest-chance-of = heeft de kleinste kans op een tekort
chart-in-at-least-one-year = in minstens één jaar
chart-against = tegen
chart-for-2 = bij
chart-chance-of-an-overrun = kans op een tekort
chart-chance-of-an-overrun-in-2 = Kans op een tekort in het jaar
chart-always-0 = {" "}(steeds 0)
chart-total-cost = Totale kosten
chart-is-the-cheapest-on-average = is gemiddeld het goedkoopst
chart-middle-50-p25-p75 = middelste 50% (P25–P75)
chart-median-of-the-baseline = mediaan van de basis:
chart-care-team-and-prevention = zorg, wijkteam en preventie
chart-is-the-largest-stream = is de grootste post
chart-of-care-spend-in = van de zorguitgaven in
chart-care-spend-per-stream = zorguitgaven per budgetstroom
chart-ceiling-mean = plafond (gemiddeld)
chart-mean-care-spend-per-year = Gemiddelde zorguitgaven per jaar
chart-escalations-per-year = Escalaties per jaar
chart-fewest-with = de minste bij
chart-in = in
chart-escalations-per-year-mean-households = Escalaties per jaar (gemiddeld, huishoudens)
chart-households-waiting-at-year-end = Wachtenden aan het eind van het jaar
chart-most-with = de meeste bij
chart-no-variant-builds-up-a = Geen enkele variant bouwt een wachtlijst op
chart-waiting-at-year-end-mean = Wachtenden eind van het jaar (gemiddeld, huishoudens)
chart-against-2 = tegenover
chart-chance-of-a-saving = kans op een besparing
chart-cheaper = goedkoper
chart-more-expensive = duurder
chart-saving-cheaper = besparing (goedkoper)
chart-no-saving-same-cost-or = geen besparing (even duur of duurder)
chart-90-interval-p5-p95 = 90%-interval (P5–P95)
chart-saving-on-total-cost = Besparing op de totale kosten
chart-whole-period-negative-dearer = hele periode; negatief: duurder
chart-year = Jaar
chart-share-of-simulated-futures = Aandeel van de gesimuleerde toekomsten
chart-chance-of-a-saving-2 = Kans op besparing:
chart-on-average-2 = Gemiddeld

## Rapport (rapport.html): zinnen uit src/report/text.rs. HTML-opmaak mag;
## namen uit het scenario komen al ge-escaped binnen.

report-overrun = Bij <strong>{ $name }</strong> is de kans dat de zorguitgaven in minstens één jaar van { $period } boven het plafond uitkomen en de reserve dat niet opvangt <strong>{ $p }</strong> (± { $se }). Het verwachte tekort over de hele periode is <strong>{ $mean }</strong>; { $worst }.
report-overrun-worst = in de slechtste 5% van de toekomsten is het tekort <strong>{ $p95 }</strong> of meer
report-overrun-none = in minstens 95% van de toekomsten is er geen tekort
report-more = meer
report-less = minder
report-paid-back = vanaf { $year } is de variant cumulatief goedkoper
report-not-paid-back = binnen de periode verdient de variant zich niet terug
report-comparison = <strong>{ $variant }</strong> kost over { $period } gemiddeld <strong>{ $amount } { $more }</strong> dan { $baseline } (90%-interval van het verschil: { $interval }); de kans dat deze variant goedkoper is, is <strong>{ $p_saving }</strong>, en { $paid_back }. De kans op een tekort is { $p_variant }, tegen { $p_baseline }.
report-escalations-fewer = { $n } escalaties minder
report-escalations-more = { $n } escalaties meer
report-prevention = De extra preventie kost { $extra } en bespaart gemiddeld { $saved } aan zorg en wijkteam ({ $escalations }): { $payback }.
report-prevention-no-payback = binnen deze periode verdient zij zich niet terug
report-prevention-payback = zij verdient zich terug
report-yes = ja
report-no = nee
report-methods =
    <p>Monte Carlo-simulatie: voor elke variant zijn <strong>{ $n }</strong> mogelijke toekomsten doorgerekend, maand voor maand over { $years } jaar vanaf { $start }, met seed <strong>{ $seed }</strong> (dezelfde seed geeft precies dezelfde uitkomsten). In elke toekomst worden de onzekere aannames uit hun kansverdeling getrokken (parameteronzekerheid: { $parameter }) en wordt het toeval van wie zorg nodig heeft, escaleert of herstelt gesimuleerd (procesonzekerheid: { $process }).</p>
    <p>Alle varianten gebruiken dezelfde toevalsgetallen: toekomst <em>r</em> is voor elke variant dezelfde wereld, zodat een verschil tussen varianten per toekomst wordt gemeten (gepaard) en veel nauwkeuriger is dan het verschil van twee losse gemiddelden.</p>
    <p>Bij elk gemiddelde hoort een Monte Carlo-standaardfout (sd/√n) en bij elke kans √(p(1−p)/n): de onzekerheid door het eindige aantal toekomsten, niet de onzekerheid over de toekomst zelf (die staat in de intervallen P5–P95). Percentielen zijn type 7 (lineaire interpolatie). Bedragen zijn nominaal.</p>
report-left-out-1 = Huishoudens met hulpvragen in meer budgetstromen worden per stroom apart geteld: de stromen zijn onafhankelijk gegeven de aannames (gecorreleerde aannames kunnen ze wel samen laten bewegen).
report-left-out-2 = De instroom geldt voor alle huishoudens van een groep, ook wie al zorg krijgt in die stroom (een kleine overschatting als veel huishoudens al zorg hebben).
report-left-out-3 = Wachtenden herstellen niet en verhuizen niet; niemand verlaat de wijk tijdens de zorg.
report-left-out-4 = Prijzen veranderen eens per jaar; het plafond is aan het begin van elk jaar bekend.
report-left-out-5 = Het preventiebudget wordt altijd volledig besteed, en het effect hangt af van de besteding per huishouden in de hele wijk, niet van wie ermee bereikt wordt.
report-left-out-6 = Zorg wordt nooit gestopt om binnen het plafond te blijven.
