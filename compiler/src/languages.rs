//! The language tags `device.language` may be compared with, and their English names.
//!
//! The list is the contract with rule authors: a tag outside it is error `E0305` with the
//! closest tag as a suggestion. Tags are lower-case with `-` between subtags; source text may
//! use any case and `_`, which [`normalize`] folds away.

use std::borrow::Cow;

/// Supported tags and their names, sorted by tag.
pub const LANGUAGES: &[(&str, &str)] = &[
    ("af", "Afrikaans"),
    ("ar", "Arabic"),
    ("bg", "Bulgarian"),
    ("bn", "Bengali"),
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
    ("pl", "Polish"),
    ("pt", "Portuguese"),
    ("pt-br", "Portuguese (Brazil)"),
    ("pt-pt", "Portuguese (Portugal)"),
    ("ro", "Romanian"),
    ("ru", "Russian"),
    ("sk", "Slovak"),
    ("sl", "Slovenian"),
    ("sr", "Serbian"),
    ("sv", "Swedish"),
    ("sw", "Swahili"),
    ("th", "Thai"),
    ("tr", "Turkish"),
    ("uk", "Ukrainian"),
    ("ur", "Urdu"),
    ("vi", "Vietnamese"),
    ("zh", "Chinese"),
    ("zh-cn", "Chinese (China)"),
    ("zh-hk", "Chinese (Hong Kong)"),
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

/// RFC 4647 basic filtering: does a device language match `tag`? Both sides are normalized;
/// `fr` matches `fr` and `fr-…`, `fr-ca` matches `fr-ca` and `fr-ca-…`.
pub fn matches(tag: &str, device_language: &str) -> bool {
    matches_normalized(&normalize(tag), &normalize(device_language))
}

/// [`matches`] for a tag and a device language both already normalized.
pub fn matches_normalized(tag: &str, device: &str) -> bool {
    device == tag || (device.starts_with(tag) && device.as_bytes().get(tag.len()) == Some(&b'-'))
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
}
