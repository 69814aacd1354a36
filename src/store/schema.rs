//! Versioned migrations. `PRAGMA user_version` is the number of migrations applied; each runs once,
//! in order, inside one transaction. Never edit a released migration: add the next one.

pub const MIGRATIONS: &[&str] = &[
    // 1: facts, batches with their undo journal, scenarios, settings.
    r#"
CREATE TABLE batches (
    batch_id   INTEGER PRIMARY KEY,
    created_at TEXT NOT NULL,
    label      TEXT NOT NULL,
    files      TEXT NOT NULL,            -- JSON: [{name, table, sha256, rows}]
    counts     TEXT NOT NULL DEFAULT '{}', -- JSON: {table: rows written}
    undone_at  TEXT
);

-- Every fact row carries the batch that wrote it. When a batch replaces a row, the journal keeps
-- the replaced row and the batch that had written it, so an undo deletes the batch's rows and puts
-- the journal's rows back. Rows a batch only added need no journal entry.
CREATE TABLE journal (
    batch_id    INTEGER NOT NULL REFERENCES batches(batch_id) ON DELETE CASCADE,
    seq         INTEGER NOT NULL,
    tbl         TEXT NOT NULL,
    prior_batch INTEGER NOT NULL,        -- the batch that wrote the replaced row
    prior       TEXT NOT NULL,           -- JSON array of the replaced row's values
    PRIMARY KEY (batch_id, seq)
) WITHOUT ROWID;
CREATE INDEX journal_by_prior_batch ON journal(prior_batch);

CREATE TABLE entities (
    entity_id        TEXT PRIMARY KEY,
    name             TEXT NOT NULL,
    kind             TEXT NOT NULL CHECK (kind IN ('company', 'person', 'state_body')),
    country          TEXT NOT NULL,
    state_affiliated INTEGER NOT NULL CHECK (state_affiliated IN (0, 1)),
    notes            TEXT,
    source           TEXT,
    source_date      TEXT,
    batch_id    INTEGER NOT NULL
);

CREATE TABLE vendors (
    vendor_id   TEXT PRIMARY KEY,
    name        TEXT NOT NULL,
    hq_country  TEXT NOT NULL,
    privilege   TEXT NOT NULL CHECK (privilege IN ('none', 'user', 'admin', 'kernel')),
    entity_id   TEXT NOT NULL UNIQUE,
    category    TEXT,
    mitigation  REAL NOT NULL CHECK (mitigation BETWEEN 0 AND 0.3),
    website     TEXT,
    notes       TEXT,
    source      TEXT,
    source_date TEXT,
    batch_id    INTEGER NOT NULL
);

-- References hold entity ids (a vendor id given in a file is resolved to its entity on import).
-- The key (from_id, to_id, relation, since) may have a NULL since; the importer keeps it unique.
CREATE TABLE ownership (
    from_id     TEXT NOT NULL,
    to_id       TEXT NOT NULL,
    relation    TEXT NOT NULL CHECK (relation IN ('equity', 'tie')),
    share       REAL,
    tie_kind    TEXT,
    strength    REAL,
    confidence  REAL,
    since       TEXT,
    until       TEXT,
    source      TEXT NOT NULL,
    source_date TEXT,
    batch_id    INTEGER NOT NULL
);
CREATE INDEX ownership_by_key ON ownership(from_id, to_id, relation, since);
CREATE INDEX ownership_by_target ON ownership(to_id);

CREATE TABLE sales (
    vendor_id   TEXT NOT NULL REFERENCES vendors(vendor_id) DEFERRABLE INITIALLY DEFERRED,
    year        INTEGER NOT NULL,
    country     TEXT NOT NULL,
    segment     TEXT NOT NULL,
    revenue_usd REAL NOT NULL,
    source      TEXT,
    source_date TEXT,
    batch_id    INTEGER NOT NULL,
    PRIMARY KEY (vendor_id, year, country, segment)
) WITHOUT ROWID;

CREATE TABLE testimony (
    note_id     TEXT PRIMARY KEY,
    subject_id  TEXT NOT NULL,
    date        TEXT NOT NULL,
    speaker     TEXT NOT NULL,
    venue       TEXT,
    stance      TEXT NOT NULL CHECK (stance IN ('concern', 'neutral', 'exculpatory')),
    severity    INTEGER NOT NULL,
    reliability TEXT NOT NULL,
    credibility INTEGER NOT NULL,
    summary     TEXT NOT NULL,
    quote       TEXT,
    source      TEXT NOT NULL,
    source_date TEXT,
    batch_id    INTEGER NOT NULL
);
CREATE INDEX testimony_by_subject ON testimony(subject_id);

-- Full-text search over the free text of testimony notes, kept in step by triggers.
CREATE VIRTUAL TABLE testimony_fts USING fts5(
    speaker, venue, summary, quote, source, content='testimony', content_rowid='rowid'
);
CREATE TRIGGER testimony_fts_insert AFTER INSERT ON testimony BEGIN
    INSERT INTO testimony_fts(rowid, speaker, venue, summary, quote, source)
    VALUES (new.rowid, new.speaker, new.venue, new.summary, new.quote, new.source);
END;
CREATE TRIGGER testimony_fts_delete AFTER DELETE ON testimony BEGIN
    INSERT INTO testimony_fts(testimony_fts, rowid, speaker, venue, summary, quote, source)
    VALUES ('delete', old.rowid, old.speaker, old.venue, old.summary, old.quote, old.source);
END;
CREATE TRIGGER testimony_fts_update AFTER UPDATE ON testimony BEGIN
    INSERT INTO testimony_fts(testimony_fts, rowid, speaker, venue, summary, quote, source)
    VALUES ('delete', old.rowid, old.speaker, old.venue, old.summary, old.quote, old.source);
    INSERT INTO testimony_fts(rowid, speaker, venue, summary, quote, source)
    VALUES (new.rowid, new.speaker, new.venue, new.summary, new.quote, new.source);
END;

CREATE TABLE install_base (
    vendor_id     TEXT NOT NULL REFERENCES vendors(vendor_id) DEFERRABLE INITIALLY DEFERRED,
    year          INTEGER NOT NULL,
    country       TEXT NOT NULL,
    segment       TEXT NOT NULL,
    users         INTEGER NOT NULL,
    organizations INTEGER,
    source        TEXT,
    source_date   TEXT,
    batch_id    INTEGER NOT NULL,
    PRIMARY KEY (vendor_id, year, country, segment)
) WITHOUT ROWID;

CREATE TABLE designations (
    subject_id  TEXT NOT NULL,
    list        TEXT NOT NULL,
    effective   TEXT NOT NULL,
    ends        TEXT,
    source      TEXT NOT NULL,
    source_date TEXT,
    batch_id    INTEGER NOT NULL,
    PRIMARY KEY (subject_id, list, effective)
) WITHOUT ROWID;

CREATE TABLE scenarios (
    name       TEXT PRIMARY KEY,
    spec       TEXT NOT NULL,            -- JSON: weights, method, parameters
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);

-- Derived values kept between runs (the dataset hash) and user settings.
CREATE TABLE meta (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
);
"#,
    // 2: v1.3 — equity ranges, designation programs and precision (new columns last, so the undo
    // journal's rows of these tables only gain trailing NULLs), control ties in the ownership key,
    // and the identifiers, aliases and links tables.
    r#"
CREATE TABLE ownership_v13 (
    from_id     TEXT NOT NULL,
    to_id       TEXT NOT NULL,
    relation    TEXT NOT NULL CHECK (relation IN ('equity', 'tie')),
    share       REAL,
    tie_kind    TEXT,
    strength    REAL,
    confidence  REAL,
    since       TEXT,
    until       TEXT,
    source      TEXT NOT NULL,
    source_date TEXT,
    share_min   REAL,
    share_max   REAL,
    batch_id    INTEGER NOT NULL
);
INSERT INTO ownership_v13 (from_id, to_id, relation, share, tie_kind, strength, confidence, since, until, source, source_date, batch_id)
    SELECT from_id, to_id, relation, share, tie_kind, strength, confidence, since, until, source, source_date, batch_id FROM ownership;
DROP TABLE ownership;
ALTER TABLE ownership_v13 RENAME TO ownership;
CREATE INDEX ownership_by_key ON ownership(from_id, to_id, relation, tie_kind, since);
CREATE INDEX ownership_by_target ON ownership(to_id);

CREATE TABLE designations_v13 (
    subject_id          TEXT NOT NULL,
    list                TEXT NOT NULL,
    effective           TEXT NOT NULL,
    ends                TEXT,
    source              TEXT NOT NULL,
    source_date         TEXT,
    program             TEXT,
    effective_precision TEXT CHECK (effective_precision IN ('on_or_before')),
    batch_id            INTEGER NOT NULL,
    PRIMARY KEY (subject_id, list, effective)
) WITHOUT ROWID;
INSERT INTO designations_v13 (subject_id, list, effective, ends, source, source_date, batch_id)
    SELECT subject_id, list, effective, ends, source, source_date, batch_id FROM designations;
DROP TABLE designations;
ALTER TABLE designations_v13 RENAME TO designations;

UPDATE journal SET prior = json_insert(prior, '$[#]', NULL, '$[#]', NULL) WHERE tbl IN ('ownership', 'designations');

CREATE TABLE identifiers (
    entity_id   TEXT NOT NULL,
    scheme      TEXT NOT NULL,
    value       TEXT NOT NULL,
    source      TEXT NOT NULL,
    source_date TEXT,
    batch_id    INTEGER NOT NULL,
    PRIMARY KEY (entity_id, scheme, value)
) WITHOUT ROWID;
CREATE INDEX identifiers_by_value ON identifiers(scheme, value);

CREATE TABLE aliases (
    entity_id   TEXT NOT NULL,
    name        TEXT NOT NULL,
    kind        TEXT NOT NULL CHECK (kind IN ('aka', 'fka', 'nka', 'translit')),
    source      TEXT NOT NULL,
    source_date TEXT,
    batch_id    INTEGER NOT NULL,
    PRIMARY KEY (entity_id, name)
) WITHOUT ROWID;

-- The pair is stored in byte order (entity_id < other_id): the key is the unordered pair.
CREATE TABLE links (
    entity_id   TEXT NOT NULL,
    other_id    TEXT NOT NULL,
    decision    TEXT NOT NULL CHECK (decision IN ('same', 'different')),
    decided_by  TEXT NOT NULL,
    decided_on  TEXT NOT NULL,
    basis       TEXT,
    source      TEXT,
    source_date TEXT,
    batch_id    INTEGER NOT NULL,
    PRIMARY KEY (entity_id, other_id),
    CHECK (entity_id < other_id)
) WITHOUT ROWID;
CREATE INDEX links_by_other ON links(other_id);
"#,
    // 3: v1.3 — who made and who undid each batch (the OS user locally; NULL for batches written
    // before this migration, whose author nobody recorded).
    r#"
ALTER TABLE batches ADD COLUMN created_by TEXT;
ALTER TABLE batches ADD COLUMN undone_by TEXT;
"#,
];
