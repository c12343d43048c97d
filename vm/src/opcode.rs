//! The one declarative opcode table of the condition bytecode.
//!
//! The `opcodes!` invocation at the bottom of this file is the single source of truth for
//! opcode bytes, mnemonics, operand kinds and widths and the one-line semantics of every
//! instruction. It generates [`Opcode`], [`Instr`] (a decoded instruction with typed operands),
//! [`Instr::encode`] (used by the writer), [`Instr::decode`] (used by the verifier, the
//! disassembler, and explanations to name the deciding instruction; evaluation itself decodes
//! nothing, it walks the decision graphs built from the verified code at load) and
//! [`Opcode::markdown_table`] (the opcode section of `FORMAT.md`, checked by a test).

use std::fmt;

use crate::version::Order;

/// Index of a string in the bundle's string table.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct StrId(pub u16);

/// Index of a string set in the bundle's string-set table.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct SetId(pub u16);

/// Index of an automaton in the bundle's automata section.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct AutomatonId(pub u16);

/// The kind of an instruction operand, which fixes its width and meaning.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum OperandKind {
    /// A `u16` index into the string table.
    Str,
    /// A `u16` index into the string-set table.
    Set,
    /// A `u16` index into the automata section.
    Automaton,
    /// A `u8` that is `0` (false) or `1` (true).
    Bool,
    /// A `u16` forward offset, counted from the first byte after the jump instruction.
    Rel,
    /// A `u8` comparison order: 0 `is`, 1 `<`, 2 `<=`, 3 `>`, 4 `>=` ([`Order`]).
    Order,
    /// A little-endian `i64`.
    Int,
}

impl OperandKind {
    /// The operand's width in bytes.
    pub const fn width(self) -> usize {
        match self {
            OperandKind::Str | OperandKind::Set | OperandKind::Automaton | OperandKind::Rel => 2,
            OperandKind::Bool | OperandKind::Order => 1,
            OperandKind::Int => 8,
        }
    }

    /// The operand's short name as used in `FORMAT.md`.
    pub const fn name(self) -> &'static str {
        match self {
            OperandKind::Str => "s: u16 string",
            OperandKind::Set => "k: u16 string set",
            OperandKind::Automaton => "a: u16 automaton",
            OperandKind::Bool => "b: u8 bool",
            OperandKind::Rel => "rel: u16 forward offset",
            OperandKind::Order => "c: u8 order (0 `is`, 1 `<`, 2 `<=`, 3 `>`, 4 `>=`)",
            OperandKind::Int => "n: i64",
        }
    }
}

/// Why an instruction could not be decoded.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DecodeError {
    /// The byte at the instruction's start is not an opcode.
    UnknownOpcode(u8),
    /// The code ends inside the instruction's operands.
    Truncated,
    /// A boolean operand is neither 0 nor 1.
    InvalidBool(u8),
    /// An order operand is not one of the five orders.
    InvalidOrder(u8),
}

impl fmt::Display for DecodeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            DecodeError::UnknownOpcode(b) => write!(f, "unknown opcode 0x{b:02x}"),
            DecodeError::Truncated => f.write_str("the code ends inside an instruction's operands"),
            DecodeError::InvalidBool(b) => write!(f, "boolean operand {b} is neither 0 nor 1"),
            DecodeError::InvalidOrder(b) => write!(f, "order operand {b} is not 0 to 4"),
        }
    }
}

/// An operand type: how it is read from and written to code bytes.
trait Operand: Sized + Copy {
    fn read(bytes: &[u8]) -> Result<Self, DecodeError>;
    fn write(self, out: &mut Vec<u8>);
}

fn read_u16(bytes: &[u8]) -> Result<u16, DecodeError> {
    match bytes {
        [a, b, ..] => Ok(u16::from_le_bytes([*a, *b])),
        _ => Err(DecodeError::Truncated),
    }
}

impl Operand for u16 {
    fn read(bytes: &[u8]) -> Result<Self, DecodeError> {
        read_u16(bytes)
    }
    fn write(self, out: &mut Vec<u8>) {
        out.extend_from_slice(&self.to_le_bytes());
    }
}

impl Operand for StrId {
    fn read(bytes: &[u8]) -> Result<Self, DecodeError> {
        read_u16(bytes).map(StrId)
    }
    fn write(self, out: &mut Vec<u8>) {
        self.0.write(out);
    }
}

impl Operand for SetId {
    fn read(bytes: &[u8]) -> Result<Self, DecodeError> {
        read_u16(bytes).map(SetId)
    }
    fn write(self, out: &mut Vec<u8>) {
        self.0.write(out);
    }
}

impl Operand for AutomatonId {
    fn read(bytes: &[u8]) -> Result<Self, DecodeError> {
        read_u16(bytes).map(AutomatonId)
    }
    fn write(self, out: &mut Vec<u8>) {
        self.0.write(out);
    }
}

impl Operand for bool {
    fn read(bytes: &[u8]) -> Result<Self, DecodeError> {
        match bytes.first() {
            Some(0) => Ok(false),
            Some(1) => Ok(true),
            Some(b) => Err(DecodeError::InvalidBool(*b)),
            None => Err(DecodeError::Truncated),
        }
    }
    fn write(self, out: &mut Vec<u8>) {
        out.push(u8::from(self));
    }
}

impl Operand for Order {
    fn read(bytes: &[u8]) -> Result<Self, DecodeError> {
        let byte = *bytes.first().ok_or(DecodeError::Truncated)?;
        Order::from_byte(byte).ok_or(DecodeError::InvalidOrder(byte))
    }
    fn write(self, out: &mut Vec<u8>) {
        out.push(self.byte());
    }
}

impl Operand for i64 {
    fn read(bytes: &[u8]) -> Result<Self, DecodeError> {
        match bytes.get(..8) {
            Some(b) => Ok(i64::from_le_bytes([
                b[0], b[1], b[2], b[3], b[4], b[5], b[6], b[7],
            ])),
            None => Err(DecodeError::Truncated),
        }
    }
    fn write(self, out: &mut Vec<u8>) {
        out.extend_from_slice(&self.to_le_bytes());
    }
}

macro_rules! operand_type {
    (Str) => {
        StrId
    };
    (Set) => {
        SetId
    };
    (Automaton) => {
        AutomatonId
    };
    (Bool) => {
        bool
    };
    (Rel) => {
        u16
    };
    (Order) => {
        Order
    };
    (Int) => {
        i64
    };
}

macro_rules! opcodes {
    ($(
        $(#[doc = $doc:literal])*
        $code:literal $name:ident $mnemonic:literal $({ $($field:ident : $kind:ident),* })?;
    )*) => {
        /// An opcode: the first byte of every instruction.
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
        #[repr(u8)]
        pub enum Opcode {
            $($(#[doc = $doc])* $name = $code,)*
        }

        impl Opcode {
            /// Every opcode, in byte order.
            pub const ALL: &'static [Opcode] = &[$(Opcode::$name),*];

            /// The opcode whose byte is `byte`, if any.
            pub const fn from_byte(byte: u8) -> Option<Opcode> {
                match byte {
                    $($code => Some(Opcode::$name),)*
                    _ => None,
                }
            }

            /// The opcode's byte.
            pub const fn byte(self) -> u8 {
                self as u8
            }

            /// The opcode's mnemonic, as printed by the disassembler.
            pub const fn mnemonic(self) -> &'static str {
                match self {
                    $(Opcode::$name => $mnemonic,)*
                }
            }

            /// The kinds of the opcode's operands, in encoding order.
            pub const fn operands(self) -> &'static [OperandKind] {
                match self {
                    $(Opcode::$name => &[$($(OperandKind::$kind),*)?],)*
                }
            }

            /// The one-line semantics of the instruction.
            pub fn description(self) -> &'static str {
                match self {
                    $(Opcode::$name => concat!($($doc),*).trim_start(),)*
                }
            }
        }

        /// A decoded instruction with typed operands.
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
        pub enum Instr {
            $($(#[doc = $doc])* $name $({ $(#[doc = stringify!($field)] $field: operand_type!($kind)),* })?,)*
        }

        impl Instr {
            /// The instruction's opcode.
            pub const fn opcode(&self) -> Opcode {
                match self {
                    $(Instr::$name { .. } => Opcode::$name,)*
                }
            }

            /// Appends the instruction's encoding (opcode byte, then little-endian operands).
            pub fn encode(&self, out: &mut Vec<u8>) {
                match *self {
                    $(Instr::$name $({ $($field),* })? => {
                        out.push($code);
                        $($(Operand::write($field, out);)*)?
                    })*
                }
            }

            /// Decodes the instruction starting at `code[pc]` and returns it with the offset of
            /// the next instruction.
            ///
            /// # Errors
            ///
            /// [`DecodeError`] when `pc` is out of bounds or the bytes there are not an
            /// instruction. Never panics.
            pub fn decode(code: &[u8], pc: usize) -> Result<(Instr, usize), DecodeError> {
                let byte = *code.get(pc).ok_or(DecodeError::Truncated)?;
                #[allow(unused_mut, unused_variables)]
                let mut at = pc + 1;
                let instr = match byte {
                    $($code => Instr::$name $({ $($field: {
                        let value = <operand_type!($kind) as Operand>::read(
                            code.get(at..).ok_or(DecodeError::Truncated)?,
                        )?;
                        at += OperandKind::$kind.width();
                        value
                    }),* })?,)*
                    other => return Err(DecodeError::UnknownOpcode(other)),
                };
                Ok((instr, at))
            }
        }
    };
}

impl Opcode {
    /// The instruction's size in bytes: one opcode byte plus its operands.
    pub fn size(self) -> usize {
        1 + self.operands().iter().map(|k| k.width()).sum::<usize>()
    }

    /// The opcode section of `FORMAT.md`, generated from the table (a test checks that the
    /// document contains exactly this text).
    pub fn markdown_table() -> String {
        let mut out = String::from("| byte | mnemonic | operands | size | semantics |\n");
        out.push_str("|---|---|---|---|---|\n");
        for op in Opcode::ALL {
            let operands: Vec<&str> = op.operands().iter().map(|k| k.name()).collect();
            let operands = if operands.is_empty() {
                "—".to_owned()
            } else {
                operands.join(", ")
            };
            out.push_str(&format!(
                "| `0x{:02x}` | `{}` | {} | {} | {} |\n",
                op.byte(),
                op.mnemonic(),
                operands,
                op.size(),
                op.description()
            ));
        }
        out
    }
}

opcodes! {
    /// `acc` = (lower-cased page URL == string `s`).
    0x01 UrlIs "URL_IS" { s: Str };
    /// `acc` = (lower-cased page title == string `s`).
    0x02 TitleIs "TITLE_IS" { s: Str };
    /// `acc` = the lower-cased page URL contains at least one string of set `k`.
    0x03 UrlHasAny "URL_HAS_ANY" { k: Set };
    /// `acc` = the lower-cased page title contains at least one string of set `k`.
    0x04 TitleHasAny "TITLE_HAS_ANY" { k: Set };
    /// `acc` = RFC 4647 basic filter: the normalized device language equals string `s` or starts with `s` followed by `-`.
    0x05 LangIs "LANG_IS" { s: Str };
    /// `acc` = the current visit is a returning one.
    0x06 VisitReturning "VISIT_RETURNING";
    /// `acc` = `b`.
    0x07 Const "CONST" { b: Bool };
    /// `acc` = not `acc`.
    0x08 Not "NOT";
    /// If `acc` is false, continue at (offset of the next instruction + `rel`).
    0x09 JumpIfFalse "JUMP_IF_FALSE" { rel: Rel };
    /// If `acc` is true, continue at (offset of the next instruction + `rel`).
    0x0a JumpIfTrue "JUMP_IF_TRUE" { rel: Rel };
    /// Stop; the condition's value is `acc`.
    0x0b Ret "RET";
    /// `acc` = the lower-cased page URL starts with at least one string of set `k`.
    0x0c UrlStartsAny "URL_STARTS_ANY" { k: Set };
    /// `acc` = the lower-cased page URL ends with at least one string of set `k`.
    0x0d UrlEndsAny "URL_ENDS_ANY" { k: Set };
    /// `acc` = the lower-cased page title starts with at least one string of set `k`.
    0x0e TitleStartsAny "TITLE_STARTS_ANY" { k: Set };
    /// `acc` = the lower-cased page title ends with at least one string of set `k`.
    0x0f TitleEndsAny "TITLE_ENDS_ANY" { k: Set };
    /// `acc` = automaton `a` matches the whole lower-cased page URL.
    0x10 UrlMatches "URL_MATCHES" { a: Automaton };
    /// `acc` = automaton `a` matches the whole lower-cased page title.
    0x11 TitleMatches "TITLE_MATCHES" { a: Automaton };
    /// `acc` = the app version compares with version string `s` as order `c` says (semver precedence, missing components 0); false when the app version is unset or does not parse.
    0x20 AppVersionCmp "APP_VERSION_CMP" { c: Order, s: Str };
    /// `acc` = the app build number compares with `n` as order `c` says; false when the build is unset.
    0x21 AppBuildCmp "APP_BUILD_CMP" { c: Order, n: Int };
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample(op: Opcode) -> Instr {
        match op {
            Opcode::UrlIs => Instr::UrlIs { s: StrId(0x1234) },
            Opcode::TitleIs => Instr::TitleIs { s: StrId(7) },
            Opcode::UrlHasAny => Instr::UrlHasAny { k: SetId(0xfffe) },
            Opcode::TitleHasAny => Instr::TitleHasAny { k: SetId(1) },
            Opcode::LangIs => Instr::LangIs { s: StrId(2) },
            Opcode::VisitReturning => Instr::VisitReturning,
            Opcode::Const => Instr::Const { b: true },
            Opcode::Not => Instr::Not,
            Opcode::JumpIfFalse => Instr::JumpIfFalse { rel: 300 },
            Opcode::JumpIfTrue => Instr::JumpIfTrue { rel: 0 },
            Opcode::Ret => Instr::Ret,
            Opcode::UrlStartsAny => Instr::UrlStartsAny { k: SetId(3) },
            Opcode::UrlEndsAny => Instr::UrlEndsAny { k: SetId(4) },
            Opcode::TitleStartsAny => Instr::TitleStartsAny { k: SetId(5) },
            Opcode::TitleEndsAny => Instr::TitleEndsAny { k: SetId(6) },
            Opcode::UrlMatches => Instr::UrlMatches { a: AutomatonId(7) },
            Opcode::TitleMatches => Instr::TitleMatches { a: AutomatonId(8) },
            Opcode::AppVersionCmp => Instr::AppVersionCmp {
                c: Order::Le,
                s: StrId(9),
            },
            Opcode::AppBuildCmp => Instr::AppBuildCmp {
                c: Order::Gt,
                n: -5_210_000_000,
            },
        }
    }

    #[test]
    fn every_opcode_round_trips_and_has_its_declared_size() {
        for &op in Opcode::ALL {
            let instr = sample(op);
            assert_eq!(instr.opcode(), op);
            let mut bytes = Vec::new();
            instr.encode(&mut bytes);
            assert_eq!(bytes.len(), op.size(), "{op:?}");
            assert_eq!(bytes[0], op.byte());
            assert_eq!(Opcode::from_byte(op.byte()), Some(op));
            assert_eq!(Instr::decode(&bytes, 0), Ok((instr, bytes.len())));
            for cut in 0..bytes.len() {
                assert_eq!(Instr::decode(&bytes[..cut], 0), Err(DecodeError::Truncated));
            }
        }
    }

    #[test]
    fn unknown_bytes_and_bad_bools_are_rejected() {
        let known: Vec<u8> = Opcode::ALL.iter().map(|o| o.byte()).collect();
        for b in 0..=255u8 {
            if !known.contains(&b) {
                assert_eq!(
                    Instr::decode(&[b, 0, 0], 0),
                    Err(DecodeError::UnknownOpcode(b))
                );
                assert_eq!(Opcode::from_byte(b), None);
            }
        }
        assert_eq!(
            Instr::decode(&[Opcode::Const.byte(), 2], 0),
            Err(DecodeError::InvalidBool(2))
        );
        assert_eq!(
            Instr::decode(&[Opcode::AppBuildCmp.byte(), 5, 0, 0, 0, 0, 0, 0, 0, 0], 0),
            Err(DecodeError::InvalidOrder(5))
        );
    }

    #[test]
    fn mnemonics_are_unique_and_described() {
        let mut seen = std::collections::HashSet::new();
        for op in Opcode::ALL {
            assert!(seen.insert(op.mnemonic()));
            assert!(!op.description().is_empty());
        }
    }
}

#[cfg(test)]
mod doc_tests {
    use super::Opcode;

    /// `FORMAT.md`'s opcode section is the generated table, byte for byte. `cargo xtask bless`
    /// rewrites it after a change to the table (by running this test with `PM_VM_BLESS=1`).
    #[test]
    fn format_md_opcode_section_matches_the_table() {
        let path = concat!(env!("CARGO_MANIFEST_DIR"), "/FORMAT.md");
        let doc = std::fs::read_to_string(path).unwrap();
        let (begin, end) = ("<!-- opcodes:begin -->\n", "<!-- opcodes:end -->");
        let start = doc
            .find(begin)
            .expect("FORMAT.md lacks the opcodes:begin marker")
            + begin.len();
        let stop = doc
            .find(end)
            .expect("FORMAT.md lacks the opcodes:end marker");
        let table = Opcode::markdown_table();
        if doc[start..stop] != table {
            if std::env::var_os("PM_VM_BLESS").is_some() {
                let updated = format!("{}{table}{}", &doc[..start], &doc[stop..]);
                std::fs::write(path, updated).unwrap();
            } else {
                panic!(
                    "FORMAT.md's opcode table is stale; run `cargo xtask bless`. Expected:\n{table}"
                );
            }
        }
    }
}
