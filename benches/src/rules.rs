//! The rules every engine evaluates, and their spelling in each engine's language.
//!
//! This file depends on `std` only: `build.rs` includes it to generate the native Rust
//! closures of the 140-message bundle, and `lib.rs` includes it for everything else, so both
//! see exactly the same conditions.

/// A condition over the context (the model of the `.pm` language's `when` clause).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Cond {
    /// `visitor.page_url contains [..]` (any of the needles, lower case).
    UrlHas(Vec<String>),
    /// `visitor.page_title contains [..]`.
    TitleHas(Vec<String>),
    /// `visitor.page_url is ".."`.
    UrlIs(String),
    /// `visitor.page_title is ".."`.
    TitleIs(String),
    /// `device.language is ".."` (RFC 4647 basic filtering).
    Lang(String),
    /// `visitor.visit_history is returning`.
    Returning,
    /// Negation.
    Not(Box<Cond>),
    /// Conjunction.
    And(Vec<Cond>),
    /// Disjunction.
    Or(Vec<Cond>),
}

/// The pricing rule of the language guide's first example.
pub fn pricing_rule() -> Cond {
    Cond::And(vec![
        Cond::UrlHas(vec!["pricing".into(), "plans".into()]),
        Cond::Or(vec![Cond::Lang("fr".into()), Cond::Lang("de".into())]),
        Cond::Returning,
        Cond::Not(Box::new(Cond::TitleHas(vec!["checkout".into()]))),
    ])
}

/// The pricing rule exactly as the issue writes it, in `.pm` syntax.
pub const PRICING_PM: &str = "visitor.page_url contains [\"pricing\",\"plans\"] and (device.language is \"fr\" or device.language is \"de\") and visitor.visit_history is returning and visitor.page_title not contains [\"checkout\"]";

const URL_NEEDLES: &[&str] = &[
    "pricing",
    "plans",
    "/cart",
    "/checkout",
    "/orders",
    "/help",
    "/contact",
    "/blog",
    "/account",
    "/search",
    "/product/",
    "/bookings/",
    "sale",
    "promo",
    "/returns",
    "/docs",
];
const TITLE_NEEDLES: &[&str] = &[
    "pricing", "checkout", "cart", "help", "order", "refund", "baggage", "support", "welcome",
    "team", "sale", "faq",
];
const URLS: &[&str] = &[
    "home",
    "settings",
    "https://acme.com/pricing/enterprise",
    "https://acme.com/",
    "https://acme.com/cart",
];
const TITLES: &[&str] = &["home", "checkout", "my account", "team plans — acme"];
const LANGS: &[&str] = &["fr", "de", "en", "es", "it", "nl", "ja", "pt"];

/// A small deterministic generator (xorshift64*), so every build sees the same bundle.
pub struct Rng(u64);

impl Rng {
    /// A generator from a seed.
    pub fn new(seed: u64) -> Rng {
        Rng(seed | 1)
    }
    /// The next number below `n`.
    pub fn below(&mut self, n: usize) -> usize {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        (self.0.wrapping_mul(0x2545_F491_4F6C_DD1D) >> 33) as usize % n
    }
    fn pick<'a>(&mut self, list: &[&'a str]) -> &'a str {
        list[self.below(list.len())]
    }
    fn needles(&mut self, list: &[&str]) -> Vec<String> {
        let n = 1 + self.below(3);
        let mut out: Vec<String> = Vec::new();
        while out.len() < n {
            let s = self.pick(list).to_string();
            if !out.contains(&s) {
                out.push(s);
            }
        }
        out
    }
}

/// One test of kind `kind` (0..6), sometimes negated or widened to an `or`.
fn leaf(rng: &mut Rng, kind: usize) -> Cond {
    let c = match kind {
        0 => Cond::UrlHas(rng.needles(URL_NEEDLES)),
        1 => Cond::TitleHas(rng.needles(TITLE_NEEDLES)),
        2 => Cond::UrlIs(rng.pick(URLS).into()),
        3 => Cond::TitleIs(rng.pick(TITLES).into()),
        4 => {
            let a = rng.pick(LANGS);
            let b = rng.pick(LANGS);
            if a == b || rng.below(2) == 0 {
                Cond::Lang(a.into())
            } else {
                Cond::Or(vec![Cond::Lang(a.into()), Cond::Lang(b.into())])
            }
        }
        _ => Cond::Returning,
    };
    match (&c, rng.below(4)) {
        (Cond::Or(_), _) => c,
        (_, 0) => Cond::Not(Box::new(c)),
        _ => c,
    }
}

/// The condition of generated message `i`: one to four tests on distinct fields under `and`,
/// sometimes an `or` of two such groups, so no condition is constant (the compiler would
/// fold it) and the shapes vary.
pub fn generated_rule(rng: &mut Rng) -> Cond {
    let group = |rng: &mut Rng| {
        let mut kinds = vec![0, 0, 0, 1, 1, 2, 3, 4, 4, 5, 5];
        let n = 1 + rng.below(4);
        let mut tests = Vec::new();
        for _ in 0..n {
            let k = kinds[rng.below(kinds.len())];
            kinds.retain(|&x| x != k);
            tests.push(leaf(rng, k));
            if kinds.is_empty() {
                break;
            }
        }
        if tests.len() == 1 {
            tests.pop().unwrap()
        } else {
            Cond::And(tests)
        }
    };
    if rng.below(5) == 0 {
        Cond::Or(vec![group(rng), group(rng)])
    } else {
        group(rng)
    }
}

/// The 140 conditions of the generated bundle: the pricing rule first, then generated ones.
pub fn generated_rules(count: usize) -> Vec<Cond> {
    let mut rng = Rng::new(0x5EED_0140);
    let mut out = vec![pricing_rule()];
    while out.len() < count {
        out.push(generated_rule(&mut rng));
    }
    out
}

fn quote(s: &str) -> String {
    format!("{s:?}")
}

fn list(items: &[String]) -> String {
    let q: Vec<String> = items.iter().map(|s| quote(s)).collect();
    format!("[{}]", q.join(", "))
}

fn is_compound(c: &Cond) -> bool {
    matches!(c, Cond::And(_) | Cond::Or(_))
}

impl Cond {
    /// The condition in `.pm` syntax.
    pub fn to_pm(&self) -> String {
        let group = |c: &Cond| {
            if is_compound(c) {
                format!("({})", c.to_pm())
            } else {
                c.to_pm()
            }
        };
        match self {
            Cond::UrlHas(n) => format!("visitor.page_url contains {}", list(n)),
            Cond::TitleHas(n) => format!("visitor.page_title contains {}", list(n)),
            Cond::UrlIs(s) => format!("visitor.page_url is {}", quote(s)),
            Cond::TitleIs(s) => format!("visitor.page_title is {}", quote(s)),
            Cond::Lang(s) => format!("device.language is {}", quote(s)),
            Cond::Returning => "visitor.visit_history is returning".into(),
            Cond::Not(c) => match &**c {
                Cond::UrlHas(n) => format!("visitor.page_url not contains {}", list(n)),
                Cond::TitleHas(n) => format!("visitor.page_title not contains {}", list(n)),
                Cond::UrlIs(s) => format!("visitor.page_url is not {}", quote(s)),
                Cond::TitleIs(s) => format!("visitor.page_title is not {}", quote(s)),
                Cond::Returning => "visitor.visit_history is new".into(),
                other => format!("not ({})", other.to_pm()),
            },
            Cond::And(cs) => cs.iter().map(group).collect::<Vec<_>>().join(" and "),
            Cond::Or(cs) => cs.iter().map(group).collect::<Vec<_>>().join(" or "),
        }
    }

    /// A Rust expression over `u`, `t`, `l` (`&str`, normalized) and `r` (`bool`); with
    /// `finders`, `contains` tests call `f[i].find(..)` on prepared `memmem` finders whose
    /// needles are pushed to `needles`.
    pub fn to_rust(&self, mut needles: Option<&mut Vec<String>>) -> String {
        let has = |var: &str, n: &[String], needles: &mut Option<&mut Vec<String>>| {
            let tests: Vec<String> = n
                .iter()
                .map(|s| match needles {
                    Some(list) => {
                        list.push(s.clone());
                        format!("f[{}].find({var}.as_bytes()).is_some()", list.len() - 1)
                    }
                    None => format!("{var}.contains({})", quote(s)),
                })
                .collect();
            format!("({})", tests.join(" || "))
        };
        match self {
            Cond::UrlHas(n) => has("u", n, &mut needles),
            Cond::TitleHas(n) => has("t", n, &mut needles),
            Cond::UrlIs(s) => format!("(u == {})", quote(s)),
            Cond::TitleIs(s) => format!("(t == {})", quote(s)),
            Cond::Lang(s) => format!("lang_is(l, {})", quote(s)),
            Cond::Returning => "r".into(),
            Cond::Not(c) => format!("!{}", c.to_rust(needles)),
            Cond::And(cs) => {
                let parts: Vec<String> = cs
                    .iter()
                    .map(|c| c.to_rust(needles.as_deref_mut()))
                    .collect();
                format!("({})", parts.join(" && "))
            }
            Cond::Or(cs) => {
                let parts: Vec<String> = cs
                    .iter()
                    .map(|c| c.to_rust(needles.as_deref_mut()))
                    .collect();
                format!("({})", parts.join(" || "))
            }
        }
    }

    /// The condition in CEL (variables `url`, `title`, `lang`, `returning`).
    pub fn to_cel(&self) -> String {
        self.to_c_like("startsWith")
    }

    /// The condition in Rhai (same variables).
    pub fn to_rhai(&self) -> String {
        self.to_c_like("starts_with")
    }

    fn to_c_like(&self, starts_with: &str) -> String {
        let has = |var: &str, n: &[String]| {
            let t: Vec<String> = n
                .iter()
                .map(|s| format!("{var}.contains({})", quote(s)))
                .collect();
            format!("({})", t.join(" || "))
        };
        match self {
            Cond::UrlHas(n) => has("url", n),
            Cond::TitleHas(n) => has("title", n),
            Cond::UrlIs(s) => format!("(url == {})", quote(s)),
            Cond::TitleIs(s) => format!("(title == {})", quote(s)),
            Cond::Lang(s) => format!(
                "(lang == {} || lang.{starts_with}({}))",
                quote(s),
                quote(&format!("{s}-"))
            ),
            Cond::Returning => "returning".into(),
            Cond::Not(c) => format!("!{}", c.to_c_like(starts_with)),
            Cond::And(cs) => {
                let p: Vec<String> = cs.iter().map(|c| c.to_c_like(starts_with)).collect();
                format!("({})", p.join(" && "))
            }
            Cond::Or(cs) => {
                let p: Vec<String> = cs.iter().map(|c| c.to_c_like(starts_with)).collect();
                format!("({})", p.join(" || "))
            }
        }
    }

    /// The condition as JSON Logic (minified JSON text; `starts_with` is datalogic-rs's
    /// `ext-string` operator).
    pub fn to_json_logic(&self) -> String {
        let has = |var: &str, n: &[String]| {
            let t: Vec<String> = n
                .iter()
                .map(|s| format!("{{\"in\":[{},{{\"var\":\"{var}\"}}]}}", quote(s)))
                .collect();
            if t.len() == 1 {
                t[0].clone()
            } else {
                format!("{{\"or\":[{}]}}", t.join(","))
            }
        };
        match self {
            Cond::UrlHas(n) => has("url", n),
            Cond::TitleHas(n) => has("title", n),
            Cond::UrlIs(s) => format!("{{\"==\":[{{\"var\":\"url\"}},{}]}}", quote(s)),
            Cond::TitleIs(s) => format!("{{\"==\":[{{\"var\":\"title\"}},{}]}}", quote(s)),
            Cond::Lang(s) => format!(
                "{{\"or\":[{{\"==\":[{{\"var\":\"lang\"}},{}]}},{{\"starts_with\":[{{\"var\":\"lang\"}},{}]}}]}}",
                quote(s),
                quote(&format!("{s}-"))
            ),
            Cond::Returning => "{\"var\":\"returning\"}".into(),
            Cond::Not(c) => format!("{{\"!\":[{}]}}", c.to_json_logic()),
            Cond::And(cs) => {
                let p: Vec<String> = cs.iter().map(Cond::to_json_logic).collect();
                format!("{{\"and\":[{}]}}", p.join(","))
            }
            Cond::Or(cs) => {
                let p: Vec<String> = cs.iter().map(Cond::to_json_logic).collect();
                format!("{{\"or\":[{}]}}", p.join(","))
            }
        }
    }
}
