//! The native methods of `pm.vm.Bundle`: loading (plain and signature-verified), the message
//! count, a message's content as an object or as SPEC §6's JSON, and lookup by name.

use std::sync::Arc;

use jni::objects::{JByteArray, JClass, JString};
use jni::sys::{jint, jlong};
use jni::{Env, EnvUnowned};
use pm_vm::{Bundle, LoadError, PublicKey};

use crate::error::{BUNDLE_EXCEPTION, Error, ILLEGAL_ARGUMENT, SIGNATURE_EXCEPTION};
use crate::handle::{free, get, into_handle};
use crate::message::{JMessage, message_object, out_of_range};
use crate::{native, native_primitive};

/// The bundle behind a `pm.vm.Bundle` handle.
///
/// # Safety
///
/// As [`get`]: `handle` is 0 or a live bundle handle, used under its Java lock.
unsafe fn bundle<'a>(handle: jlong) -> Result<&'a Bundle, Error> {
    // SAFETY: forwarded from the caller.
    let shared: &'a Arc<Bundle> = unsafe { get::<Arc<Bundle>>(handle) }?;
    Ok(shared)
}

/// A refused load as `SignatureException` (signature checks) or `BundleException` (the rest).
fn load_error(error: LoadError) -> Error {
    let class = match error {
        LoadError::Signature(_) => SIGNATURE_EXCEPTION,
        _ => BUNDLE_EXCEPTION,
    };
    Error::throw(class, error.to_string())
}

fn into_bundle_handle(loaded: Result<Bundle, LoadError>) -> Result<jlong, Error> {
    Ok(into_handle(Arc::new(loaded.map_err(load_error)?)))
}

/// `Bundle.nativeLoad(byte[]) -> long`.
#[unsafe(no_mangle)]
pub extern "system" fn Java_pm_vm_Bundle_nativeLoad<'local>(
    env: EnvUnowned<'local>,
    _class: JClass<'local>,
    bytes: JByteArray<'local>,
) -> jlong {
    native(env, |env| {
        into_bundle_handle(Bundle::load(&env.convert_byte_array(&bytes)?))
    })
}

/// `Bundle.nativeLoadVerified(byte[] bytes, byte[] keys) -> long`; `keys` is the trusted keys
/// end to end, 32 bytes each (the Java side checks the length).
#[unsafe(no_mangle)]
pub extern "system" fn Java_pm_vm_Bundle_nativeLoadVerified<'local>(
    env: EnvUnowned<'local>,
    _class: JClass<'local>,
    bytes: JByteArray<'local>,
    keys: JByteArray<'local>,
) -> jlong {
    native(env, |env| {
        let keys = env.convert_byte_array(&keys)?;
        let trusted = keys
            .chunks(32)
            .enumerate()
            .map(|(i, key)| {
                <[u8; 32]>::try_from(key)
                    .ok()
                    .and_then(|key| PublicKey::from_bytes(key).ok())
                    .ok_or_else(|| {
                        Error::throw(
                            ILLEGAL_ARGUMENT,
                            format!("trusted key {i} is not a valid Ed25519 public key"),
                        )
                    })
            })
            .collect::<Result<Vec<_>, _>>()?;
        into_bundle_handle(Bundle::load_verified(
            &env.convert_byte_array(&bytes)?,
            &trusted,
        ))
    })
}

/// `Bundle.nativeFree(long)`.
#[unsafe(no_mangle)]
pub extern "system" fn Java_pm_vm_Bundle_nativeFree<'local>(
    env: EnvUnowned<'local>,
    _class: JClass<'local>,
    handle: jlong,
) {
    native_primitive(env, || {
        // SAFETY: the Java side releases each handle once, under its lock (crate::handle).
        unsafe { free::<Arc<Bundle>>(handle) };
        Ok(())
    })
}

/// `Bundle.nativeMessageCount(long) -> int`.
#[unsafe(no_mangle)]
pub extern "system" fn Java_pm_vm_Bundle_nativeMessageCount<'local>(
    env: EnvUnowned<'local>,
    _class: JClass<'local>,
    handle: jlong,
) -> jint {
    native_primitive(env, || {
        // SAFETY: a live handle, used under its Java lock (crate::handle).
        let bundle = unsafe { bundle(handle) }?;
        // At most `format::limits::MAX_MESSAGES` (140).
        Ok(bundle.messages().len() as jint)
    })
}

/// `Bundle.nativeMessage(long, int) -> Message`.
#[unsafe(no_mangle)]
pub extern "system" fn Java_pm_vm_Bundle_nativeMessage<'local>(
    env: EnvUnowned<'local>,
    _class: JClass<'local>,
    handle: jlong,
    index: jint,
) -> JMessage<'local> {
    native(env, |env| {
        // SAFETY: a live handle, used under its Java lock (crate::handle).
        message_object(env, unsafe { bundle(handle) }?, index)
    })
}

/// `Bundle.nativeMessageJson(long, int) -> String`.
#[unsafe(no_mangle)]
pub extern "system" fn Java_pm_vm_Bundle_nativeMessageJson<'local>(
    env: EnvUnowned<'local>,
    _class: JClass<'local>,
    handle: jlong,
    index: jint,
) -> JString<'local> {
    native(env, |env| {
        // SAFETY: a live handle, used under its Java lock (crate::handle).
        let bundle = unsafe { bundle(handle) }?;
        let json = usize::try_from(index)
            .ok()
            .and_then(|i| bundle.message_json(i))
            .ok_or_else(|| out_of_range(bundle, index))?;
        Ok(JString::from_str(env, json)?)
    })
}

/// `Bundle.nativeIndexOfMessage(long, String) -> int`: -1 when there is no such message.
#[unsafe(no_mangle)]
pub extern "system" fn Java_pm_vm_Bundle_nativeIndexOfMessage<'local>(
    env: EnvUnowned<'local>,
    _class: JClass<'local>,
    handle: jlong,
    name: JString<'local>,
) -> jint {
    native(env, |env| {
        // SAFETY: a live handle, used under its Java lock (crate::handle).
        let bundle = unsafe { bundle(handle) }?;
        index_of_message(env, bundle, &name)
    })
}

/// The index of the message named `name`, or -1.
pub fn index_of_message(env: &Env<'_>, bundle: &Bundle, name: &JString<'_>) -> Result<jint, Error> {
    let name = name.try_to_string(env)?;
    // Indices are below `format::limits::MAX_MESSAGES` (140).
    Ok(bundle.message_by_name(&name).map_or(-1, |i| i as jint))
}
