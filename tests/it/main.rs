//! One integration-test binary, a module per area.

mod support;

/// Batches: all or nothing, upserts, idempotent re-import, undo.
mod batches;
/// PDF briefs through the `vetta brief` command.
mod briefs;
/// The `vetta` binary: commands, output and exit codes.
mod cli;
/// The risk engine end to end: scores, scenarios, sensitivity, SMAA, AHP, exports.
mod engine;
/// Rows entered by hand: the import's rules and locations, one batch each, edits and undo.
mod entry;
/// Hostile free text round-trips byte for byte.
mod hostile;
/// Every cell, row and file rule of data-formats.md v1.2.
mod import_rules;
/// The store: migrations from empty, the schema matching the import tables, FTS5, the demo seed.
mod store;
