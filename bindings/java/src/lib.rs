//! The native half of the Java (Android) binding of `pm-vm`: the JNI methods behind the
//! `pm.vm` package (`src/main/java/pm/vm`), over the VM's Rust API.
//!
//! Each `Java_pm_vm_*` function is one `native` method of `Bundle` or `Engine`. Every one runs
//! through [`native`] (or [`native_primitive`], for methods that need no JNI call to succeed),
//! which catches panics and turns any error into the Java exception [`error::ThrowJava`]
//! picks, so nothing unwinds into the JVM. Handles and the lock discipline that makes them
//! safe are described in [`handle`]; see the crate's `README.md` for the Java API.

mod bundle;
mod engine;
mod error;
mod handle;
mod message;
#[cfg(debug_assertions)]
mod test_hooks;

use std::panic::{AssertUnwindSafe, catch_unwind, resume_unwind};

use jni::{Env, EnvUnowned};

/// Runs the body of a native method: `f`'s error is thrown as its Java exception, a panic as
/// `pm.vm.VmInternalException`; either way the method returns `T`'s default, which Java never
/// reads because an exception is pending.
fn native<'local, T: Default>(
    mut env: EnvUnowned<'local>,
    f: impl FnOnce(&mut Env<'local>) -> Result<T, error::Error>,
) -> T {
    env.with_env(f).resolve::<error::ThrowJava>()
}

/// As [`native`], for a method whose success needs no JNI call (primitive arguments and
/// result: the event methods, the hot path of a host). `f` runs under `catch_unwind` without
/// upgrading the environment, which is upgraded only to throw: that skips the `jni` crate's
/// thread-attachment bookkeeping, about 75 ns of CPU per call (BENCHMARKS.md, section 5).
fn native_primitive<'local, T: Default>(
    mut env: EnvUnowned<'local>,
    f: impl FnOnce() -> Result<T, error::Error>,
) -> T {
    match catch_unwind(AssertUnwindSafe(f)) {
        Ok(Ok(value)) => value,
        Ok(Err(error)) => env
            .with_env(|_| Err::<T, _>(error))
            .resolve::<error::ThrowJava>(),
        // Re-raised inside `with_env`, whose policy turns it into the Java exception.
        Err(payload) => env
            .with_env(|_| -> Result<T, error::Error> { resume_unwind(payload) })
            .resolve::<error::ThrowJava>(),
    }
}
