//! The ten files of data-formats.md (v1.3) as data: their columns, cell kinds, keys and which columns a
//! repeated key sums. The store's tables have exactly these columns in this order (a test checks it),
//! so a validated row goes into SQL without a mapping layer.

use crate::model;

#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Kind {
    /// An identifier scheme (`LEI`, `RU-INN`, …).
    Scheme,
    /// An id of the row's own kind (`vendor_id`, `entity_id`, `note_id`).
    Id,
    /// An entity reference: an entity id, or a vendor id standing for that vendor's entity.
    EntityRef,
    /// A reference to a vendor.
    VendorRef,
    Text,
    Country,
    Date,
    Year,
    /// An integer ≥ 0.
    Count,
    IntRange(i64, i64),
    Decimal(f64, f64),
    Word(&'static [&'static str]),
    Bool,
    Grade,
}

#[derive(Debug)]
pub struct Column {
    pub name: &'static str,
    pub kind: Kind,
    pub required: bool,
    /// A column v1.3 added to a v1.2 table (always optional, and last in the table): a row that
    /// leaves every such column empty hashes as it did in v1.2, so `dataset_sha256` of a v1.2
    /// dataset does not change.
    pub added: bool,
}

#[derive(Debug)]
pub struct Table {
    /// File stem, sheet name and SQL table name.
    pub name: &'static str,
    pub columns: &'static [Column],
    /// Columns of the upsert key.
    pub key: &'static [&'static str],
    /// Columns summed over rows with the same key in one import (sales and install base); empty
    /// for tables where a repeated key is an error.
    pub summed: &'static [&'static str],
    /// The order rows are hashed and dumped in: the key, except where v1.3 widened a key (ownership
    /// keeps v1.2's order, with the new key column last, so v1.2 hashes stay as they were).
    pub order: &'static [&'static str],
    /// The column a repeated key is reported at (its second occurrence).
    pub repeat_at: &'static str,
}

impl Table {
    pub fn index(&self, column: &str) -> usize {
        self.columns.iter().position(|c| c.name == column).unwrap_or_else(|| panic!("{}.{column}", self.name))
    }

    pub fn key_indices(&self) -> Vec<usize> {
        self.key.iter().map(|k| self.index(k)).collect()
    }
}

const fn req(name: &'static str, kind: Kind) -> Column {
    Column { name, kind, required: true, added: false }
}

const fn opt(name: &'static str, kind: Kind) -> Column {
    Column { name, kind, required: false, added: false }
}

/// An optional column v1.3 added to a v1.2 table.
const fn added(name: &'static str, kind: Kind) -> Column {
    Column { name, kind, required: false, added: true }
}

const UNIT: Kind = Kind::Decimal(0.0, 1.0);

pub static ENTITIES: Table = Table {
    name: "entities",
    columns: &[
        req("entity_id", Kind::Id),
        req("name", Kind::Text),
        req("kind", Kind::Word(model::ENTITY_KINDS)),
        req("country", Kind::Country),
        opt("state_affiliated", Kind::Bool),
        opt("notes", Kind::Text),
        opt("source", Kind::Text),
        opt("source_date", Kind::Date),
    ],
    key: &["entity_id"],
    order: &["entity_id"],
    repeat_at: "entity_id",
    summed: &[],
};

pub static VENDORS: Table = Table {
    name: "vendors",
    columns: &[
        req("vendor_id", Kind::Id),
        req("name", Kind::Text),
        req("hq_country", Kind::Country),
        req("privilege", Kind::Word(model::Privilege::WORDS)),
        opt("entity_id", Kind::Id),
        opt("category", Kind::Text),
        opt("mitigation", Kind::Decimal(0.0, 0.3)),
        opt("website", Kind::Text),
        opt("notes", Kind::Text),
        opt("source", Kind::Text),
        opt("source_date", Kind::Date),
    ],
    key: &["vendor_id"],
    order: &["vendor_id"],
    repeat_at: "vendor_id",
    summed: &[],
};

pub static OWNERSHIP: Table = Table {
    name: "ownership",
    columns: &[
        req("from_id", Kind::EntityRef),
        req("to_id", Kind::EntityRef),
        req("relation", Kind::Word(model::RELATIONS)),
        opt("share", UNIT),
        opt("tie_kind", Kind::Word(model::TIE_KINDS)),
        opt("strength", UNIT),
        opt("confidence", UNIT),
        opt("since", Kind::Date),
        opt("until", Kind::Date),
        req("source", Kind::Text),
        opt("source_date", Kind::Date),
        added("share_min", UNIT),
        added("share_max", UNIT),
    ],
    key: &["from_id", "to_id", "relation", "tie_kind", "since"],
    order: &["from_id", "to_id", "relation", "since", "tie_kind"],
    repeat_at: "from_id",
    summed: &[],
};

pub static SALES: Table = Table {
    name: "sales",
    columns: &[
        req("vendor_id", Kind::VendorRef),
        req("year", Kind::Year),
        req("country", Kind::Country),
        opt("segment", Kind::Word(model::SEGMENTS)),
        req("revenue_usd", Kind::Decimal(0.0, f64::MAX)),
        opt("source", Kind::Text),
        opt("source_date", Kind::Date),
    ],
    key: &["vendor_id", "year", "country", "segment"],
    order: &["vendor_id", "year", "country", "segment"],
    repeat_at: "vendor_id",
    summed: &["revenue_usd"],
};

pub static TESTIMONY: Table = Table {
    name: "testimony",
    columns: &[
        req("note_id", Kind::Id),
        req("subject_id", Kind::EntityRef),
        req("date", Kind::Date),
        req("speaker", Kind::Text),
        opt("venue", Kind::Text),
        req("stance", Kind::Word(model::STANCES)),
        req("severity", Kind::IntRange(0, 3)),
        req("reliability", Kind::Grade),
        req("credibility", Kind::IntRange(1, 6)),
        req("summary", Kind::Text),
        opt("quote", Kind::Text),
        req("source", Kind::Text),
        opt("source_date", Kind::Date),
    ],
    key: &["note_id"],
    order: &["note_id"],
    repeat_at: "note_id",
    summed: &[],
};

pub static INSTALL_BASE: Table = Table {
    name: "install_base",
    columns: &[
        req("vendor_id", Kind::VendorRef),
        req("year", Kind::Year),
        req("country", Kind::Country),
        opt("segment", Kind::Word(model::SEGMENTS)),
        req("users", Kind::Count),
        opt("organizations", Kind::Count),
        opt("source", Kind::Text),
        opt("source_date", Kind::Date),
    ],
    key: &["vendor_id", "year", "country", "segment"],
    order: &["vendor_id", "year", "country", "segment"],
    repeat_at: "vendor_id",
    summed: &["users", "organizations"],
};

pub static DESIGNATIONS: Table = Table {
    name: "designations",
    columns: &[
        req("subject_id", Kind::EntityRef),
        req("list", Kind::Text),
        req("effective", Kind::Date),
        opt("ends", Kind::Date),
        req("source", Kind::Text),
        opt("source_date", Kind::Date),
        added("program", Kind::Text),
        // `exact` is stored as empty, so a v1.2 row and its v1.3 spelling are the same fact.
        added("effective_precision", Kind::Word(model::PRECISIONS)),
    ],
    key: &["subject_id", "list", "effective"],
    order: &["subject_id", "list", "effective"],
    repeat_at: "subject_id",
    summed: &[],
};

pub static IDENTIFIERS: Table = Table {
    name: "identifiers",
    columns: &[
        req("entity_id", Kind::EntityRef),
        req("scheme", Kind::Scheme),
        req("value", Kind::Text),
        req("source", Kind::Text),
        opt("source_date", Kind::Date),
    ],
    key: &["entity_id", "scheme", "value"],
    order: &["entity_id", "scheme", "value"],
    repeat_at: "value",
    summed: &[],
};

pub static ALIASES: Table = Table {
    name: "aliases",
    columns: &[
        req("entity_id", Kind::EntityRef),
        req("name", Kind::Text),
        opt("kind", Kind::Word(model::ALIAS_KINDS)),
        req("source", Kind::Text),
        opt("source_date", Kind::Date),
    ],
    key: &["entity_id", "name"],
    order: &["entity_id", "name"],
    repeat_at: "name",
    summed: &[],
};

/// Links are keyed by the unordered pair: the importer stores the pair with the smaller id (in byte
/// order) as `entity_id`.
pub static LINKS: Table = Table {
    name: "links",
    columns: &[
        req("entity_id", Kind::EntityRef),
        req("other_id", Kind::EntityRef),
        req("decision", Kind::Word(model::LINK_DECISIONS)),
        req("decided_by", Kind::Text),
        req("decided_on", Kind::Date),
        opt("basis", Kind::Text),
        opt("source", Kind::Text),
        opt("source_date", Kind::Date),
    ],
    key: &["entity_id", "other_id"],
    order: &["entity_id", "other_id"],
    repeat_at: "other_id",
    summed: &[],
};

/// Every table, in the order an import reads them: entities and vendors first, so that the other
/// files' references can be resolved while they stream. Also the order of `dataset_sha256` (tables
/// v1.3 added come last, so a v1.2 dataset hashes as it did).
pub static ALL: [&Table; 10] =
    [&ENTITIES, &VENDORS, &OWNERSHIP, &TESTIMONY, &DESIGNATIONS, &SALES, &INSTALL_BASE, &IDENTIFIERS, &ALIASES, &LINKS];

pub fn by_name(name: &str) -> Option<&'static Table> {
    ALL.iter().copied().find(|table| table.name == name)
}
