//! The table of diagnostic codes: one line per code with its family, default severity and
//! title, and its long explanation in `explain/CODE.md` beside this file.
//!
//! Codes are stable: once released, a code keeps its meaning forever. Families: `E01xx` lexical,
//! `E02xx` syntax, `E03xx` names and types in conditions, `E04xx` messages and their clauses,
//! `E05xx` `account.toml`, `W01xx` lints.

use super::Severity;

macro_rules! codes {
    ($($code:ident: $severity:ident, $title:literal;)*) => {
        /// A stable diagnostic code such as `E0301`.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum Code {
            $(
                #[doc = $title]
                $code,
            )*
        }

        impl Code {
            /// Every code, in table order.
            pub const ALL: &'static [Code] = &[$(Code::$code),*];

            /// The code as written in reports, e.g. `"E0301"`.
            pub fn as_str(self) -> &'static str {
                match self { $(Code::$code => stringify!($code)),* }
            }

            /// The severity diagnostics with this code have unless stated otherwise.
            pub fn default_severity(self) -> Severity {
                match self { $(Code::$code => Severity::$severity),* }
            }

            /// A short title, e.g. "unknown field".
            pub fn title(self) -> &'static str {
                match self { $(Code::$code => $title),* }
            }

            /// The long explanation printed by `pmc explain` (Markdown).
            pub fn explanation(self) -> &'static str {
                match self {
                    $(Code::$code => include_str!(concat!("explain/", stringify!($code), ".md"))),*
                }
            }
        }
    };
}

codes! {
    E0101: Error, "unterminated string";
    E0102: Error, "invalid escape sequence";
    E0103: Error, "invalid duration";
    E0104: Error, "unexpected character";
    E0105: Error, "invalid number";
    E0106: Error, "identifier is not lower-case";
    E0107: Error, "source file too large";
    E0108: Error, "source file is not UTF-8";
    E0201: Error, "syntax error";
    E0202: Error, "unclosed delimiter";
    E0203: Error, "nesting too deep";
    E0204: Error, "unknown clause";
    E0301: Error, "unknown object";
    E0302: Error, "unknown field";
    E0303: Error, "operator not valid for this field";
    E0304: Error, "value of the wrong kind";
    E0305: Error, "unknown language tag";
    E0306: Error, "unknown named condition";
    E0307: Error, "cyclic named conditions";
    E0308: Error, "duplicate named condition";
    E0309: Error, "unknown event";
    E0310: Error, "unknown keyword";
    E0311: Error, "condition too large to compile";
    E0312: Error, "list too long";
    E0313: Error, "invalid regular expression";
    E0314: Error, "regular expression too large";
    E0315: Error, "unsupported regular expression";
    E0316: Error, "invalid version";
    E0401: Error, "missing required clause";
    E0402: Error, "duplicate clause";
    E0403: Error, "duplicate message name";
    E0404: Error, "unknown brand";
    E0405: Error, "brand required";
    E0406: Error, "unknown channel";
    E0407: Error, "channel not connected to the brand";
    E0408: Error, "not a mobile SDK channel";
    E0409: Error, "unknown AI agent";
    E0410: Error, "AI agent not connected to the channel";
    E0411: Error, "unknown answer";
    E0412: Error, "unknown schedule";
    E0413: Error, "schedule not set for the channel";
    E0414: Error, "empty text";
    E0415: Error, "invalid tag";
    E0416: Error, "too many messages";
    E0417: Error, "invalid collect list";
    E0418: Error, "text too long";
    E0419: Error, "too many tags";
    E0420: Error, "bundle too large";
    E0501: Error, "invalid account.toml";
    E0502: Error, "duplicate name in account.toml";
    E0503: Error, "unknown name in account.toml";
    E0504: Error, "invalid business-hours interval";
    E0505: Error, "unknown time zone";
    E0506: Error, "invalid holiday date";
    E0507: Error, "missing account.toml";
    E0508: Error, "account.toml beyond a limit of the bundle format";
    E0509: Error, "invalid duration in account.toml";
    E0510: Error, "invalid delivery limit";
    W0101: Warning, "unused named condition";
    W0102: Warning, "channel keeps conversation control";
    W0103: Warning, "condition can never hold";
    W0104: Warning, "condition always holds";
    W0105: Warning, "duplicate list item";
    W0106: Warning, "message can never be delivered";
    W0107: Warning, "text-direction character in a comment or string";
    W0108: Warning, "language tag inside another";
}

impl Code {
    /// Parses a code as users type it (`E0301`, `e0301`).
    pub fn parse(text: &str) -> Option<Code> {
        Code::ALL
            .iter()
            .copied()
            .find(|code| code.as_str().eq_ignore_ascii_case(text.trim()))
    }
}

impl std::fmt::Display for Code {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}
