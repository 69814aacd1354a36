//! The seven files of data-formats.md as data: their columns, cell kinds, keys and which columns a
//! repeated key sums. The store's tables have exactly these columns in this order (a test checks it),
//! so a validated row goes into SQL without a mapping layer.

use crate::model;

#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Kind {
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
    Column { name, kind, required: true }
}

const fn opt(name: &'static str, kind: Kind) -> Column {
    Column { name, kind, required: false }
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
    ],
    key: &["from_id", "to_id", "relation", "since"],
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
    ],
    key: &["subject_id", "list", "effective"],
    summed: &[],
};

/// Every table, in the order an import reads them: entities and vendors first, so that the other
/// files' references can be resolved while they stream.
pub static ALL: [&Table; 7] = [&ENTITIES, &VENDORS, &OWNERSHIP, &TESTIMONY, &DESIGNATIONS, &SALES, &INSTALL_BASE];

pub fn by_name(name: &str) -> Option<&'static Table> {
    ALL.iter().copied().find(|table| table.name == name)
}
