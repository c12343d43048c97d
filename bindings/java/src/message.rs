//! A message's content ([`pm_vm::MessageContent`]) as a `pm.vm.Message` object, built by
//! calling the Java constructors the classes keep for the native side.

use jni::Env;
use jni::objects::{JObject, JObjectArray, JString};
use jni::sys::jint;
use jni::{jni_sig, jni_str};
use pm_vm::{Bundle, RespondContent};

use crate::error::{Error, INDEX_OUT_OF_BOUNDS};

/// Message `index` of `bundle` as a `pm.vm.Message`.
///
/// # Errors
///
/// `IndexOutOfBoundsException` when `index` is not a message of the bundle.
pub fn message_object<'local>(
    env: &mut Env<'local>,
    bundle: &Bundle,
    index: jint,
) -> Result<JObject<'local>, Error> {
    let content = usize::try_from(index)
        .ok()
        .and_then(|i| bundle.message_content(i))
        .ok_or_else(|| out_of_range(bundle, index))?;
    let response = match &content.respond {
        RespondContent::Agent { follow_up, collect } => {
            let follow_up = JString::from_str(env, follow_up)?;
            let collect = string_array(env, collect)?;
            env.new_object(
                jni_str!("pm/vm/Response$Agent"),
                jni_sig!((follow_up: JString, collect: JString[]) -> void),
                &[(&follow_up).into(), (&collect).into()],
            )?
        }
        RespondContent::AiAgent {
            ai_agent,
            answer,
            generative,
        } => {
            let ai_agent = JString::from_str(env, ai_agent)?;
            let answer = JString::from_str(env, answer)?;
            env.new_object(
                jni_str!("pm/vm/Response$AiAgent"),
                jni_sig!((ai_agent: JString, answer: JString, generative: jboolean) -> void),
                &[(&ai_agent).into(), (&answer).into(), (*generative).into()],
            )?
        }
    };
    let name = JString::from_str(env, content.name)?;
    let brand = JString::from_str(env, content.brand)?;
    let channel = JString::from_str(env, content.channel)?;
    let say = JString::from_str(env, content.say)?;
    let tags = string_array(env, &content.tags)?;
    Ok(env.new_object(
        jni_str!("pm/vm/Message"),
        jni_sig!(
            (
                index: jint,
                name: JString,
                brand: JString,
                channel: JString,
                say: JString,
                tags: JString[],
                priority: jint,
                response: pm.vm.Response,
            ) -> void
        ),
        &[
            index.into(),
            (&name).into(),
            (&brand).into(),
            (&channel).into(),
            (&say).into(),
            (&tags).into(),
            content.priority.into(),
            (&response).into(),
        ],
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
