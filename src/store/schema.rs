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

/// The team store's schema on PostgreSQL: the state the SQLite migrations reach (its version is
/// [`MIGRATIONS`]'s length), created whole by `vetta --db URL init`. Text is `COLLATE "C"` (byte
/// order, as SQLite sorts), integers `bigint`, reals `double precision`. A later migration adds
/// its PostgreSQL form beside its SQLite one.
pub const POSTGRES: &str = r#"
CREATE TABLE batches (
    batch_id   bigint GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
    created_at text COLLATE "C" NOT NULL,
    label      text COLLATE "C" NOT NULL,
    files      text COLLATE "C" NOT NULL,
    counts     text COLLATE "C" NOT NULL DEFAULT '{}',
    undone_at  text COLLATE "C",
    created_by text COLLATE "C" DEFAULT session_user,
    undone_by  text COLLATE "C"
);

-- Who made or undid a batch is the server's login, not what the client says: only the workspace's
-- owner (who runs `init` and `workspace push`, which keeps the authors of copied batches) may write
-- another name.
CREATE FUNCTION vetta_batch_author() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF session_user::text <> (SELECT pg_get_userbyid(relowner)::text FROM pg_class WHERE oid = TG_RELID) THEN
        IF TG_OP = 'INSERT' THEN
            NEW.created_by := session_user;
        ELSIF NEW.undone_at IS NOT NULL AND OLD.undone_at IS NULL THEN
            NEW.undone_by := session_user;
        END IF;
    END IF;
    RETURN NEW;
END
$$;
CREATE TRIGGER batches_author BEFORE INSERT OR UPDATE ON batches FOR EACH ROW EXECUTE FUNCTION vetta_batch_author();

CREATE TABLE journal (
    batch_id    bigint NOT NULL REFERENCES batches(batch_id) ON DELETE CASCADE,
    seq         bigint NOT NULL,
    tbl         text COLLATE "C" NOT NULL,
    prior_batch bigint NOT NULL,
    prior       text COLLATE "C" NOT NULL,
    PRIMARY KEY (batch_id, seq)
);
CREATE INDEX journal_by_prior_batch ON journal(prior_batch);

CREATE TABLE entities (
    entity_id        text COLLATE "C" PRIMARY KEY,
    name             text COLLATE "C" NOT NULL,
    kind             text COLLATE "C" NOT NULL CHECK (kind IN ('company', 'person', 'state_body')),
    country          text COLLATE "C" NOT NULL,
    state_affiliated bigint NOT NULL CHECK (state_affiliated IN (0, 1)),
    notes            text COLLATE "C",
    source           text COLLATE "C",
    source_date      text COLLATE "C",
    batch_id         bigint NOT NULL
);

CREATE TABLE vendors (
    vendor_id   text COLLATE "C" PRIMARY KEY,
    name        text COLLATE "C" NOT NULL,
    hq_country  text COLLATE "C" NOT NULL,
    privilege   text COLLATE "C" NOT NULL CHECK (privilege IN ('none', 'user', 'admin', 'kernel')),
    entity_id   text COLLATE "C" NOT NULL UNIQUE,
    category    text COLLATE "C",
    mitigation  double precision NOT NULL CHECK (mitigation BETWEEN 0 AND 0.3),
    website     text COLLATE "C",
    notes       text COLLATE "C",
    source      text COLLATE "C",
    source_date text COLLATE "C",
    batch_id    bigint NOT NULL
);

CREATE TABLE ownership (
    from_id     text COLLATE "C" NOT NULL,
    to_id       text COLLATE "C" NOT NULL,
    relation    text COLLATE "C" NOT NULL CHECK (relation IN ('equity', 'tie')),
    share       double precision,
    tie_kind    text COLLATE "C",
    strength    double precision,
    confidence  double precision,
    since       text COLLATE "C",
    until       text COLLATE "C",
    source      text COLLATE "C" NOT NULL,
    source_date text COLLATE "C",
    share_min   double precision,
    share_max   double precision,
    batch_id    bigint NOT NULL
);
CREATE INDEX ownership_by_key ON ownership(from_id, to_id, relation, tie_kind, since);
CREATE INDEX ownership_by_target ON ownership(to_id);

CREATE TABLE sales (
    vendor_id   text COLLATE "C" NOT NULL REFERENCES vendors(vendor_id) DEFERRABLE INITIALLY DEFERRED,
    year        bigint NOT NULL,
    country     text COLLATE "C" NOT NULL,
    segment     text COLLATE "C" NOT NULL,
    revenue_usd double precision NOT NULL,
    source      text COLLATE "C",
    source_date text COLLATE "C",
    batch_id    bigint NOT NULL,
    PRIMARY KEY (vendor_id, year, country, segment)
);

CREATE TABLE testimony (
    note_id     text COLLATE "C" PRIMARY KEY,
    subject_id  text COLLATE "C" NOT NULL,
    date        text COLLATE "C" NOT NULL,
    speaker     text COLLATE "C" NOT NULL,
    venue       text COLLATE "C",
    stance      text COLLATE "C" NOT NULL CHECK (stance IN ('concern', 'neutral', 'exculpatory')),
    severity    bigint NOT NULL,
    reliability text COLLATE "C" NOT NULL,
    credibility bigint NOT NULL,
    summary     text COLLATE "C" NOT NULL,
    quote       text COLLATE "C",
    source      text COLLATE "C" NOT NULL,
    source_date text COLLATE "C",
    batch_id    bigint NOT NULL,
    -- Full-text search over the notes' free text (the `simple` configuration: no stemming, as
    -- SQLite's FTS5 tokenizer).
    search      tsvector GENERATED ALWAYS AS (to_tsvector('simple',
                    speaker || ' ' || coalesce(venue, '') || ' ' || summary || ' ' || coalesce(quote, '') || ' ' || source)) STORED
);
CREATE INDEX testimony_by_subject ON testimony(subject_id);
CREATE INDEX testimony_search ON testimony USING gin (search);

CREATE TABLE install_base (
    vendor_id     text COLLATE "C" NOT NULL REFERENCES vendors(vendor_id) DEFERRABLE INITIALLY DEFERRED,
    year          bigint NOT NULL,
    country       text COLLATE "C" NOT NULL,
    segment       text COLLATE "C" NOT NULL,
    users         bigint NOT NULL,
    organizations bigint,
    source        text COLLATE "C",
    source_date   text COLLATE "C",
    batch_id      bigint NOT NULL,
    PRIMARY KEY (vendor_id, year, country, segment)
);

CREATE TABLE designations (
    subject_id          text COLLATE "C" NOT NULL,
    list                text COLLATE "C" NOT NULL,
    effective           text COLLATE "C" NOT NULL,
    ends                text COLLATE "C",
    source              text COLLATE "C" NOT NULL,
    source_date         text COLLATE "C",
    program             text COLLATE "C",
    effective_precision text COLLATE "C" CHECK (effective_precision IN ('on_or_before')),
    batch_id            bigint NOT NULL,
    PRIMARY KEY (subject_id, list, effective)
);

CREATE TABLE identifiers (
    entity_id   text COLLATE "C" NOT NULL,
    scheme      text COLLATE "C" NOT NULL,
    value       text COLLATE "C" NOT NULL,
    source      text COLLATE "C" NOT NULL,
    source_date text COLLATE "C",
    batch_id    bigint NOT NULL,
    PRIMARY KEY (entity_id, scheme, value)
);
CREATE INDEX identifiers_by_value ON identifiers(scheme, value);

CREATE TABLE aliases (
    entity_id   text COLLATE "C" NOT NULL,
    name        text COLLATE "C" NOT NULL,
    kind        text COLLATE "C" NOT NULL CHECK (kind IN ('aka', 'fka', 'nka', 'translit')),
    source      text COLLATE "C" NOT NULL,
    source_date text COLLATE "C",
    batch_id    bigint NOT NULL,
    PRIMARY KEY (entity_id, name)
);

CREATE TABLE links (
    entity_id   text COLLATE "C" NOT NULL,
    other_id    text COLLATE "C" NOT NULL,
    decision    text COLLATE "C" NOT NULL CHECK (decision IN ('same', 'different')),
    decided_by  text COLLATE "C" NOT NULL,
    decided_on  text COLLATE "C" NOT NULL,
    basis       text COLLATE "C",
    source      text COLLATE "C",
    source_date text COLLATE "C",
    batch_id    bigint NOT NULL,
    PRIMARY KEY (entity_id, other_id),
    CHECK (entity_id < other_id)
);
CREATE INDEX links_by_other ON links(other_id);

CREATE TABLE scenarios (
    name       text COLLATE "C" PRIMARY KEY,
    spec       text COLLATE "C" NOT NULL,
    created_at text COLLATE "C" NOT NULL,
    updated_at text COLLATE "C" NOT NULL
);

CREATE TABLE meta (
    key   text COLLATE "C" PRIMARY KEY,
    value text COLLATE "C" NOT NULL
);
"#;

/// The group roles of a team store and what they may do: `vetta_analyst` reads and writes facts,
/// links, scenarios and settings; `vetta_viewer` reads. Roles belong to the whole server, so they
/// are created once and reused by every workspace on it; each `init` grants its own tables.
pub const POSTGRES_ROLES: &str = r#"
DO $$
BEGIN
    -- Another workspace's init on the same server may create them at the same moment.
    IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'vetta_analyst') THEN
        BEGIN CREATE ROLE vetta_analyst NOLOGIN; EXCEPTION WHEN duplicate_object OR unique_violation THEN NULL; END;
    END IF;
    IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'vetta_viewer') THEN
        BEGIN CREATE ROLE vetta_viewer NOLOGIN; EXCEPTION WHEN duplicate_object OR unique_violation THEN NULL; END;
    END IF;
END
$$;
GRANT USAGE ON SCHEMA public TO vetta_analyst, vetta_viewer;
GRANT SELECT ON ALL TABLES IN SCHEMA public TO vetta_viewer;
GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO vetta_analyst;
GRANT USAGE ON ALL SEQUENCES IN SCHEMA public TO vetta_analyst;
-- An import into a table that holds rows stages them in a temporary table (store::bulk); a server
-- hardened by revoking TEMPORARY from PUBLIC must still let analysts do that.
DO $$
BEGIN
    EXECUTE format('GRANT TEMPORARY ON DATABASE %I TO vetta_analyst', current_database());
END
$$;
"#;
