//! The reports' HTML templates (minijinja), embedded in the binary and
//! loaded once into one [`Environment`] with HTML auto-escaping for `.html`
//! and strict undefined values, and the two helpers the templates call.
//!
//! Every value a template prints is escaped (with [`super::escape`], so the
//! bytes are those the hand-written reports had), unless it was made with
//! [`Value::from_safe_string`]. Only markup that our own code made is passed
//! that way: the charts' SVG, the report's sentences from `text.rs` (which
//! escape the scenario texts they hold), an already rendered [`super::Section`]
//! and the fixed words the templates choose with `tr`.
//!
//! Helpers:
//! - `tr("Nederlands", "English")`: the word or sentence in the page's
//!   language (the context's `lang`, `"nl"` or `"en"`). Its arguments are
//!   template text, like the text around them, and are printed as written;
//!   never pass data to it.
//! - `value|wbr`: a parameter path, escaped, that may break after its dots
//!   and underscores.

use std::sync::OnceLock;

use minijinja::syntax::SyntaxConfig;
use minijinja::value::Serde;
use minijinja::{AutoEscape, Environment, Error, ErrorKind, State, UndefinedBehavior, Value};
use serde::Serialize;

use super::escape;

/// The templates, by name. `report.css` is a template without escaping,
/// included by the page skeleton.
pub(crate) const TEMPLATES: &[(&str, &str)] = &[
    ("report.css", include_str!("../report.css")),
    ("page.html", include_str!("page.html")),
    ("charts.html", include_str!("charts.html")),
    ("figure.html", include_str!("figure.html")),
    ("made_with.html", include_str!("made_with.html")),
    ("run.html", include_str!("run.html")),
    ("sensitivity.html", include_str!("sensitivity.html")),
    ("allocation.html", include_str!("allocation.html")),
];

fn environment() -> &'static Environment<'static> {
    static ENV: OnceLock<Environment<'static>> = OnceLock::new();
    ENV.get_or_init(|| {
        let mut env = Environment::new();
        env.set_undefined_behavior(UndefinedBehavior::Strict);
        env.set_syntax(
            SyntaxConfig::builder()
                .trim_blocks(true)
                .lstrip_blocks(true)
                .keep_trailing_newline(true)
                .build()
                .expect("the default delimiters"),
        );
        env.set_formatter(format);
        env.add_function("tr", tr);
        env.add_filter("wbr", wbr);
        for (name, source) in TEMPLATES {
            env.add_template(name, source)
                .unwrap_or_else(|e| panic!("template {name}: {e:#}"));
        }
        env
    })
}

/// Renders a template with a view; the templates are part of the program
/// and tested, so an error in one is a bug and panics with its place.
pub(crate) fn render(name: &str, view: impl Serialize) -> String {
    environment()
        .get_template(name)
        .and_then(|t| t.render(Value::from(Serde(view))))
        .unwrap_or_else(|e| panic!("template {name}: {e:#}"))
}

/// Markup that our own code made, printed as it is.
pub(crate) fn safe(markup: impl Into<String>) -> Value {
    Value::from_safe_string(markup.into())
}

/// Prints a value: safe strings as they are, everything else escaped in
/// `.html` templates. Printing an undefined value or `none` is an error, so
/// a misspelt name or a missing `is none` test cannot go unseen.
fn format(out: &mut minijinja::Output, state: &mut State, value: &Value) -> Result<(), Error> {
    if value.is_undefined() || value.is_none() {
        return Err(Error::new(
            ErrorKind::UndefinedError,
            "a template printed an undefined value or none",
        ));
    }
    if value.is_safe() || *state.auto_escape() != AutoEscape::Html {
        write!(out, "{value}")?;
    } else {
        out.write_str(&escape(&value.to_string()))?;
    }
    Ok(())
}

/// The Dutch or English text, by the context's `lang`.
fn tr(state: &State, nl: &str, en: &str) -> Result<Value, Error> {
    let lang = state
        .lookup("lang")
        .ok_or_else(|| Error::new(ErrorKind::UndefinedError, "tr needs `lang`"))?;
    let text = match lang.as_str() {
        Some("en") => en,
        Some("nl") => nl,
        _ => {
            return Err(Error::new(
                ErrorKind::InvalidOperation,
                "`lang` is not \"nl\" or \"en\"",
            ));
        }
    };
    Ok(safe(text))
}

/// A parameter path, escaped, that may break after its dots and underscores.
fn wbr(path: &str) -> Value {
    safe(escape(path).replace('.', ".<wbr>").replace('_', "_<wbr>"))
}

#[cfg(test)]
mod tests {
    use super::*;

    const NASTY: &str = "<script>&\"'";
    const ESCAPED: &str = "&lt;script&gt;&amp;&quot;&#39;";

    #[test]
    fn printed_values_are_escaped_as_escape_does_and_safe_ones_are_not() {
        let env = environment();
        let t = env
            .template_from_named_str("t.html", "{{ a }}|{{ b }}|{{ p|wbr }}")
            .unwrap();
        let out = t
            .render(minijinja::context! { a => NASTY, b => safe("<b>x</b>"), p => "a.b_c<" })
            .unwrap();
        assert_eq!(out, format!("{ESCAPED}|<b>x</b>|a.<wbr>b_<wbr>c&lt;"));
    }

    #[test]
    fn undefined_and_none_values_are_errors() {
        let env = environment();
        for src in ["{{ nope }}", "{{ a }}", "{% for x in nope %}{% endfor %}"] {
            let t = env.template_from_named_str("t.html", src).unwrap();
            assert!(t.render(minijinja::context! { a => () }).is_err(), "{src}");
        }
    }

    #[test]
    fn tr_picks_the_language_also_inside_macros() {
        let env = environment();
        let src =
            "{% macro m() %}{{ tr('ja', 'yes') }}{% endmacro %}{{ tr('één', 'one') }} {{ m() }}";
        let t = env.template_from_named_str("t.html", src).unwrap();
        let nl = t.render(minijinja::context! { lang => "nl" }).unwrap();
        let en = t.render(minijinja::context! { lang => "en" }).unwrap();
        assert_eq!((nl.as_str(), en.as_str()), ("één ja", "one yes"));
    }
}
