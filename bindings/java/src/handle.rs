//! Native objects as the `long` handles Java holds: a bundle is a `Box<Arc<Bundle>>` (engines
//! share the `Arc`), an engine a `Box<Engine>`.
//!
//! The Java side (`pm.vm.NativeHandle`) keeps the invariant every function here relies on: a
//! handle passed to a native method is `0` or a pointer made by [`into_handle`] and not yet
//! given to [`free`], and the call holds the handle's lock, so no other call uses the object
//! at the same time. A `0` handle (which Java never passes) throws `IllegalStateException`
//! rather than being dereferenced.

use jni::sys::jlong;

use crate::error::{Error, ILLEGAL_STATE};

/// Moves `value` to the heap and returns its address as a handle (never 0).
pub fn into_handle<T>(value: T) -> jlong {
    Box::into_raw(Box::new(value)) as jlong
}

/// The object behind `handle`.
///
/// # Safety
///
/// `handle` is 0 or was made by [`into_handle`] for a `T`, is not freed, and no other
/// reference to the object is live while the returned one is (the module's invariant).
pub unsafe fn get<'a, T>(handle: jlong) -> Result<&'a mut T, Error> {
    let pointer = handle as *mut T;
    // SAFETY: per the contract, a non-null pointer is a live, exclusively borrowed `Box<T>`.
    unsafe { pointer.as_mut() }
        .ok_or_else(|| Error::throw(ILLEGAL_STATE, "pm-vm: a closed handle reached the VM"))
}

/// Frees the object behind `handle`; 0 is ignored.
///
/// # Safety
///
/// `handle` is 0 or was made by [`into_handle`] for a `T` and is not used afterwards.
pub unsafe fn free<T>(handle: jlong) {
    let pointer = handle as *mut T;
    if !pointer.is_null() {
        // SAFETY: per the contract, the pointer came from `Box::into_raw` and is freed once.
        drop(unsafe { Box::from_raw(pointer) });
    }
}
