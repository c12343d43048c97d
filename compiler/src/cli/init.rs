//! `pmc init`: a first bundle (account, message and rule test) that checks and passes.

use std::path::Path;
use std::process::ExitCode;

use pmc::fs;

use super::shown;

const INIT_ACCOUNT: &str = r#"# The account: brands, channels, business-hours schedules and AI agents.
# See docs/language.md for every key.

[[brands]]
name = "My Brand"

[[channels]]
name = "My App iOS"
brand = "My Brand"
platform = "ios"                    # ios | android | unity
conversation_control = "release"    # release | keep
schedules = ["Support hours"]

[[schedules]]
name = "Support hours"
timezone = "Europe/Paris"
holidays = []
[schedules.hours]
mon = ["09:00-17:00"]
tue = ["09:00-17:00"]
wed = ["09:00-17:00"]
thu = ["09:00-17:00"]
fri = ["09:00-17:00"]
"#;

const INIT_MESSAGE: &str = r#"// A first proactive message: greet people who stay on the pricing screen.

message "Pricing help" {
    channel "My App iOS"
    say "Hi there! Questions about our plans?"
    respond agent {
        follow_up "Let me connect you with our team."
        collect name, email
    }
    when visitor.page_url contains ["pricing", "plans"]
    after screen_open 30s
    send during business_hours "Support hours"
    frequency once_per_visit
}
"#;

/// The first test `pmc init` writes.
const INIT_TEST_FILE: &str = "welcome.pmtest.json";

/// A first rule test of [`INIT_MESSAGE`]: on Monday 2026-11-23 at 10:00 in Paris (support
/// hours), a visitor on the pricing screen gets the message after 30 s; on the home screen
/// nobody does, so the comparison is seen both true and false.
const INIT_TEST: &str = r#"{
  "name": "A visitor who stays on the pricing screen is offered help",
  "channel": "My App iOS",
  "device": { "language": "en-US" },
  "start": "2026-11-23T09:00:00Z",
  "events": [
    { "t": 0, "type": "app_launch" },
    { "t": 1, "type": "screen_open", "url": "https://example.com/pricing", "title": "Pricing" },
    { "t": 40, "type": "screen_open", "url": "https://example.com/home", "title": "Home" }
  ],
  "until": 80,
  "expect": {
    "deliveries": [ { "t": 31, "message": "Pricing help" } ]
  }
}
"#;

pub(crate) fn init(dir: &Path) -> Result<ExitCode, String> {
    let here = dir == Path::new(".");
    // `./account.toml` reads worse than `account.toml`.
    let named = |name: &str| {
        if here {
            name.to_string()
        } else {
            shown(&dir.join(name))
        }
    };
    let account = dir.join(fs::ACCOUNT_FILE);
    if account.exists() {
        return Err(format!(
            "{} already exists; pmc init never replaces a file",
            named(fs::ACCOUNT_FILE)
        ));
    }
    std::fs::create_dir_all(dir).map_err(|e| format!("cannot create {}: {e}", dir.display()))?;
    fs::write_atomically(&account, INIT_ACCOUNT.as_bytes())?;
    let message = dir.join("welcome.pm");
    let kept = message.exists();
    let test = dir.join(INIT_TEST_FILE);
    if !kept {
        fs::write_atomically(&message, INIT_MESSAGE.as_bytes())?;
        // The test is of the message written here; an existing test file is kept too.
        if !test.exists() {
            fs::write_atomically(&test, INIT_TEST.as_bytes())?;
        }
    }
    let next = if here {
        "pmc check".to_string()
    } else {
        format!("pmc check {}", shown(dir))
    };
    let (account, message, test) = (
        named(fs::ACCOUNT_FILE),
        named("welcome.pm"),
        named(INIT_TEST_FILE),
    );
    if kept {
        eprintln!(
            "created {account}; kept the existing {message}, unchanged (its messages may name \
             channels the new account lacks); next: {next}"
        );
    } else {
        eprintln!(
            "created {account}, {message} and its test {test}; next: {next}, then {}",
            next.replacen("check", "test", 1)
        );
    }
    Ok(ExitCode::SUCCESS)
}
