//! The unit tests of the bundle writer (`write.rs`).

use super::*;
use crate::section;
use crate::testkit::{listing_of_contents, paris_schedule, sample};
use crate::{CodeError, Context};

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

/// A bundle of one message whose condition is `URL_MATCHES` of `a*b` over bytes (classes:
/// other, `a`, `b`; states: dead, start and after `a`s, after the `b`).
fn bundle_with_an_automaton() -> Vec<u8> {
    let mut classes = [0u8; 256];
    classes[usize::from(b'a')] = 1;
    classes[usize::from(b'b')] = 2;
    let table = vec![0, 0, 0, 0, 1, 2, 0, 0, 0];
    let automaton = Automaton::new(classes, 3, 1, table, &[false, false, true]).unwrap();
    let mut w = BundleWriter::new();
    w.set_compression(false);
    w.add_channel(&ChannelSpec {
        name: "iOS".into(),
        platform: Platform::Ios,
        conversation_control: ConversationControl::Release,
        limits: Default::default(),
    })
    .unwrap();
    let mut code = CodeBuilder::new();
    let a = w.automaton("a*b", &automaton).unwrap();
    assert_eq!(w.automaton("a*b", &automaton).unwrap(), a, "stored once");
    code.emit(Instr::UrlMatches { a });
    code.emit(Instr::Ret);
    w.add_message(&MessageSpec {
        name: "Matches".into(),
        channel: 0,
        brand: "Acme".into(),
        say: "Hello".into(),
        response: ResponseSpec::Agent {
            follow_up: "Connecting you.".into(),
            collect: Collect::default(),
        },
        tags: Vec::new(),
        send: SendMode::Anytime,
        frequency: Frequency::EveryTime,
        priority: 0,
        status: Status::Published,
        trigger: Trigger::ScreenOpen,
        dwell_ms: 0,
        code: code.finish().unwrap(),
    })
    .unwrap();
    w.finish().unwrap()
}

#[test]
fn automata_are_written_loaded_and_matched() {
    let bytes = bundle_with_an_automaton();
    let bundle = Bundle::load(&bytes).unwrap();
    assert_eq!(bundle.version(), (FORMAT_MAJOR, FORMAT_MINOR));
    assert_eq!(bundle.automata().len(), 1);
    assert_eq!(bundle.str(bundle.automata()[0].0), "a*b");
    for (url, expected) in [
        ("b", true),
        ("aaab", true),
        ("AAB", true),
        ("ab/", false),
        ("", false),
    ] {
        let mut ctx = Context::new();
        ctx.set_url(url);
        assert_eq!(bundle.eval(0, &ctx), expected, "{url:?}");
    }
    assert!(crate::disasm(&bundle).contains("URL_MATCHES re#0 \"a*b\""));
}

#[test]
fn a_damaged_automata_section_or_operand_is_refused() {
    let good = bundle_with_an_automaton();
    let sections = section::read_sections(&good).unwrap();
    let automata = sections[SectionId::ALL.len()];
    assert_eq!(automata.id, SectionId::Automata);
    let start = automata.offset as usize;
    // Any byte of the section changed to anything: refused or loaded, never a panic; and
    // every change of a count, id or table cell that leaves the range is refused.
    for at in start..start + automata.stored_len as usize {
        for byte in [0, 1, 2, 3, 0x7f, 0xff] {
            let mut bytes = good.clone();
            bytes[at] = byte;
            crate::container::reseal(&mut bytes);
            let _ = Bundle::load(&bytes);
        }
    }
    let with = |at: usize, byte: u8| {
        let mut bytes = good.clone();
        bytes[at] = byte;
        crate::container::reseal(&mut bytes);
        Bundle::load(&bytes)
    };
    // The automaton count, the pattern string, a cell out of range.
    assert!(with(start, 2).is_err());
    assert!(with(start + 2, 0xff).is_err());
    assert!(with(start + 2 + 262 + 2 * 4, 9).is_err());
    // The operand of URL_MATCHES past the automata.
    let code = sections[SectionId::Code as usize - 1].offset as usize;
    assert!(matches!(
        with(code + 1, 1),
        Err(LoadError::Code {
            reason: CodeError::AutomatonOutOfRange(1),
            ..
        })
    ));
    // Every truncation of the bundle is refused.
    for len in 0..good.len() {
        assert!(Bundle::load(&good[..len]).is_err());
    }
}
