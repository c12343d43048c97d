//! The language tags `device.language` may be compared with, and their English names.
//!
//! The list is the contract with rule authors: a tag outside it is error `E0305` with the
//! closest tag as a suggestion. Tags are lower-case with `-` between subtags; source text may
//! use any case and `_`, which [`normalize`] folds away.
//!
//! The list has every language the VM knows to be written in more than one script
//! ([`pm_vm::language::LIKELY_SCRIPTS`]: `az`, `bs`, `pa`, `sr`, `uz`, `zh`) with the script
//! tags CLDR has locales for (`zh-hant`, `sr-latn`, …). Matching is the VM's own
//! ([`LanguageTag`]), so the compiler's reference semantics cannot drift from the device's.

use std::borrow::Cow;

use pm_vm::language::LanguageTag;

/// Supported tags and their names, sorted by tag.
pub const LANGUAGES: &[(&str, &str)] = &[
    ("af", "Afrikaans"),
    ("ar", "Arabic"),
    ("az", "Azerbaijani"),
    ("az-arab", "Azerbaijani (Arabic script)"),
    ("az-cyrl", "Azerbaijani (Cyrillic)"),
    ("az-latn", "Azerbaijani (Latin)"),
    ("bg", "Bulgarian"),
    ("bn", "Bengali"),
    ("bs", "Bosnian"),
    ("bs-cyrl", "Bosnian (Cyrillic)"),
    ("bs-latn", "Bosnian (Latin)"),
    ("ca", "Catalan"),
    ("cs", "Czech"),
    ("da", "Danish"),
    ("de", "German"),
    ("de-at", "German (Austria)"),
    ("de-ch", "German (Switzerland)"),
    ("de-de", "German (Germany)"),
    ("el", "Greek"),
    ("en", "English"),
    ("en-au", "English (Australia)"),
    ("en-ca", "English (Canada)"),
    ("en-gb", "English (United Kingdom)"),
    ("en-ie", "English (Ireland)"),
    ("en-in", "English (India)"),
    ("en-nz", "English (New Zealand)"),
    ("en-us", "English (United States)"),
    ("es", "Spanish"),
    ("es-419", "Spanish (Latin America)"),
    ("es-es", "Spanish (Spain)"),
    ("es-mx", "Spanish (Mexico)"),
    ("et", "Estonian"),
    ("fa", "Persian"),
    ("fi", "Finnish"),
    ("fil", "Filipino"),
    ("fr", "French"),
    ("fr-be", "French (Belgium)"),
    ("fr-ca", "French (Canada)"),
    ("fr-ch", "French (Switzerland)"),
    ("fr-fr", "French (France)"),
    ("he", "Hebrew"),
    ("hi", "Hindi"),
    ("hr", "Croatian"),
    ("hu", "Hungarian"),
    ("id", "Indonesian"),
    ("is", "Icelandic"),
    ("it", "Italian"),
    ("ja", "Japanese"),
    ("ko", "Korean"),
    ("lt", "Lithuanian"),
    ("lv", "Latvian"),
    ("ms", "Malay"),
    ("nb", "Norwegian Bokmål"),
    ("nl", "Dutch"),
    ("nl-be", "Dutch (Belgium)"),
    ("no", "Norwegian"),
    ("pa", "Punjabi"),
    ("pa-arab", "Punjabi (Arabic script)"),
    ("pa-guru", "Punjabi (Gurmukhi)"),
    ("pl", "Polish"),
    ("pt", "Portuguese"),
    ("pt-br", "Portuguese (Brazil)"),
    ("pt-pt", "Portuguese (Portugal)"),
    ("ro", "Romanian"),
    ("ru", "Russian"),
    ("sk", "Slovak"),
    ("sl", "Slovenian"),
    ("sr", "Serbian"),
    ("sr-cyrl", "Serbian (Cyrillic)"),
    ("sr-latn", "Serbian (Latin)"),
    ("sv", "Swedish"),
    ("sw", "Swahili"),
    ("th", "Thai"),
    ("tr", "Turkish"),
    ("uk", "Ukrainian"),
    ("ur", "Urdu"),
    ("uz", "Uzbek"),
    ("uz-arab", "Uzbek (Arabic script)"),
    ("uz-cyrl", "Uzbek (Cyrillic)"),
    ("uz-latn", "Uzbek (Latin)"),
    ("vi", "Vietnamese"),
    ("zh", "Chinese"),
    ("zh-cn", "Chinese (China)"),
    ("zh-hans", "Chinese (Simplified)"),
    ("zh-hant", "Chinese (Traditional)"),
    ("zh-hk", "Chinese (Hong Kong)"),
    ("zh-mo", "Chinese (Macao)"),
    ("zh-sg", "Chinese (Singapore)"),
    ("zh-tw", "Chinese (Taiwan)"),
];

/// Lower-cases a tag and reads `_` as `-` (`pt_BR` → `pt-br`).
pub fn normalize(tag: &str) -> String {
    normalized(tag).into_owned()
}

/// [`normalize`], borrowing `tag` when it already is normalized (lower-case ASCII letters,
/// digits and `-` only, as every tag of a checked condition).
pub fn normalized(tag: &str) -> Cow<'_, str> {
    if tag
        .bytes()
        .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
    {
        return Cow::Borrowed(tag);
    }
    let tag = tag.trim();
    if !tag.is_ascii() {
        return Cow::Owned(tag.to_lowercase().replace('_', "-"));
    }
    // ASCII (every real tag): lower-cased in one copy, and `_` is rare.
    let tag = tag.to_ascii_lowercase();
    Cow::Owned(if tag.contains('_') {
        tag.replace('_', "-")
    } else {
        tag
    })
}

/// The English name of a supported tag (given in any case, `_` or `-`).
pub fn name_of(tag: &str) -> Option<&'static str> {
    let tag = normalize(tag);
    LANGUAGES
        .binary_search_by(|(known, _)| (*known).cmp(tag.as_str()))
        .ok()
        .map(|i| LANGUAGES[i].1)
}

/// The English names of the scripts the supported tags state or imply.
const SCRIPTS: &[(&str, &str)] = &[
    ("arab", "Arabic"),
    ("cyrl", "Cyrillic"),
    ("guru", "Gurmukhi"),
    ("hans", "Simplified Han"),
    ("hant", "Traditional Han"),
    ("latn", "Latin"),
];

/// What a supported tag means when matched (for the editor's hover): its canonical form, its
/// parts (a script implied by the region said so), and which devices it matches. `None` for
/// a tag outside the list.
pub fn meaning(tag: &str) -> Option<String> {
    let tag = normalize(tag);
    let name = name_of(&tag)?;
    let parsed = LanguageTag::rule(&tag);
    let script_stated = tag.split('-').any(|part| part.len() == 4);
    let mut parts = vec![format!("language `{}`", parsed.language())];
    let mut wanted = Vec::new();
    if !parsed.script().is_empty() {
        let script_name = SCRIPTS
            .iter()
            .find(|(code, _)| *code == parsed.script())
            .map_or("", |(_, name)| *name);
        let implied = if script_stated {
            ""
        } else {
            ", implied by the region"
        };
        let canonical = parsed.to_string();
        let code = canonical.split('-').nth(1).unwrap_or_default();
        parts.push(format!("script `{code}` ({script_name}{implied})"));
        wanted.push(format!("written in {script_name}"));
    }
    if !parsed.region().is_empty() {
        let region = parsed.region();
        if region == "419" {
            parts.push("region `419` (Latin America)".to_string());
            wanted.push("in Latin America (any country CLDR places in `419`)".to_string());
        } else {
            parts.push(format!("region `{region}`"));
            wanted.push(format!("in region `{region}`"));
        }
    }
    let matches = if wanted.is_empty() {
        format!(
            "Matches every device in `{}`, whatever its script or region.",
            parsed.language()
        )
    } else {
        format!(
            "Matches devices in `{}` {}, in any form they report it.",
            parsed.language(),
            wanted.join(" and ")
        )
    };
    Some(format!(
        "{name}: `{parsed}`, {}.\n\n{matches}",
        parts.join(", ")
    ))
}

/// Whether rule tag `tag` matches a device language (SPEC §2's three steps, as the VM does).
pub fn matches(tag: &str, device_language: &str) -> bool {
    LanguageTag::rule(tag).matches(&LanguageTag::device(device_language))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn list_is_sorted_normalized_and_unique() {
        assert!(LANGUAGES.windows(2).all(|w| w[0].0 < w[1].0));
        assert!(LANGUAGES.iter().all(|(tag, _)| normalize(tag) == *tag));
    }

    #[test]
    fn names_and_matching() {
        assert_eq!(name_of("PT_br"), Some("Portuguese (Brazil)"));
        assert_eq!(name_of("xx"), None);
        assert!(matches("fr", "fr_FR") && matches("fr", "FR") && matches("fr-ca", "fr-CA-x"));
        assert!(!matches("fr-ca", "fr") && !matches("fr-ca", "fr-fr") && !matches("fr", "fry"));
        assert!(matches("zh-hant", "zh_TW_#Hant") && !matches("zh-hant", "zh-CN"));
    }

    /// Every supported tag is one the VM reads as stated: its language, and its script or
    /// region where it has one.
    #[test]
    fn every_tag_parses_in_the_vm() {
        for (tag, _) in LANGUAGES {
            let parsed = LanguageTag::rule(tag);
            assert!(!parsed.is_empty(), "{tag}");
            let parts: Vec<&str> = tag.split('-').collect();
            assert_eq!(parsed.language(), parts[0], "{tag}");
            match parts.get(1) {
                Some(script) if script.len() == 4 => assert_eq!(parsed.script(), *script),
                Some(region) => assert_eq!(parsed.region().to_lowercase(), *region),
                None => assert_eq!(parts.len(), 1),
            }
        }
    }

    #[test]
    fn meanings_name_the_parts_and_what_matches() {
        assert_eq!(
            meaning("zh-TW").unwrap(),
            "Chinese (Taiwan): `zh-Hant-TW`, language `zh`, script `Hant` (Traditional Han, \
             implied by the region), region `TW`.\n\nMatches devices in `zh` written in \
             Traditional Han and in region `TW`, in any form they report it."
        );
        assert_eq!(
            meaning("fr").unwrap(),
            "French: `fr`, language `fr`.\n\nMatches every device in `fr`, whatever its script \
             or region."
        );
        assert!(meaning("es-419").unwrap().contains("Latin America"));
        assert!(
            meaning("sr-latn")
                .unwrap()
                .contains("script `Latn` (Latin).")
        );
        assert_eq!(meaning("xx"), None);
        // Every supported tag's script has a name.
        assert!(
            LANGUAGES
                .iter()
                .all(|(tag, _)| !meaning(tag).unwrap().contains("(,")
                    && !meaning(tag).unwrap().contains("()"))
        );
    }

    #[test]
    fn normalize_trims_folds_case_and_underscores() {
        assert_eq!(normalize(" PT_br\t"), "pt-br");
        assert_eq!(normalize("ÉS_Mx"), "és-mx");
        assert_eq!(normalize(""), "");
        assert!(matches!(normalized("zh-tw"), Cow::Borrowed("zh-tw")));
        assert_eq!(normalized("zh-TW "), "zh-tw");
    }
}

#[cfg(test)]
mod documentation_tests {
    use super::LANGUAGES;

    /// The language guide and `pmc explain E0305` list every supported tag.
    #[test]
    fn the_docs_list_every_tag() {
        let guide = include_str!("../../docs/language.md");
        let explanation = crate::diagnostic::Code::E0305.explanation();
        for (tag, name) in LANGUAGES {
            assert!(
                guide.contains(&format!("| `{tag}` | {name} |")),
                "docs/language.md lacks {tag}"
            );
            assert!(
                explanation.contains(&format!("`{tag}` {name}")),
                "E0305.md lacks {tag}"
            );
        }
    }

    /// Every example of the guide's "Device languages" table holds.
    #[test]
    fn the_device_language_examples_hold() {
        let guide = include_str!("../../docs/language.md");
        let section = &guide[guide.find("### Device languages").unwrap()..];
        let mut rows = 0;
        for row in section
            .lines()
            .filter(|l| l.starts_with("| `device.language is"))
        {
            let cells: Vec<&str> = row.split(" | ").collect();
            let rule = cells[0].trim_start_matches("| ");
            let (negated, tag) = match rule.strip_prefix("`device.language is not \"") {
                Some(tag) => (true, tag),
                None => (false, rule.trim_start_matches("`device.language is \"")),
            };
            let tag = tag.trim_end_matches("\"`");
            for (cell, expected) in [(cells[1], true), (cells[2], false)] {
                for device in cell.trim_end_matches(" |").split(", ") {
                    let device = device.trim_matches('`');
                    assert_eq!(
                        super::matches(tag, device) != negated,
                        expected,
                        "{rule} on {device}"
                    );
                    rows += 1;
                }
            }
        }
        assert!(rows > 30, "{rows} examples");
    }
}
