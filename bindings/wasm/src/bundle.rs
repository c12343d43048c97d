//! `WasmBundle` (the JavaScript class `Bundle`): a verified bundle and what a host shows for its
//! messages; `Context`: a page and device context for evaluating one message's condition on its
//! own (rule previews, and the per-call cost of crossing the boundary in `bench/eval.mjs`).

use std::sync::Arc;

use pm_vm::PublicKey;
use wasm_bindgen::prelude::*;

use crate::args;
use crate::{MessageObject, json_parse};

/// A loaded, verified bundle (`.pmb`), the JavaScript class `Bundle`. Engines keep their own
/// reference to it, so freeing a `Bundle` does not invalidate the engines made from it.
#[wasm_bindgen(js_name = Bundle)]
pub struct WasmBundle {
    inner: Arc<pm_vm::Bundle>,
}

#[wasm_bindgen(js_class = Bundle)]
impl WasmBundle {
    /// Verifies and loads a bundle from its bytes (untrusted input: anything that is not a
    /// valid bundle is refused).
    ///
    /// @throws {Error} with the verifier's message when the bytes are not a valid bundle.
    pub fn load(bytes: &[u8]) -> Result<WasmBundle, JsError> {
        Ok(WasmBundle::from(pm_vm::Bundle::load(bytes)?))
    }

    /// Verifies and loads a bundle that must carry an Ed25519 signature by one of the trusted
    /// public keys, each given as 64 hexadecimal digits.
    ///
    /// @throws {Error} when a key is malformed, the bundle is unsigned or signed by another
    /// key, or the bytes are not a valid bundle.
    #[wasm_bindgen(js_name = loadVerified)]
    pub fn load_verified(
        bytes: &[u8],
        #[wasm_bindgen(js_name = "trustedKeys")] trusted_keys: Vec<String>,
    ) -> Result<WasmBundle, JsError> {
        let trusted = trusted_keys
            .iter()
            .map(|key| PublicKey::from_hex(key))
            .collect::<Result<Vec<_>, _>>()?;
        Ok(WasmBundle::from(pm_vm::Bundle::load_verified(
            bytes, &trusted,
        )?))
    }

    /// The number of messages; the indices deliveries carry are `0 … messageCount() - 1`.
    #[wasm_bindgen(js_name = messageCount)]
    pub fn message_count(&self) -> u32 {
        // The verifier bounds the message count far below 2^32.
        self.inner.messages().len() as u32
    }

    /// The content of message `index` as a plain object (SPEC §6: `name`, `brand`, `channel`,
    /// `say`, `tags`, `priority`, `respond`).
    ///
    /// @throws {Error} when `index` is not a whole number below `messageCount()`.
    pub fn message(&self, index: f64) -> Result<MessageObject, JsError> {
        Ok(json_parse(&self.json(index)?).unchecked_into())
    }

    /// The content of message `index` as SPEC §6's JSON text, exactly as the C ABI's
    /// `pm_bundle_message_json` gives it.
    ///
    /// @throws {Error} when `index` is not a whole number below `messageCount()`.
    #[wasm_bindgen(js_name = messageJson)]
    pub fn message_json(&self, index: f64) -> Result<String, JsError> {
        Ok(self.json(index)?)
    }

    /// The index of the message with this name, or `undefined` when the bundle has none.
    #[wasm_bindgen(js_name = messageIndex)]
    pub fn message_index(&self, name: &str) -> Option<u32> {
        self.inner.message_by_name(name).map(|index| index as u32)
    }

    /// Whether message `index`'s condition holds in `context` (the condition only: none of
    /// the runtime rules an `Engine` applies, such as dwell, frequency or business hours).
    ///
    /// @throws {Error} when `index` is not a whole number below `messageCount()`.
    pub fn eval(&self, index: f64, context: &Context) -> Result<bool, JsError> {
        let index = args::message_index(index, self.inner.messages().len())?;
        Ok(self.inner.eval(index, &context.inner))
    }

    /// Evaluates message `index` in `context` `times` times inside the module and returns
    /// how many evaluations held: the benchmark's baseline without boundary crossings.
    #[cfg(feature = "bench")]
    #[wasm_bindgen(js_name = evalRepeat)]
    pub fn eval_repeat(&self, index: f64, context: &Context, times: u32) -> Result<u32, JsError> {
        let index = args::message_index(index, self.inner.messages().len())?;
        let bundle = std::hint::black_box(&*self.inner);
        Ok((0..times)
            .filter(|_| bundle.eval(index, std::hint::black_box(&context.inner)))
            .count() as u32)
    }
}

impl WasmBundle {
    /// The Rust bundle, shared with the engines made from it.
    pub(crate) fn shared(&self) -> Arc<pm_vm::Bundle> {
        Arc::clone(&self.inner)
    }

    fn json(&self, index: f64) -> Result<String, args::ArgumentError> {
        let count = self.inner.messages().len();
        let index = args::message_index(index, count)?;
        // In range, so the content exists.
        Ok(self.inner.message_json(index).unwrap_or_default())
    }
}

impl From<pm_vm::Bundle> for WasmBundle {
    fn from(bundle: pm_vm::Bundle) -> WasmBundle {
        WasmBundle {
            inner: Arc::new(bundle),
        }
    }
}

/// The page and device a condition is evaluated against: URL, title, language, visit history.
/// Starts empty (no URL, no title, no language, a new visitor).
#[wasm_bindgen]
pub struct Context {
    inner: pm_vm::Context,
}

#[wasm_bindgen]
impl Context {
    /// An empty context.
    #[wasm_bindgen(constructor)]
    #[allow(
        clippy::new_without_default,
        reason = "a JS constructor, not a Rust API"
    )]
    pub fn new() -> Context {
        Context {
            inner: pm_vm::Context::new(),
        }
    }

    /// Sets the page URL or screen name (compared ignoring case).
    #[wasm_bindgen(js_name = setUrl)]
    pub fn set_url(&mut self, url: &str) {
        self.inner.set_url(url);
    }

    /// Sets the page title (compared ignoring case).
    #[wasm_bindgen(js_name = setTitle)]
    pub fn set_title(&mut self, title: &str) {
        self.inner.set_title(title);
    }

    /// Sets the device language (any tag: case and `_` versus `-` do not matter).
    #[wasm_bindgen(js_name = setLanguage)]
    pub fn set_language(&mut self, language: &str) {
        self.inner.set_language(language);
    }

    /// Sets whether the visitor is returning (`true`) or new (`false`).
    #[wasm_bindgen(js_name = setReturning)]
    pub fn set_returning(&mut self, returning: bool) {
        self.inner.set_returning(returning);
    }
}
