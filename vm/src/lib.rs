//! `pm-vm`: the embeddable verifier, virtual machine and runtime for proactive-message
//! bundles (`.pmb`).
//!
//! - [`Bundle::load`] verifies an untrusted bundle once (see `FORMAT.md` for the layout and
//!   [`format::limits`] for the limits); afterwards nothing can go out of bounds.
//! - [`Bundle::eval`] evaluates a message's condition against a [`Context`] without
//!   allocating; [`Bundle::explain`] reports the deciding test; [`Bundle::evaluation`]
//!   evaluates many messages against one context, running each distinct test once.
//! - [`Engine`] implements the runtime rules (visits, dwell timers, frequency, business
//!   hours, priority, …) for one channel.
//! - [`Bundle::load_verified`] also requires an Ed25519 signature by a trusted key
//!   ([`signature`]).
//! - [`Bundle::message_content`] / [`Bundle::message_json`] give what a host shows for a
//!   delivery.
//! - [`disasm()`] lists a bundle; [`mod@write`] (feature `write`) produces one; [`ffi`] is the C ABI.
//! - `testkit` (feature `testkit`, for tests, fuzzing and benchmarks only) holds the shared
//!   test helpers.
//!
//! The modules are layered: imports only run downward, from the runtime and the writer through
//! the bundle to the container, the byte reader, the errors and the format (`README.md` has
//! the map, bottom layer first); `tests/layers.rs` fails on any import circle.

pub mod automaton;
mod bundle;
mod bytes;
mod container;
mod context;
mod decision;
mod disasm;
mod engine;
mod error;
// The C ABI serves native hosts. On the web (wasm32-unknown-unknown) the JavaScript binding
// (bindings/wasm) is the interface, and the C exports would only add to every page's download.
#[cfg(not(all(target_family = "wasm", target_os = "unknown")))]
pub mod ffi;
pub mod format;
pub mod language;
mod needle;
pub mod opcode;
mod schedule;
mod section;
pub mod signature;
#[cfg(feature = "testkit")]
pub mod testkit;
pub mod version;
#[cfg(feature = "write")]
pub mod write;

pub use bundle::{
    AiAgent, Bundle, Channel, Evaluation, Explanation, Message, MessageContent, RespondContent,
    Response, Schedule,
};
pub use context::Context;
pub use disasm::{disasm, format_instr};
pub use engine::{
    CheckReport, Delivery, Engine, EngineError, Event, MessageOutcome, Outcome, Reason, StateError,
};
pub use error::{CodeError, LoadError, SignatureError, VarintProblem};
pub use opcode::{AutomatonId, Instr, Opcode, SetId, StrId};
pub use section::SectionInfo;
pub use signature::PublicKey;
