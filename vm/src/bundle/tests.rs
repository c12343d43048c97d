//! Tests of loading and verifying: every error the loader reports, robustness against every
//! truncation and single-byte change, random bytes and mutations, the code verifier, and the
//! VM against the reference evaluator (the shared helpers are the test kit's).

use std::sync::Arc;

use proptest::prelude::*;

use crate::container::count;
use crate::format::{
    ChannelLimits, FORMAT_MAJOR, FORMAT_MINOR, Frequency, HEADER_LEN, MAGIC, Platform, SectionId,
    SendMode, Trigger, limits,
};
use crate::opcode::{Instr, SetId, StrId};
use crate::section::{SectionEntry, entry_count, entry_offset};
use crate::signature::PublicKey;
use crate::testkit::{
    Cond, Msg, arb_cond, build, context, exercise_bytes, listing_of_contents, msg, reference,
    reseal, sample, sample_stored, try_write, try_write_limited, write_code, write_stored,
};
use crate::write::{BundleWriter, CodeBuilder, WriteError};
use crate::{Bundle, CodeError, Engine, Event, LoadError};

/// Where section `id` starts in a bundle holding exactly the sections this VM reads.
fn section_offset(bytes: &[u8], id: SectionId) -> usize {
    SectionEntry::read(bytes, id as usize - 1).offset as usize
}

#[test]
fn the_sample_loads_and_its_facts_read_back() {
    let bundle = Bundle::load(&sample()).unwrap();
    assert_eq!(bundle.version(), (FORMAT_MAJOR, FORMAT_MINOR));
    assert_eq!(bundle.messages().len(), 5);
    assert_eq!(bundle.message_by_name("After hours"), Some(2));
    assert_eq!(bundle.channel_by_name("Android"), Some(1));
    let m = &bundle.messages()[0];
    assert_eq!(bundle.str(m.name), "Pricing help");
    assert_eq!(m.send, SendMode::During(0));
    assert_eq!(m.frequency, Frequency::OncePerVisit);
    assert_eq!(m.dwell_ms, 30_000);
    assert_eq!(bundle.str(bundle.schedules()[0].zone), "Europe/Paris");
    assert!(bundle.ai_agents()[0].generative);
    // Needles are stored lower-cased.
    let needles: Vec<&str> = (0..bundle.string_count())
        .map(|i| bundle.str(StrId(i as u16)))
        .collect();
    assert!(needles.contains(&"pricing") && !needles.contains(&"Pricing"));
}

#[test]
fn header_errors_are_clear() {
    let good = sample();
    let err = |bytes: &[u8]| Bundle::load(bytes).unwrap_err().to_string();
    assert_eq!(
        err(b"PMB"),
        "not a bundle: 3 bytes is shorter than the 16-byte header"
    );
    let mut bad = good.clone();
    bad[0] = b'X';
    assert!(err(&bad).starts_with("not a bundle: expected magic bytes"));
    let mut newer = good.clone();
    newer[4] = 5;
    newer[6] = 0;
    assert_eq!(
        err(&newer),
        "bundle format version 5.0 is newer than this VM supports (4.x); update the VM"
    );
    // Version 3.x has no prefix or suffix tests and older majors no section encodings:
    // such bundles are refused, never misread, and must be rebuilt.
    for major in [3, 2] {
        let mut older = good.clone();
        older[4] = major;
        older[6] = 0;
        assert_eq!(
            err(&older),
            format!(
                "bundle format version {major}.0 is older than this VM reads (4.x); \
                 rebuild the bundle with a newer pmc"
            )
        );
    }
    assert!(err(&good[..good.len() - 1]).contains("truncated or padded"));
    let mut corrupt = good.clone();
    *corrupt.last_mut().unwrap() ^= 0x40;
    assert!(err(&corrupt).starts_with("bundle is corrupted: CRC-32"));
}

#[test]
fn each_load_parses_the_container_and_computes_the_checksum_once() {
    let signing = ed25519_dalek::SigningKey::from_bytes(&[3; 32]);
    let key = PublicKey::from_bytes(signing.verifying_key().to_bytes()).unwrap();
    let sign = |message: &[u8]| ed25519_dalek::Signer::sign(&signing, message).to_bytes();
    let signed = crate::write::sign_bundle(&sample(), &key, sign).unwrap();
    let parses = |load: &dyn Fn() -> Result<Bundle, LoadError>, loads: bool| {
        count::during(|| assert_eq!(load().is_ok(), loads))
    };
    // (container parses, CRC-32 computations) per load.
    assert_eq!(parses(&|| Bundle::load(&signed), true), (1, 1));
    assert_eq!(
        parses(&|| Bundle::load_verified(&signed, &[key]), true),
        (1, 1)
    );
    // A refusal by the signature check does not parse again either.
    let unsigned = sample();
    assert_eq!(
        parses(&|| Bundle::load_verified(&unsigned, &[key]), false),
        (1, 1)
    );
}

#[test]
fn a_newer_minor_version_loads() {
    let mut bytes = sample();
    bytes[6] = 7;
    reseal(&mut bytes);
    assert_eq!(Bundle::load(&bytes).unwrap().version(), (FORMAT_MAJOR, 7));
}

#[test]
fn unknown_trigger_codes_load_only_from_a_newer_minor_and_never_fire() {
    let mut bytes = write_stored(&[msg("Future")]);
    // Offset of the trigger byte in the only message (see FORMAT.md's message table).
    let at = section_offset(&bytes, SectionId::Messages) + 15;
    assert_eq!(bytes[at], 0);
    bytes[at] = 9;
    reseal(&mut bytes);
    assert_eq!(
        Bundle::load(&bytes).unwrap_err().to_string(),
        "invalid trigger event: 9"
    );
    bytes[6] = (FORMAT_MINOR + 1) as u8;
    reseal(&mut bytes);
    let bundle = Arc::new(Bundle::load(&bytes).unwrap());
    assert_eq!(bundle.messages()[0].trigger, Trigger::Other(9));
    let mut e = Engine::new(bundle, "iOS").unwrap();
    e.handle(
        0,
        Event::ScreenOpen {
            url: "/",
            title: "",
        },
    );
    assert_eq!(e.next_deadline(), None);
}

#[test]
fn a_bundle_claiming_2_pow_32_strings_is_rejected_before_allocating() {
    let mut bytes = sample_stored();
    let at = section_offset(&bytes, SectionId::Strings);
    bytes[at..at + 4].copy_from_slice(&u32::MAX.to_le_bytes());
    reseal(&mut bytes);
    assert_eq!(
        Bundle::load(&bytes).unwrap_err().to_string(),
        "too many strings: 4294967295 (the limit is 65535)"
    );
    // Within the limit but more than the bytes can hold (each length takes at least one).
    bytes[at..at + 4].copy_from_slice(&65_535u32.to_le_bytes());
    reseal(&mut bytes);
    assert!(matches!(
        Bundle::load(&bytes),
        Err(LoadError::Truncated {
            section: "strings",
            needed: 65_535,
            ..
        })
    ));
}

/// `bundle` with the section of table entry `slot` replaced by `stored`, with the given
/// encoding byte and decoded length; later sections move, the header follows.
fn with_section(
    bundle: &[u8],
    slot: usize,
    encoding: u8,
    stored: &[u8],
    decoded_len: usize,
) -> Vec<u8> {
    let count = entry_count(bundle);
    let mut entries: Vec<SectionEntry> =
        (0..count).map(|i| SectionEntry::read(bundle, i)).collect();
    let mut bodies: Vec<&[u8]> = entries
        .iter()
        .map(|e| &bundle[e.range().0..e.range().1])
        .collect();
    bodies[slot] = stored;
    entries[slot].encoding = encoding;
    entries[slot].decoded_len = decoded_len as u32;
    let mut out = bundle[..HEADER_LEN + 2].to_vec();
    let mut offset = entry_offset(count);
    for (entry, body) in entries.iter_mut().zip(&bodies) {
        entry.offset = offset as u32;
        entry.len = body.len() as u32;
        offset += body.len();
        entry.write(&mut out);
    }
    out.extend(bodies.concat());
    let total = out.len() as u32;
    out[12..16].copy_from_slice(&total.to_le_bytes());
    reseal(&mut out);
    out
}

/// An empty bundle whose string table (the first section) is `table`, stored.
fn with_string_table(table: &[u8]) -> Vec<u8> {
    let empty = BundleWriter::new().finish().unwrap();
    with_section(&empty, 0, 0, table, table.len())
}

#[test]
fn section_encodings_are_checked_before_decoding_and_deflate_errors_are_clear() {
    let good = sample_stored();
    let entry = SectionEntry::read(&good, 0);
    let strings = &good[entry.range().0..entry.range().1];
    let deflated = miniz_oxide::deflate::compress_to_vec(strings, 9);
    let err = |encoding: u8, stored: &[u8], decoded_len: usize| {
        Bundle::load(&with_section(&good, 0, encoding, stored, decoded_len))
            .unwrap_err()
            .to_string()
    };
    // The same section deflated loads and reads the same.
    let bytes = with_section(&good, 0, 1, &deflated, strings.len());
    assert_eq!(listing_of_contents(&bytes), listing_of_contents(&good));
    assert_eq!(
        err(0, strings, strings.len() + 1),
        format!(
            "invalid section table: the stored strings section is {} bytes but declares {} \
             decoded bytes",
            strings.len(),
            strings.len() + 1
        )
    );
    assert_eq!(
        err(2, strings, strings.len()),
        "invalid section table: the strings section uses encoding 2, which this VM does not \
         know (0 stored, 1 deflate)"
    );
    assert_eq!(
        err(1, &deflated, deflated.len() * 1032 + 1),
        format!(
            "invalid section table: the deflated strings section declares {} decoded bytes, \
             more than {} bytes of deflate data can hold",
            deflated.len() * 1032 + 1,
            deflated.len()
        )
    );
    assert_eq!(
        err(1, &deflated, strings.len() - 1),
        format!(
            "the deflated strings section is invalid: it decodes to more than the {} bytes \
             its entry declares",
            strings.len() - 1
        )
    );
    assert_eq!(
        err(1, &deflated, strings.len() + 1),
        format!(
            "the deflated strings section is invalid: it decodes to {} bytes, not the {} its \
             entry declares",
            strings.len(),
            strings.len() + 1
        )
    );
    let trailing = [deflated.as_slice(), b"xy"].concat();
    assert_eq!(
        err(1, &trailing, strings.len()),
        "the deflated strings section is invalid: 2 bytes follow the end of its deflate stream"
    );
    assert_eq!(
        err(1, &deflated[..deflated.len() / 2], strings.len()),
        "the deflated strings section is invalid: its deflate stream is truncated"
    );
    // Block type 3 is reserved in RFC 1951.
    assert_eq!(
        err(1, &[0x07, 0x00], strings.len()),
        "the deflated strings section is invalid: its bytes are not a valid deflate stream"
    );
}

/// A string table of `lengths` (each already encoded) followed by `data`.
fn string_table(lengths: &[&[u8]], data: &[u8]) -> Vec<u8> {
    let mut table = (lengths.len() as u32).to_le_bytes().to_vec();
    table.extend(lengths.concat());
    table.extend_from_slice(data);
    table
}

#[test]
fn string_lengths_are_minimal_varints_of_at_most_3_bytes() {
    let load = |lengths: &[&[u8]], data: &[u8]| {
        Bundle::load(&with_string_table(&string_table(lengths, data)))
    };
    let a = |n: usize| vec![b'a'; n];
    // Boundaries of one, two and three bytes, up to the longest string.
    for (encoded, len) in [
        (&[0x00][..], 0),
        (&[0x7f], 127),
        (&[0x80, 0x01], 128),
        (&[0xff, 0x7f], 16_383),
        (&[0x80, 0x80, 0x01], 16_384),
        (&[0x80, 0x80, 0x04], limits::MAX_STRING_BYTES),
    ] {
        let bundle = load(&[encoded, &[0x02]], &[a(len), b"hi".to_vec()].concat()).unwrap();
        assert_eq!(bundle.str(StrId(0)), String::from_utf8(a(len)).unwrap());
        assert_eq!(bundle.str(StrId(1)), "hi");
    }
    let err = |lengths: &[&[u8]], data: &[u8]| load(lengths, data).err().unwrap();
    // The lengths start after the table's `u32` count; the third byte is missing.
    assert_eq!(
        err(&[&[0x80, 0x80]], &[]),
        LoadError::Truncated {
            section: "strings",
            offset: 4 + 2,
            needed: 1
        }
    );
    assert_eq!(
        err(&[&[0x80, 0x80, 0x80, 0x00]], &[]).to_string(),
        "invalid string length: a varint longer than 3 bytes"
    );
    let not_minimal =
        "invalid string length: a varint not in its minimal encoding (it ends in a 0 byte)";
    assert_eq!(err(&[&[0x85, 0x00]], b"hello").to_string(), not_minimal);
    assert_eq!(err(&[&[0x80, 0x80, 0x00]], &[]).to_string(), not_minimal);
    // One byte over the limit, and the largest 3-byte value: refused before the data is read.
    for (encoded, len) in [
        (&[0x81, 0x80, 0x04], 65_537u64),
        (&[0xff, 0xff, 0x7f], 2_097_151),
    ] {
        assert_eq!(
            err(&[encoded], &[]),
            LoadError::Limit {
                what: "bytes in one string",
                count: len,
                max: limits::MAX_STRING_BYTES
            }
        );
    }
    // The data must be exactly the sum of the lengths.
    assert!(matches!(
        err(&[&[0x03]], b"hi"),
        LoadError::Truncated { needed: 3, .. }
    ));
    assert_eq!(
        err(&[&[0x01]], b"hi"),
        LoadError::TrailingBytes {
            section: "strings",
            count: 1
        }
    );
}

#[test]
fn the_writer_stores_string_lengths_as_varints() {
    let lens = [0, 127, 128, 16_383, 16_384, limits::MAX_STRING_BYTES];
    let mut w = BundleWriter::new();
    w.set_compression(false);
    for (i, &len) in lens.iter().enumerate() {
        // Distinct strings of each length (the writer deduplicates equal ones).
        let s = char::from(b'a' + i as u8).to_string().repeat(len);
        assert_eq!(w.intern(&s).unwrap(), StrId(i as u16));
    }
    let bytes = w.finish().unwrap();
    let start = section_offset(&bytes, SectionId::Strings);
    let encoded: &[u8] = &[
        0x00, 0x7f, 0x80, 0x01, 0xff, 0x7f, 0x80, 0x80, 0x01, 0x80, 0x80, 0x04,
    ];
    assert_eq!(&bytes[start + 4..start + 4 + encoded.len()], encoded);
    let bundle = Bundle::load(&bytes).unwrap();
    for (i, &len) in lens.iter().enumerate() {
        assert_eq!(bundle.str(StrId(i as u16)).len(), len);
    }
    let mut w = BundleWriter::new();
    w.intern(&"a".repeat(limits::MAX_STRING_BYTES + 1)).unwrap();
    assert!(matches!(
        w.finish(),
        Err(WriteError::Invalid(LoadError::Limit {
            what: "bytes in one string",
            ..
        }))
    ));
}

fn with_code(build_code: impl FnOnce(&mut CodeBuilder)) -> Result<Vec<u8>, WriteError> {
    let mut b = CodeBuilder::new();
    build_code(&mut b);
    write_code(b.finish()?)
}

fn code_error(build_code: impl FnOnce(&mut CodeBuilder)) -> CodeError {
    match with_code(build_code) {
        Err(WriteError::Invalid(LoadError::Code { reason, .. })) => reason,
        other => panic!("expected a code error, got {other:?}"),
    }
}

#[test]
fn the_verifier_rejects_bad_code() {
    assert_eq!(code_error(|_| {}), CodeError::Empty);
    assert_eq!(
        code_error(|b| b.emit(Instr::Const { b: true })),
        CodeError::NoFinalRet
    );
    assert_eq!(
        code_error(|b| {
            b.emit(Instr::JumpIfTrue { rel: 1 });
            b.emit(Instr::Ret);
        }),
        CodeError::JumpOutOfBounds { target: 4 }
    );
    assert_eq!(
        code_error(|b| {
            b.emit(Instr::JumpIfFalse { rel: 1 });
            b.emit(Instr::Const { b: false });
            b.emit(Instr::Ret);
        }),
        CodeError::JumpIntoInstruction { target: 4 }
    );
    assert_eq!(
        code_error(|b| {
            b.emit(Instr::UrlIs { s: StrId(999) });
            b.emit(Instr::Ret);
        }),
        CodeError::StringOutOfRange(999)
    );
    assert_eq!(
        code_error(|b| {
            b.emit(Instr::TitleHasAny { k: SetId(0) });
            b.emit(Instr::Ret);
        }),
        CodeError::SetOutOfRange(0)
    );
    let ok = with_code(|b| {
        let end = b.new_label();
        b.emit(Instr::VisitReturning);
        b.jump_if_false(end);
        b.emit(Instr::Const { b: true });
        b.bind(end);
        b.emit(Instr::Ret);
    });
    assert!(ok.is_ok());
}

#[test]
fn the_code_builder_rejects_bad_labels() {
    let mut b = CodeBuilder::new();
    let l = b.new_label();
    b.jump_if_true(l);
    assert_eq!(b.finish(), Err(WriteError::UnboundLabel));
    let mut b = CodeBuilder::new();
    let l = b.new_label();
    b.bind(l);
    b.jump_if_true(l);
    assert_eq!(b.finish(), Err(WriteError::BackwardJump));
    let mut b = CodeBuilder::new();
    let l = b.new_label();
    b.bind(l);
    b.bind(l);
    assert_eq!(b.finish(), Err(WriteError::LabelBoundTwice));
}

#[test]
fn the_verifier_rejects_bad_tables() {
    let dup = build_err(&[msg("Same"), msg("Same")]);
    assert_eq!(dup, "two messages are named \"Same\"");
    let mut bytes = write_stored(&[msg("A")]);
    // Point the message's channel at a channel that does not exist.
    let at = section_offset(&bytes, SectionId::Messages) + 3;
    bytes[at] = 5;
    reseal(&mut bytes);
    assert_eq!(
        Bundle::load(&bytes).unwrap_err().to_string(),
        "channel index 5 is out of range (there are 2)"
    );
    // The name column's only entry (the delta from string 0), then one leading before
    // string 0 and one past the last string.
    let name_at = section_offset(&bytes, SectionId::Messages) + 2;
    for (delta, error) in [
        (
            0x01,
            "invalid string reference delta (it leads before string 0): 1",
        ),
        (
            0x7e,
            "string (reached by a string reference delta) index 63 is out of range (there \
             are 12)",
        ),
    ] {
        let mut bytes = write_stored(&[msg("A")]);
        bytes[name_at] = delta;
        reseal(&mut bytes);
        assert_eq!(Bundle::load(&bytes).unwrap_err().to_string(), error);
    }
    let mut bytes = write_stored(&[]);
    // Corrupt the first byte of the embedded TZif data ("TZif" magic).
    let at = section_offset(&bytes, SectionId::Schedules) + 2 + 8;
    bytes[at] = b'X';
    reseal(&mut bytes);
    assert!(
        Bundle::load(&bytes).unwrap_err().to_string().starts_with(
            "schedule #0: the embedded time zone data for \"Europe/Paris\" is invalid"
        )
    );
}

#[test]
fn channel_limits_read_back_and_the_verifier_rejects_bad_ones() {
    let limits = ChannelLimits {
        min_interval_s: Some(30),
        max_per_visit: Some(2),
        max_per_day: Some(3),
    };
    let good = try_write_limited(&[msg("A")], false, limits).unwrap();
    let bundle = Bundle::load(&good).unwrap();
    assert_eq!(bundle.channels()[0].limits, limits);
    assert_eq!(bundle.channels()[1].limits, ChannelLimits::default());
    // Channel 0: count (2), name (2), platform, conversation control, then the flag byte.
    let flags = section_offset(&good, SectionId::Channels) + 6;
    assert_eq!(good[flags], 7);
    for (at, value, error) in [
        (flags, &[0x0f][..], "invalid channel limit flags: 15"),
        (
            flags + 1,
            &[0, 0, 0, 0][..],
            "invalid min_interval (seconds): 0",
        ),
        (flags + 5, &[0, 0][..], "invalid max_per_visit: 0"),
        (
            flags + 7,
            &1001u16.to_le_bytes()[..],
            "invalid max_per_day: 1001",
        ),
    ] {
        let mut bytes = good.clone();
        bytes[at..at + value.len()].copy_from_slice(value);
        reseal(&mut bytes);
        assert_eq!(Bundle::load(&bytes).unwrap_err().to_string(), error);
    }
    // The writer verifies what it writes.
    let zero = ChannelLimits {
        max_per_day: Some(0),
        ..ChannelLimits::default()
    };
    assert!(matches!(
        try_write_limited(&[], false, zero),
        Err(WriteError::Invalid(_))
    ));
}

#[test]
fn a_bundle_older_than_channel_limits_loads_without_limits() {
    let current = write_stored(&[msg("A")]);
    let channels = SectionEntry::read(&current, SectionId::Channels as usize - 1);
    let (start, end) = channels.range();
    // Version 4.0 channel entries end after the conversation control: drop the flag bytes
    // (no limits, so nothing follows them).
    let mut old_section = current[start..end].to_vec();
    assert_eq!(old_section[6], 0);
    old_section.remove(6);
    // Channel 1 now starts at 6: name (2), platform, conversation control, flag byte.
    assert_eq!(old_section[8], Platform::Android.byte());
    assert_eq!(old_section[10], 0);
    old_section.remove(10);
    let mut old = with_section(
        &current,
        SectionId::Channels as usize - 1,
        0,
        &old_section,
        old_section.len(),
    );
    old[6..8].copy_from_slice(&0u16.to_le_bytes());
    reseal(&mut old);
    let bundle = Bundle::load(&old).unwrap();
    assert_eq!(bundle.version(), (FORMAT_MAJOR, 0));
    assert_eq!(bundle.channels().len(), 2);
    assert_eq!(bundle.channels()[0].limits, ChannelLimits::default());
    assert_eq!(bundle.channels()[1].platform, Platform::Android);
    assert!(Bundle::load(&current).is_ok());
}

fn build_err(messages: &[Msg]) -> String {
    match try_write(messages, true) {
        Err(WriteError::Invalid(e)) => e.to_string(),
        other => panic!("expected an invalid bundle, got {other:?}"),
    }
}

#[test]
fn every_truncation_is_rejected() {
    for bytes in [sample(), sample_stored()] {
        every_truncation_of(&bytes);
    }
}

fn every_truncation_of(bytes: &[u8]) {
    for cut in 0..bytes.len() {
        assert!(Bundle::load(&bytes[..cut]).is_err(), "{cut}");
    }
    // Even with the header's length and checksum patched to match.
    for cut in HEADER_LEN..bytes.len() {
        let mut short = bytes[..cut].to_vec();
        short[12..16].copy_from_slice(&(cut as u32).to_le_bytes());
        reseal(&mut short);
        exercise_bytes(&short);
    }
}

#[test]
fn every_single_byte_change_is_rejected_or_harmless() {
    for bytes in [sample(), sample_stored()] {
        every_single_byte_change_of(&bytes);
    }
}

fn every_single_byte_change_of(bytes: &[u8]) {
    let mut loaded = 0;
    for at in 0..bytes.len() {
        // Without fixing the checksum every change is caught.
        let mut flipped = bytes.to_vec();
        flipped[at] ^= 0xff;
        assert!(Bundle::load(&flipped).is_err(), "{at}");
        // With the checksum fixed, the verifier proper is exercised.
        let values = [
            0x00,
            0xff,
            bytes[at] ^ 0x01,
            bytes[at] ^ 0x80,
            bytes[at].wrapping_add(1),
        ];
        for value in values {
            let mut changed = bytes.to_vec();
            changed[at] = value;
            if !(8..12).contains(&at) {
                reseal(&mut changed);
            }
            if Bundle::load(&changed).is_ok() {
                loaded += 1;
            }
            exercise_bytes(&changed);
        }
    }
    // Some changes (string contents, priorities, dwell times) are valid bundles.
    assert!(loaded > 0);
}

proptest! {
    #[test]
    fn random_bytes_never_panic(bytes in prop::collection::vec(any::<u8>(), 0..512)) {
        exercise_bytes(&bytes);
    }

    #[test]
    fn random_bodies_behind_a_valid_header_never_panic(body in prop::collection::vec(any::<u8>(), 0..512)) {
        let mut bytes = Vec::new();
        bytes.extend_from_slice(&MAGIC);
        bytes.extend_from_slice(&FORMAT_MAJOR.to_le_bytes());
        bytes.extend_from_slice(&FORMAT_MINOR.to_le_bytes());
        bytes.extend_from_slice(&[0; 4]);
        bytes.extend_from_slice(&((body.len() + HEADER_LEN) as u32).to_le_bytes());
        bytes.extend_from_slice(&body);
        reseal(&mut bytes);
        exercise_bytes(&bytes);
    }

    #[test]
    fn random_mutations_of_a_valid_bundle_never_panic(
        changes in prop::collection::vec((any::<prop::sample::Index>(), any::<u8>()), 1..8),
        stored in any::<bool>(),
    ) {
        let mut bytes = if stored { sample_stored() } else { sample() };
        for (at, value) in changes {
            let at = at.index(bytes.len() - 12) + 12;
            bytes[at] = value;
        }
        reseal(&mut bytes);
        exercise_bytes(&bytes);
    }

    #[test]
    fn the_vm_agrees_with_the_reference_evaluator(
        cond in arb_cond(),
        url in prop_oneof![Just("https://acme.com/PRICING"), Just("/plans/é"), Just("/checkout"), Just("")],
        title in prop_oneof![Just("Pricing"), Just("Checkout É"), Just("")],
        lang in prop_oneof![Just("fr"), Just("FR_ca"), Just("de-DE"), Just("pt-br"), Just("en")],
        returning in any::<bool>(),
    ) {
        // The second message shares every test with the first, so evaluating both in one
        // `Evaluation` answers the first's tests from the memo.
        let negated = Cond::Not(Box::new(cond.clone()));
        let bundle = build(&[Msg { cond: cond.clone(), ..msg("M") }, Msg { cond: negated, ..msg("N") }]);
        let ctx = context(url, title, lang, returning);
        let expected = reference(&cond, url, title, lang, returning);
        prop_assert_eq!(bundle.eval(0, &ctx), expected);
        let explanation = bundle.explain(0, &ctx);
        prop_assert_eq!(explanation.result, expected);
        prop_assert!(explanation.deciding.is_some());
        let mut evaluation = bundle.evaluation(&ctx);
        prop_assert_eq!(evaluation.eval(1), !expected);
        prop_assert_eq!(evaluation.explain(0), explanation);
        prop_assert_eq!(evaluation.explain(1).deciding, explanation.deciding);
    }
}

#[test]
fn explain_names_the_deciding_test() {
    let bundle = build(&[Msg {
        cond: Cond::And(
            Box::new(Cond::UrlHasAny(vec!["pricing".into()])),
            Box::new(Cond::Not(Box::new(Cond::TitleHasAny(vec![
                "checkout".into(),
            ])))),
        ),
        ..msg("M")
    }]);
    let ctx = context("/pricing", "Checkout", "", false);
    let x = bundle.explain(0, &ctx);
    assert!(!x.result);
    assert!(x.test_value);
    let (pc, instr) = x.deciding.unwrap();
    assert_eq!((pc, instr.opcode()), (6, crate::Opcode::TitleHasAny));
    assert_eq!(
        crate::format_instr(&bundle, pc, instr),
        "TITLE_HAS_ANY set#1 [\"checkout\"]"
    );
    let x = bundle.explain(0, &context("/home", "", "", false));
    assert_eq!(x.deciding.map(|(pc, _)| pc), Some(0));
}
