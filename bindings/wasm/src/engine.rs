//! `Engine`: the runtime rules for one channel of a bundle (SPEC §3), fed timestamped events
//! by the host. Every event method takes `now` first, in milliseconds since the Unix epoch;
//! the rules of `pm_vm::Engine` apply unchanged (an event runs the checks due strictly before
//! `now`, then applies; time never goes backwards).
//!
//! The version-2 calls of SPEC §6 (`appEvent`, `setSuppressed`, `replaceBundle`, the context
//! setters) take their place here with the same conventions: `now` first where the C call
//! has it, JS numbers for times, a thrown `Error` where the C call returns `PM_ERR_INVALID`.

use std::fmt::Write as _;

use pm_vm::{Delivery, Event};
use wasm_bindgen::prelude::*;

use crate::args;
use crate::bundle::WasmBundle;
use crate::{DeliveryArray, json_parse};

/// The runtime for one channel: events in, deadlines and deliveries out.
#[wasm_bindgen]
pub struct Engine {
    inner: pm_vm::Engine,
}

#[wasm_bindgen]
impl Engine {
    /// An engine for the channel named `channel` of `bundle`: no visit, no conversation,
    /// automated resolutions available, empty device state and language. The engine keeps
    /// its own reference to the bundle.
    ///
    /// @throws {Error} when the bundle has no channel of that name.
    #[wasm_bindgen(constructor)]
    pub fn new(bundle: &WasmBundle, channel: &str) -> Result<Engine, JsError> {
        Ok(Engine {
            inner: pm_vm::Engine::new(bundle.shared(), channel)?,
        })
    }

    /// Sets the device language in any form a platform reports it (`navigator.language`,
    /// `zh-Hant-TW`, `zh_TW_#Hant`); canonicalized once, here.
    #[wasm_bindgen(js_name = setLanguage)]
    pub fn set_language(&mut self, language: &str) {
        self.inner.set_language(language);
    }

    /// Sets the app's version (`"5.2.1"`, `"5.2.0-beta.1"`), parsed once here; `undefined` or
    /// `null` unsets it. A version that does not parse fails every `app.version` comparison
    /// but `is not`, as an unset one does.
    #[wasm_bindgen(js_name = setAppVersion)]
    pub fn set_app_version(&mut self, version: Option<String>) {
        self.inner.set_app_version(version.as_deref());
    }

    /// Sets the app's build number; `undefined` or `null` unsets it.
    ///
    /// @throws {Error} when `build` is not a whole number (a safe integer).
    #[wasm_bindgen(js_name = setAppBuild)]
    pub fn set_app_build(&mut self, build: Option<f64>) -> Result<(), JsError> {
        let build = build.map(args::build).transpose()?;
        self.inner.set_app_build(build);
        Ok(())
    }

    /// The app was launched: a visit starts (ending the current one). `returning` states the
    /// visit history for this visit only; left out, it is new on the device's first visit and
    /// returning afterwards.
    ///
    /// @throws {Error} when `now` is not a whole number of milliseconds.
    #[wasm_bindgen(js_name = appLaunch)]
    pub fn app_launch(&mut self, now: f64, returning: Option<bool>) -> Result<(), JsError> {
        self.handle(now, Event::AppLaunch { returning })
    }

    /// A screen (page) was opened; starts a visit when none is in progress.
    ///
    /// @throws {Error} when `now` is not a whole number of milliseconds.
    #[wasm_bindgen(js_name = screenOpen)]
    pub fn screen_open(&mut self, now: f64, url: &str, title: &str) -> Result<(), JsError> {
        self.handle(now, Event::ScreenOpen { url, title })
    }

    /// The customer opened the displayed message `message` (an index; any other index
    /// changes nothing).
    ///
    /// @throws {Error} when `now` is not a whole number of milliseconds or `message` not a
    /// whole number from 0.
    #[wasm_bindgen(js_name = messageOpened)]
    pub fn message_opened(&mut self, now: f64, message: f64) -> Result<(), JsError> {
        let message = args::index(message)?;
        self.handle(now, Event::MessageOpened { message })
    }

    /// The customer dismissed the displayed message `message` (an index; any other index
    /// changes nothing).
    ///
    /// @throws {Error} when `now` is not a whole number of milliseconds or `message` not a
    /// whole number from 0.
    #[wasm_bindgen(js_name = messageDismissed)]
    pub fn message_dismissed(&mut self, now: f64, message: f64) -> Result<(), JsError> {
        let message = args::index(message)?;
        self.handle(now, Event::MessageDismissed { message })
    }

    /// A conversation with an agent or AI agent started: nothing is delivered until it ends.
    ///
    /// @throws {Error} when `now` is not a whole number of milliseconds.
    #[wasm_bindgen(js_name = conversationStarted)]
    pub fn conversation_started(&mut self, now: f64) -> Result<(), JsError> {
        self.handle(now, Event::ConversationStarted)
    }

    /// The conversation ended.
    ///
    /// @throws {Error} when `now` is not a whole number of milliseconds.
    #[wasm_bindgen(js_name = conversationEnded)]
    pub fn conversation_ended(&mut self, now: f64) -> Result<(), JsError> {
        self.handle(now, Event::ConversationEnded)
    }

    /// Automated (AI) resolutions became available or unavailable.
    ///
    /// @throws {Error} when `now` is not a whole number of milliseconds.
    #[wasm_bindgen(js_name = setAiResolutions)]
    pub fn set_ai_resolutions(&mut self, now: f64, available: bool) -> Result<(), JsError> {
        self.handle(now, Event::SetAiResolutions { available })
    }

    /// The app suppresses proactive messages (a payment or onboarding screen), or ends the
    /// suppression: a check that falls due while they are suppressed delivers nothing and is
    /// not retried.
    ///
    /// @throws {Error} when `now` is not a whole number of milliseconds.
    #[wasm_bindgen(js_name = setSuppressed)]
    pub fn set_suppressed(&mut self, now: f64, suppressed: bool) -> Result<(), JsError> {
        self.handle(now, Event::SetSuppressed { suppressed })
    }

    /// The app quit: the visit ends.
    ///
    /// @throws {Error} when `now` is not a whole number of milliseconds.
    #[wasm_bindgen(js_name = appQuit)]
    pub fn app_quit(&mut self, now: f64) -> Result<(), JsError> {
        self.handle(now, Event::AppQuit)
    }

    /// Runs the checks due up to and including `now` (call it when a deadline from
    /// `nextDeadline()` is reached).
    ///
    /// @throws {Error} when `now` is not a whole number of milliseconds.
    #[wasm_bindgen(js_name = advanceTo)]
    pub fn advance_to(&mut self, now: f64) -> Result<(), JsError> {
        self.inner.advance_to(args::millis(now)?);
        Ok(())
    }

    /// The instant of the earliest pending check, or `undefined` when none is pending.
    #[wasm_bindgen(js_name = nextDeadline)]
    pub fn next_deadline(&self) -> Option<f64> {
        self.inner.next_deadline().map(args::to_js_time)
    }

    /// Returns and forgets the deliveries made so far, in time order.
    #[wasm_bindgen(js_name = takeDeliveries)]
    pub fn take_deliveries(&mut self) -> DeliveryArray {
        json_parse(&deliveries_json(&self.inner.take_deliveries())).unchecked_into()
    }

    /// The device state to persist (visit count, messages shown on this device), as bytes.
    #[wasm_bindgen(js_name = saveState)]
    pub fn save_state(&self) -> Vec<u8> {
        self.inner.save_state()
    }

    /// Replaces the device state with bytes from `saveState()` (possibly of an engine over
    /// another version of the bundle). The current visit is not affected.
    ///
    /// @throws {Error} when the bytes are not valid device state; the engine is then unchanged.
    #[wasm_bindgen(js_name = restoreState)]
    pub fn restore_state(&mut self, state: &[u8]) -> Result<(), JsError> {
        Ok(self.inner.restore_state(state)?)
    }
}

impl Engine {
    fn handle(&mut self, now: f64, event: Event<'_>) -> Result<(), JsError> {
        let now = args::millis(now)?;
        self.inner.handle(now, event);
        Ok(())
    }
}

/// Deliveries as a JSON array of `{"time": ms, "message": index}` objects.
pub fn deliveries_json(deliveries: &[Delivery]) -> String {
    let mut out = String::with_capacity(2 + 40 * deliveries.len());
    out.push('[');
    for (i, delivery) in deliveries.iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        let _ = write!(
            out,
            "{{\"time\":{},\"message\":{}}}",
            delivery.time, delivery.message
        );
    }
    out.push(']');
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn deliveries_are_a_json_array_of_objects() {
        assert_eq!(deliveries_json(&[]), "[]");
        assert_eq!(
            deliveries_json(&[
                Delivery {
                    time: 1_795_424_430_000,
                    message: 3
                },
                Delivery {
                    time: -5,
                    message: 0
                },
            ]),
            r#"[{"time":1795424430000,"message":3},{"time":-5,"message":0}]"#
        );
    }
}
