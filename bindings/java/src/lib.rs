//! The native half of the Java (Android) binding of `pm-vm`: the JNI methods behind the
//! `pm.vm` package (`src/main/java/pm/vm`), over the VM's Rust API.
//!
//! Each `Java_pm_vm_*` function is one `native` method of `Bundle` or `Engine`. Every one runs
//! through [`native`], which upgrades the JNI environment, catches panics and turns any error
//! into the Java exception [`error::ThrowJava`] picks, so nothing unwinds into the JVM. Handles
//! and the lock discipline that makes them safe are described in [`handle`]; see the crate's
//! `README.md` for the Java API.

mod bundle;
mod engine;
mod error;
mod handle;
mod message;
#[cfg(debug_assertions)]
mod test_hooks;

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
