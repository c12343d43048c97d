//! What a native method throws: [`Error`] names the Java exception and its message, and
//! [`ThrowJava`] is the policy every native method resolves its outcome with — an error
//! becomes that exception, a panic becomes `pm.vm.VmInternalException`, and nothing unwinds
//! into the JVM.

use std::any::Any;
use std::panic::{AssertUnwindSafe, catch_unwind};

use jni::Env;
use jni::errors::ErrorPolicy;
use jni::strings::{JNIStr, JNIString};

/// `pm.vm.BundleException`: the bytes are not a valid bundle.
pub const BUNDLE_EXCEPTION: &JNIStr = jni::jni_str!("pm/vm/BundleException");
/// `pm.vm.SignatureException`: a signature was required and the bundle fails it.
pub const SIGNATURE_EXCEPTION: &JNIStr = jni::jni_str!("pm/vm/SignatureException");
/// `pm.vm.StateException`: saved device state could not be restored.
pub const STATE_EXCEPTION: &JNIStr = jni::jni_str!("pm/vm/StateException");
/// `pm.vm.ChannelException`: the bundle has no channel of that name.
pub const CHANNEL_EXCEPTION: &JNIStr = jni::jni_str!("pm/vm/ChannelException");
/// `java.lang.IllegalArgumentException`: an argument the Java side could not check (a key).
pub const ILLEGAL_ARGUMENT: &JNIStr = jni::jni_str!("java/lang/IllegalArgumentException");
/// `java.lang.IndexOutOfBoundsException`: a message index out of range.
pub const INDEX_OUT_OF_BOUNDS: &JNIStr = jni::jni_str!("java/lang/IndexOutOfBoundsException");
/// `java.lang.IllegalStateException`: a closed (null) handle reached the native side.
pub const ILLEGAL_STATE: &JNIStr = jni::jni_str!("java/lang/IllegalStateException");
/// `pm.vm.VmInternalException`: a panic or a failed JNI call, caught at the boundary.
const INTERNAL_EXCEPTION: &JNIStr = jni::jni_str!("pm/vm/VmInternalException");

/// Why a native method did not return normally.
#[derive(Debug)]
pub enum Error {
    /// Throw `class` (one of this module's constants) with the VM's `message`.
    Throw {
        /// The exception class, in JNI form (`pm/vm/BundleException`).
        class: &'static JNIStr,
        /// The message, usually the VM error's `Display`.
        message: String,
    },
    /// A JNI call failed; a Java exception may already be pending.
    Jni(jni::errors::Error),
}

impl Error {
    /// An error that throws `class` with `message`.
    pub fn throw(class: &'static JNIStr, message: impl Into<String>) -> Error {
        Error::Throw {
            class,
            message: message.into(),
        }
    }
}

impl From<jni::errors::Error> for Error {
    fn from(error: jni::errors::Error) -> Error {
        Error::Jni(error)
    }
}

/// The one error policy of the library (see the module documentation). The native method then
/// returns the type's default (0, false, null), which Java never sees: the exception is pending.
pub struct ThrowJava;

impl<T: Default> ErrorPolicy<T, Error> for ThrowJava {
    type Captures<'unowned_env_local: 'native_method, 'native_method> = ();

    fn on_error<'unowned_env_local: 'native_method, 'native_method>(
        env: &mut Env<'unowned_env_local>,
        _captures: &mut (),
        error: Error,
    ) -> jni::errors::Result<T> {
        match error {
            Error::Throw { class, message } => throw(env, class, &message),
            // A pending exception (thrown by Java code the call ran) is already the answer.
            Error::Jni(_) if env.exception_check() => {}
            Error::Jni(error) => throw(
                env,
                INTERNAL_EXCEPTION,
                &format!("pm-vm: a JNI call failed: {error}"),
            ),
        }
        Ok(T::default())
    }

    fn on_panic<'unowned_env_local: 'native_method, 'native_method>(
        env: &mut Env<'unowned_env_local>,
        _captures: &mut (),
        payload: Box<dyn Any + Send + 'static>,
    ) -> jni::errors::Result<T> {
        let what = payload
            .downcast_ref::<&str>()
            .map(|s| (*s).to_owned())
            .or_else(|| payload.downcast_ref::<String>().cloned())
            .unwrap_or_else(|| "a panic without a message".to_owned());
        // A payload's drop could itself panic: that panic is leaked rather than let loose.
        if let Err(drop_panic) = catch_unwind(AssertUnwindSafe(|| drop(payload))) {
            std::mem::forget(drop_panic);
        }
        if !env.exception_check() {
            throw(
                env,
                INTERNAL_EXCEPTION,
                &format!("pm-vm: internal error (a bug in the VM, please report it): {what}"),
            );
        }
        Ok(T::default())
    }
}

/// Throws `class` with `message`. `ThrowNew` reports success as `Err(JavaException)`; any other
/// failure leaves the JVM's own error (an `OutOfMemoryError`, say) pending, which is still an
/// exception for Java, so the result carries nothing to act on.
fn throw(env: &mut Env<'_>, class: &JNIStr, message: &str) {
    let _ = env.throw_new(class, JNIString::new(message));
}
