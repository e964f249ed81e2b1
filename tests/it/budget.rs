//! Budget semantics: ceilings, reserve, reinvestment, pooled against siloed,
//! overspend against waitlist.

use crate::common::{Spec, column, simulate};

/// A ceiling just above the start's spend, with demand growing past it.
fn tight(waitlist: bool) -> Spec {
    Spec {
        growth: [0.10, 0.10],
        ceiling: 2.40e6,
        indexation: 0.01,
        reserve_initial: 50_000.0,
        reserve_cap: 150_000.0,
        reinvest_share: 0.2,
        waitlist: waitlist.then_some(1.5),
        ..Spec::default()
    }
}

#[test]
fn start_spend_is_below_the_tight_ceiling() {
    // Precondition of the waitlist test: the clients carried in at the start
    // fit under the first year's ceiling.
    let spec = Spec {
        process_uncertainty: false,
        growth: [0.0, 0.0],
        ..tight(false)
    };
    let run = simulate(&spec.build("x"), 1, 1);
    let spend = column(&run, 0, "care_spend")[0];
    assert!(spend < 2.25e6 && spend > 2.0e6, "year-1 spend {spend}");
}

#[test]
fn waitlist_keeps_spend_within_ceiling_plus_reserve() {
    for siloed in [None, Some([0.62, 0.38])] {
        let spec = Spec {
            siloed,
            ..tight(true)
        };
        let run = simulate(&spec.build("x"), 200, 3);
        let mut waited = 0.0;
        for r in 0..200 {
            let mut reserve_start = 50_000.0;
            for y in 0..5 {
                let spend = column(&run, y, "care_spend")[r];
                let ceiling = column(&run, y, "ceiling")[r];
                assert!(
                    spend <= ceiling + reserve_start + 1e-6,
                    "siloed {siloed:?} rep {r} year {y}: spend {spend} > {ceiling} + {reserve_start}"
                );
                assert_eq!(column(&run, y, "overrun")[r], 0.0);
                reserve_start = column(&run, y, "reserve_end")[r];
                waited += column(&run, y, "waiting_months")[r];
            }
        }
        assert!(waited > 0.0, "the test must make people wait");
    }
}

#[test]
fn overspend_records_the_deficit_and_the_reserve_covers_first() {
    let spec = tight(false);
    let run = simulate(&spec.build("x"), 200, 4);
    let mut overran = 0;
    for r in 0..200 {
        let mut reserve = 50_000.0;
        let mut prevention = 0.0;
        for y in 0..5 {
            let get = |k: &str| column(&run, y, k)[r];
            let deficit = get("deficit");
            assert!((deficit - (get("care_spend") - get("ceiling"))).abs() < 1e-6);
            let draw = get("reserve_draw");
            if deficit > 0.0 {
                assert!((draw - deficit.min(reserve)).abs() < 1e-6);
                assert!((get("overrun") - (deficit - draw)).abs() < 1e-6);
                assert_eq!(get("reinvested"), 0.0);
            } else {
                assert_eq!(draw, 0.0);
                assert_eq!(get("overrun"), 0.0);
                assert!((get("reinvested") - 0.2 * -deficit).abs() < 1e-6);
            }
            overran += usize::from(get("overrun_flag") == 1.0);
            assert!(
                get("reserve_end") <= 150_000.0 + 1e-9,
                "reserve above its cap"
            );
            assert!(get("reserve_end") >= 0.0);
            assert!((get("prevention_spend") - prevention).abs() < 1e-6);
            prevention = get("reinvested");
            reserve = get("reserve_end");
        }
    }
    assert!(overran > 0, "the test must see overruns");
}

#[test]
fn waiting_raises_escalation() {
    let slow = Spec {
        waitlist: Some(1.0),
        ..tight(true)
    };
    let fast = Spec {
        waitlist: Some(4.0),
        ..tight(true)
    };
    let (a, b) = (
        simulate(&slow.build("a"), 300, 8),
        simulate(&fast.build("b"), 300, 8),
    );
    let esc = |run, y| crate::common::mean(&column(run, y, "escalations"));
    let (ea, eb): (f64, f64) = (1..5)
        .map(|y| (esc(&a, y), esc(&b, y)))
        .fold((0.0, 0.0), |s, x| (s.0 + x.0, s.1 + x.1));
    assert!(
        eb > ea,
        "escalations with factor 4 ({eb}) not above factor 1 ({ea})"
    );
}

#[test]
fn pooling_never_overruns_more_than_silos() {
    // Without reserve or reinvestment the care given is the same under both,
    // and a pooled deficit is the sum of the stream deficits, so the pooled
    // overrun is at most the siloed one, replication by replication.
    let base = Spec {
        reserve_initial: 0.0,
        reserve_cap: 0.0,
        reinvest_share: 0.0,
        ..tight(false)
    };
    let silo = Spec {
        siloed: Some([0.62, 0.38]),
        ..base.clone()
    };
    let (p, s) = (
        simulate(&base.build("p"), 200, 5),
        simulate(&silo.build("s"), 200, 5),
    );
    let mut strictly = 0;
    for y in 0..5 {
        let (po, so) = (column(&p, y, "overrun"), column(&s, y, "overrun"));
        let (cp, cs) = (column(&p, y, "care_spend"), column(&s, y, "care_spend"));
        assert!(cp.iter().zip(&cs).all(|(a, b)| (a - b).abs() < 1e-6 * a));
        for r in 0..200 {
            assert!(
                po[r] <= so[r] + 1e-6,
                "year {y} rep {r}: pooled {} > siloed {}",
                po[r],
                so[r]
            );
            strictly += usize::from(po[r] + 1.0 < so[r]);
        }
        let sum_streams = column(&s, y, "overrun.wmo")
            .iter()
            .zip(column(&s, y, "overrun.jeugd"))
            .map(|(a, b)| a + b)
            .collect::<Vec<_>>();
        for r in 0..200 {
            assert!((sum_streams[r] - so[r]).abs() < 1e-6);
        }
    }
    assert!(
        strictly > 0,
        "silos must sometimes overrun where the pool does not"
    );
}
