//! The C ABI, declared in `include/pm_vm.h`, for the iOS and Android SDKs.
//!
//! # Safety contract
//!
//! Every function is `unsafe` to call from Rust and follows these rules from C:
//!
//! - Handles (`PmBundle *`, `PmEngine *`) come from this library's constructors, are freed
//!   exactly once with the matching `*_free` function and are not used afterwards. Passing
//!   `NULL` where a handle is expected returns `PM_ERR_NULL` (or does nothing, for `*_free`).
//! - An engine is not thread-safe: calls on one engine must not overlap. Different engines
//!   (and a bundle shared by engines) may be used from different threads. An engine keeps its
//!   bundle alive, so the bundle handle may be freed while engines still use it.
//! - `const char *` arguments are NUL-terminated; they are read as UTF-8 (invalid sequences
//!   are replaced with U+FFFD) and not retained after the call.
//! - `(data, len)` byte arguments point to `len` readable bytes (`data` may be `NULL` only
//!   when `len` is 0) and are not retained.
//! - Out-pointers are valid for writes. Strings returned through `char **error` and
//!   `pm_bundle_message_json` are freed with `pm_string_free`; bytes returned by
//!   `pm_engine_save_state` with `pm_bytes_free`.
//! - Names returned by `pm_engine_message_name` point into the bundle; they are not
//!   NUL-terminated and stay valid while the engine lives.
//!
//! No panic crosses the boundary: each call runs under `catch_unwind` and reports a panic as
//! `PM_ERR_PANIC` (none is expected; an engine that reported one should be freed). The SDK
//! build (`vm/sdk/build.sh`; `vm/README.md`, "Size of the library") aborts on panic instead:
//! there a panic ends the process at the panic site, still without unwinding into C, and
//! `PM_ERR_PANIC` is never returned (unless built with `PM_SDK_PANIC=unwind`).

use std::collections::VecDeque;
use std::ffi::{CStr, CString, c_char};
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::sync::Arc;

use crate::{Bundle, Delivery, Engine, Event, LoadError, PublicKey};

/// Success.
pub const PM_OK: i32 = 0;
/// A required pointer argument was `NULL`.
pub const PM_ERR_NULL: i32 = 1;
/// The input was rejected; `*error` (when given) explains why.
pub const PM_ERR_INVALID: i32 = 2;
/// An internal panic was caught.
pub const PM_ERR_PANIC: i32 = 3;
/// A signature was required and the bundle is unsigned, signed by a key that is not trusted,
/// or modified after signing; `*error` (when given) says which.
pub const PM_ERR_SIGNATURE: i32 = 4;

/// A loaded bundle (opaque to C).
pub struct PmBundle(Arc<Bundle>);

/// An engine with its queue of undelivered deliveries (opaque to C).
pub struct PmEngine {
    engine: Engine,
    queue: VecDeque<Delivery>,
}

/// A delivery as C sees it.
#[repr(C)]
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct PmDelivery {
    /// The check instant, in milliseconds since the Unix epoch.
    pub time: i64,
    /// The message's index in the bundle.
    pub message: u32,
}

/// Runs `f`, turning a panic into `PM_ERR_PANIC`.
fn guard(f: impl FnOnce() -> i32) -> i32 {
    guard_or(PM_ERR_PANIC, f)
}

/// Runs `f`, turning a panic into `on_panic` (for calls that answer a value, not a status).
fn guard_or<T>(on_panic: T, f: impl FnOnce() -> T) -> T {
    catch_unwind(AssertUnwindSafe(f)).unwrap_or(on_panic)
}

/// Reads a C string.
///
/// # Safety
///
/// `s` is `NULL` or a valid NUL-terminated string.
unsafe fn text(s: *const c_char) -> Option<String> {
    if s.is_null() {
        return None;
    }
    // SAFETY: non-null and NUL-terminated by the caller's contract.
    let s = unsafe { CStr::from_ptr(s) };
    Some(s.to_string_lossy().into_owned())
}

/// Reads a byte argument.
///
/// # Safety
///
/// `data` points to `len` readable bytes, or is `NULL` with `len == 0`.
unsafe fn bytes<'a>(data: *const u8, len: usize) -> Option<&'a [u8]> {
    if len == 0 {
        return Some(&[]);
    }
    if data.is_null() {
        return None;
    }
    // SAFETY: the caller guarantees `len` readable bytes at `data`.
    Some(unsafe { std::slice::from_raw_parts(data, len) })
}

/// Hands a loaded bundle to the caller through `*out` and returns `PM_OK`, or stores the load
/// error's message in `*error` and returns `code(&error)`.
///
/// # Safety
///
/// `out` is non-null and valid for writes; `error` is `NULL` or valid for writes.
unsafe fn publish_bundle(
    result: Result<Bundle, LoadError>,
    out: *mut *mut PmBundle,
    error: *mut *mut c_char,
    code: impl FnOnce(&LoadError) -> i32,
) -> i32 {
    match result {
        Ok(bundle) => {
            let handle = Box::into_raw(Box::new(PmBundle(Arc::new(bundle))));
            // SAFETY: caller contract.
            unsafe { *out = handle };
            PM_OK
        }
        Err(e) => {
            // SAFETY: caller contract.
            unsafe { set_error(error, &e.to_string()) };
            code(&e)
        }
    }
}

/// Stores an error message in `*error` when `error` is not `NULL`.
///
/// # Safety
///
/// `error` is `NULL` or valid for writes.
unsafe fn set_error(error: *mut *mut c_char, message: &str) {
    if error.is_null() {
        return;
    }
    let message = CString::new(message.replace('\0', "\\0")).unwrap_or_default();
    // SAFETY: non-null and valid for writes by the caller's contract.
    unsafe { *error = message.into_raw() };
}

/// Loads and verifies a bundle. On success stores a new handle in `*out` and returns `PM_OK`;
/// otherwise returns `PM_ERR_INVALID` and stores the reason in `*error` (if not `NULL`).
///
/// # Safety
///
/// See the module's safety contract.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn pm_bundle_load(
    data: *const u8,
    len: usize,
    out: *mut *mut PmBundle,
    error: *mut *mut c_char,
) -> i32 {
    guard(|| {
        // SAFETY: forwarded caller contract.
        let Some(input) = (unsafe { bytes(data, len) }) else {
            return PM_ERR_NULL;
        };
        if out.is_null() {
            return PM_ERR_NULL;
        }
        // SAFETY: `out` is non-null; forwarded caller contract for `error`.
        unsafe { publish_bundle(Bundle::load(input), out, error, |_| PM_ERR_INVALID) }
    })
}

/// Loads and verifies a bundle like `pm_bundle_load`, and first requires a valid Ed25519
/// signature by one of `key_count` trusted public keys, stored one after the other (32 bytes
/// each) at `keys`. Returns `PM_ERR_SIGNATURE` when the bundle is unsigned, signed by another
/// key or modified after signing (or `key_count` is 0), `PM_ERR_INVALID` for any other problem
/// (including a trusted key that is not a valid Ed25519 key); `*error` (if not `NULL`) gets
/// the reason.
///
/// # Safety
///
/// See the module's safety contract; `keys` points to `32 * key_count` readable bytes.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn pm_bundle_load_verified(
    data: *const u8,
    len: usize,
    keys: *const u8,
    key_count: usize,
    out: *mut *mut PmBundle,
    error: *mut *mut c_char,
) -> i32 {
    guard(|| {
        // SAFETY: forwarded caller contract.
        let Some(input) = (unsafe { bytes(data, len) }) else {
            return PM_ERR_NULL;
        };
        let Some(key_len) = key_count.checked_mul(32) else {
            // SAFETY: forwarded caller contract.
            unsafe { set_error(error, "key_count is too large") };
            return PM_ERR_INVALID;
        };
        // SAFETY: forwarded caller contract (32 bytes per key).
        let Some(key_bytes) = (unsafe { bytes(keys, key_len) }) else {
            return PM_ERR_NULL;
        };
        if out.is_null() {
            return PM_ERR_NULL;
        }
        let mut trusted = Vec::with_capacity(key_count);
        for (i, chunk) in key_bytes.chunks_exact(32).enumerate() {
            let raw: [u8; 32] = chunk.try_into().unwrap_or([0; 32]);
            match PublicKey::from_bytes(raw) {
                Ok(key) => trusted.push(key),
                Err(e) => {
                    // SAFETY: forwarded caller contract.
                    unsafe { set_error(error, &format!("trusted key #{i}: {e}")) };
                    return PM_ERR_INVALID;
                }
            }
        }
        let result = Bundle::load_verified(input, &trusted);
        // SAFETY: `out` is non-null; forwarded caller contract for `error`.
        unsafe {
            publish_bundle(result, out, error, |e| match e {
                LoadError::Signature(_) => PM_ERR_SIGNATURE,
                _ => PM_ERR_INVALID,
            })
        }
    })
}

/// Frees a bundle handle (engines created from it stay valid).
///
/// # Safety
///
/// See the module's safety contract.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn pm_bundle_free(bundle: *mut PmBundle) {
    if !bundle.is_null() {
        // SAFETY: the handle came from `pm_bundle_load` and is freed once.
        drop(unsafe { Box::from_raw(bundle) });
    }
}

/// The number of messages in the bundle (0 for `NULL`): the message indices deliveries
/// carry are `0..count`.
///
/// # Safety
///
/// See the module's safety contract.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn pm_bundle_message_count(bundle: *const PmBundle) -> u32 {
    guard_or(0, || {
        // SAFETY: a valid handle or NULL, by contract.
        let Some(bundle) = (unsafe { bundle.as_ref() }) else {
            return 0;
        };
        // The loader refuses bundles with more than 140 messages.
        u32::try_from(bundle.0.messages().len()).unwrap_or(u32::MAX)
    })
}

/// Stores in `*out` a new NUL-terminated UTF-8 string holding the content of message `index`
/// as the JSON object of SPEC §6 (free it with `pm_string_free`). Returns `PM_ERR_INVALID` for
/// an index out of range (`*out` is then unchanged).
///
/// # Safety
///
/// See the module's safety contract.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn pm_bundle_message_json(
    bundle: *const PmBundle,
    index: u32,
    out: *mut *mut c_char,
) -> i32 {
    guard(|| {
        // SAFETY: a valid handle or NULL, by contract.
        let Some(bundle) = (unsafe { bundle.as_ref() }) else {
            return PM_ERR_NULL;
        };
        if out.is_null() {
            return PM_ERR_NULL;
        }
        let Some(json) = usize::try_from(index)
            .ok()
            .and_then(|index| bundle.0.message_json(index))
        else {
            return PM_ERR_INVALID;
        };
        // JSON escapes U+0000 as `\u0000`, so the text has no interior NUL.
        let Ok(json) = CString::new(json) else {
            return PM_ERR_INVALID;
        };
        // SAFETY: non-null and valid for writes by the caller's contract.
        unsafe { *out = json.into_raw() };
        PM_OK
    })
}

/// Creates an engine for the channel named `channel`. On success stores a new handle in
/// `*out`; an unknown channel returns `PM_ERR_INVALID` with the reason in `*error`.
///
/// # Safety
///
/// See the module's safety contract.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn pm_engine_new(
    bundle: *const PmBundle,
    channel: *const c_char,
    out: *mut *mut PmEngine,
    error: *mut *mut c_char,
) -> i32 {
    guard(|| {
        // SAFETY: a valid handle or NULL, by contract.
        let Some(bundle) = (unsafe { bundle.as_ref() }) else {
            return PM_ERR_NULL;
        };
        // SAFETY: forwarded caller contract.
        let Some(channel) = (unsafe { text(channel) }) else {
            return PM_ERR_NULL;
        };
        if out.is_null() {
            return PM_ERR_NULL;
        }
        match Engine::new(bundle.0.clone(), &channel) {
            Ok(engine) => {
                let handle = Box::into_raw(Box::new(PmEngine {
                    engine,
                    queue: VecDeque::new(),
                }));
                // SAFETY: `out` is non-null and valid for writes.
                unsafe { *out = handle };
                PM_OK
            }
            Err(e) => {
                // SAFETY: forwarded caller contract.
                unsafe { set_error(error, &e.to_string()) };
                PM_ERR_INVALID
            }
        }
    })
}

/// Frees an engine handle.
///
/// # Safety
///
/// See the module's safety contract.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn pm_engine_free(engine: *mut PmEngine) {
    if !engine.is_null() {
        // SAFETY: the handle came from `pm_engine_new` and is freed once.
        drop(unsafe { Box::from_raw(engine) });
    }
}

/// Runs `f` on the engine behind `engine`, or returns `PM_ERR_NULL`.
///
/// # Safety
///
/// `engine` is `NULL` or a valid, unaliased engine handle.
unsafe fn with_engine(engine: *mut PmEngine, f: impl FnOnce(&mut PmEngine) -> i32) -> i32 {
    guard(|| {
        // SAFETY: a valid handle or NULL, not used concurrently, by contract.
        match unsafe { engine.as_mut() } {
            Some(engine) => f(engine),
            None => PM_ERR_NULL,
        }
    })
}

/// Feeds `event` at `now` and moves the deliveries it caused to the C-side queue.
fn feed(engine: &mut PmEngine, now: i64, event: Event<'_>) -> i32 {
    engine.engine.handle(now, event);
    engine.queue.extend(engine.engine.drain_deliveries());
    PM_OK
}

/// Sets the device language tag, in any form the platform reports it (`fr-FR`, `zh_TW_#Hant`,
/// `b+sr+Latn+RS`, `iw_IL`), canonicalized once here.
///
/// # Safety
///
/// See the module's safety contract.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn pm_engine_set_language(
    engine: *mut PmEngine,
    language: *const c_char,
) -> i32 {
    // SAFETY: forwarded caller contract.
    unsafe {
        with_engine(engine, |e| match text(language) {
            Some(language) => {
                e.engine.set_language(&language);
                PM_OK
            }
            None => PM_ERR_NULL,
        })
    }
}

/// Sets the app version (`NULL` unsets it), parsed once here; a version that does not parse
/// (or is not UTF-8) fails every comparison but `is not`, as an unset one does.
///
/// # Safety
///
/// See the module's safety contract.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn pm_engine_set_app_version(
    engine: *mut PmEngine,
    version: *const c_char,
) -> i32 {
    // SAFETY: forwarded caller contract.
    unsafe {
        with_engine(engine, |e| {
            e.engine.set_app_version(text(version).as_deref());
            PM_OK
        })
    }
}

/// Sets the app build number.
///
/// # Safety
///
/// See the module's safety contract.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn pm_engine_set_app_build(engine: *mut PmEngine, build: i64) -> i32 {
    // SAFETY: forwarded caller contract.
    unsafe {
        with_engine(engine, |e| {
            e.engine.set_app_build(Some(build));
            PM_OK
        })
    }
}

/// Unsets the app build number.
///
/// # Safety
///
/// See the module's safety contract.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn pm_engine_clear_app_build(engine: *mut PmEngine) -> i32 {
    // SAFETY: forwarded caller contract.
    unsafe {
        with_engine(engine, |e| {
            e.engine.set_app_build(None);
            PM_OK
        })
    }
}

/// `app_launch` at `now`; `visit_history` is `PM_VISIT_UNKNOWN` (-1), `PM_VISIT_NEW` (0) or
/// `PM_VISIT_RETURNING` (1). Any other value is `PM_ERR_INVALID`.
///
/// # Safety
///
/// See the module's safety contract.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn pm_engine_app_launch(
    engine: *mut PmEngine,
    now: i64,
    visit_history: i32,
) -> i32 {
    let returning = match visit_history {
        -1 => None,
        0 => Some(false),
        1 => Some(true),
        _ => return PM_ERR_INVALID,
    };
    // SAFETY: forwarded caller contract.
    unsafe { with_engine(engine, |e| feed(e, now, Event::AppLaunch { returning })) }
}

/// `screen_open` at `now` with the page URL (or screen name) and title; `NULL` reads as "".
///
/// # Safety
///
/// See the module's safety contract.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn pm_engine_screen_open(
    engine: *mut PmEngine,
    now: i64,
    url: *const c_char,
    title: *const c_char,
) -> i32 {
    // SAFETY: forwarded caller contract.
    unsafe {
        with_engine(engine, |e| {
            let url = text(url).unwrap_or_default();
            let title = text(title).unwrap_or_default();
            feed(
                e,
                now,
                Event::ScreenOpen {
                    url: &url,
                    title: &title,
                },
            )
        })
    }
}

/// The index of the message named by the C string `name`, if the bundle has one.
///
/// # Safety
///
/// `name` is `NULL` or a valid NUL-terminated string.
unsafe fn message_index(e: &PmEngine, name: *const c_char) -> Option<usize> {
    // SAFETY: forwarded caller contract.
    let name = unsafe { text(name) }?;
    e.engine.bundle().message_by_name(&name)
}

/// Feeds the event `event_of` makes for the message named `name`; an unknown name becomes
/// `usize::MAX`, which names no message, so the event changes nothing.
///
/// # Safety
///
/// The module's safety contract, for `engine` and `name`.
unsafe fn feed_message_event(
    engine: *mut PmEngine,
    now: i64,
    name: *const c_char,
    event_of: fn(usize) -> Event<'static>,
) -> i32 {
    // SAFETY: forwarded caller contract.
    unsafe {
        with_engine(engine, |e| {
            let message = message_index(e, name).unwrap_or(usize::MAX);
            feed(e, now, event_of(message))
        })
    }
}

/// `message_opened` at `now` for the message named `name` (unknown names change nothing).
///
/// # Safety
///
/// See the module's safety contract.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn pm_engine_message_opened(
    engine: *mut PmEngine,
    now: i64,
    name: *const c_char,
) -> i32 {
    // SAFETY: forwarded caller contract.
    unsafe {
        feed_message_event(engine, now, name, |message| Event::MessageOpened {
            message,
        })
    }
}

/// `message_dismissed` at `now` for the message named `name` (unknown names change nothing).
///
/// # Safety
///
/// See the module's safety contract.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn pm_engine_message_dismissed(
    engine: *mut PmEngine,
    now: i64,
    name: *const c_char,
) -> i32 {
    // SAFETY: forwarded caller contract.
    unsafe {
        feed_message_event(engine, now, name, |message| Event::MessageDismissed {
            message,
        })
    }
}

/// `conversation_started` at `now`.
///
/// # Safety
///
/// See the module's safety contract.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn pm_engine_conversation_started(engine: *mut PmEngine, now: i64) -> i32 {
    // SAFETY: forwarded caller contract.
    unsafe { with_engine(engine, |e| feed(e, now, Event::ConversationStarted)) }
}

/// `conversation_ended` at `now`.
///
/// # Safety
///
/// See the module's safety contract.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn pm_engine_conversation_ended(engine: *mut PmEngine, now: i64) -> i32 {
    // SAFETY: forwarded caller contract.
    unsafe { with_engine(engine, |e| feed(e, now, Event::ConversationEnded)) }
}

/// `set_ai_resolutions` at `now` (non-zero `available` means available).
///
/// # Safety
///
/// See the module's safety contract.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn pm_engine_set_ai_resolutions(
    engine: *mut PmEngine,
    now: i64,
    available: i32,
) -> i32 {
    // SAFETY: forwarded caller contract.
    unsafe {
        with_engine(engine, |e| {
            feed(
                e,
                now,
                Event::SetAiResolutions {
                    available: available != 0,
                },
            )
        })
    }
}

/// `set_suppressed` at `now` (non-zero `suppressed` suppresses proactive messages; zero ends
/// the suppression). A check that falls due while suppressed delivers nothing.
///
/// # Safety
///
/// See the module's safety contract.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn pm_engine_set_suppressed(
    engine: *mut PmEngine,
    now: i64,
    suppressed: i32,
) -> i32 {
    // SAFETY: forwarded caller contract.
    unsafe {
        with_engine(engine, |e| {
            feed(
                e,
                now,
                Event::SetSuppressed {
                    suppressed: suppressed != 0,
                },
            )
        })
    }
}

/// `app_quit` at `now`.
///
/// # Safety
///
/// See the module's safety contract.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn pm_engine_app_quit(engine: *mut PmEngine, now: i64) -> i32 {
    // SAFETY: forwarded caller contract.
    unsafe { with_engine(engine, |e| feed(e, now, Event::AppQuit)) }
}

/// Runs the checks due up to and including `now`.
///
/// # Safety
///
/// See the module's safety contract.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn pm_engine_advance_to(engine: *mut PmEngine, now: i64) -> i32 {
    // SAFETY: forwarded caller contract.
    unsafe {
        with_engine(engine, |e| {
            e.engine.advance_to(now);
            e.queue.extend(e.engine.drain_deliveries());
            PM_OK
        })
    }
}

/// Stores the next deadline in `*out` and returns 1, or returns 0 when no check is pending
/// (or on a `NULL` argument).
///
/// # Safety
///
/// See the module's safety contract.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn pm_engine_next_deadline(engine: *const PmEngine, out: *mut i64) -> i32 {
    guard_or(0, || {
        // SAFETY: a valid handle or NULL, by contract.
        let Some(e) = (unsafe { engine.as_ref() }) else {
            return 0;
        };
        match e.engine.next_deadline() {
            Some(deadline) if !out.is_null() => {
                // SAFETY: non-null and valid for writes.
                unsafe { *out = deadline };
                1
            }
            _ => 0,
        }
    })
}

/// Pops the oldest undrained delivery into `*out` and returns 1, or returns 0 when there is
/// none (or on a `NULL` argument).
///
/// # Safety
///
/// See the module's safety contract.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn pm_engine_next_delivery(
    engine: *mut PmEngine,
    out: *mut PmDelivery,
) -> i32 {
    guard_or(0, || {
        // SAFETY: a valid handle or NULL, not used concurrently, by contract.
        let Some(e) = (unsafe { engine.as_mut() }) else {
            return 0;
        };
        if out.is_null() {
            return 0;
        }
        match e.queue.pop_front() {
            Some(d) => {
                // SAFETY: non-null and valid for writes.
                unsafe {
                    *out = PmDelivery {
                        time: d.time,
                        // Bundles hold at most 140 messages.
                        message: d.message as u32,
                    };
                }
                1
            }
            None => 0,
        }
    })
}

/// Runs `f` on the engine behind `engine` (inside [`guard`]) when the handle and both
/// out-pointers `first` and `second` are non-null; `PM_ERR_NULL` otherwise.
///
/// # Safety
///
/// `engine` is a valid handle or NULL, not used concurrently (the module's safety contract).
unsafe fn with_engine_writing<A, B>(
    engine: *const PmEngine,
    first: *mut A,
    second: *mut B,
    f: impl FnOnce(&PmEngine) -> i32,
) -> i32 {
    guard(|| {
        // SAFETY: a valid handle or NULL, by contract.
        match unsafe { engine.as_ref() } {
            Some(e) if !first.is_null() && !second.is_null() => f(e),
            _ => PM_ERR_NULL,
        }
    })
}

/// Stores a pointer to the UTF-8 name of message `index` (not NUL-terminated) in `*name` and
/// its length in `*len`. Returns `PM_ERR_INVALID` for an index out of range.
///
/// # Safety
///
/// See the module's safety contract.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn pm_engine_message_name(
    engine: *const PmEngine,
    index: u32,
    name: *mut *const u8,
    len: *mut usize,
) -> i32 {
    let write = |e: &PmEngine| {
        let bundle = e.engine.bundle();
        let Some(message) = bundle.messages().get(index as usize) else {
            return PM_ERR_INVALID;
        };
        let text = bundle.str(message.name);
        // SAFETY: both non-null (checked by `with_engine_writing`) and valid for writes; the
        // text lives as long as the engine.
        unsafe {
            *name = text.as_ptr();
            *len = text.len();
        }
        PM_OK
    };
    // SAFETY: forwarded caller contract.
    unsafe { with_engine_writing(engine, name, len, write) }
}

/// Saves the device state: stores a new buffer in `*out` and its length in `*len`; free it
/// with `pm_bytes_free`.
///
/// # Safety
///
/// See the module's safety contract.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn pm_engine_save_state(
    engine: *const PmEngine,
    out: *mut *mut u8,
    len: *mut usize,
) -> i32 {
    let write = |e: &PmEngine| {
        let state = e.engine.save_state().into_boxed_slice();
        let n = state.len();
        // SAFETY: both non-null (checked by `with_engine_writing`) and valid for writes.
        unsafe {
            *len = n;
            *out = Box::into_raw(state).cast::<u8>();
        }
        PM_OK
    };
    // SAFETY: forwarded caller contract.
    unsafe { with_engine_writing(engine, out, len, write) }
}

/// Frees a buffer returned by `pm_engine_save_state`.
///
/// # Safety
///
/// `data` and `len` are exactly what `pm_engine_save_state` returned, freed once.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn pm_bytes_free(data: *mut u8, len: usize) {
    if !data.is_null() {
        // SAFETY: reconstructs the boxed slice leaked by `pm_engine_save_state`.
        drop(unsafe { Box::from_raw(std::ptr::slice_from_raw_parts_mut(data, len)) });
    }
}

/// Restores device state saved by `pm_engine_save_state`; invalid bytes return
/// `PM_ERR_INVALID` with the reason in `*error` and leave the engine unchanged.
///
/// # Safety
///
/// See the module's safety contract.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn pm_engine_restore_state(
    engine: *mut PmEngine,
    data: *const u8,
    len: usize,
    error: *mut *mut c_char,
) -> i32 {
    // SAFETY: forwarded caller contract.
    unsafe {
        with_engine(engine, |e| {
            let Some(input) = bytes(data, len) else {
                return PM_ERR_NULL;
            };
            match e.engine.restore_state(input) {
                Ok(()) => PM_OK,
                Err(err) => {
                    set_error(error, &err.to_string());
                    PM_ERR_INVALID
                }
            }
        })
    }
}

/// Frees a string returned by this library (an error message, or a message's JSON).
///
/// # Safety
///
/// `s` is `NULL` or a string returned through an `error` out-pointer or by
/// `pm_bundle_message_json`, freed once.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn pm_string_free(s: *mut c_char) {
    if !s.is_null() {
        // SAFETY: the string came from `CString::into_raw` in this module.
        drop(unsafe { CString::from_raw(s) });
    }
}
