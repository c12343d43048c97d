//! `pmc` command line.
fn main() {}
