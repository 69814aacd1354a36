//! One integration-test binary, a module per area.

mod support;

/// Batches: all or nothing, upserts, idempotent re-import, undo.
mod batches;
/// PDF briefs through the `vetta brief` command.
mod briefs;
/// Signed bundles: keys, trust, create, verify, import; tampered, unknown and unsigned refused.
mod bundles;
/// What changed between two states of the store or two dates.
mod changes;
/// The `vetta` binary: commands, output and exit codes.
mod cli;
/// docs/import.md: its worked examples import.
mod docs;
/// The risk engine end to end: scores, scenarios, sensitivity, SMAA, AHP, exports.
mod engine;
/// Rows entered by hand: the import's rules and locations, one batch each, edits and undo.
mod entry;
/// Hostile free text round-trips byte for byte.
mod hostile;
/// Every cell, row and file rule of data-formats.md v1.2.
mod import_rules;
/// What data-formats.md v1.3 adds: ranges, control ties, programs, identifiers, aliases, links, dump.
mod import_v13;
/// Ledgers through polars (plain CSV, Parquet) and the streaming reader: the same facts.
mod ledgers;
/// Published files (open-formats.md): detection, staging, the report, mixing with tables.
mod published;
/// Screening: candidates between the book and other sources, link decisions, suppression.
mod screening;
/// The store: migrations from empty, the schema matching the import tables, FTS5, the demo seed.
mod store;
/// The team store on PostgreSQL: both engines agree, roles, concurrent analysts.
mod team;
