//! A message's content ([`pm_vm::MessageContent`]) as a `pm.vm.Message` object, built by
//! calling the package-private constructors the Java classes keep for the native side. The
//! classes and constructor ids are looked up once ([`jni::bind_java_type`] caches them), not
//! at every delivery.

use jni::Env;
use jni::objects::{JObjectArray, JString};
use jni::sys::jint;
use pm_vm::{Bundle, RespondContent};

use crate::error::{Error, INDEX_OUT_OF_BOUNDS};

pub use classes::JMessage;
use classes::{JAgent, JAiAgent, JResponse};

/// The Java classes the native side constructs, with their constructors.
#[allow(
    clippy::too_many_arguments,
    reason = "generated: Message's constructor takes one argument per field"
)]
mod classes {
    jni::bind_java_type! {
        pub JResponse => pm.vm.Response,
    }

    jni::bind_java_type! {
        pub JAgent => "pm.vm.Response$Agent",
        type_map = { JResponse => pm.vm.Response },
        constructors {
            fn new(follow_up: JString, collect: JString[]),
        },
        is_instance_of = { JResponse },
    }

    jni::bind_java_type! {
        pub JAiAgent => "pm.vm.Response$AiAgent",
        type_map = { JResponse => pm.vm.Response },
        constructors {
            fn new(ai_agent: JString, answer: JString, generative: jboolean),
        },
        is_instance_of = { JResponse },
    }

    jni::bind_java_type! {
        pub JMessage => pm.vm.Message,
        type_map = { JResponse => pm.vm.Response },
        constructors {
            fn new(
                index: jint,
                name: JString,
                brand: JString,
                channel: JString,
                say: JString,
                tags: JString[],
                priority: jint,
                response: JResponse,
            ),
        },
    }
}

/// Message `index` of `bundle` as a `pm.vm.Message`.
///
/// # Errors
///
/// `IndexOutOfBoundsException` when `index` is not a message of the bundle.
pub fn message_object<'local>(
    env: &mut Env<'local>,
    bundle: &Bundle,
    index: jint,
) -> Result<JMessage<'local>, Error> {
    let content = usize::try_from(index)
        .ok()
        .and_then(|i| bundle.message_content(i))
        .ok_or_else(|| out_of_range(bundle, index))?;
    let response: JResponse = match &content.respond {
        RespondContent::Agent { follow_up, collect } => {
            let follow_up = JString::from_str(env, follow_up)?;
            let collect = string_array(env, collect)?;
            JAgent::new(env, &follow_up, &collect)?.into()
        }
        RespondContent::AiAgent {
            ai_agent,
            answer,
            generative,
        } => {
            let ai_agent = JString::from_str(env, ai_agent)?;
            let answer = JString::from_str(env, answer)?;
            JAiAgent::new(env, &ai_agent, &answer, *generative)?.into()
        }
    };
    let name = JString::from_str(env, content.name)?;
    let brand = JString::from_str(env, content.brand)?;
    let channel = JString::from_str(env, content.channel)?;
    let say = JString::from_str(env, content.say)?;
    let tags = string_array(env, &content.tags)?;
    Ok(JMessage::new(
        env,
        index,
        &name,
        &brand,
        &channel,
        &say,
        &tags,
        content.priority,
        &response,
    )?)
}

/// The `IndexOutOfBoundsException` for a message index the bundle does not have.
pub fn out_of_range(bundle: &Bundle, index: jint) -> Error {
    Error::throw(
        INDEX_OUT_OF_BOUNDS,
        format!(
            "message index {index} is out of range: the bundle has {} messages",
            bundle.messages().len()
        ),
    )
}

/// `items` as a `String[]`; each element's local reference is deleted once stored, so a long
/// list does not fill the local reference table.
fn string_array<'local>(
    env: &mut Env<'local>,
    items: &[&str],
) -> Result<JObjectArray<'local, JString<'local>>, Error> {
    let array = JObjectArray::<JString>::new(env, items.len(), JString::null())?;
    for (i, item) in items.iter().enumerate() {
        let element = JString::from_str(env, item)?;
        array.set_element(env, i, &element)?;
        env.delete_local_ref(element);
    }
    Ok(array)
}
