//! The unit tests of the bundle writer (`write.rs`).

use super::*;
use crate::section;
use crate::testkit::{listing_of_contents, paris_schedule, sample};

/// The decoded bytes of section `id` of a bundle.
fn section_bytes(bundle: &[u8], id: SectionId) -> Vec<u8> {
    let sections = section::read_sections(bundle).unwrap();
    section::decode(bundle, &sections[id as usize - 1])
        .unwrap()
        .into_owned()
}

#[test]
fn the_message_table_is_written_as_format_md_shows_it() {
    let mut w = BundleWriter::new();
    w.add_channel(&ChannelSpec {
        name: "iOS".into(),
        platform: Platform::Ios,
        conversation_control: ConversationControl::Release,
        limits: Default::default(),
    })
    .unwrap();
    w.add_schedule(&paris_schedule()).unwrap();
    // Strings 0-2 are the channel and schedule names and the zone; 3-7 fill up to 8.
    for filler in ["a", "b", "c", "d", "e"] {
        w.intern(filler).unwrap();
    }
    let mut code = CodeBuilder::new();
    code.emit(Instr::VisitReturning);
    code.emit(Instr::Ret);
    w.add_message(&MessageSpec {
        name: "Pricing help".into(),
        channel: 0,
        brand: "Acme".into(),
        say: "Hello".into(),
        response: ResponseSpec::Agent {
            follow_up: "Connecting you.".into(),
            collect: Collect {
                name: true,
                email: true,
            },
        },
        tags: vec!["pricing".into(), "web".into()],
        send: SendMode::During(0),
        frequency: Frequency::OncePerVisit,
        priority: 0,
        status: Status::Published,
        trigger: Trigger::ScreenOpen,
        dwell_ms: 5_000,
        code: code.finish().unwrap(),
    })
    .unwrap();
    let bundle = w.finish().unwrap();
    assert_eq!(
        section_bytes(&bundle, SectionId::Messages),
        [
            0x01, 0x00, 0x10, 0x00, 0x12, 0x14, 0x00, 0x16, 0x03, 0x02, 0x18, 0x02, 0x01, 0x00,
            0x01, 0x00, 0x00, 0x00, 0x88, 0x27, 0x02,
        ]
    );
    let loaded = Bundle::load(&bundle).unwrap();
    let m = &loaded.messages()[0];
    assert_eq!(loaded.str(m.name), "Pricing help");
    assert_eq!(
        m.tags.iter().map(|&t| loaded.str(t)).collect::<Vec<_>>(),
        ["pricing", "web"]
    );
    assert_eq!((m.send, m.dwell_ms), (SendMode::During(0), 5_000));
}

#[test]
fn sections_are_deflated_only_when_that_makes_them_smaller() {
    let sections = |bytes: &[u8]| Bundle::load(bytes).unwrap().sections().to_vec();
    let compressed = sample();
    // The sample's TZif data and tables shrink; every section stored is one that would not.
    assert!(
        sections(&compressed)
            .iter()
            .any(|s| s.encoding == Encoding::Deflate && s.stored_len < s.decoded_len)
    );
    for info in sections(&compressed) {
        let body = &section::decode(&compressed, &info).unwrap();
        let deflated = miniz_oxide::deflate::compress_to_vec(body, 9);
        let expected = if deflated.len() < body.len() {
            Encoding::Deflate
        } else {
            Encoding::Stored
        };
        assert_eq!(info.encoding, expected, "{:?}", info.id);
    }
    // An empty bundle's sections are a few bytes each: deflating would only add to them.
    let empty = BundleWriter::new().finish().unwrap();
    assert!(
        sections(&empty)
            .iter()
            .all(|s| s.encoding == Encoding::Stored && s.stored_len == s.decoded_len)
    );
    // Compressed or not, the same bundle loads: the listings agree after their header and
    // section lines.
    let stored = crate::testkit::sample_stored();
    assert!(compressed.len() < stored.len());
    assert!(
        sections(&stored)
            .iter()
            .all(|s| s.encoding == Encoding::Stored)
    );
    assert_eq!(
        listing_of_contents(&compressed),
        listing_of_contents(&stored)
    );
}

#[test]
fn the_same_calls_give_identical_bytes() {
    assert_eq!(sample(), sample());
}

#[test]
fn strings_and_sets_are_deduplicated_and_needles_normalized() {
    let mut w = BundleWriter::new();
    let a = w.intern("Pricing").unwrap();
    assert_eq!(w.intern("Pricing").unwrap(), a);
    let needle = w.intern_needle("PRICING").unwrap();
    assert_ne!(needle, a);
    assert_eq!(w.intern("pricing").unwrap(), needle);
    assert_eq!(
        w.intern_language("pt_BR").unwrap(),
        w.intern("pt-br").unwrap()
    );
    let set = w.needle_set(&["Plans", "pricing"]).unwrap();
    assert_eq!(w.needle_set(&["plans", "PRICING"]).unwrap(), set);
    assert_ne!(w.needle_set(&["pricing", "plans"]).unwrap(), set);
    let bundle = Bundle::load(&w.finish().unwrap()).unwrap();
    assert_eq!(bundle.string_count(), 4);
    assert_eq!(bundle.str(needle), "pricing");
    assert_eq!(bundle.string_set_count(), 2);
}

#[test]
fn limits_are_enforced_while_writing() {
    let mut w = BundleWriter::new();
    for i in 0..limits::MAX_STRINGS {
        w.intern(&i.to_string()).unwrap();
    }
    assert_eq!(
        w.intern("one too many"),
        Err(WriteError::TooMany {
            what: "strings",
            max: limits::MAX_STRINGS
        })
    );
    let too_many_tags = MessageSpec {
        name: "M".into(),
        channel: 0,
        brand: "B".into(),
        say: "S".into(),
        response: ResponseSpec::Agent {
            follow_up: "F".into(),
            collect: Collect::default(),
        },
        tags: vec!["t".into(); limits::MAX_TAGS + 1],
        send: SendMode::Anytime,
        frequency: Frequency::EveryTime,
        priority: 0,
        status: Status::Published,
        trigger: Trigger::ScreenOpen,
        dwell_ms: 0,
        code: Code::default(),
    };
    assert!(matches!(
        BundleWriter::new().add_message(&too_many_tags),
        Err(WriteError::TooMany { what: "tags", .. })
    ));
}
