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
    fn lang_defaults_to_dutch_and_serialises_lowercase() {
        assert_eq!(Lang::default(), Nl);
        assert_eq!(Nl.code(), "nl");
        assert_eq!(En.code(), "en");
        assert_eq!(serde_json::to_string(&En).unwrap(), r#""en""#);
        assert_eq!(serde_json::from_str::<Lang>(r#""nl""#).unwrap(), Nl);
    }
}
