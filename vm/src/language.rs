//! Language tags as devices report them, and as rules state them (SPEC §2, `device.language`).
//!
//! A [`LanguageTag`] keeps only what matching compares: the language, the script and the
//! region, in fixed-size arrays, so that a tag is `Copy`, parsing it never allocates and
//! matching is three array comparisons. The device's tag is canonicalized once per
//! `set_language` ([`LanguageTag::device`]); a rule's tag once at load ([`LanguageTag::rule`]).
//!
//! Canonicalization reads every form a platform reports: BCP 47 (`zh-Hant-TW`), POSIX-like
//! (`pt_BR`), Java's `Locale.toString()` (`zh_TW_#Hant`, `th_TH_TH_#u-nu-thai`) and Android's
//! resource form (`b+sr+Latn+RS`). Case is folded, extensions and private use (`-u-…`,
//! `-x-…`) are dropped, extended-language and variant subtags are ignored, and the deprecated
//! codes `iw`, `in`, `ji` read as `he`, `id`, `yi`. A tag whose first subtag is not a language
//! of two or three letters (`""`, `x-foo`, `english`) is the empty tag, which no rule matches.
//!
//! Two small tables, written once from CLDR 45 (`common/supplemental/likelySubtags.xml` and
//! `supplementalData.xml` territory containment), are the only data:
//! [`LIKELY_SCRIPTS`] for languages written in more than one script, and
//! [`LATIN_AMERICA`] for region `419`.

use std::fmt;

/// Scripts, each with the space-separated regions where it is the likely one.
pub type ScriptRegions = &'static [(&'static str, &'static str)];

/// CLDR 45 likely subtags for the languages written in more than one script: each language's
/// likely script, and the regions where another script is likely (from `likelySubtags.xml`,
/// entries `ll_RR` → `ll_Ssss_RR`). A device tag of one of these languages without a script
/// gets its script from here; a rule tag with a region and no script implies it.
pub const LIKELY_SCRIPTS: &[(&str, &str, ScriptRegions)] = &[
    ("az", "latn", &[("arab", "IQ IR"), ("cyrl", "RU")]),
    ("bs", "latn", &[]),
    ("pa", "guru", &[("arab", "PK")]),
    ("sr", "cyrl", &[("latn", "ME RO RU TR")]),
    ("uz", "latn", &[("arab", "AF"), ("cyrl", "CN")]),
    (
        "zh",
        "hans",
        &[("hant", "AU BN GB GF HK ID MO PA PF PH SR TH TW US VN")],
    ),
];

/// The countries CLDR 45 places in Latin America (`419`): those of South America (`005`),
/// Central America (`013`) and the Caribbean (`029`).
pub const LATIN_AMERICA: &str = "AR BO BR BV CL CO EC FK GF GS GY PE PY SR UY VE \
    BZ CR GT HN MX NI PA SV \
    AG AI AW BB BL BQ BS CU CW DM DO GD GP HT JM KN KY LC MF MQ MS PR SX TC TT VC VG VI";

/// `419` and the groupings it contains (South America, Central America, the Caribbean).
const LATIN_AMERICA_GROUPS: [[u8; 3]; 4] = [*b"419", *b"005", *b"013", *b"029"];

/// Deprecated language codes and the codes that replaced them.
const DEPRECATED: &[([u8; 3], [u8; 3])] = &[
    (*b"iw\0", *b"he\0"),
    (*b"in\0", *b"id\0"),
    (*b"ji\0", *b"yi\0"),
];

/// A language tag reduced to what matching compares. Unset parts are zero bytes; the
/// language is lower-case, the script lower-case (shown title-case), the region upper-case
/// letters or three digits.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub struct LanguageTag {
    language: [u8; 3],
    script: [u8; 4],
    region: [u8; 3],
    /// Whether the region is `419` or a region it contains.
    latin_america: bool,
}

/// Whether `region`, a two-letter one, is one of the space-separated regions of `list`.
fn listed(list: &str, region: &[u8; 3]) -> bool {
    region[2] == 0 && region[0] != 0 && list.as_bytes().chunks(3).any(|r| r[..2] == region[..2])
}

/// Copies `part` into the start of the zero-filled `to` (when it fits: callers check lengths).
fn put(to: &mut [u8], part: &[u8]) {
    if let Some(to) = to.get_mut(..part.len()) {
        to.copy_from_slice(part);
    }
}

/// `bytes` without the zero padding, as text (ASCII by construction).
fn text(bytes: &[u8]) -> &str {
    let end = bytes.iter().position(|&b| b == 0).unwrap_or(bytes.len());
    std::str::from_utf8(&bytes[..end]).unwrap_or("")
}

impl LanguageTag {
    /// Parses `tag` in any of the forms the module describes, without filling in a script.
    fn parse(tag: &str) -> LanguageTag {
        // Bytes, not `str` methods: the parser stays small in the web binding's `.wasm`.
        let tag = tag.as_bytes().trim_ascii();
        let tag = match tag {
            [b'b' | b'B', b'+', rest @ ..] => rest,
            _ => tag,
        };
        let mut subtags = tag
            .split(|&b| matches!(b, b'-' | b'_' | b'+' | b'#'))
            .filter(|s| !s.is_empty());
        let mut out = LanguageTag::default();
        match subtags.next() {
            Some(language)
                if (2..=3).contains(&language.len())
                    && language.iter().all(u8::is_ascii_alphabetic) =>
            {
                put(&mut out.language, language);
                out.language.make_ascii_lowercase();
            }
            _ => return out,
        }
        if let Some((_, new)) = DEPRECATED.iter().find(|(old, _)| *old == out.language) {
            out.language = *new;
        }
        for subtag in subtags {
            let alpha = subtag.iter().all(u8::is_ascii_alphabetic);
            match subtag.len() {
                // An extension or private use (`u-…`, `x-…`, Java's `#u-…`): the rest is dropped.
                1 => break,
                4 if alpha && out.script == [0; 4] => {
                    put(&mut out.script, subtag);
                    out.script.make_ascii_lowercase();
                }
                2 if alpha && out.region == [0; 3] => {
                    put(&mut out.region, subtag);
                    out.region.make_ascii_uppercase();
                }
                3 if subtag.iter().all(u8::is_ascii_digit) && out.region == [0; 3] => {
                    put(&mut out.region, subtag);
                }
                // Extended languages, variants, repeated parts and junk: not compared.
                _ => {}
            }
        }
        out.latin_america =
            LATIN_AMERICA_GROUPS.contains(&out.region) || listed(LATIN_AMERICA, &out.region);
        out
    }

    /// The script CLDR's likely subtags give this tag's language in its region (or without
    /// one), when the language is written in more than one script.
    fn likely_script(&self) -> Option<[u8; 4]> {
        let (_, default, exceptions) = LIKELY_SCRIPTS.iter().find(|(language, _, _)| {
            self.language[2] == 0 && self.language[..2] == *language.as_bytes()
        })?;
        let script = exceptions
            .iter()
            .find(|(_, regions)| listed(regions, &self.region))
            .map_or(*default, |(script, _)| *script);
        script.as_bytes().try_into().ok()
    }

    /// A device's tag, canonicalized (SPEC §2, steps 1 and 2): parsed, and a missing script
    /// filled in from CLDR's likely subtags for languages written in more than one script.
    pub fn device(tag: &str) -> LanguageTag {
        let mut out = LanguageTag::parse(tag);
        if out.script == [0; 4] {
            out.script = out.likely_script().unwrap_or_default();
        }
        out
    }

    /// A rule's tag: parsed, with the script its region implies (as in step 2) when it states
    /// a region and no script (`zh-tw` is `zh-Hant-TW`; `zh` stays without a script).
    pub fn rule(tag: &str) -> LanguageTag {
        let mut out = LanguageTag::parse(tag);
        if out.script == [0; 4] && out.region != [0; 3] {
            out.script = out.likely_script().unwrap_or_default();
        }
        out
    }

    /// Whether this rule tag matches the device tag `device` (SPEC §2, step 3): the same
    /// language, and every part the rule states (script, region) matches; region `419`
    /// matches each region it contains. The empty tag matches nothing.
    #[inline]
    pub fn matches(&self, device: &LanguageTag) -> bool {
        self.language != [0; 3]
            && self.language == device.language
            && (self.script == [0; 4] || self.script == device.script)
            && (self.region == [0; 3]
                || self.region == device.region
                || (self.region == *b"419" && device.latin_america))
    }

    /// Whether every device this rule tag matches also matches rule tag `outer` (`zh-tw` is
    /// inside `zh-hant`, `fr-ca` inside `fr`, `es-mx` inside `es-419`).
    pub fn is_inside(&self, outer: &LanguageTag) -> bool {
        // A device has every part this tag states, and any value for the parts it leaves
        // unstated: `outer` must state a subset, with the same values.
        let region_inside = outer.region == [0; 3]
            || outer.region == self.region
            || (outer.region == *b"419" && self.latin_america && self.region != [0; 3]);
        self.language != [0; 3]
            && self.language == outer.language
            && (outer.script == [0; 4] || outer.script == self.script)
            && region_inside
    }

    /// The language subtag (lower-case), empty for the empty tag.
    pub fn language(&self) -> &str {
        text(&self.language)
    }

    /// The script subtag in lower case (`hant`), empty when there is none.
    pub fn script(&self) -> &str {
        text(&self.script)
    }

    /// The region subtag (`TW`, `419`), empty when there is none.
    pub fn region(&self) -> &str {
        text(&self.region)
    }

    /// Whether this is the empty tag (the input was not a language tag).
    pub fn is_empty(&self) -> bool {
        self.language == [0; 3]
    }

    /// Replaces the contents of `buf` with the canonical form (`zh-Hant-TW`), reusing its
    /// allocation.
    pub fn write_to(&self, buf: &mut String) {
        buf.clear();
        for (part, bytes) in [&self.language[..], &self.script, &self.region]
            .into_iter()
            .enumerate()
        {
            for (i, &b) in bytes.iter().take_while(|&&b| b != 0).enumerate() {
                if i == 0 && part > 0 {
                    buf.push('-');
                }
                // The script is shown title-case (`Hant`).
                let first_of_script = part == 1 && i == 0;
                buf.push(char::from(if first_of_script {
                    b.to_ascii_uppercase()
                } else {
                    b
                }));
            }
        }
    }
}

impl fmt::Display for LanguageTag {
    /// The canonical form, `zh-Hant-TW`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut buf = String::with_capacity(11);
        self.write_to(&mut buf);
        f.write_str(&buf)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn canonical(tag: &str) -> String {
        LanguageTag::device(tag).to_string()
    }

    fn is(rule: &str, device: &str) -> bool {
        LanguageTag::rule(rule).matches(&LanguageTag::device(device))
    }

    #[test]
    fn device_forms_are_canonicalized() {
        for (input, expected) in [
            ("fr", "fr"),
            ("FR_ca", "fr-CA"),
            ("zh_TW_#Hant", "zh-Hant-TW"),
            ("zh__#Hans", "zh-Hans"),
            ("b+sr+Latn+RS", "sr-Latn-RS"),
            ("B+zh+HK", "zh-Hant-HK"),
            ("th_TH_TH_#u-nu-thai", "th-TH"),
            ("en-US-u-ca-gregory-x-foo", "en-US"),
            ("iw_IL", "he-IL"),
            ("in", "id"),
            ("ji", "yi"),
            ("zh", "zh-Hans"),
            ("zh-CN", "zh-Hans-CN"),
            ("zh-SG", "zh-Hans-SG"),
            ("zh-TW", "zh-Hant-TW"),
            ("zh-MO", "zh-Hant-MO"),
            ("sr", "sr-Cyrl"),
            ("sr-RS", "sr-Cyrl-RS"),
            ("sr-ME", "sr-Latn-ME"),
            ("uz-AF", "uz-Arab-AF"),
            ("pa-PK", "pa-Arab-PK"),
            ("az", "az-Latn"),
            ("bs", "bs-Latn"),
            ("es-419", "es-419"),
            ("de-DE-1996", "de-DE"),
            (" en-gb ", "en-GB"),
            ("", ""),
            ("x-private", ""),
            ("english", ""),
            ("日本語", ""),
        ] {
            assert_eq!(canonical(input), expected, "{input}");
        }
    }

    /// Every example of SPEC §2's `device.language` bullet.
    #[test]
    fn spec_examples_hold() {
        for (rule, device, expected) in [
            ("fr", "fr", true),
            ("fr", "fr-CA", true),
            ("fr", "fr_FR", true),
            ("fr-ca", "fr-CA", true),
            ("fr-ca", "fr-CA-x-foo", true),
            ("fr-ca", "fr", false),
            ("fr-ca", "fr-FR", false),
            ("zh-tw", "zh-Hant-TW", true),
            ("zh-tw", "zh-TW", true),
            ("zh-tw", "zh_TW_#Hant", true),
            ("zh-tw", "zh-Hans-TW", false),
            ("zh-tw", "zh-Hant-HK", false),
            ("zh-hant", "zh-TW", true),
            ("zh-hant", "zh-HK", true),
            ("zh-hant", "zh-Hant-US", true),
            ("zh-hant", "zh-CN", false),
            ("he", "iw_IL", true),
            ("es-419", "es-MX", true),
            ("es-419", "es-AR", true),
            ("es-419", "es-ES", false),
            ("es-419", "es", false),
            ("es-419", "es-419", true),
            ("fr", "fra", false),
            ("fr", "", false),
            ("", "", false),
        ] {
            assert_eq!(is(rule, device), expected, "is {rule:?} on {device:?}");
        }
    }

    #[test]
    fn inside_follows_matching() {
        let inside = |a: &str, b: &str| LanguageTag::rule(a).is_inside(&LanguageTag::rule(b));
        assert!(inside("zh-tw", "zh-hant") && inside("fr-ca", "fr") && inside("es-mx", "es-419"));
        assert!(inside("zh-hk", "zh") && inside("sr-me", "sr-latn"));
        assert!(!inside("zh-hant", "zh-tw") && !inside("zh-cn", "zh-hant"));
        assert!(!inside("fr", "fr-ca") && !inside("es-es", "es-419") && !inside("es", "es-419"));
        assert!(!inside("fr", "de"));
    }

    proptest! {
        #[test]
        fn canonicalization_is_idempotent_and_total(s in "\\PC{0,24}") {
            let once = LanguageTag::device(&s);
            prop_assert_eq!(LanguageTag::device(&once.to_string()), once);
        }

        #[test]
        fn tag_like_strings_are_idempotent(
            s in "(b\\+)?[A-Za-z]{1,4}([-_+#][A-Za-z0-9#]{1,8}){0,4}"
        ) {
            let once = LanguageTag::device(&s);
            prop_assert_eq!(LanguageTag::device(&once.to_string()), once);
        }

        /// `is_inside` is exactly "every device matching the inner tag matches the outer".
        #[test]
        fn inside_agrees_with_matching(
            a in "(zh|sr|es|fr)(-(hant|hans|latn|cyrl))?(-(tw|hk|cn|me|419|mx|es|ca))?",
            b in "(zh|sr|es|fr)(-(hant|hans|latn|cyrl))?(-(tw|hk|cn|me|419|mx|es|ca))?",
        ) {
            let (a, b) = (LanguageTag::rule(&a), LanguageTag::rule(&b));
            // Every combination of the parts the rules above mention, and of others.
            let mut devices = Vec::new();
            for language in ["zh", "sr", "es", "fr", "de"] {
                for script in ["", "-Hant", "-Hans", "-Latn", "-Cyrl", "-Arab"] {
                    for region in ["", "-TW", "-HK", "-CN", "-ME", "-419", "-MX", "-ES", "-CA", "-AR", "-RS"] {
                        devices.push(LanguageTag::device(&format!("{language}{script}{region}")));
                    }
                }
            }
            let all_inside = devices.iter().all(|d| !a.matches(d) || b.matches(d));
            prop_assert_eq!(a.is_inside(&b), all_inside);
        }
    }
}
