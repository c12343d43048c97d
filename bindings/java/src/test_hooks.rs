//! Debug builds only: a native method that panics, so the JVM tests can show that a panic
//! becomes `pm.vm.VmInternalException` instead of unwinding into the JVM. Release builds (the
//! ones an app ships) do not contain it.

use jni::EnvUnowned;
use jni::objects::JClass;

use crate::native;

/// `pm.vm.PanicProbe.panic()` (a class of the test sources).
#[unsafe(no_mangle)]
pub extern "system" fn Java_pm_vm_PanicProbe_panic<'local>(
    env: EnvUnowned<'local>,
    _class: JClass<'local>,
) {
    native(env, |_| -> Result<(), crate::error::Error> {
        panic!("the panic probe panicked, as asked")
    })
}
