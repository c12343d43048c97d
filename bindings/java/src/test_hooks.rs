//! Debug builds only: native methods that panic, one through each of [`native`] and
//! [`native_primitive`], so the JVM tests can show that a panic becomes
//! `pm.vm.VmInternalException` instead of unwinding into the JVM. Release builds (the ones an
//! app ships) do not contain them.

use jni::EnvUnowned;
use jni::objects::JClass;

use crate::error::Error;
use crate::{native, native_primitive};

/// `pm.vm.PanicProbe.panic()` (a class of the test sources).
#[unsafe(no_mangle)]
pub extern "system" fn Java_pm_vm_PanicProbe_panic<'local>(
    env: EnvUnowned<'local>,
    _class: JClass<'local>,
) {
    native(env, |_| -> Result<(), Error> {
        panic!("the panic probe panicked, as asked")
    })
}

/// `pm.vm.PanicProbe.panicPrimitive()`.
#[unsafe(no_mangle)]
pub extern "system" fn Java_pm_vm_PanicProbe_panicPrimitive<'local>(
    env: EnvUnowned<'local>,
    _class: JClass<'local>,
) {
    native_primitive(env, || -> Result<(), Error> {
        panic!("the primitive panic probe panicked, as asked")
    })
}
