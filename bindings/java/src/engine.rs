//! The native methods of `pm.vm.Engine`: creation for a channel, the device language, every
//! event of SPEC §3, deadlines, deliveries, and device state.
//!
//! Events go through [`pm_vm::Engine::handle`] unchanged, so the binding adds no rule of its
//! own: whatever the Rust engine decides, Java gets.

use std::panic::{catch_unwind, resume_unwind};
use std::sync::Arc;

use jni::objects::{JByteArray, JClass, JLongArray, JString};
use jni::sys::{jboolean, jint, jlong};
use jni::{Env, EnvUnowned};
use pm_vm::{Bundle, Engine, Event};

use crate::bundle::index_of_message;
use crate::error::{CHANNEL_EXCEPTION, Error, STATE_EXCEPTION};
use crate::handle::{free, get, into_handle};
use crate::message::{JMessage, message_object};
use crate::{native, native_primitive};

/// Runs `f` on the engine behind `handle`.
///
/// # Safety
///
/// As [`get`]: `handle` is 0 or a live engine handle, used under its Java lock.
unsafe fn with_engine<T>(handle: jlong, f: impl FnOnce(&mut Engine) -> T) -> Result<T, Error> {
    // SAFETY: forwarded from the caller.
    Ok(f(unsafe { get::<Engine>(handle) }?))
}

/// Applies `event` at `now` (the body of every event method).
///
/// # Safety
///
/// As [`with_engine`].
unsafe fn apply(engine: jlong, now: jlong, event: Event<'_>) -> Result<(), Error> {
    // SAFETY: forwarded from the caller.
    unsafe { with_engine(engine, |engine| engine.handle(now, event)) }
}

/// `Engine.nativeNew(long bundle, String channel) -> long`.
#[unsafe(no_mangle)]
pub extern "system" fn Java_pm_vm_Engine_nativeNew<'local>(
    env: EnvUnowned<'local>,
    _class: JClass<'local>,
    bundle: jlong,
    channel: JString<'local>,
) -> jlong {
    native(env, |env| {
        // SAFETY: a live bundle handle, used under its Java lock (crate::handle).
        let bundle = Arc::clone(unsafe { get::<Arc<Bundle>>(bundle) }?);
        let engine = Engine::new(bundle, &channel.try_to_string(env)?)
            .map_err(|e| Error::throw(CHANNEL_EXCEPTION, e.to_string()))?;
        Ok(into_handle(engine))
    })
}

/// `Engine.nativeFree(long)`.
#[unsafe(no_mangle)]
pub extern "system" fn Java_pm_vm_Engine_nativeFree<'local>(
    env: EnvUnowned<'local>,
    _class: JClass<'local>,
    engine: jlong,
) {
    native_primitive(env, || {
        // SAFETY: the Java side releases each handle once, under its lock (crate::handle).
        unsafe { free::<Engine>(engine) };
        Ok(())
    })
}

/// `Engine.nativeSetLanguage(long, String)`.
#[unsafe(no_mangle)]
pub extern "system" fn Java_pm_vm_Engine_nativeSetLanguage<'local>(
    env: EnvUnowned<'local>,
    _class: JClass<'local>,
    engine: jlong,
    language: JString<'local>,
) {
    native(env, |env| {
        let language = language.try_to_string(env)?;
        // SAFETY: a live engine handle, used under its Java lock (crate::handle).
        unsafe { with_engine(engine, |engine| engine.set_language(&language)) }
    })
}

/// `Engine.nativeSetAppVersion(long, String or null)`: `null` unsets the version.
#[unsafe(no_mangle)]
pub extern "system" fn Java_pm_vm_Engine_nativeSetAppVersion<'local>(
    env: EnvUnowned<'local>,
    _class: JClass<'local>,
    engine: jlong,
    version: JString<'local>,
) {
    native(env, |env| {
        let version = if version.is_null() {
            None
        } else {
            Some(version.try_to_string(env)?)
        };
        // SAFETY: a live engine handle, used under its Java lock (crate::handle).
        unsafe { with_engine(engine, |engine| engine.set_app_version(version.as_deref())) }
    })
}

/// `Engine.nativeSetAppBuild(long, long build, boolean set)`: `set` false unsets the build.
#[unsafe(no_mangle)]
pub extern "system" fn Java_pm_vm_Engine_nativeSetAppBuild<'local>(
    env: EnvUnowned<'local>,
    _class: JClass<'local>,
    engine: jlong,
    build: jlong,
    set: jboolean,
) {
    native(env, |_env| {
        let build = set.then_some(build);
        // SAFETY: a live engine handle, used under its Java lock (crate::handle).
        unsafe { with_engine(engine, |engine| engine.set_app_build(build)) }
    })
}

/// `Engine.nativeAppLaunch(long, long now, int visitHistory)`: 1 new, 2 returning, else derived.
#[unsafe(no_mangle)]
pub extern "system" fn Java_pm_vm_Engine_nativeAppLaunch<'local>(
    env: EnvUnowned<'local>,
    _class: JClass<'local>,
    engine: jlong,
    now: jlong,
    visit_history: jint,
) {
    let returning = match visit_history {
        1 => Some(false),
        2 => Some(true),
        _ => None,
    };
    native_primitive(env, || {
        // SAFETY: a live engine handle, used under its Java lock (crate::handle).
        unsafe { apply(engine, now, Event::AppLaunch { returning }) }
    })
}

/// `Engine.nativeScreenOpen(long, long now, String url, String title)`.
#[unsafe(no_mangle)]
pub extern "system" fn Java_pm_vm_Engine_nativeScreenOpen<'local>(
    env: EnvUnowned<'local>,
    _class: JClass<'local>,
    engine: jlong,
    now: jlong,
    url: JString<'local>,
    title: JString<'local>,
) {
    native(env, |env| {
        let url = url.mutf8_chars(env)?;
        let title = title.mutf8_chars(env)?;
        let event = Event::ScreenOpen {
            url: &url.to_str(),
            title: &title.to_str(),
        };
        // SAFETY: a live engine handle, used under its Java lock (crate::handle).
        unsafe { apply(engine, now, event) }
    })
}

/// `Engine.nativeMessageClosed(long, long now, int message, boolean opened)`: `message_opened`
/// or `message_dismissed`; a negative index (a name the bundle lacks) matches no message.
#[unsafe(no_mangle)]
pub extern "system" fn Java_pm_vm_Engine_nativeMessageClosed<'local>(
    env: EnvUnowned<'local>,
    _class: JClass<'local>,
    engine: jlong,
    now: jlong,
    message: jint,
    opened: jboolean,
) {
    let message = usize::try_from(message).unwrap_or(usize::MAX);
    let event = if opened {
        Event::MessageOpened { message }
    } else {
        Event::MessageDismissed { message }
    };
    native_primitive(env, || {
        // SAFETY: a live engine handle, used under its Java lock (crate::handle).
        unsafe { apply(engine, now, event) }
    })
}

/// `Engine.nativeIndexOfMessage(long, String) -> int`, in the engine's bundle.
#[unsafe(no_mangle)]
pub extern "system" fn Java_pm_vm_Engine_nativeIndexOfMessage<'local>(
    env: EnvUnowned<'local>,
    _class: JClass<'local>,
    engine: jlong,
    name: JString<'local>,
) -> jint {
    native(env, |env| {
        // SAFETY: a live engine handle, used under its Java lock (crate::handle).
        let bundle = unsafe { with_engine(engine, |engine| Arc::clone(engine.bundle())) }?;
        index_of_message(env, &bundle, &name)
    })
}

/// `Engine.nativeConversation(long, long now, boolean started)`.
#[unsafe(no_mangle)]
pub extern "system" fn Java_pm_vm_Engine_nativeConversation<'local>(
    env: EnvUnowned<'local>,
    _class: JClass<'local>,
    engine: jlong,
    now: jlong,
    started: jboolean,
) {
    let event = if started {
        Event::ConversationStarted
    } else {
        Event::ConversationEnded
    };
    native_primitive(env, || {
        // SAFETY: a live engine handle, used under its Java lock (crate::handle).
        unsafe { apply(engine, now, event) }
    })
}

/// `Engine.nativeSetAiResolutions(long, long now, boolean available)`.
#[unsafe(no_mangle)]
pub extern "system" fn Java_pm_vm_Engine_nativeSetAiResolutions<'local>(
    env: EnvUnowned<'local>,
    _class: JClass<'local>,
    engine: jlong,
    now: jlong,
    available: jboolean,
) {
    native_primitive(env, || {
        // SAFETY: a live engine handle, used under its Java lock (crate::handle).
        unsafe { apply(engine, now, Event::SetAiResolutions { available }) }
    })
}

/// `Engine.nativeSetSuppressed(long, long now, boolean suppressed)`.
#[unsafe(no_mangle)]
pub extern "system" fn Java_pm_vm_Engine_nativeSetSuppressed<'local>(
    env: EnvUnowned<'local>,
    _class: JClass<'local>,
    engine: jlong,
    now: jlong,
    suppressed: jboolean,
) {
    native_primitive(env, || {
        // SAFETY: a live engine handle, used under its Java lock (crate::handle).
        unsafe { apply(engine, now, Event::SetSuppressed { suppressed }) }
    })
}

/// `Engine.nativeAppQuit(long, long now)`.
#[unsafe(no_mangle)]
pub extern "system" fn Java_pm_vm_Engine_nativeAppQuit<'local>(
    env: EnvUnowned<'local>,
    _class: JClass<'local>,
    engine: jlong,
    now: jlong,
) {
    native_primitive(env, || {
        // SAFETY: a live engine handle, used under its Java lock (crate::handle).
        unsafe { apply(engine, now, Event::AppQuit) }
    })
}

/// `Engine.nativeAdvanceTo(long, long now)`.
#[unsafe(no_mangle)]
pub extern "system" fn Java_pm_vm_Engine_nativeAdvanceTo<'local>(
    env: EnvUnowned<'local>,
    _class: JClass<'local>,
    engine: jlong,
    now: jlong,
) {
    native_primitive(env, || {
        // SAFETY: a live engine handle, used under its Java lock (crate::handle).
        unsafe { with_engine(engine, |engine| engine.advance_to(now)) }
    })
}

/// `Engine.nativeNextDeadline(long, long[] out) -> boolean`: the deadline goes to `out[0]`.
#[unsafe(no_mangle)]
pub extern "system" fn Java_pm_vm_Engine_nativeNextDeadline<'local>(
    env: EnvUnowned<'local>,
    _class: JClass<'local>,
    engine: jlong,
    out: JLongArray<'local>,
) -> jboolean {
    native(env, |env| {
        // SAFETY: a live engine handle, used under its Java lock (crate::handle).
        match unsafe { with_engine(engine, |engine| engine.next_deadline()) }? {
            Some(deadline) => {
                out.set_region(env, 0, &[deadline])?;
                Ok(true)
            }
            None => Ok(false),
        }
    })
}

/// `Engine.nativeTakeDeliveries(long) -> long[]`: `[time, index, …]`, or null when none.
///
/// Usually there is none, and taking them needs no JNI call: as in [`native_primitive`], the
/// environment is upgraded only when there is an array to build, an error or a panic.
#[unsafe(no_mangle)]
pub extern "system" fn Java_pm_vm_Engine_nativeTakeDeliveries<'local>(
    env: EnvUnowned<'local>,
    _class: JClass<'local>,
    engine: jlong,
) -> JLongArray<'local> {
    // SAFETY: a live engine handle, used under its Java lock (crate::handle).
    let taken = catch_unwind(|| unsafe { with_engine(engine, Engine::take_deliveries) });
    if let Ok(Ok(deliveries)) = &taken
        && deliveries.is_empty()
    {
        return JLongArray::null();
    }
    native(env, |env| {
        let deliveries = taken.unwrap_or_else(|payload| resume_unwind(payload))?;
        let pairs: Vec<jlong> = deliveries
            .iter()
            // Message indices are below `format::limits::MAX_MESSAGES` (140).
            .flat_map(|d| [d.time, d.message as jlong])
            .collect();
        let array = JLongArray::new(env, pairs.len())?;
        array.set_region(env, 0, &pairs)?;
        Ok(array)
    })
}

/// `Engine.nativeMessage(long, int) -> Message`, from the engine's bundle.
#[unsafe(no_mangle)]
pub extern "system" fn Java_pm_vm_Engine_nativeMessage<'local>(
    env: EnvUnowned<'local>,
    _class: JClass<'local>,
    engine: jlong,
    index: jint,
) -> JMessage<'local> {
    native(env, |env| {
        // SAFETY: a live engine handle, used under its Java lock (crate::handle).
        let bundle = unsafe { with_engine(engine, |engine| Arc::clone(engine.bundle())) }?;
        message_object(env, &bundle, index)
    })
}

/// `Engine.nativeSaveState(long) -> byte[]`.
#[unsafe(no_mangle)]
pub extern "system" fn Java_pm_vm_Engine_nativeSaveState<'local>(
    env: EnvUnowned<'local>,
    _class: JClass<'local>,
    engine: jlong,
) -> JByteArray<'local> {
    native(env, |env: &mut Env<'local>| {
        // SAFETY: a live engine handle, used under its Java lock (crate::handle).
        let state = unsafe { with_engine(engine, |engine| engine.save_state()) }?;
        Ok(env.byte_array_from_slice(&state)?)
    })
}

/// `Engine.nativeRestoreState(long, byte[])`: `StateException` leaves the engine unchanged.
#[unsafe(no_mangle)]
pub extern "system" fn Java_pm_vm_Engine_nativeRestoreState<'local>(
    env: EnvUnowned<'local>,
    _class: JClass<'local>,
    engine: jlong,
    state: JByteArray<'local>,
) {
    native(env, |env| {
        let state = env.convert_byte_array(&state)?;
        // SAFETY: a live engine handle, used under its Java lock (crate::handle).
        unsafe { with_engine(engine, |engine| engine.restore_state(&state)) }?
            .map_err(|e| Error::throw(STATE_EXCEPTION, e.to_string()))
    })
}
