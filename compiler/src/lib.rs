//! The `pmc` compiler library.
