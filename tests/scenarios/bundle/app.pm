// App version and build comparisons (docs/language.md, "App version and build"): each
// message on its own URL, so that only the app-version scenarios reach them.

message "New saved carts" {
    channel "Shop iOS"
    say "New saved carts."
    respond agent {
        follow_up "One moment."
    }
    when visitor.page_url contains "/app-version-ge" and app.version >= "5.2"
    after screen_open
    frequency every_time
}

message "Beta testers" {
    channel "Shop iOS"
    say "Beta testers."
    respond agent {
        follow_up "One moment."
    }
    when visitor.page_url contains "/app-version-below" and app.version < "5.2.0"
    after screen_open
    frequency every_time
}

message "Exact version" {
    channel "Shop iOS"
    say "Exact version."
    respond agent {
        follow_up "One moment."
    }
    when visitor.page_url contains "/app-version-is" and app.version is "5.2.0"
    after screen_open
    frequency every_time
}

message "Other versions" {
    channel "Shop iOS"
    say "Other versions."
    respond agent {
        follow_up "One moment."
    }
    when visitor.page_url contains "/app-version-not" and app.version is not "5.2"
    after screen_open
    frequency every_time
}

message "Old build" {
    channel "Shop iOS"
    say "Old build."
    respond agent {
        follow_up "One moment."
    }
    when visitor.page_url contains "/app-build-below" and app.build < 5210
    after screen_open
    frequency every_time
}

message "Recent build" {
    channel "Shop iOS"
    say "Recent build."
    respond agent {
        follow_up "One moment."
    }
    when visitor.page_url contains "/app-build-at-least" and app.build >= 5210
    after screen_open
    frequency every_time
}