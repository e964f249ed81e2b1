//! Dutch (default) and English number formatting for reports and charts.
//!
//! Numbers are rounded half away from zero on their shortest decimal text
//! (the digits that read back to the same `f64`), so `2.5` becomes `3`,
//! `0.125` at two decimals `0.13` and `1.005` `1.01`, as a reader who sees
//! those numbers expects, and scaling by 100 (percentages) or by a million
//! is exact. Dutch uses `.` between thousands and `,` before decimals,
//! English the reverse. A value that rounds to zero is shown without a
//! sign, and NaN or infinity as "n.v.t." / "n/a": formatting never panics.

use serde::{Deserialize, Serialize};

/// The language of reports and charts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Lang {
    /// Dutch: `€ 1.234.567`, `12,3%`.
    #[default]
    Nl,
    /// English: `€1,234,567`, `12.3%`.
    En,
}

impl Lang {
    /// The ISO 639-1 code (`"nl"`, `"en"`), e.g. for an HTML `lang`.
    pub fn code(self) -> &'static str {
        match self {
            Lang::Nl => "nl",
            Lang::En => "en",
        }
    }

    fn thousands(self) -> char {
        match self {
            Lang::Nl => '.',
            Lang::En => ',',
        }
    }

    fn decimal(self) -> char {
        match self {
            Lang::Nl => ',',
            Lang::En => '.',
        }
    }

    /// The text for a value that is not a number.
    fn not_available(self) -> &'static str {
        match self {
            Lang::Nl => "n.v.t.",
            Lang::En => "n/a",
        }
    }
}

/// A file or folder name made from a user's name for something: lower-case
/// letters, digits, `_` and single `-` only (accented vowels lose their accent),
/// at most `max` characters, never `.`, `..` or a path; `None` when nothing
/// is left.
pub fn file_stem(name: &str, max: usize) -> Option<String> {
    let mut s = String::new();
    for c in name.chars().flat_map(char::to_lowercase) {
        let c = match c {
            'a'..='z' | '0'..='9' | '_' => c,
            'à' | 'á' | 'â' | 'ä' => 'a',
            'è' | 'é' | 'ê' | 'ë' => 'e',
            'ì' | 'í' | 'î' | 'ï' => 'i',
            'ò' | 'ó' | 'ô' | 'ö' => 'o',
            'ù' | 'ú' | 'û' | 'ü' => 'u',
            _ => '-',
        };
        if c == '-' && (s.is_empty() || s.ends_with('-')) {
            continue;
        }
        s.push(c);
        if s.len() >= max {
            break;
        }
    }
    let s = s.trim_end_matches('-');
    (!s.is_empty()).then(|| s.to_string())
}

/// An amount in whole euros, e.g. `€ 1.234.567` and `€ -1.234` (Dutch) or
/// `€1,234,567` and `-€1,234` (English).
pub fn euro(x: f64, lang: Lang) -> String {
    match Decimal::new(x) {
        Some(d) => with_euro(d.negative, &d.render(0, lang), "", lang),
        None => lang.not_available().to_string(),
    }
}

/// An amount for headlines and chart axes: whole euros below a million
/// (`€ 850.000`), above it millions or billions with one decimal
/// (`€ 1,2 mln`, `€ 12,5 mld`; English `€1.2m`, `€12.5bn`). The unit is
/// chosen after rounding, so 999 999.6 is `€ 1,0 mln`.
pub fn euro_short(x: f64, lang: Lang) -> String {
    let Some(d) = Decimal::new(x) else {
        return lang.not_available().to_string();
    };
    let (million, billion) = match lang {
        Lang::Nl => (" mln", " mld"),
        Lang::En => ("m", "bn"),
    };
    if d.rounded(0).len() <= 6 {
        return with_euro(d.negative, &d.render(0, lang), "", lang);
    }
    let m = d.scaled(-6);
    if m.rounded(1).len() <= 4 {
        return with_euro(d.negative, &m.render(1, lang), million, lang);
    }
    with_euro(d.negative, &d.scaled(-9).render(1, lang), billion, lang)
}

/// An amount in millions with `decimals` decimals, for chart axes whose
/// ticks share one unit: `€ 4,5 mln`, `€ -0,25 mln` (Dutch) or `€4.5m`
/// (English); zero is `€ 0`.
pub fn euro_mln(x: f64, decimals: usize, lang: Lang) -> String {
    let Some(d) = Decimal::new(x) else {
        return lang.not_available().to_string();
    };
    let body = d.scaled(-6).render(decimals, lang);
    if is_zero(&body) {
        return with_euro(false, "0", "", lang);
    }
    let unit = match lang {
        Lang::Nl => " mln",
        Lang::En => "m",
    };
    with_euro(d.negative, &body, unit, lang)
}

/// A number with `decimals` decimals and thousands separators: `1.234,5`
/// (Dutch) or `1,234.5` (English).
pub fn number(x: f64, decimals: usize, lang: Lang) -> String {
    match Decimal::new(x) {
        Some(d) => signed(d.negative, d.render(decimals, lang)),
        None => lang.not_available().to_string(),
    }
}

/// A share as a percentage: `0.123` becomes `12,3%` (Dutch) or `12.3%`
/// (English) at one decimal.
pub fn percent(p: f64, decimals: usize, lang: Lang) -> String {
    match Decimal::new(p) {
        Some(d) => {
            let mut s = signed(d.negative, d.scaled(2).render(decimals, lang));
            s.push('%');
            s
        }
        None => lang.not_available().to_string(),
    }
}

/// Most decimals a standard error is shown with (in its unit: euros, or
/// percentage points); a smaller non-zero one is shown as below one unit in
/// the last of them, e.g. `< 0,000000000001`.
pub const SE_MAX_DECIMALS: usize = 12;

/// A Monte Carlo standard error with at least two significant digits and at
/// least `decimals` decimals, so that one is never shown as zero when it is
/// not: `se(66_981.4, 0)` is `66.981`, `se(0.42, 0)` is `0,42`, `se(0.05, 1)`
/// is `0,050` (Dutch; English swaps the separators). Zero is `0` with
/// `decimals` decimals; a value too small for [`SE_MAX_DECIMALS`] decimals
/// is `< 0,000000000001`; NaN or infinity is "n.v.t." / "n/a". Without a
/// unit: see [`percent_se`] and [`euro_se`].
pub fn se(x: f64, decimals: usize, lang: Lang) -> String {
    match Decimal::new(x) {
        Some(d) => se_body(&d, decimals, lang),
        None => lang.not_available().to_string(),
    }
}

/// A standard error of a share, in percent as [`se`] makes it (at least one
/// decimal, two significant digits): `0.0005` is `0,050%`, `0.011` `1,1%`.
pub fn percent_se(p: f64, lang: Lang) -> String {
    match Decimal::new(p) {
        Some(d) => {
            let mut s = se_body(&d.scaled(2), 1, lang);
            s.push('%');
            s
        }
        None => lang.not_available().to_string(),
    }
}

/// A standard error in euros as [`se`] makes it (whole euros from € 10 up,
/// cents and smaller below): `€ 66.981`, `€ 0,42` (English `€66,981`).
pub fn euro_se(x: f64, lang: Lang) -> String {
    match Decimal::new(x) {
        Some(d) => {
            let body = se_body(&d, 0, lang);
            match body.strip_prefix("< ") {
                Some(b) => format!("< {}", with_euro(false, b, "", lang)),
                None => with_euro(d.negative, body.trim_start_matches('-'), "", lang),
            }
        }
        None => lang.not_available().to_string(),
    }
}

/// The text of [`se`] for a finite value.
fn se_body(d: &Decimal, min_decimals: usize, lang: Lang) -> String {
    let min_decimals = min_decimals.min(SE_MAX_DECIMALS);
    if d.digits.iter().all(|&x| x == 0) {
        return d.render(min_decimals, lang);
    }
    // The leading digit stands `point - 1` places before the decimal point;
    // the second significant digit one place after it.
    let wanted = 2_i64
        .saturating_sub(d.point)
        .clamp(0, SE_MAX_DECIMALS as i64);
    let decimals = (wanted as usize).max(min_decimals);
    let body = d.render(decimals, lang);
    if is_zero(&body) {
        let unit = Decimal {
            negative: false,
            digits: vec![1],
            point: 1 - SE_MAX_DECIMALS as i64,
        };
        return format!("< {}", unit.render(SE_MAX_DECIMALS, lang));
    }
    signed(d.negative, body)
}

/// `-` before a non-zero body.
fn signed(negative: bool, body: String) -> String {
    if negative && !is_zero(&body) {
        format!("-{body}")
    } else {
        body
    }
}

/// The euro sign and sign in each language's place.
fn with_euro(negative: bool, body: &str, unit: &str, lang: Lang) -> String {
    let minus = if negative && !is_zero(body) { "-" } else { "" };
    match lang {
        Lang::Nl => format!("€ {minus}{body}{unit}"),
        Lang::En => format!("{minus}€{body}{unit}"),
    }
}

fn is_zero(body: &str) -> bool {
    body.bytes().all(|b| !b.is_ascii_digit() || b == b'0')
}

/// The magnitude of a finite `f64` as the decimal digits of its shortest
/// round-trip text: `digits` with the decimal point after `point` of them
/// (`point` may be negative or beyond the digits).
#[derive(Debug, Clone, PartialEq)]
struct Decimal {
    negative: bool,
    digits: Vec<u8>,
    point: i64,
}

impl Decimal {
    fn new(x: f64) -> Option<Self> {
        if !x.is_finite() {
            return None;
        }
        // "d.ddde±x": the shortest digits that read back to x.
        let text = format!("{:e}", x.abs());
        let (mantissa, exponent) = text.split_once('e')?;
        let exponent: i64 = exponent.parse().ok()?;
        let digits: Vec<u8> = mantissa
            .bytes()
            .filter(u8::is_ascii_digit)
            .map(|b| b - b'0')
            .collect();
        Some(Self {
            negative: x.is_sign_negative(),
            digits,
            point: exponent + 1,
        })
    }

    /// The value times `10^k`, exactly.
    fn scaled(&self, k: i64) -> Self {
        Self {
            point: self.point + k,
            ..self.clone()
        }
    }

    /// The digits of the magnitude times `10^decimals`, rounded half away
    /// from zero to an integer (at least one digit, no leading zeros).
    fn rounded(&self, decimals: usize) -> Vec<u8> {
        let keep = self.point.saturating_add(decimals as i64);
        if keep < 0 {
            return vec![0];
        }
        let keep = keep as usize;
        let mut out: Vec<u8> = self.digits.iter().copied().take(keep).collect();
        out.resize(keep, 0);
        if self.digits.get(keep).is_some_and(|&d| d >= 5) {
            // Add one unit in the last kept place, carrying.
            let mut i = out.len();
            loop {
                if i == 0 {
                    out.insert(0, 1);
                    break;
                }
                i -= 1;
                if out[i] == 9 {
                    out[i] = 0;
                } else {
                    out[i] += 1;
                    break;
                }
            }
        }
        let first = out.iter().position(|&d| d != 0).unwrap_or(out.len());
        out.drain(..first.min(out.len().saturating_sub(1)));
        if out.is_empty() {
            out.push(0);
        }
        out
    }

    /// The magnitude with `decimals` decimals and thousands separators.
    fn render(&self, decimals: usize, lang: Lang) -> String {
        let mut digits = self.rounded(decimals);
        if digits.len() <= decimals {
            let pad = decimals + 1 - digits.len();
            digits.splice(0..0, std::iter::repeat_n(0, pad));
        }
        let (int, frac) = digits.split_at(digits.len() - decimals);
        let mut s = String::with_capacity(int.len() * 4 / 3 + decimals + 2);
        for (i, d) in int.iter().enumerate() {
            if i > 0 && (int.len() - i) % 3 == 0 {
                s.push(lang.thousands());
            }
            s.push(char::from(b'0' + d));
        }
        if decimals > 0 {
            s.push(lang.decimal());
            s.extend(frac.iter().map(|d| char::from(b'0' + d)));
        }
        s
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use Lang::{En, Nl};

    #[test]
    fn euros_in_both_languages() {
        let cases = [
            (0.0, "€ 0", "€0"),
            (7.0, "€ 7", "€7"),
            (999.0, "€ 999", "€999"),
            (1_000.0, "€ 1.000", "€1,000"),
            (1_234.0, "€ 1.234", "€1,234"),
            (-1_234.0, "€ -1.234", "-€1,234"),
            (123_456.0, "€ 123.456", "€123,456"),
            (1_234_567.0, "€ 1.234.567", "€1,234,567"),
            (-1_234_567.89, "€ -1.234.568", "-€1,234,568"),
            (12_345_678_901.0, "€ 12.345.678.901", "€12,345,678,901"),
            (1e15, "€ 1.000.000.000.000.000", "€1,000,000,000,000,000"),
        ];
        for (x, nl, en) in cases {
            assert_eq!(euro(x, Nl), nl, "{x}");
            assert_eq!(euro(x, En), en, "{x}");
        }
    }

    #[test]
    fn euros_round_half_away_from_zero() {
        assert_eq!(euro(0.5, Nl), "€ 1");
        assert_eq!(euro(1.5, Nl), "€ 2");
        assert_eq!(euro(2.5, Nl), "€ 3");
        assert_eq!(euro(-2.5, Nl), "€ -3");
        assert_eq!(euro(-2.5, En), "-€3");
        assert_eq!(euro(2.499_999, Nl), "€ 2");
        assert_eq!(euro(999.5, Nl), "€ 1.000");
        assert_eq!(euro(999_999.5, En), "€1,000,000");
        assert_eq!(euro(0.49, Nl), "€ 0");
    }

    #[test]
    fn zero_and_tiny_values_have_no_sign() {
        for x in [-0.0, 0.0, 1e-300, -1e-300, 5e-324, -5e-324] {
            assert_eq!(euro(x, Nl), "€ 0", "{x}");
            assert_eq!(euro(x, En), "€0", "{x}");
            assert_eq!(number(x, 2, Nl), "0,00", "{x}");
            assert_eq!(percent(x, 1, En), "0.0%", "{x}");
            assert_eq!(euro_short(x, Nl), "€ 0", "{x}");
        }
        assert_eq!(euro(-0.4, Nl), "€ 0");
        assert_eq!(euro(-0.4, En), "€0");
        assert_eq!(euro_short(-0.49, En), "€0");
        assert_eq!(number(-0.4, 0, Nl), "0");
        assert_eq!(number(-0.004, 2, En), "0.00");
        assert_eq!(number(-0.005, 2, En), "-0.01");
        assert_eq!(number(1e-7, 7, Nl), "0,0000001");
        assert_eq!(number(1e-7, 9, Nl), "0,000000100");
    }

    #[test]
    fn short_euros() {
        let cases = [
            (0.0, "€ 0", "€0"),
            (850_000.0, "€ 850.000", "€850,000"),
            (999_999.0, "€ 999.999", "€999,999"),
            // The unit follows the rounded value.
            (999_999.5, "€ 1,0 mln", "€1.0m"),
            (1_000_000.0, "€ 1,0 mln", "€1.0m"),
            (1_234_567.0, "€ 1,2 mln", "€1.2m"),
            (1_250_000.0, "€ 1,3 mln", "€1.3m"),
            (-1_250_000.0, "€ -1,3 mln", "-€1.3m"),
            (12_500_000.0, "€ 12,5 mln", "€12.5m"),
            (999_940_000.0, "€ 999,9 mln", "€999.9m"),
            (999_950_000.0, "€ 1,0 mld", "€1.0bn"),
            (12_500_000_000.0, "€ 12,5 mld", "€12.5bn"),
            (-3.25e12, "€ -3.250,0 mld", "-€3,250.0bn"),
            (-850.4, "€ -850", "-€850"),
        ];
        for (x, nl, en) in cases {
            assert_eq!(euro_short(x, Nl), nl, "{x}");
            assert_eq!(euro_short(x, En), en, "{x}");
        }
    }

    #[test]
    fn millions_for_chart_axes() {
        assert_eq!(euro_mln(4_500_000.0, 1, Nl), "€ 4,5 mln");
        assert_eq!(euro_mln(4_500_000.0, 1, En), "€4.5m");
        assert_eq!(euro_mln(-250_000.0, 2, Nl), "€ -0,25 mln");
        assert_eq!(euro_mln(-250_000.0, 2, En), "-€0.25m");
        assert_eq!(euro_mln(12_000_000.0, 0, Nl), "€ 12 mln");
        assert_eq!(euro_mln(1_234_567_890.0, 1, Nl), "€ 1.234,6 mln");
        assert_eq!(euro_mln(0.0, 1, Nl), "€ 0");
        assert_eq!(euro_mln(-1.0, 1, En), "€0");
        assert_eq!(euro_mln(f64::NAN, 1, Nl), "n.v.t.");
    }

    #[test]
    fn dutch_thousands_millions_negatives_and_rounding() {
        // Thousands: a dot every three digits, never before the first.
        assert_eq!(euro(850_000.0, Nl), "€ 850.000");
        assert_eq!(number(1_000.0, 0, Nl), "1.000");
        assert_eq!(number(100.0, 0, Nl), "100");
        assert_eq!(number(-100_000.0, 0, Nl), "-100.000");
        // Millions: short form with a decimal comma.
        assert_eq!(euro_short(1_200_000.0, Nl), "€ 1,2 mln");
        assert_eq!(euro_short(-20_822_162.0, Nl), "€ -20,8 mln");
        assert_eq!(euro_short(1_249_999.0, Nl), "€ 1,2 mln");
        // Negatives keep the euro sign first in Dutch.
        assert_eq!(euro(-986_217.4, Nl), "€ -986.217");
        assert_eq!(percent(-0.584, 1, Nl), "-58,4%");
        // Rounding half away from zero, also across a thousands boundary.
        assert_eq!(euro(999.5, Nl), "€ 1.000");
        assert_eq!(euro(-999.5, Nl), "€ -1.000");
        assert_eq!(number(0.05, 1, Nl), "0,1");
        assert_eq!(percent(0.9995, 1, Nl), "100,0%");
    }

    #[test]
    fn numbers_with_decimals() {
        assert_eq!(number(1234.5, 1, Nl), "1.234,5");
        assert_eq!(number(1234.5, 1, En), "1,234.5");
        assert_eq!(number(-1234.56, 1, Nl), "-1.234,6");
        assert_eq!(number(1234.5, 0, Nl), "1.235");
        assert_eq!(number(0.5, 3, En), "0.500");
        assert_eq!(number(1_000_000.0, 2, Nl), "1.000.000,00");
        assert_eq!(number(12.0, 0, En), "12");
        assert_eq!(number(4.567_89, 4, En), "4.5679");
        assert_eq!(number(9.995, 2, En), "10.00");
        assert_eq!(number(-9.995, 2, Nl), "-10,00");
        // Halves as written, not as stored in binary (0.125 is exact,
        // 1.005 and 2.675 are not).
        assert_eq!(number(0.125, 2, En), "0.13");
        assert_eq!(number(1.005, 2, En), "1.01");
        assert_eq!(number(2.675, 2, En), "2.68");
        assert_eq!(number(1e21, 0, En), "1,000,000,000,000,000,000,000");
        assert_eq!(number(123.0, 12, Nl), "123,000000000000");
    }

    #[test]
    fn percentages() {
        assert_eq!(percent(0.123, 1, Nl), "12,3%");
        assert_eq!(percent(0.123, 1, En), "12.3%");
        assert_eq!(percent(0.5, 0, Nl), "50%");
        assert_eq!(percent(1.0, 0, En), "100%");
        assert_eq!(percent(12.345, 1, Nl), "1.234,5%");
        assert_eq!(percent(-0.0451, 1, Nl), "-4,5%");
        assert_eq!(percent(0.0005, 1, En), "0.1%");
        assert_eq!(percent(0.00049, 1, En), "0.0%");
        // 0.125 % as written: 0.00125 is not exact in binary.
        assert_eq!(percent(0.001_25, 2, En), "0.13%");
        assert_eq!(percent(0.07, 0, Nl), "7%");
        assert_eq!(percent(0.29, 0, Nl), "29%");
    }

    #[test]
    fn non_finite_values_do_not_panic() {
        for x in [f64::NAN, f64::INFINITY, f64::NEG_INFINITY] {
            assert_eq!(euro(x, Nl), "n.v.t.");
            assert_eq!(euro(x, En), "n/a");
            assert_eq!(euro_short(x, Nl), "n.v.t.");
            assert_eq!(number(x, 2, En), "n/a");
            assert_eq!(percent(x, 1, Nl), "n.v.t.");
        }
        // Extremes of the range format in full.
        assert_eq!(euro(f64::MAX, En).len(), "€".len() + 309 + 102);
        let tiny = number(f64::MIN_POSITIVE, 400, Nl);
        assert_eq!(tiny.len(), 2 + 400);
        assert!(tiny.starts_with("0,0000"));
        assert!(tiny.contains("0022250738585072014000"));
    }

    #[test]
    fn standard_errors_keep_two_significant_digits() {
        // (value, min decimals, Dutch, English)
        let cases = [
            (66_981.4, 0, "66.981", "66,981"),
            (1_234_567.0, 0, "1.234.567", "1,234,567"),
            (99.6, 0, "100", "100"),
            (12.34, 0, "12", "12"),
            (9.96, 0, "10,0", "10.0"),
            (4.26, 0, "4,3", "4.3"),
            (0.42, 0, "0,42", "0.42"),
            (0.0996, 0, "0,100", "0.100"),
            (0.05, 1, "0,050", "0.050"),
            (0.5, 1, "0,50", "0.50"),
            (1.1, 1, "1,1", "1.1"),
            (12.345, 1, "12,3", "12.3"),
            (0.000_012_34, 0, "0,000012", "0.000012"),
            (1e-12, 0, "0,000000000001", "0.000000000001"),
            (4.9e-13, 0, "< 0,000000000001", "< 0.000000000001"),
            (0.0, 0, "0", "0"),
            (0.0, 1, "0,0", "0.0"),
            (-0.0, 2, "0,00", "0.00"),
        ];
        for (x, d, nl, en) in cases {
            assert_eq!(se(x, d, Nl), nl, "{x} at {d}");
            assert_eq!(se(x, d, En), en, "{x} at {d}");
        }
    }

    #[test]
    fn a_nonzero_standard_error_never_shows_as_zero() {
        // The 1M-replication case: p = 54 %, se = sqrt(p(1-p)/n).
        let tiny = (0.54_f64 * 0.46 / 1e6).sqrt();
        assert_eq!(percent(tiny, 1, Nl), "0,0%", "the old format lost it");
        assert_eq!(percent_se(tiny, Nl), "0,050%");
        assert_eq!(percent_se(tiny, En), "0.050%");
        assert_eq!(percent_se(0.011, Nl), "1,1%");
        assert_eq!(percent_se(0.005, En), "0.50%");
        assert_eq!(percent_se(0.0, Nl), "0,0%");
        assert_eq!(euro_se(0.42, Nl), "€ 0,42");
        assert_eq!(euro_se(0.42, En), "€0.42");
        assert_eq!(euro_se(66_981.0, Nl), "€ 66.981");
        assert_eq!(euro_se(0.0, Nl), "€ 0");
        // Whatever the size, the shown digits hold the value to two
        // significant digits: read back, it is within 5 % of it.
        for k in -14..=15 {
            for m in [1.0, 1.049, 2.5, 9.949, 9.951] {
                let x = m * 10f64.powi(k);
                let s = se(x, 0, En);
                if x < 0.5e-12 {
                    assert_eq!(s, "< 0.000000000001", "{x}");
                    continue;
                }
                let back: f64 = s.replace(',', "").parse().unwrap();
                // Two significant digits down to 1e-11, one below.
                let tol = if x >= 1e-11 { 0.05 } else { 0.5 };
                assert!(back > 0.0 && (back - x).abs() <= tol * x, "{x}: {s}");
            }
        }
        assert_eq!(percent_se(1e-16, Nl), "< 0,000000000001%");
        assert_eq!(euro_se(5e-324, En), "< €0.000000000001");
        assert_eq!(euro_se(5e-324, Nl), "< € 0,000000000001");
    }

    #[test]
    fn standard_errors_of_nothing_do_not_panic() {
        for x in [f64::NAN, f64::INFINITY, f64::NEG_INFINITY] {
            assert_eq!(se(x, 0, Nl), "n.v.t.");
            assert_eq!(percent_se(x, En), "n/a");
            assert_eq!(euro_se(x, Nl), "n.v.t.");
        }
        assert_eq!(se(f64::MAX, 0, En).len(), 309 + 102);
        assert_eq!(se(-0.42, 0, Nl), "-0,42");
        assert_eq!(
            se(1.0, usize::MAX, Nl),
            format!("1,{}", "0".repeat(SE_MAX_DECIMALS))
        );
    }

    #[test]
    fn lang_defaults_to_dutch_and_serialises_lowercase() {
        assert_eq!(Lang::default(), Nl);
        assert_eq!(Nl.code(), "nl");
        assert_eq!(En.code(), "en");
        assert_eq!(serde_json::to_string(&En).unwrap(), r#""en""#);
        assert_eq!(serde_json::from_str::<Lang>(r#""nl""#).unwrap(), Nl);
    }
}
