//! Prevention: held-apart effects, saturation and ramp-up.

use crate::common::{Spec, column, mean, simulate};
use wijkbudget::stats::Stat;

fn with_prevention(budget: f64, effects: [f64; 4]) -> Spec {
    let e = |share| [share, 40.0, effects[0], effects[1], effects[2], effects[3]];
    Spec {
        prevention_budget: budget,
        prevention_before: 50_000.0,
        prevention_effects: [e(0.6), e(0.4)],
        ramp_up_months: 12.0,
        ..Spec::default()
    }
}

fn paired(a: &[f64], b: &[f64]) -> Stat {
    Stat::of(&a.iter().zip(b).map(|(x, y)| x - y).collect::<Vec<_>>())
}

#[test]
fn without_effects_prevention_costs_exactly_its_spend() {
    let base = with_prevention(50_000.0, [0.0; 4]);
    let more = with_prevention(300_000.0, [0.0; 4]);
    let (b, m) = (
        simulate(&base.build("b"), 100, 21),
        simulate(&more.build("m"), 100, 21),
    );
    for y in 0..5 {
        let (cb, cm) = (column(&b, y, "total_cost"), column(&m, y, "total_cost"));
        for r in 0..100 {
            assert!(
                (cm[r] - cb[r] - 250_000.0).abs() < 1e-6,
                "year {y} rep {r}: difference {}",
                cm[r] - cb[r]
            );
        }
        assert_eq!(column(&b, y, "care_spend"), column(&m, y, "care_spend"));
    }
}

#[test]
fn a_strong_escalation_effect_lowers_escalations() {
    let base = with_prevention(50_000.0, [0.0, 0.0, 0.6, 0.0]);
    let more = with_prevention(600_000.0, [0.0, 0.0, 0.6, 0.0]);
    let (b, m) = (
        simulate(&base.build("b"), 300, 22),
        simulate(&more.build("m"), 300, 22),
    );
    for y in 1..5 {
        let d = paired(&column(&m, y, "escalations"), &column(&b, y, "escalations"));
        assert!(
            d.mean + 4.0 * d.se < 0.0,
            "year {y}: change {} ± {}",
            d.mean,
            d.se
        );
    }
}

#[test]
fn case_finding_raises_detected_demand_and_early_signalling_shifts_entries_down() {
    let base = with_prevention(50_000.0, [0.3, 0.0, 0.0, 0.0]);
    let more = with_prevention(600_000.0, [0.3, 0.0, 0.0, 0.0]);
    let (b, m) = (
        simulate(&base.build("b"), 200, 23),
        simulate(&more.build("m"), 200, 23),
    );
    let d = paired(&column(&m, 2, "new_needs"), &column(&b, 2, "new_needs"));
    assert!(
        d.mean - 4.0 * d.se > 0.0,
        "new needs change {} ± {}",
        d.mean,
        d.se
    );

    let base = with_prevention(50_000.0, [0.0, 0.8, 0.0, 0.0]);
    let more = with_prevention(600_000.0, [0.0, 0.8, 0.0, 0.0]);
    let (b, m) = (
        simulate(&base.build("b"), 200, 24),
        simulate(&more.build("m"), 200, 24),
    );
    let basis = paired(
        &column(&m, 3, "clients.jeugd.basis"),
        &column(&b, 3, "clients.jeugd.basis"),
    );
    let maatwerk = paired(
        &column(&m, 3, "clients.jeugd.maatwerk"),
        &column(&b, 3, "clients.jeugd.maatwerk"),
    );
    assert!(basis.mean - 4.0 * basis.se > 0.0);
    assert!(maatwerk.mean + 4.0 * maatwerk.se < 0.0);
}

#[test]
fn effects_saturate_and_ramp_up() {
    // Expected values: no noise, so the comparisons are exact.
    let run = |budget: f64| {
        let mut s = with_prevention(budget, [0.0, 0.0, 0.8, 0.0]);
        s.process_uncertainty = false;
        s.prevention_before = 0.0;
        s.ramp_up_months = 24.0;
        simulate(&s.build("x"), 1, 1)
    };
    let (zero, one, two) = (run(0.0), run(200_000.0), run(400_000.0));
    let esc = |r: &wijkbudget::engine::VariantRun, y| mean(&column(r, y, "escalations"));
    let avoided1: Vec<f64> = (0..5).map(|y| esc(&zero, y) - esc(&one, y)).collect();
    let avoided2: Vec<f64> = (0..5).map(|y| esc(&zero, y) - esc(&two, y)).collect();
    for y in 0..5 {
        assert!(avoided1[y] > 0.0);
        assert!(avoided2[y] > avoided1[y], "more spend, more effect");
        assert!(avoided2[y] < 2.0 * avoided1[y], "diminishing returns");
    }
    assert!(
        avoided1[4] > 1.5 * avoided1[0],
        "the effect ramps up: {avoided1:?}"
    );
}
