//! The words of the outputs for people, one Fluent catalogue per language
//! (`nl.ftl`, `en.ftl`, embedded in the binary): console tables, workbook,
//! charts and the report's sentences look their texts up here by message id.
//!
//! Numbers and amounts are formatted by [`crate::locale`] and passed to a
//! message as string arguments, so the catalogues hold only words. Bidi
//! isolation marks are off: the outputs are left-to-right Dutch or English
//! and must not carry invisible characters.

use std::sync::LazyLock;

use fluent_bundle::concurrent::FluentBundle;
use fluent_bundle::{FluentArgs, FluentResource};

use crate::locale::Lang;

/// The Dutch catalogue's source.
pub const NL: &str = include_str!("nl.ftl");
/// The English catalogue's source.
pub const EN: &str = include_str!("en.ftl");

type Bundle = FluentBundle<FluentResource>;

fn bundle(lang: &str, source: &'static str) -> Bundle {
    // Both sources are part of the binary and checked by the tests, so a
    // syntax error is a bug, never a user's input: keep what parses.
    let resource = FluentResource::try_new(source.to_string()).unwrap_or_else(|(r, _)| r);
    let id = lang.parse().unwrap_or_default();
    let mut b = FluentBundle::new_concurrent(vec![id]);
    b.set_use_isolating(false);
    let _ = b.add_resource(resource);
    b
}

static NL_BUNDLE: LazyLock<Bundle> = LazyLock::new(|| bundle("nl", NL));
static EN_BUNDLE: LazyLock<Bundle> = LazyLock::new(|| bundle("en", EN));

fn of(lang: Lang) -> &'static Bundle {
    match lang {
        Lang::Nl => &NL_BUNDLE,
        Lang::En => &EN_BUNDLE,
    }
}

/// The text of message `id` with `args` (name, value), or `None` when the
/// catalogue has no such message.
pub fn lookup(lang: Lang, id: &str, args: &[(&str, &str)]) -> Option<String> {
    let b = of(lang);
    let pattern = b.get_message(id)?.value()?;
    let mut fargs = FluentArgs::with_capacity(args.len());
    for &(k, v) in args {
        fargs.set(k, v);
    }
    let mut errors = Vec::new();
    let out = b.format_pattern(pattern, (!args.is_empty()).then_some(&fargs), &mut errors);
    Some(out.into_owned())
}

/// The text of message `id` (the id itself if the catalogue lacks it,
/// which the tests rule out for every id in the code).
pub fn text(lang: Lang, id: &str) -> String {
    lookup(lang, id, &[]).unwrap_or_else(|| id.to_string())
}

/// The text of message `id` with its arguments, e.g.
/// `text_args(lang, "console-head", &[("name", &name), ("n", &n)])`.
pub fn text_args(lang: Lang, id: &str, args: &[(&str, &str)]) -> String {
    lookup(lang, id, args).unwrap_or_else(|| id.to_string())
}

#[cfg(test)]
mod tests;
