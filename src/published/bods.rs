//! BODS, the Beneficial Ownership Data Standard (0.4; 0.2 and 0.3 read too) → entities,
//! identifiers, aliases and ownership rows (open-formats.md, "BODS").
//!
//! A file is a JSON array of statements (locations are JSON pointers, `/3/recordDetails/…`) or
//! JSON lines (locations are physical lines). In 0.4 the record (`recordId`) is the unit and its
//! statements are versions ordered by `statementDate`; 0.2 and 0.3 have no record ids, so a
//! statement and the statements that replace it (`replacesStatements`) form one record, named by its
//! earliest statement. Entity and person records become entities `bods:<record>`; a relationship
//! record becomes one ownership row per interest, `from_id` = the interested party and `to_id` = the
//! subject. Interests that would count a chain twice (declared indirect aggregates), interests of
//! unknown nature and parties that are not disclosed become report notes, never rows.
//!
//! Readings of the contract where it leaves room (open-formats.md, "BODS"):
//! - The row of an entity or person is its record's latest version; names that earlier versions
//!   gave and the latest no longer does become `fka` aliases; identifiers of every version are kept.
//! - 0.2/0.3 entity ids are `bods:<earliest statement of the record>`, and every statement id of
//!   the record is a `BODS` identifier, so a later snapshot whose chain starts elsewhere can still
//!   be matched by identifier.
//! - "The pair has no shareholding interest" looks at the whole file: any shareholding interest
//!   between the same interested party and subject, in any version and of any directness (a
//!   declared indirect shareholding already stands for the pair's equity).
//! - An interest without a `type` is read as `unknownInterest`; economic rights the contract names
//!   no row for (`rightsToSurplusAssetsOnDissolution`, `rightsToProfitOrIncome`,
//!   `enjoymentAndUseOfAssets`, `rightToProfitOrIncomeFromAssets`) are `unmapped-interest`.
//! - `directOrIndirect` not given is treated like `unknown` (an edge, reported).
//! - An equity interest without a share is the range [0, 1] (held, size not given), reported, as
//!   open-formats.md says for FollowTheMoney.
//! - An updated version that no longer gives an interest ends it the day before its
//!   `statementDate` (as a closing statement would), or the day before a new row of the same kind
//!   starts if that is earlier. When a change cannot be dated (no `statementDate`, or a date before
//!   the interest starts) the newer version replaces the older, reported.
//! - A person or entity without a name is named by its record id (as a stub would be), reported.
//! - Identifier schemes are org-id codes: `XI-LEI` → `LEI`; others are upper-cased with spaces,
//!   `_`, `.` and `/` as `-` (reported when that changes them); an identifier with only a
//!   `schemeName` is left out (its name is no code).
//! - Statements are versions ordered by `statementDate`; a statement without one comes first.
//! - The file's row count in the batch is its statements.
//!
//! What is deliberately not here: the shared rules (cell checks, duplicate keys, stub entities for
//! absent records, share sums over 1), which [`Staging::finish`] applies to every format.
//!
//! Report codes: `bad-json`, `empty-file`, `not-a-statement`, `unknown-statement`,
//! `no-statement-id`, `no-record-id`, `unknown-status`, `replaces-absent`, `no-name`, `no-scheme`,
//! `bad-scheme`, `scheme-normalised`, `bad-identifier`, `no-subject`, `unspecified-party`,
//! `no-interests`, `unknown-interest`, `unpublished-interest`, `unmapped-interest`,
//! `indirect-aggregate`, `unknown-directness`, `voting-with-shareholding`, `no-share`, `bad-share`,
//! `version-ended`, `version-replaced`, `record-closed`; and through [`Staging`]: `id-hashed`,
//! `no-country`, `unknown-country`, `bad-date`, `partial-date`, `date-shifted`.

use std::collections::{HashMap, HashSet};

use serde_json::Value;

use super::text::Bound;
use super::{FileBytes, Staging};
use crate::ingest::{cells, tables};

pub(super) fn stage(file: &FileBytes, staging: &mut Staging) {
    file.begin(staging);
    let documents = read_documents(&file.bytes, staging);
    staging.describe_file("bods", documents.len() as u64);
    let mut statements = Vec::new();
    for (order, (place, value)) in documents.into_iter().enumerate() {
        if let Some(statement) = Statement::read(order, place, value, staging) {
            statements.push(statement);
        }
    }
    // The file's date: the latest publication date its statements state (each row also carries
    // its own statement's date).
    if let Some(latest) = statements.iter().filter_map(|s| s.published.clone()).max() {
        staging.set_date(&latest);
    }
    let file_name = staging.file_name().to_string();
    Importer::new(file_name, statements, staging).run(staging);
}

// ---------------------------------------------------------------------------------------------
// Reading the file

/// Where a statement is: a JSON pointer into a JSON array, or the physical line of JSON lines
/// (where a note can be no more precise than the line).
#[derive(Debug, Clone)]
enum Place {
    Pointer(String),
    Line(u64),
}

impl Place {
    fn at(&self, path: &str) -> String {
        match self {
            Place::Pointer(pointer) => format!("{pointer}{path}"),
            Place::Line(line) => line.to_string(),
        }
    }
}

/// The statements of a file with their places. A JSON array gives pointers; a single JSON object
/// (a file of one statement, however it is laid out) or JSON lines give lines.
fn read_documents(bytes: &[u8], staging: &mut Staging) -> Vec<(Place, Value)> {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    let Some(start) = bytes.iter().position(|b| !b.is_ascii_whitespace()) else {
        staging.note("1", "empty-file", "the file holds no statements");
        return Vec::new();
    };
    let first_line = 1 + bytes[..start].iter().filter(|&&b| b == b'\n').count() as u64;
    match serde_json::from_slice::<Value>(bytes) {
        Ok(Value::Array(items)) => items.into_iter().enumerate().map(|(i, v)| (Place::Pointer(format!("/{i}")), v)).collect(),
        Ok(value @ Value::Object(_)) => vec![(Place::Line(first_line), value)],
        Ok(_) => {
            staging.note(&first_line.to_string(), "not-a-statement", "the file is neither an array of statements nor a statement");
            Vec::new()
        }
        Err(error) if bytes[start] == b'[' => {
            let message = format!("not valid JSON ({error}); nothing of the file is imported");
            staging.note(&error.line().max(1).to_string(), "bad-json", message);
            Vec::new()
        }
        Err(_) => {
            let mut documents = Vec::new();
            for (index, line) in bytes.split(|&b| b == b'\n').enumerate() {
                let number = index as u64 + 1;
                let trimmed = line.trim_ascii();
                if trimmed.is_empty() {
                    continue;
                }
                match serde_json::from_slice::<Value>(trimmed) {
                    Ok(value) => documents.push((Place::Line(number), value)),
                    Err(error) => {
                        staging.note(&number.to_string(), "bad-json", format!("not a JSON statement ({error}); the line is left out"))
                    }
                }
            }
            documents
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Version {
    /// 0.4: `recordId`, `recordType`, `recordDetails`.
    V04,
    /// 0.2 and 0.3: `statementType`, the details at the top level, statement ids as references.
    Legacy,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum RecordType {
    Entity,
    Person,
    Relationship,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Status {
    New,
    Updated,
    Closed,
}

/// One statement: a version of a record.
#[derive(Debug)]
struct Statement {
    /// Position in the file (ties of `statementDate` keep file order).
    order: usize,
    place: Place,
    value: Value,
    version: Version,
    kind: RecordType,
    id: String,
    /// The record: `recordId` (0.4); for 0.2/0.3 the earliest statement of its replacement chain,
    /// filled in by [`Importer::new`].
    record: String,
    /// `statementDate` as a date.
    date: Option<String>,
    /// `publicationDetails.publicationDate` as a date.
    published: Option<String>,
    status: Status,
}

impl Statement {
    fn read(order: usize, place: Place, value: Value, staging: &mut Staging) -> Option<Statement> {
        let top = |path: &str| place.at(path);
        if !value.is_object() {
            staging.note(&top(""), "not-a-statement", "this element is not a JSON object; left out");
            return None;
        }
        let version = if value.get("recordType").is_some() || value.get("recordDetails").is_some() {
            Version::V04
        } else if value.get("statementType").is_some() {
            Version::Legacy
        } else {
            staging.note(&top(""), "unknown-statement", "neither recordType (BODS 0.4) nor statementType (BODS 0.2/0.3); left out");
            return None;
        };
        let (kind_field, kind_raw) = match version {
            Version::V04 => ("recordType", string(value.get("recordType"))),
            Version::Legacy => ("statementType", string(value.get("statementType"))),
        };
        let kind = match kind_raw.unwrap_or_default() {
            "entity" | "entityStatement" => RecordType::Entity,
            "person" | "personStatement" => RecordType::Person,
            "relationship" | "ownershipOrControlStatement" => RecordType::Relationship,
            other => {
                let message = format!("{kind_field} {} is not a BODS statement type this importer reads; left out", cells::quoted(other));
                staging.note(&top(&format!("/{kind_field}")), "unknown-statement", message);
                return None;
            }
        };
        let Some(id) = string(value.get("statementId")).or_else(|| string(value.get("statementID"))).map(str::to_string) else {
            staging.note(&top(""), "no-statement-id", "a statement without statementId; left out");
            return None;
        };
        let record = match version {
            Version::V04 => match string(value.get("recordId")) {
                Some(record) => record.to_string(),
                None => {
                    staging.note(&top(""), "no-record-id", format!("statement {} has no recordId; left out", cells::quoted(&id)));
                    return None;
                }
            },
            Version::Legacy => String::new(),
        };
        let date = match string(value.get("statementDate")) {
            Some(raw) => staging.date(&top("/statementDate"), "statementDate", raw, Bound::Start),
            None => None,
        };
        let published = match string(value.pointer("/publicationDetails/publicationDate")) {
            Some(raw) => staging.date(&top("/publicationDetails/publicationDate"), "publicationDate", raw, Bound::Start),
            None => None,
        };
        let status = match string(value.get("recordStatus")) {
            None | Some("new") => Status::New,
            Some("updated") => Status::Updated,
            Some("closed") => Status::Closed,
            Some(other) => {
                let message = format!("recordStatus {} is not new, updated or closed; read as new", cells::quoted(other));
                staging.note(&top("/recordStatus"), "unknown-status", message);
                Status::New
            }
        };
        Some(Statement { order, place, value, version, kind, id, record, date, published, status })
    }

    /// The record's details: `recordDetails` in 0.4, the statement itself before.
    fn details(&self) -> &Value {
        match self.version {
            Version::V04 => self.value.get("recordDetails").unwrap_or(&Value::Null),
            Version::Legacy => &self.value,
        }
    }

    /// The location of a path inside the details.
    fn at(&self, path: &str) -> String {
        match self.version {
            Version::V04 => self.place.at(&format!("/recordDetails{path}")),
            Version::Legacy => self.place.at(path),
        }
    }

    /// The location of the statement itself.
    fn top(&self) -> String {
        self.place.at("")
    }

    fn source(&self, file: &str) -> String {
        format!("{file} statementId {}", self.id)
    }
}

/// A non-blank string value.
fn string(value: Option<&Value>) -> Option<&str> {
    value.and_then(Value::as_str).filter(|s| !s.trim().is_empty())
}

/// An array value's items (none when absent or not an array).
fn items(value: Option<&Value>) -> &[Value] {
    value.and_then(Value::as_array).map(Vec::as_slice).unwrap_or_default()
}

// ---------------------------------------------------------------------------------------------
// Records

/// A party of a relationship as the statement gives it.
enum Party {
    /// A record (its raw id), with the kind the reference implies when it says.
    Record(String, Option<&'static str>),
    /// Not disclosed: `{reason, description}` (0.4) or `{unspecified: {…}}` (0.2/0.3).
    Unspecified(String),
    Missing,
}

/// The importer of one file: its statements grouped into records.
struct Importer {
    file: String,
    statements: Vec<Statement>,
    /// Records in order of first appearance, each with its statements ordered as versions.
    records: Vec<(String, Vec<usize>)>,
    /// 0.2/0.3: statement id → the record it belongs to.
    record_of_statement: HashMap<String, String>,
    /// Raw record id → entity id (computed once, so a hashed id is reported once).
    ids: HashMap<String, String>,
}

impl Importer {
    fn new(file: String, mut statements: Vec<Statement>, staging: &mut Staging) -> Importer {
        let present: HashSet<String> = statements.iter().map(|s| s.id.clone()).collect();
        for statement in &statements {
            for (k, replaced) in items(statement.value.get("replacesStatements")).iter().enumerate() {
                let Some(replaced) = replaced.as_str() else { continue };
                if !present.contains(replaced) {
                    let message = format!("replacesStatements names {}, which is not in this file", cells::quoted(replaced));
                    staging.note(&statement.place.at(&format!("/replacesStatements/{k}")), "replaces-absent", message);
                }
            }
        }

        // 0.2/0.3: a statement and those replacing it are one record (union-find over the
        // replacement links between statements of the file), named by its earliest statement.
        let legacy: Vec<usize> = (0..statements.len()).filter(|&i| statements[i].version == Version::Legacy).collect();
        let mut index_of: HashMap<String, usize> = HashMap::new();
        for &i in &legacy {
            index_of.entry(statements[i].id.clone()).or_insert(i);
        }
        let mut parent: Vec<usize> = (0..statements.len()).collect();
        fn root(parent: &mut [usize], mut i: usize) -> usize {
            while parent[i] != i {
                parent[i] = parent[parent[i]];
                i = parent[i];
            }
            i
        }
        for &i in &legacy {
            for replaced in items(statements[i].value.get("replacesStatements")) {
                if let Some(&j) = replaced.as_str().and_then(|r| index_of.get(r)) {
                    let (a, b) = (root(&mut parent, i), root(&mut parent, j));
                    parent[a] = b;
                }
            }
        }
        let mut groups: HashMap<usize, Vec<usize>> = HashMap::new();
        for &i in &legacy {
            let r = root(&mut parent, i);
            groups.entry(r).or_default().push(i);
        }
        let mut record_of_statement = HashMap::new();
        for members in groups.values() {
            let earliest = members.iter().copied().min_by(|&a, &b| version_order(&statements[a], &statements[b])).unwrap_or(members[0]);
            let record = statements[earliest].id.clone();
            for &m in members {
                record_of_statement.insert(statements[m].id.clone(), record.clone());
                statements[m].record = record.clone();
            }
        }

        let mut position: HashMap<(String, bool), usize> = HashMap::new();
        let mut records: Vec<(String, Vec<usize>)> = Vec::new();
        for (i, statement) in statements.iter().enumerate() {
            // A relationship record and an entity record never share a key, even if a publisher
            // reuses an id.
            let key = (statement.record.clone(), statement.kind == RecordType::Relationship);
            let at = *position.entry(key).or_insert_with(|| {
                records.push((statement.record.clone(), Vec::new()));
                records.len() - 1
            });
            records[at].1.push(i);
        }
        for (_, members) in &mut records {
            members.sort_by(|&a, &b| version_order(&statements[a], &statements[b]));
        }
        Importer { file, statements, records, record_of_statement, ids: HashMap::new() }
    }

    fn run(mut self, staging: &mut Staging) {
        let records = std::mem::take(&mut self.records);
        for (record, members) in &records {
            match self.statements[members[0]].kind {
                RecordType::Entity | RecordType::Person => self.stage_party(record, members, staging),
                RecordType::Relationship => {}
            }
        }
        let shareholding = self.shareholding_pairs();
        for (_, members) in &records {
            if self.statements[members[0]].kind == RecordType::Relationship {
                self.stage_relationship(members, &shareholding, staging);
            }
        }
    }

    /// The entity id of a record, `bods:<record>` (hashed and reported once when invalid).
    fn entity_id(&mut self, staging: &mut Staging, location: &str, record: &str) -> String {
        if let Some(id) = self.ids.get(record) {
            return id.clone();
        }
        let id = staging.id(location, "bods", record);
        self.ids.insert(record.to_string(), id.clone());
        id
    }

    /// The record a reference names: 0.4 names records; 0.2/0.3 name statements, which stand for
    /// their record when the file has them (else the statement id is the best id there is).
    fn party(&self, statement: &Statement, value: Option<&Value>) -> Party {
        let legacy_record = |id: &str| self.record_of_statement.get(id).cloned().unwrap_or_else(|| id.to_string());
        match value {
            Some(Value::String(id)) if !id.trim().is_empty() => match statement.version {
                Version::V04 => Party::Record(id.clone(), None),
                Version::Legacy => Party::Record(legacy_record(id), None),
            },
            Some(Value::Object(object)) => {
                if let Some(id) = string(object.get("describedByEntityStatement")) {
                    Party::Record(legacy_record(id), None)
                } else if let Some(id) = string(object.get("describedByPersonStatement")) {
                    Party::Record(legacy_record(id), Some("person"))
                } else {
                    let reason = object.get("unspecified").unwrap_or(&Value::Null);
                    let reason = if reason.is_object() { reason } else { value.unwrap_or(&Value::Null) };
                    let words: Vec<String> =
                        ["reason", "description"].iter().filter_map(|k| string(reason.get(*k))).map(cells::quoted).collect();
                    if words.is_empty() && object.is_empty() {
                        Party::Missing
                    } else {
                        Party::Unspecified(if words.is_empty() { "no reason given".into() } else { words.join(": ") })
                    }
                }
            }
            _ => Party::Missing,
        }
    }

    // -----------------------------------------------------------------------------------------
    // Entities and persons

    fn stage_party(&mut self, record: &str, members: &[usize], staging: &mut Staging) {
        // The latest version that still describes the party gives the row; a closing statement
        // may carry no details.
        let latest = *members.iter().rev().find(|&&i| self.statements[i].details().is_object()).unwrap_or(&members[members.len() - 1]);
        let statement = &self.statements[latest];
        let location = statement.top();
        let id = self.entity_id(staging, &location, record);
        let statement = &self.statements[latest];
        let details = statement.details();
        let source = statement.source(&self.file);
        let person = statement.kind == RecordType::Person;

        let names = if person { person_names(details) } else { entity_names(details) };
        let name = match names.first() {
            Some((name, _)) => name.clone(),
            None => {
                let message = format!("no name given; the entity is named by its record id {}", cells::quoted(record));
                staging.note(&statement.at(if person { "/names" } else { "/name" }), "no-name", message);
                record.to_string()
            }
        };

        let (kind, state, mut notes) = if person {
            let person_type = string(details.get("personType")).unwrap_or("not given");
            ("person", false, vec![format!("BODS personType {person_type}")])
        } else {
            let entity_type = details.get("entityType");
            let (kind_word, subtype, type_details) = match entity_type {
                Some(Value::Object(t)) => (string(t.get("type")), string(t.get("subtype")), string(t.get("details"))),
                Some(Value::String(t)) => (Some(t.as_str()), None, None),
                _ => (None, None, None),
            };
            let state = matches!(kind_word, Some("stateBody" | "state"));
            let mut notes = vec![format!("BODS entityType {}", kind_word.unwrap_or("not given"))];
            if let Some(subtype) = subtype {
                notes.push(format!("subtype {subtype}"));
            }
            if let Some(type_details) = type_details {
                notes.push(format!("details: {type_details}"));
            }
            (if state { "state_body" } else { "company" }, state, notes)
        };
        for (field, words) in [("foundingDate", "founded"), ("dissolutionDate", "dissolved"), ("birthDate", "born"), ("deathDate", "died")]
        {
            if let Some(date) = string(details.get(field)) {
                notes.push(format!("{words} {date}"));
            }
        }
        if let Some(closed) = members.iter().map(|&i| &self.statements[i]).rfind(|s| s.status == Status::Closed) {
            notes.push(format!("BODS record closed by statement {} of {}", closed.id, closed.date.as_deref().unwrap_or("no date")));
        }

        let (country_raw, country_at) = if person { person_country(statement) } else { entity_country(statement) };
        let country = staging.country(&country_at, &country_raw);
        staging
            .row(&tables::ENTITIES, &location)
            .set("entity_id", id.as_str())
            .set("name", name.as_str())
            .set("kind", kind)
            .set("country", country)
            .set_opt("state_affiliated", state.then_some("true"))
            .set("notes", notes.join("; "))
            .set("source", source.as_str())
            .set_opt("source_date", statement.published.clone())
            .push();

        // Identifiers: the record id (0.2/0.3: every statement id of the record), then each
        // version's identifiers, each (scheme, value) once.
        let mut seen: HashSet<(String, String)> = HashSet::new();
        let own_ids: Vec<(String, String, Option<String>)> = match statement.version {
            Version::V04 => vec![(record.to_string(), source.clone(), statement.published.clone())],
            Version::Legacy => {
                members.iter().map(|&i| &self.statements[i]).map(|s| (s.id.clone(), s.source(&self.file), s.published.clone())).collect()
            }
        };
        for (value, source, date) in own_ids {
            if seen.insert(("BODS".into(), value.clone())) {
                staging
                    .row(&tables::IDENTIFIERS, &location)
                    .set("entity_id", id.as_str())
                    .set("scheme", "BODS")
                    .set("value", value)
                    .set("source", source)
                    .set_opt("source_date", date)
                    .push();
            }
        }
        for &i in members.iter().rev() {
            let statement = &self.statements[i];
            for (k, identifier) in items(statement.details().get("identifiers")).iter().enumerate() {
                let at = statement.at(&format!("/identifiers/{k}"));
                let Some((scheme, value)) = identifier_of(identifier, &at, staging) else { continue };
                if seen.insert((scheme.clone(), value.clone())) {
                    staging
                        .row(&tables::IDENTIFIERS, &at)
                        .set("entity_id", id.as_str())
                        .set("scheme", scheme)
                        .set("value", value)
                        .set("source", statement.source(&self.file))
                        .set_opt("source_date", statement.published.clone())
                        .push();
                }
            }
        }

        // Aliases: the latest version's other names, then names earlier versions gave that the
        // latest no longer does (`fka`: the record was updated away from them).
        let mut named: HashSet<String> = HashSet::from([name.clone()]);
        let mut aliases: Vec<(String, &'static str, usize)> = names.iter().skip(1).map(|(n, kind)| (n.clone(), *kind, latest)).collect();
        for &i in members.iter().rev().filter(|&&i| i != latest) {
            let older = &self.statements[i];
            let older_names = if person { person_names(older.details()) } else { entity_names(older.details()) };
            aliases.extend(older_names.into_iter().map(|(n, _)| (n, "fka", i)));
        }
        for (alias, kind, from) in aliases {
            if !named.insert(alias.clone()) {
                continue;
            }
            let statement = &self.statements[from];
            staging
                .row(&tables::ALIASES, &statement.at(if person { "/names" } else { "/alternateNames" }))
                .set("entity_id", id.as_str())
                .set("name", alias)
                .set("kind", kind)
                .set("source", statement.source(&self.file))
                .set_opt("source_date", statement.published.clone())
                .push();
        }
    }

    // -----------------------------------------------------------------------------------------
    // Relationships

    /// The (from, to) pairs with a shareholding interest anywhere in the file (any version, any
    /// directness): their `votingRights` interests are not read as equity.
    fn shareholding_pairs(&self) -> HashSet<(String, String)> {
        let mut pairs = HashSet::new();
        for statement in self.statements.iter().filter(|s| s.kind == RecordType::Relationship) {
            let details = statement.details();
            let has_shareholding =
                items(details.get("interests")).iter().any(|i| interest_class(string(i.get("type"))) == InterestClass::Shareholding);
            if !has_shareholding {
                continue;
            }
            if let (Party::Record(from, _), Party::Record(to, _)) =
                (self.party(statement, details.get("interestedParty")), self.party(statement, details.get("subject")))
            {
                pairs.insert((from, to));
            }
        }
        pairs
    }

    /// A relationship record: its versions' rows, reconciled so that each fact is one row with
    /// the dates the versions give it.
    fn stage_relationship(&mut self, members: &[usize], shareholding: &HashSet<(String, String)>, staging: &mut Staging) {
        let mut finished: Vec<Edge> = Vec::new();
        let mut open: Vec<Edge> = Vec::new();
        for (n, &i) in members.iter().enumerate() {
            // A closing statement that restates nothing (no details) only closes.
            let restates = self.statements[i].status != Status::Closed || self.statements[i].details().get("interests").is_some();
            if !restates {
                close(&mut open, &self.statements[i], staging);
                continue;
            }
            let edges = self.edges_of(i, shareholding, staging);
            let statement = &self.statements[i];
            if n == 0 {
                open = edges;
            } else {
                open = reconcile(open, edges, statement, &mut finished, staging);
            }
            if statement.status == Status::Closed {
                close(&mut open, statement, staging);
            }
        }
        finished.append(&mut open);
        for edge in finished {
            let (share, share_min, share_max) = match &edge.amount {
                None => (None, None, None),
                Some(Amount::Exact(share)) => (Some(share.clone()), None, None),
                Some(Amount::Range(min, max)) => (None, min.clone(), max.clone()),
            };
            staging
                .row(&tables::OWNERSHIP, &edge.location)
                .set("from_id", edge.from)
                .set("to_id", edge.to)
                .set("relation", edge.relation)
                .set_opt("tie_kind", edge.tie_kind)
                .set_opt("share", share)
                .set_opt("share_min", share_min)
                .set_opt("share_max", share_max)
                .set_opt("since", edge.since)
                .set_opt("until", edge.until)
                .set("source", edge.source)
                .set_opt("source_date", edge.source_date)
                .push();
        }
    }

    /// The rows one relationship statement gives, one per interest it can map faithfully.
    fn edges_of(&mut self, index: usize, shareholding: &HashSet<(String, String)>, staging: &mut Staging) -> Vec<Edge> {
        let statement = &self.statements[index];
        let details = statement.details();
        let subject = self.party(statement, details.get("subject"));
        let interested = self.party(statement, details.get("interestedParty"));
        let (subject_at, party_at) = (statement.at("/subject"), statement.at("/interestedParty"));
        let (subject, subject_hint) = match subject {
            Party::Record(record, hint) => (record, hint),
            Party::Unspecified(reason) => {
                staging.note(&subject_at, "no-subject", format!("the subject is not disclosed ({reason}); no row"));
                return Vec::new();
            }
            Party::Missing => {
                staging.note(&subject_at, "no-subject", "no subject given; no row");
                return Vec::new();
            }
        };
        let (party, party_hint) = match interested {
            Party::Record(record, hint) => (record, hint),
            // Opacity: the owner is known to exist but is not disclosed.
            Party::Unspecified(reason) => {
                let message = format!("the interested party is not disclosed ({reason}); no edge into {}", cells::quoted(&subject));
                staging.note(&party_at, "unspecified-party", message);
                return Vec::new();
            }
            Party::Missing => {
                staging.note(
                    &party_at,
                    "unspecified-party",
                    format!("no interested party given; no edge into {}", cells::quoted(&subject)),
                );
                return Vec::new();
            }
        };
        let interests = items(details.get("interests")).to_vec();
        if interests.is_empty() {
            staging.note(&statement.at("/interests"), "no-interests", "a relationship without interests; no row");
            return Vec::new();
        }
        let pair = (party.clone(), subject.clone());
        let to = self.entity_id(staging, &subject_at, &subject);
        let from = self.entity_id(staging, &party_at, &party);
        if let Some(hint) = subject_hint {
            staging.kind_hint(&to, hint);
        }
        if let Some(hint) = party_hint {
            staging.kind_hint(&from, hint);
        }
        let statement = &self.statements[index];
        let source = statement.source(&self.file);
        let mut edges = Vec::new();
        for (k, interest) in interests.iter().enumerate() {
            let at = statement.at(&format!("/interests/{k}"));
            let at_field = |field: &str| statement.at(&format!("/interests/{k}/{field}"));
            let kind_raw = string(interest.get("type"));
            let shown = cells::quoted(kind_raw.unwrap_or_default());
            let class = interest_class(kind_raw);
            let (relation, tie_kind) = match class {
                InterestClass::Shareholding | InterestClass::Voting => ("equity", None),
                InterestClass::Tie(kind) => ("tie", Some(kind)),
                InterestClass::Missing => {
                    staging.note(&at, "unknown-interest", "an interest without a type (read as unknownInterest); no row");
                    continue;
                }
                InterestClass::Unknown => {
                    staging.note(&at, "unknown-interest", "an interest of unknown nature (unknownInterest); no row");
                    continue;
                }
                InterestClass::Unpublished => {
                    staging.note(&at, "unpublished-interest", "the nature of the interest is not published (unpublishedInterest); no row");
                    continue;
                }
                InterestClass::Unmapped => {
                    let message = format!("interest type {shown} is neither equity nor a kind of tie this importer maps; no row");
                    staging.note(&at, "unmapped-interest", message);
                    continue;
                }
            };
            let directness = string(interest.get("directOrIndirect")).or_else(|| string(interest.get("interestLevel")));
            match directness {
                Some("direct") => {}
                Some("indirect") => {
                    let message = format!(
                        "an indirect {shown} interest is a declared aggregate of a chain the file also gives; no edge (it would count the chain twice)"
                    );
                    staging.note(&at, "indirect-aggregate", message);
                    continue;
                }
                Some("unknown") => {
                    staging.note(&at, "unknown-directness", format!("a {shown} interest that may be direct or indirect; read as an edge"))
                }
                Some(other) => {
                    let message =
                        format!("directOrIndirect {} is not a BODS code; the {shown} interest is read as an edge", cells::quoted(other));
                    staging.note(&at, "unknown-directness", message);
                }
                None => {
                    staging.note(&at, "unknown-directness", format!("directOrIndirect not given; the {shown} interest is read as an edge"))
                }
            }
            if class == InterestClass::Voting && shareholding.contains(&pair) {
                let message = "votingRights of a pair that also has a shareholding interest: the shareholding is the equity; no row";
                staging.note(&at, "voting-with-shareholding", message);
                continue;
            }
            let amount = if relation == "equity" {
                match share_of(interest.get("share")) {
                    Ok(Some(amount)) => Some(amount),
                    Ok(None) => {
                        staging.note(
                            &at,
                            "no-share",
                            format!("a {shown} interest without a share; read as the range [0, 1] (held, size not given)"),
                        );
                        Some(Amount::Range(Some("0".into()), Some("1".into())))
                    }
                    Err(problem) => {
                        staging.note(&at_field("share"), "bad-share", format!("{problem}; the interest is left out"));
                        continue;
                    }
                }
            } else {
                None
            };
            let since = match string(interest.get("startDate")) {
                Some(raw) => staging.date(&at_field("startDate"), "startDate", raw, Bound::Start),
                None => None,
            };
            // BODS `endDate` is the first day without the interest; `until` is the last day with
            // it. A partial end date takes its last day first (the latest the interest can have
            // ended), then the day before.
            let until = match string(interest.get("endDate")) {
                Some(raw) => staging.date(&at_field("endDate"), "endDate", raw, Bound::End).and_then(|d| day_before(&d)),
                None => None,
            };
            edges.push(Edge {
                from: from.clone(),
                to: to.clone(),
                relation,
                tie_kind,
                amount,
                since,
                until,
                source: source.clone(),
                source_date: statement.published.clone(),
                location: at,
            });
        }
        edges
    }
}

/// Versions in order: `statementDate` (a statement without one first), then file order.
fn version_order(a: &Statement, b: &Statement) -> std::cmp::Ordering {
    (&a.date, a.order).cmp(&(&b.date, b.order))
}

// ---------------------------------------------------------------------------------------------
// Names, countries, identifiers

/// An entity's names: `name`, then `alternateNames` (aka).
fn entity_names(details: &Value) -> Vec<(String, &'static str)> {
    let mut names = Vec::new();
    if let Some(name) = string(details.get("name")) {
        names.push((name.to_string(), "aka"));
    }
    for alternate in items(details.get("alternateNames")) {
        if let Some(name) = string(Some(alternate)) {
            names.push((name.to_string(), "aka"));
        }
    }
    names
}

/// A person's names, the primary first: the first `legal` (0.4) or `individual` (0.2/0.3) name,
/// else the first name given. A name is its `fullName`, else its parts joined by spaces. Alias
/// kinds from the name type: translation and transliteration → translit; former and birth names
/// → fka; the rest aka.
fn person_names(details: &Value) -> Vec<(String, &'static str)> {
    let mut names: Vec<(String, &'static str, bool)> = Vec::new();
    for name in items(details.get("names")) {
        let text = match string(name.get("fullName")) {
            Some(full) => full.to_string(),
            None => ["givenName", "patronymicName", "familyName"].iter().filter_map(|k| string(name.get(*k))).collect::<Vec<_>>().join(" "),
        };
        if text.trim().is_empty() {
            continue;
        }
        let kind_word = string(name.get("type")).unwrap_or_default();
        let kind = match kind_word {
            "translation" | "transliteration" => "translit",
            "former" | "birth" => "fka",
            _ => "aka",
        };
        names.push((text, kind, matches!(kind_word, "legal" | "individual")));
    }
    if let Some(primary) = names.iter().position(|(_, _, legal)| *legal) {
        let first = names.remove(primary);
        names.insert(0, first);
    }
    names.into_iter().map(|(text, kind, _)| (text, kind)).collect()
}

/// An entity's country as the source gives it, and where: `jurisdiction.code` (0.2/0.3:
/// `incorporatedInJurisdiction`), else the registered address's country, else the jurisdiction's
/// name; empty when none is given.
fn entity_country(statement: &Statement) -> (String, String) {
    let details = statement.details();
    let jurisdiction = ["jurisdiction", "incorporatedInJurisdiction"].into_iter().find(|k| details.get(*k).is_some_and(Value::is_object));
    if let Some(field) = jurisdiction
        && let Some(code) = string(details.pointer(&format!("/{field}/code")))
    {
        return (code.to_string(), statement.at(&format!("/{field}/code")));
    }
    for (k, address) in items(details.get("addresses")).iter().enumerate() {
        if string(address.get("type")) != Some("registered") {
            continue;
        }
        let country = address.get("country");
        let raw =
            string(country).or_else(|| string(country.and_then(|c| c.get("code")))).or_else(|| string(country.and_then(|c| c.get("name"))));
        if let Some(raw) = raw {
            return (raw.to_string(), statement.at(&format!("/addresses/{k}/country")));
        }
    }
    if let Some(field) = jurisdiction
        && let Some(name) = string(details.pointer(&format!("/{field}/name")))
    {
        return (name.to_string(), statement.at(&format!("/{field}/name")));
    }
    (String::new(), statement.top())
}

/// A person's country: the first nationality's code (else its name).
fn person_country(statement: &Statement) -> (String, String) {
    let details = statement.details();
    let Some(first) = items(details.get("nationalities")).first() else { return (String::new(), statement.at("/nationalities")) };
    let raw = string(first.get("code")).or_else(|| string(first.get("name"))).or_else(|| string(Some(first))).unwrap_or_default();
    (raw.to_string(), statement.at("/nationalities/0"))
}

/// An identifier's (scheme, value), or `None` (reported) when it cannot be kept faithfully.
fn identifier_of(identifier: &Value, at: &str, staging: &mut Staging) -> Option<(String, String)> {
    let value = match identifier.get("id") {
        Some(Value::String(id)) if !id.trim().is_empty() => id.clone(),
        Some(Value::Number(n)) => n.to_string(),
        _ => {
            staging.note(at, "bad-identifier", "an identifier without an id; left out");
            return None;
        }
    };
    let Some(raw) = string(identifier.get("scheme")) else {
        let name = string(identifier.get("schemeName")).map(|n| format!(" (schemeName {})", cells::quoted(n))).unwrap_or_default();
        let message = format!("identifier {} has no scheme code{name}; left out", cells::quoted(&value));
        staging.note(at, "no-scheme", message);
        return None;
    };
    match scheme_of(raw) {
        Some(scheme) => {
            if scheme != raw && !(raw == "XI-LEI" && scheme == "LEI") {
                staging.note(at, "scheme-normalised", format!("scheme {} is written {scheme}", cells::quoted(raw)));
            }
            Some((scheme, value))
        }
        None => {
            let message =
                format!("scheme {} cannot be an identifier scheme (A–Z, 0–9 and -, 2 to 32 characters); left out", cells::quoted(raw));
            staging.note(at, "bad-scheme", message);
            None
        }
    }
}

/// The table's scheme for a BODS (org-id.guide) scheme code: `XI-LEI` is `LEI`; other codes
/// (`GB-COH`, `UA-EDR`, `FI-PRO`, …) stay, upper-cased with spaces, `_`, `.` and `/` read as `-`.
/// `None` when that is still not a valid scheme.
fn scheme_of(raw: &str) -> Option<String> {
    let upper: String = raw.trim().chars().map(|c| if matches!(c, ' ' | '_' | '.' | '/') { '-' } else { c.to_ascii_uppercase() }).collect();
    let scheme = if upper == "XI-LEI" { "LEI".to_string() } else { upper };
    cells::scheme(&scheme).is_ok().then_some(scheme)
}

// ---------------------------------------------------------------------------------------------
// Interests, shares and versions

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum InterestClass {
    Shareholding,
    Voting,
    Tie(&'static str),
    Unknown,
    Unpublished,
    /// A type the spec maps to no row kind (economic rights to surplus, profit or assets).
    Unmapped,
    Missing,
}

/// What an interest type is. Codes are compared without hyphens and case, so the hyphenated codes
/// of 0.2 (`voting-rights`, `settlor-of-trust`) read like the camelCase codes of 0.3 and 0.4.
fn interest_class(kind: Option<&str>) -> InterestClass {
    let Some(kind) = kind else { return InterestClass::Missing };
    let folded: String = kind.chars().filter(|c| *c != '-' && *c != '_').flat_map(char::to_lowercase).collect();
    match folded.as_str() {
        "shareholding" => InterestClass::Shareholding,
        "votingrights" => InterestClass::Voting,
        "appointmentofboard" | "boardmember" | "boardchair" => InterestClass::Tie("board"),
        "seniormanagingofficial" => InterestClass::Tie("personnel"),
        "rightsgrantedbycontract" | "conditionalrightsgrantedbycontract" => InterestClass::Tie("contract"),
        // `influenceorcontrol` is the 0.1/0.2 spelling some registers still publish.
        "otherinfluenceorcontrol" | "influenceorcontrol" | "controlbylegalframework" | "controlviacompanyrulesorarticles" => {
            InterestClass::Tie("control")
        }
        // Nominee and trust roles (0.2 spelled the trust ones `…-of-trust`).
        "nominee"
        | "nominator"
        | "settlor"
        | "trustee"
        | "protector"
        | "beneficiaryoflegalarrangement"
        | "settloroftrust"
        | "trusteeoftrust"
        | "protectoroftrust"
        | "beneficiaryoftrust"
        | "otherinfluenceorcontroloftrust" => InterestClass::Tie("cooperation"),
        "unknowninterest" => InterestClass::Unknown,
        "unpublishedinterest" => InterestClass::Unpublished,
        // rightsToSurplusAssetsOnDissolution, rightsToProfitOrIncome, enjoymentAndUseOfAssets,
        // rightToProfitOrIncomeFromAssets and anything else: the contract names no row for them,
        // and reading economic rights as shares would invent equity.
        _ => InterestClass::Unmapped,
    }
}

/// An equity amount as the table holds it (0–1, as decimal text).
#[derive(Debug, Clone, PartialEq)]
enum Amount {
    Exact(String),
    Range(Option<String>, Option<String>),
}

impl std::fmt::Display for Amount {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Amount::Exact(share) => write!(f, "{share}"),
            Amount::Range(min, max) => write!(f, "[{}, {}]", min.as_deref().unwrap_or("0"), max.as_deref().unwrap_or("1")),
        }
    }
}

/// A BODS share (0–100) as an amount: `exact` → a share; otherwise the bounds → a range
/// (exclusivity does not move a bound). `Ok(None)`: no share given. `Err`: both forms of one
/// bound, `exact` with bounds, min > max, or a value that is not a percentage.
///
/// BODS 0.2/0.3 wrote `exclusiveMinimum`/`exclusiveMaximum` as booleans qualifying `minimum` and
/// `maximum`; there they are flags, not bounds.
fn share_of(share: Option<&Value>) -> Result<Option<Amount>, String> {
    let share = match share {
        None | Some(Value::Null) => return Ok(None),
        Some(Value::Object(share)) => share,
        Some(other) => return Err(format!("share {} is not an object", cells::quoted(&other.to_string()))),
    };
    let number = |key: &str| -> Result<Option<f64>, String> {
        let value = match share.get(key) {
            None | Some(Value::Null) | Some(Value::Bool(_)) => return Ok(None),
            Some(Value::Number(n)) => n.as_f64(),
            Some(Value::String(s)) => s.trim().parse::<f64>().ok(),
            Some(_) => None,
        };
        match value {
            Some(v) if v.is_finite() && (0.0..=100.0).contains(&v) => Ok(Some(v)),
            _ => Err(format!("share {key} {} is not a percentage from 0 to 100", cells::quoted(&share[key].to_string()))),
        }
    };
    let exact = number("exact")?;
    let (minimum, exclusive_minimum) = (number("minimum")?, number("exclusiveMinimum")?);
    let (maximum, exclusive_maximum) = (number("maximum")?, number("exclusiveMaximum")?);
    if minimum.is_some() && exclusive_minimum.is_some() {
        return Err("share gives both minimum and exclusiveMinimum".into());
    }
    if maximum.is_some() && exclusive_maximum.is_some() {
        return Err("share gives both maximum and exclusiveMaximum".into());
    }
    let (min, max) = (minimum.or(exclusive_minimum), maximum.or(exclusive_maximum));
    if let Some(exact) = exact {
        if min.is_some() || max.is_some() {
            return Err("share gives exact together with bounds".into());
        }
        return Ok(Some(Amount::Exact(unit(exact))));
    }
    if let (Some(min), Some(max)) = (min, max)
        && min > max
    {
        return Err(format!("share minimum {min} is above its maximum {max}"));
    }
    if min.is_none() && max.is_none() {
        return Ok(None);
    }
    Ok(Some(Amount::Range(min.map(unit), max.map(unit))))
}

/// A percentage as a fraction, by moving the decimal point of its shortest decimal form two places
/// (so 76.5 is `0.765` and 33.33 is `0.3333`, never a binary rounding of the division).
fn unit(percent: f64) -> String {
    let text = format!("{percent}");
    let (int, frac) = text.split_once('.').unwrap_or((&text, ""));
    let int = format!("{int:0>3}");
    let (whole, moved) = int.split_at(int.len() - 2);
    let whole = whole.trim_start_matches('0');
    let frac = format!("{moved}{frac}");
    let frac = frac.trim_end_matches('0');
    match (whole.is_empty(), frac.is_empty()) {
        (true, true) => "0".into(),
        (false, true) => whole.into(),
        (true, false) => format!("0.{frac}"),
        (false, false) => format!("{whole}.{frac}"),
    }
}

fn day_before(date: &str) -> Option<String> {
    let day = chrono::NaiveDate::parse_from_str(date, "%Y-%m-%d").ok()?;
    Some(day.pred_opt()?.format("%Y-%m-%d").to_string())
}

/// One ownership row being built from the versions of a relationship record.
#[derive(Debug, Clone)]
struct Edge {
    from: String,
    to: String,
    relation: &'static str,
    tie_kind: Option<&'static str>,
    amount: Option<Amount>,
    since: Option<String>,
    until: Option<String>,
    source: String,
    source_date: Option<String>,
    location: String,
}

impl Edge {
    /// The same fact (the table's key, `since` included).
    fn same_key(&self, other: &Edge) -> bool {
        self.same_kind(other) && self.since == other.since
    }

    /// The same pair and kind of row.
    fn same_kind(&self, other: &Edge) -> bool {
        self.from == other.from && self.to == other.to && self.relation == other.relation && self.tie_kind == other.tie_kind
    }

    fn describe(&self) -> String {
        let what = match (&self.amount, self.tie_kind) {
            (Some(amount), _) => format!("equity {amount}"),
            (None, Some(kind)) => format!("{kind} tie"),
            (None, None) => self.relation.to_string(),
        };
        format!("{} → {} {what}", self.from, self.to)
    }
}

/// The earlier of an end already given and a new one.
fn earlier(given: Option<String>, new: String) -> String {
    match given {
        Some(given) if given < new => given,
        _ => new,
    }
}

/// The rows of a newer version (`edges`) against the rows open so far (`open`). A row restated
/// with the same key is taken from the newer statement. One whose share changed while its
/// `startDate` stayed ends the day before the new statement's date, and the new version starts on
/// that date. A row the new version no longer gives ends the day before the new statement's date
/// (or the day before a new row of its kind starts, if earlier): the update is the evidence that it
/// no longer holds. Rows that already ended stay as they were. Finished rows go to `finished`;
/// the new open rows are returned.
fn reconcile(open: Vec<Edge>, edges: Vec<Edge>, statement: &Statement, finished: &mut Vec<Edge>, staging: &mut Staging) -> Vec<Edge> {
    let at = statement.top();
    let stated = statement.date.clone();
    let mut matched = vec![false; open.len()];
    let mut result = Vec::new();
    let mut fresh = Vec::new();
    for mut edge in edges {
        let Some(i) = (0..open.len()).find(|&i| !matched[i] && open[i].same_key(&edge)) else {
            fresh.push(edge);
            continue;
        };
        matched[i] = true;
        let previous = &open[i];
        if previous.amount == edge.amount {
            result.push(edge);
            continue;
        }
        let end = stated.as_deref().and_then(day_before);
        let fits = |end: &String| {
            previous.since.as_ref().is_none_or(|since| end >= since)
                && edge.until.as_ref().is_none_or(|until| until >= stated.as_ref().unwrap_or(end))
        };
        match end {
            Some(end) if fits(&end) => {
                let mut old = previous.clone();
                old.until = Some(earlier(old.until.take(), end.clone()));
                let start = stated.clone().unwrap_or_default();
                let message = format!(
                    "the share changes from {} to {} in statement {} with the same startDate; the earlier version ends {end} and this one starts {start}",
                    previous.amount.as_ref().map(ToString::to_string).unwrap_or_default(),
                    edge.amount.as_ref().map(ToString::to_string).unwrap_or_default(),
                    statement.id
                );
                staging.note(&edge.location, "version-ended", message);
                finished.push(old);
                edge.since = Some(start);
                result.push(edge);
            }
            _ => {
                let message = format!(
                    "the share changes from {} to {} in statement {}, which gives no date the change can start on; the newer version replaces the earlier",
                    previous.amount.as_ref().map(ToString::to_string).unwrap_or_default(),
                    edge.amount.as_ref().map(ToString::to_string).unwrap_or_default(),
                    statement.id
                );
                staging.note(&edge.location, "version-replaced", message);
                result.push(edge);
            }
        }
    }
    for (i, mut previous) in open.into_iter().enumerate() {
        if matched[i] {
            continue;
        }
        if let (Some(until), Some(stated)) = (&previous.until, &stated)
            && until < stated
        {
            finished.push(previous);
            continue;
        }
        let Some(mut end) = stated.as_deref().and_then(day_before) else {
            let message = format!(
                "{} is not restated by statement {}, which has no date; the earlier version is left out",
                previous.describe(),
                statement.id
            );
            staging.note(&at, "version-replaced", message);
            continue;
        };
        // A new row of the same kind that starts earlier ends this one the day before it.
        for edge in result.iter().chain(&fresh).filter(|e| e.same_kind(&previous)) {
            if let Some(before) = edge.since.as_deref().and_then(day_before)
                && before < end
                && previous.since.as_ref().is_none_or(|since| &before >= since)
            {
                end = before;
            }
        }
        if previous.since.as_ref().is_some_and(|since| &end < since) {
            let message = format!(
                "{} is not restated by statement {} of {}, dated before it starts; the earlier version is left out",
                previous.describe(),
                statement.id,
                stated.as_deref().unwrap_or_default()
            );
            staging.note(&at, "version-replaced", message);
            continue;
        }
        let end = earlier(previous.until.take(), end);
        let message = format!("{} is not restated by statement {}; it ends {end}", previous.describe(), statement.id);
        staging.note(&previous.location.clone(), "version-ended", message);
        previous.until = Some(end);
        finished.push(previous);
    }
    result.extend(fresh);
    result
}

/// A `closed` record: rows without an end end the day before the closing `statementDate`.
fn close(open: &mut Vec<Edge>, statement: &Statement, staging: &mut Staging) {
    let Some(end) = statement.date.as_deref().and_then(day_before) else {
        if open.iter().any(|e| e.until.is_none()) {
            staging.note(&statement.top(), "record-closed", "the record is closed by a statement without a date; its rows stay open");
        }
        return;
    };
    let mut kept = Vec::new();
    for mut edge in std::mem::take(open) {
        if edge.until.is_some() {
            kept.push(edge);
            continue;
        }
        if edge.since.as_ref().is_some_and(|since| &end < since) {
            let message = format!("{} starts after the record is closed (statement {}); left out", edge.describe(), statement.id);
            staging.note(&statement.top(), "record-closed", message);
            continue;
        }
        let message = format!("the record is closed by statement {}; {} ends {end}", statement.id, edge.describe());
        staging.note(&statement.top(), "record-closed", message);
        edge.until = Some(end.clone());
        kept.push(edge);
    }
    *open = kept;
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;

    use super::*;
    use crate::ingest::{KnownFacts, Report, Source};
    use crate::published::{Format, Staged, stage_bytes};

    const INDIRECT: &[u8] = include_bytes!("../../tests/fixtures/published/bods/multiple-indirect-ownership.json");
    const SOE: &[u8] = include_bytes!("../../tests/fixtures/published/bods/bods-package-fi-soe.json");
    const RANGE: &[u8] = include_bytes!("../../tests/fixtures/published/bods/bods-package-entity-owning-entity.json");
    const PSC: &[u8] = include_bytes!("../../tests/fixtures/published/bods/bods-package-linking-annotations.json");
    const CIRCULAR: &[u8] = include_bytes!("../../tests/fixtures/published/bods/10-circular-ownership.json");

    type Row = BTreeMap<String, String>;

    fn stage(name: &str, bytes: &[u8]) -> Staged {
        stage_bytes(Format::Bods, name, bytes, &KnownFacts::default())
    }

    /// RFC 4180 records (the staged text quotes every non-empty cell).
    fn parse_csv(text: &str) -> Vec<Vec<String>> {
        let mut records = Vec::new();
        let (mut record, mut cell, mut quoted) = (Vec::new(), String::new(), false);
        let mut chars = text.chars().peekable();
        while let Some(c) = chars.next() {
            match (quoted, c) {
                (true, '"') if chars.peek() == Some(&'"') => {
                    chars.next();
                    cell.push('"');
                }
                (true, '"') => quoted = false,
                (true, c) => cell.push(c),
                (false, '"') => quoted = true,
                (false, ',') => record.push(std::mem::take(&mut cell)),
                (false, '\n') => {
                    record.push(std::mem::take(&mut cell));
                    records.push(std::mem::take(&mut record));
                }
                (false, c) => cell.push(c),
            }
        }
        records
    }

    /// The staged rows of a table, by column name.
    fn rows(staged: &Staged, table: &str) -> Vec<Row> {
        let Some(input) = staged.inputs.iter().find(|i| i.table.name == table) else { return Vec::new() };
        let Source::Text(bytes) = &input.source else { panic!("staged inputs are text") };
        let records = parse_csv(std::str::from_utf8(bytes).unwrap());
        let header = &records[0];
        records[1..].iter().map(|r| header.iter().cloned().zip(r.iter().cloned()).collect()).collect()
    }

    fn edges(staged: &Staged, from: &str, to: &str) -> Vec<Row> {
        rows(staged, "ownership").into_iter().filter(|r| r["from_id"] == from && r["to_id"] == to).collect()
    }

    fn entity(staged: &Staged, id: &str) -> Row {
        rows(staged, "entities").into_iter().find(|r| r["entity_id"] == id).unwrap_or_else(|| panic!("no entity {id}"))
    }

    /// The notes as `location code`.
    fn notes(staged: &Staged) -> Vec<String> {
        staged.notes.iter().map(|n| format!("{} {}", n.location, n.code)).collect()
    }

    fn has_note(staged: &Staged, location: &str, code: &str) -> bool {
        staged.notes.iter().any(|n| n.location == location && n.code == code)
    }

    /// Imports the staged rows into a fresh store, as `vetta import` would.
    fn import(staged: &Staged) -> (tempfile::TempDir, crate::store::Store, Report) {
        let dir = tempfile::tempdir().unwrap();
        let (mut store, _) = crate::store::Store::open(&dir.path().join("vetta.db")).unwrap();
        let known = store.known_facts().unwrap();
        let mut report = Report::default();
        if let Some(dataset) = crate::ingest::read(&staged.inputs, &known, &mut report) {
            store.apply(&dataset, "bods").unwrap();
        }
        (dir, store, report)
    }

    #[test]
    fn a_declared_indirect_aggregate_gives_no_edge_while_the_direct_chain_stays() {
        let staged = stage("multiple-indirect-ownership.json", INDIRECT);
        let (b, c, d, person) = ("bods:63e3a8a8946f", "bods:d177864a8b39", "bods:05fbbfb94b79", "bods:92ebf964a1f6");
        assert!(edges(&staged, person, b).is_empty(), "the 60 % is the chain through C and D, counted once");
        assert!(has_note(&staged, "/8/recordDetails/interests/0", "indirect-aggregate"), "{:?}", notes(&staged));
        for owner in [c, d] {
            let edge = &edges(&staged, owner, b)[0];
            assert_eq!((edge["relation"].as_str(), edge["share"].as_str(), edge["since"].as_str()), ("equity", "0.5", "2017-11-01"));
            assert_eq!(edge["source_date"], "2017-12-01", "the statement's publicationDate");
        }
        assert_eq!(edges(&staged, c, b)[0]["source"], "multiple-indirect-ownership.json statementId 3cfba7c7-95c9-4194-9d6b-0ce063a4d4c5");
        // The person's interests in C and D have no type: no row, reported.
        assert!(has_note(&staged, "/6/recordDetails/interests/0", "unknown-interest"));
        assert!(has_note(&staged, "/7/recordDetails/interests/0", "unknown-interest"));
        let person_row = entity(&staged, person);
        assert_eq!(
            (person_row["name"].as_str(), person_row["kind"].as_str(), person_row["country"].as_str()),
            ("Person 1", "person", "UA")
        );
        assert_eq!(entity(&staged, b)["name"], "Company B");
        let ids = rows(&staged, "identifiers");
        let has = |entity: &str, scheme: &str, value: &str| {
            ids.iter().any(|r| r["entity_id"] == entity && r["scheme"] == scheme && r["value"] == value)
        };
        assert!(has(b, "UA-EDR", "UA-XE-02") && has(c, "GB-COH", "GB-XE-03") && has(d, "GB-COH", "GB-XE-04"), "{ids:?}");
        assert!(has(b, "BODS", "63e3a8a8946f") && has(person, "BODS", "92ebf964a1f6"), "the record id is an identifier too");
        assert_eq!(staged.files[0].table, "bods");
        assert_eq!(staged.files[0].rows, 9, "nine statements");
    }

    #[test]
    fn a_state_owned_enterprise_keeps_its_exact_shares_and_state_bodies() {
        let staged = stage("bods-package-fi-soe.json", SOE);
        let (gasgrid, kaasuverkko, ministry, state) = ("bods:19f1c5afe9d7", "bods:0199c515a699", "bods:7ff95ba3682c", "bods:05ce06ec97b1");
        assert_eq!(edges(&staged, kaasuverkko, gasgrid)[0]["share"], "0.765");
        assert_eq!(edges(&staged, ministry, gasgrid)[0]["share"], "0.235");
        assert_eq!(edges(&staged, ministry, kaasuverkko)[0]["share"], "1");
        let control = &edges(&staged, state, ministry)[0];
        assert_eq!((control["relation"].as_str(), control["tie_kind"].as_str()), ("tie", "control"), "otherInfluenceOrControl");
        assert!(edges(&staged, state, gasgrid).is_empty(), "the indirect 100 % is the chain, declared again");
        assert!(has_note(&staged, "/8/recordDetails/interests/0", "indirect-aggregate"));
        let ministry_row = entity(&staged, ministry);
        assert_eq!(
            (ministry_row["kind"].as_str(), ministry_row["state_affiliated"].as_str(), ministry_row["country"].as_str()),
            ("state_body", "true", "FI")
        );
        assert!(ministry_row["notes"].contains("stateBody") && ministry_row["notes"].contains("governmentDepartment"), "{ministry_row:?}");
        assert_eq!(entity(&staged, state)["kind"], "state_body", "entityType state");
        assert_eq!((entity(&staged, gasgrid)["kind"].as_str(), entity(&staged, gasgrid)["state_affiliated"].as_str()), ("company", ""));
        let aliases = rows(&staged, "aliases");
        assert!(
            aliases.iter().any(|a| a["entity_id"] == ministry && a["name"] == "Finansministeriet" && a["kind"] == "aka"),
            "{aliases:?}"
        );
        assert!(aliases.iter().any(|a| a["entity_id"] == state && a["name"] == "Republic of Finland"));
        let ids = rows(&staged, "identifiers");
        assert!(ids.iter().any(|r| r["entity_id"] == gasgrid && r["scheme"] == "FI-PRO" && r["value"] == "3007894-1"));
        let (_dir, _store, report) = import(&staged);
        assert!(report.is_ok(), "{:?}", report.errors);
    }

    #[test]
    fn a_minimum_with_an_exclusive_maximum_is_a_range() {
        let staged = stage("bods-package-entity-owning-entity.json", RANGE);
        let edge = &edges(&staged, "bods:e83cce729ada", "bods:12b7dd0770ce")[0];
        assert_eq!((edge["share"].as_str(), edge["share_min"].as_str(), edge["share_max"].as_str()), ("", "0.75", "1"));
        let jenex = entity(&staged, "bods:12b7dd0770ce");
        assert_eq!((jenex["name"].as_str(), jenex["country"].as_str()), ("JENEX LIMITED", "XRW"), "no jurisdiction, no address");
        assert!(jenex["notes"].contains("founded 1996-06-10"));
        assert!(staged.notes.iter().any(|n| n.code == "no-country" && n.location == "/0"), "{:?}", notes(&staged));
        assert!(rows(&staged, "identifiers").iter().any(|r| r["scheme"] == "GB-COH" && r["value"] == "03209885"), "leading zeros kept");
    }

    #[test]
    fn a_psc_band_is_the_range_of_its_exclusive_bounds() {
        let staged = stage("bods-package-linking-annotations.json", PSC);
        let edge = &edges(&staged, "bods:0fc263ba4126", "bods:a01c1a0863e2")[0];
        assert_eq!((edge["share_min"].as_str(), edge["share_max"].as_str()), ("0.25", "0.5"), "exclusivity does not move a bound");
        assert_eq!((edge["since"].as_str(), edge["until"].as_str()), ("2018-09-19", ""));
        assert!(has_note(&staged, "/2/recordDetails/interests/0", "unknown-directness"), "directOrIndirect not given");
        assert_eq!(entity(&staged, "bods:0fc263ba4126")["name"], "Mr Jeremy Hunt");
        let (_dir, _store, report) = import(&staged);
        assert!(report.is_ok(), "{:?}", report.errors);
    }

    #[test]
    fn circular_ownership_imports_both_edges() {
        let staged = stage("10-circular-ownership.json", CIRCULAR);
        let (alpha, beta) = ("bods:rec-alpha-corp", "bods:rec-beta-corp");
        assert_eq!(edges(&staged, alpha, beta)[0]["share"], "1");
        assert_eq!(edges(&staged, beta, alpha)[0]["share"], "1");
        assert_eq!(entity(&staged, alpha)["country"], "GB");
        let (_dir, store, report) = import(&staged);
        assert!(report.is_ok(), "{:?}", report.errors);
        assert_eq!(store.rows(&tables::OWNERSHIP).unwrap().len(), 2);
    }

    #[test]
    fn every_sample_imports_into_a_fresh_store_without_stubs() {
        for (name, bytes) in [
            ("multiple-indirect-ownership.json", INDIRECT),
            ("bods-package-fi-soe.json", SOE),
            ("bods-package-entity-owning-entity.json", RANGE),
            ("bods-package-linking-annotations.json", PSC),
            ("10-circular-ownership.json", CIRCULAR),
        ] {
            let staged = stage(name, bytes);
            assert!(!staged.notes.iter().any(|n| n.code == "stub-entity" || n.code == "invalid-value"), "{name}: {:?}", notes(&staged));
            let (_dir, store, report) = import(&staged);
            assert!(report.is_ok(), "{name}: {:?}", report.errors);
            assert_eq!(store.rows(&tables::ENTITIES).unwrap().len(), rows(&staged, "entities").len(), "{name}");
        }
    }

    /// JSON lines: one statement a line; locations are lines.
    fn lines(statements: &[&str]) -> Vec<u8> {
        statements.join("\n").into_bytes()
    }

    const ALPHA: &str = r#"{"statementId": "s-a", "statementDate": "2020-01-01", "recordId": "alpha", "recordType": "entity", "recordStatus": "new", "recordDetails": {"entityType": {"type": "registeredEntity"}, "name": "Alpha", "jurisdiction": {"code": "DE"}}}"#;
    const BOB: &str = r#"{"statementId": "s-b", "statementDate": "2020-01-01", "recordId": "bob", "recordType": "person", "recordStatus": "new", "recordDetails": {"personType": "knownPerson", "names": [{"type": "alternative", "fullName": "Bobby"}, {"type": "legal", "fullName": "Bob Example"}, {"type": "transliteration", "fullName": "Боб"}], "nationalities": [{"code": "gb"}]}}"#;

    /// A relationship statement bob → alpha.
    fn relationship(id: &str, date: &str, status: &str, interests: &str) -> String {
        format!(
            r#"{{"statementId": "{id}", "statementDate": "{date}", "publicationDetails": {{"publicationDate": "{date}"}}, "recordId": "rel", "recordType": "relationship", "recordStatus": "{status}", "recordDetails": {{"subject": "alpha", "interestedParty": "bob", "interests": [{interests}]}}}}"#
        )
    }

    #[test]
    fn an_update_that_changes_a_share_ends_the_previous_version() {
        let first = relationship(
            "v1",
            "2020-01-01",
            "new",
            r#"{"type": "shareholding", "directOrIndirect": "direct", "share": {"exact": 30}, "startDate": "2019-06-01"}"#,
        );
        let second = relationship(
            "v2",
            "2021-03-01",
            "updated",
            r#"{"type": "shareholding", "directOrIndirect": "direct", "share": {"exact": 45}, "startDate": "2019-06-01"}"#,
        );
        // The update comes first in the file: versions are ordered by statementDate.
        let staged = stage("updates.jsonl", &lines(&[ALPHA, BOB, &second, &first]));
        let mut versions = edges(&staged, "bods:bob", "bods:alpha");
        versions.sort_by(|a, b| a["since"].cmp(&b["since"]));
        let dates: Vec<_> = versions.iter().map(|r| (r["since"].as_str(), r["until"].as_str(), r["share"].as_str())).collect();
        assert_eq!(dates, [("2019-06-01", "2021-02-28", "0.3"), ("2021-03-01", "", "0.45")]);
        assert_eq!(versions[1]["source"], "updates.jsonl statementId v2");
        assert_eq!(versions[0]["source_date"], "2020-01-01");
        assert!(has_note(&staged, "3", "version-ended"), "JSON lines are located by line: {:?}", notes(&staged));
        let (_dir, _store, report) = import(&staged);
        assert!(report.is_ok(), "{:?}", report.errors);
    }

    #[test]
    fn a_restated_version_is_one_row_and_a_dropped_interest_ends() {
        let first = relationship(
            "v1",
            "2020-01-01",
            "new",
            r#"{"type": "shareholding", "directOrIndirect": "direct", "share": {"exact": 30}, "startDate": "2019-06-01"}, {"type": "boardMember", "directOrIndirect": "direct", "startDate": "2019-06-01"}"#,
        );
        let second = relationship(
            "v2",
            "2020-07-15",
            "updated",
            r#"{"type": "shareholding", "directOrIndirect": "direct", "share": {"exact": 30}, "startDate": "2019-06-01"}"#,
        );
        let staged = stage("restated.jsonl", &lines(&[ALPHA, BOB, &first, &second]));
        let equity: Vec<_> = edges(&staged, "bods:bob", "bods:alpha").into_iter().filter(|r| r["relation"] == "equity").collect();
        assert_eq!(equity.len(), 1, "the same share restated is one row");
        assert_eq!((equity[0]["until"].as_str(), equity[0]["source"].as_str()), ("", "restated.jsonl statementId v2"));
        assert!(!staged.notes.iter().any(|n| n.code == "duplicate-key"), "{:?}", notes(&staged));
        let board = edges(&staged, "bods:bob", "bods:alpha").into_iter().find(|r| r["tie_kind"] == "board").expect("the board tie");
        assert_eq!(board["until"], "2020-07-14", "not restated: ends the day before the update");
        assert!(has_note(&staged, "3", "version-ended"));
    }

    #[test]
    fn a_closed_record_ends_the_day_before_its_statement_and_end_dates_are_exclusive() {
        let first = relationship(
            "v1",
            "2020-01-01",
            "new",
            r#"{"type": "shareholding", "directOrIndirect": "direct", "share": {"exact": 20}, "startDate": "2019"}, {"type": "seniorManagingOfficial", "directOrIndirect": "direct", "startDate": "2019-02-01", "endDate": "2020-03-01"}"#,
        );
        let closing = relationship(
            "v2",
            "2022-05-10",
            "closed",
            r#"{"type": "shareholding", "directOrIndirect": "direct", "share": {"exact": 20}, "startDate": "2019"}, {"type": "seniorManagingOfficial", "directOrIndirect": "direct", "startDate": "2019-02-01", "endDate": "2020-03-01"}"#,
        );
        let staged = stage("closed.jsonl", &lines(&[ALPHA, BOB, &first, &closing]));
        let rows = edges(&staged, "bods:bob", "bods:alpha");
        let equity = rows.iter().find(|r| r["relation"] == "equity").unwrap();
        assert_eq!(
            (equity["since"].as_str(), equity["until"].as_str()),
            ("2019-01-01", "2022-05-09"),
            "a partial start takes its first day"
        );
        assert!(has_note(&staged, "3", "partial-date") && has_note(&staged, "4", "record-closed"), "{:?}", notes(&staged));
        let personnel = rows.iter().find(|r| r["tie_kind"] == "personnel").unwrap();
        assert_eq!(personnel["until"], "2020-02-29", "endDate is the first day without the interest");
        let (_dir, _store, report) = import(&staged);
        assert!(report.is_ok(), "{:?}", report.errors);
    }

    #[test]
    fn a_closing_statement_without_details_only_closes() {
        let first =
            relationship("v1", "2020-01-01", "new", r#"{"type": "shareholding", "directOrIndirect": "direct", "share": {"exact": 20}}"#);
        let closing = r#"{"statementId": "v2", "statementDate": "2021-01-01", "recordId": "rel", "recordType": "relationship", "recordStatus": "closed"}"#;
        let staged = stage("closing.jsonl", &lines(&[ALPHA, BOB, &first, closing]));
        let edge = &edges(&staged, "bods:bob", "bods:alpha")[0];
        assert_eq!((edge["share"].as_str(), edge["until"].as_str()), ("0.2", "2020-12-31"));
        assert!(!staged.notes.iter().any(|n| n.code == "no-subject" || n.code == "unspecified-party"), "{:?}", notes(&staged));
    }

    #[test]
    fn persons_take_their_legal_name_and_first_nationality() {
        let staged = stage("people.jsonl", &lines(&[BOB]));
        let bob = entity(&staged, "bods:bob");
        assert_eq!((bob["name"].as_str(), bob["kind"].as_str(), bob["country"].as_str()), ("Bob Example", "person", "GB"));
        let aliases: Vec<_> = rows(&staged, "aliases").into_iter().map(|a| (a["name"].clone(), a["kind"].clone())).collect();
        assert_eq!(aliases, [("Bobby".to_string(), "aka".to_string()), ("Боб".to_string(), "translit".to_string())]);
    }

    #[test]
    fn bods_0_2_and_0_3_statements_are_read_with_statement_ids_as_references() {
        let document = r#"[
          {"statementID": "e1", "statementType": "entityStatement", "statementDate": "2018-01-01", "entityType": "registeredEntity",
           "name": "Old Name Ltd", "incorporatedInJurisdiction": {"name": "United Kingdom", "code": "GB"},
           "identifiers": [{"scheme": "GB-COH", "id": "01234567"}], "publicationDetails": {"publicationDate": "2018-02-01", "bodsVersion": "0.2"}},
          {"statementID": "e2", "statementType": "entityStatement", "statementDate": "2019-01-01", "entityType": "registeredEntity",
           "name": "New Name Ltd", "addresses": [{"type": "registered", "address": "1 Road", "country": "GB"}],
           "replacesStatements": ["e1", "e0-not-here"], "publicationDetails": {"publicationDate": "2019-02-01", "bodsVersion": "0.3"}},
          {"statementID": "p1", "statementType": "personStatement", "statementDate": "2018-01-01", "personType": "knownPerson",
           "names": [{"type": "individual", "fullName": "Jane Doe", "givenName": "Jane", "familyName": "Doe"}], "nationalities": [{"code": "FR"}]},
          {"statementID": "o1", "statementType": "ownershipOrControlStatement", "statementDate": "2019-01-01",
           "subject": {"describedByEntityStatement": "e2"}, "interestedParty": {"describedByPersonStatement": "p1"},
           "interests": [{"type": "shareholding", "interestLevel": "direct", "share": {"minimum": 25, "maximum": 50, "exclusiveMinimum": true, "exclusiveMaximum": false}, "startDate": "2016-04-06"},
                         {"type": "voting-rights", "interestLevel": "direct", "share": {"exact": 40}},
                         {"type": "appointment-of-board", "interestLevel": "direct"},
                         {"type": "trustee-of-trust", "directOrIndirect": "direct"}]},
          {"statementID": "o2", "statementType": "ownershipOrControlStatement", "statementDate": "2019-01-01",
           "subject": {"describedByEntityStatement": "e-absent"}, "interestedParty": {"describedByEntityStatement": "e1"},
           "interests": [{"type": "shareholding", "interestLevel": "unknown", "share": {"exact": 10}}]}
        ]"#;
        let staged = stage("legacy.json", document.as_bytes());
        // e1 and e2 are one record, named by its first statement; the newest version gives the row.
        let company = entity(&staged, "bods:e1");
        assert_eq!((company["name"].as_str(), company["country"].as_str()), ("New Name Ltd", "GB"), "registered address country");
        assert!(rows(&staged, "entities").iter().all(|r| r["entity_id"] != "bods:e2"));
        let aliases = rows(&staged, "aliases");
        assert!(aliases.iter().any(|a| a["entity_id"] == "bods:e1" && a["name"] == "Old Name Ltd" && a["kind"] == "fka"), "{aliases:?}");
        let ids = rows(&staged, "identifiers");
        for value in ["e1", "e2"] {
            assert!(ids.iter().any(|r| r["entity_id"] == "bods:e1" && r["scheme"] == "BODS" && r["value"] == value), "{value}");
        }
        assert!(ids.iter().any(|r| r["entity_id"] == "bods:e1" && r["scheme"] == "GB-COH" && r["value"] == "01234567"));
        assert!(has_note(&staged, "/1/replacesStatements/1", "replaces-absent"), "{:?}", notes(&staged));
        let jane = entity(&staged, "bods:p1");
        assert_eq!((jane["name"].as_str(), jane["kind"].as_str(), jane["country"].as_str()), ("Jane Doe", "person", "FR"));
        // The statement e2 stands for its record e1.
        let owned = edges(&staged, "bods:p1", "bods:e1");
        let equity: Vec<_> = owned.iter().filter(|r| r["relation"] == "equity").collect();
        assert_eq!(equity.len(), 1, "voting rights beside a shareholding are not equity again: {owned:?}");
        assert_eq!(
            (equity[0]["share_min"].as_str(), equity[0]["share_max"].as_str(), equity[0]["since"].as_str()),
            ("0.25", "0.5", "2016-04-06")
        );
        assert!(has_note(&staged, "/3/interests/1", "voting-with-shareholding"));
        let kinds: Vec<_> = owned.iter().filter(|r| r["relation"] == "tie").map(|r| r["tie_kind"].as_str()).collect();
        assert_eq!(kinds, ["board", "cooperation"]);
        // A statement the file does not have: a stub, and the reference stays the statement id.
        assert_eq!(edges(&staged, "bods:e1", "bods:e-absent")[0]["share"], "0.1");
        assert!(has_note(&staged, "/4/interests/0", "unknown-directness") && staged.notes.iter().any(|n| n.code == "stub-entity"));
        let (_dir, _store, report) = import(&staged);
        assert!(report.is_ok(), "{:?}", report.errors);
    }

    #[test]
    fn an_undisclosed_interested_party_is_an_opacity_note_not_an_edge() {
        let v04 = r#"{"statementId": "u1", "statementDate": "2021-01-01", "recordId": "rel-u", "recordType": "relationship", "recordStatus": "new", "recordDetails": {"subject": "alpha", "interestedParty": {"reason": "subjectExemptFromDisclosure", "description": "listed company"}, "interests": [{"type": "shareholding", "share": {"exact": 80}}]}}"#;
        let v02 = r#"{"statementID": "u2", "statementType": "ownershipOrControlStatement", "subject": {"describedByEntityStatement": "x"}, "interestedParty": {"unspecified": {"reason": "unknown"}}, "interests": [{"type": "shareholding"}]}"#;
        let staged = stage("opaque.jsonl", &lines(&[ALPHA, v04, v02]));
        assert!(rows(&staged, "ownership").is_empty());
        let opaque: Vec<_> = staged.notes.iter().filter(|n| n.code == "unspecified-party").collect();
        assert_eq!(opaque.len(), 2, "{:?}", notes(&staged));
        assert_eq!(opaque[0].location, "2");
        assert!(opaque[0].message.contains("subjectExemptFromDisclosure") && opaque[0].message.contains("listed company"));
    }

    #[test]
    fn shares_that_cannot_be_read_faithfully_are_left_out_and_reported() {
        let interests = [
            r#"{"type": "shareholding", "directOrIndirect": "direct", "share": {"exact": 30, "minimum": 25}}"#,
            r#"{"type": "shareholding", "directOrIndirect": "direct", "share": {"minimum": 25, "exclusiveMinimum": 25}, "startDate": "2001-01-01"}"#,
            r#"{"type": "shareholding", "directOrIndirect": "direct", "share": {"minimum": 60, "maximum": 40}, "startDate": "2002-01-01"}"#,
            r#"{"type": "shareholding", "directOrIndirect": "direct", "share": {"exact": 150}, "startDate": "2003-01-01"}"#,
            r#"{"type": "shareholding", "directOrIndirect": "direct", "startDate": "2004-01-01"}"#,
        ];
        let statement = relationship("bad", "2020-01-01", "new", &interests.join(", "));
        let document = format!("[{ALPHA}, {BOB}, {statement}]");
        let staged = stage("shares.json", document.as_bytes());
        for k in 0..4 {
            assert!(has_note(&staged, &format!("/2/recordDetails/interests/{k}/share"), "bad-share"), "{k}: {:?}", notes(&staged));
        }
        let left = edges(&staged, "bods:bob", "bods:alpha");
        assert_eq!(left.len(), 1, "only the interest without a share stays: {left:?}");
        assert_eq!((left[0]["share_min"].as_str(), left[0]["share_max"].as_str()), ("0", "1"));
        assert!(has_note(&staged, "/2/recordDetails/interests/4", "no-share"));
    }

    #[test]
    fn interest_types_map_to_ties_and_the_unknown_ones_are_reported() {
        let interests = [
            ("boardChair", Some("board")),
            ("seniorManagingOfficial", Some("personnel")),
            ("rightsGrantedByContract", Some("contract")),
            ("controlByLegalFramework", Some("control")),
            ("nominee", Some("cooperation")),
            ("unknownInterest", None),
            ("unpublishedInterest", None),
            ("rightsToProfitOrIncome", None),
        ];
        let body: Vec<String> = interests
            .iter()
            .enumerate()
            .map(|(k, (kind, _))| format!(r#"{{"type": "{kind}", "directOrIndirect": "direct", "startDate": "201{k}-01-01"}}"#))
            .collect();
        let statement = relationship("ties", "2020-01-01", "new", &body.join(", "));
        let staged = stage("ties.json", format!("[{ALPHA}, {BOB}, {statement}]").as_bytes());
        let rows = edges(&staged, "bods:bob", "bods:alpha");
        for (k, (kind, tie)) in interests.iter().enumerate() {
            let row = rows.iter().find(|r| r["since"] == format!("201{k}-01-01"));
            assert_eq!(row.map(|r| r["tie_kind"].as_str()), *tie, "{kind}");
        }
        for (k, code) in [(5, "unknown-interest"), (6, "unpublished-interest"), (7, "unmapped-interest")] {
            assert!(has_note(&staged, &format!("/2/recordDetails/interests/{k}"), code), "{code}: {:?}", notes(&staged));
        }
    }

    #[test]
    fn voting_rights_are_equity_only_where_the_pair_has_no_shareholding() {
        let statement =
            relationship("vote", "2020-01-01", "new", r#"{"type": "votingRights", "directOrIndirect": "direct", "share": {"exact": 51}}"#);
        let staged = stage("votes.json", format!("[{ALPHA}, {BOB}, {statement}]").as_bytes());
        let edge = &edges(&staged, "bods:bob", "bods:alpha")[0];
        assert_eq!((edge["relation"].as_str(), edge["share"].as_str()), ("equity", "0.51"));
    }

    #[test]
    fn identifier_schemes_are_mapped_normalised_or_reported() {
        let statement = r#"{"statementId": "s", "statementDate": "2020-01-01", "recordId": "msft", "recordType": "entity", "recordDetails": {"entityType": {"type": "registeredEntity"}, "name": "Microsoft Corporation", "jurisdiction": {"code": "US-WA"}, "identifiers": [
            {"scheme": "XI-LEI", "id": "INR2EJN1ERAN0W5ZP974"}, {"scheme": "us sec", "id": "789019"}, {"scheme": "1X", "id": "a"},
            {"schemeName": "OpenCorporates", "id": "b"}, {"scheme": "GB-COH"}]}}"#;
        let staged = stage("ids.json", format!("[{statement}]").as_bytes());
        let ids: Vec<_> = rows(&staged, "identifiers").into_iter().map(|r| (r["scheme"].clone(), r["value"].clone())).collect();
        let pairs: Vec<(&str, &str)> = ids.iter().map(|(s, v)| (s.as_str(), v.as_str())).collect();
        assert_eq!(pairs, [("BODS", "msft"), ("LEI", "INR2EJN1ERAN0W5ZP974"), ("US-SEC", "789019")]);
        assert_eq!(entity(&staged, "bods:msft")["country"], "US", "a subdivision keeps its country");
        let at = |k: usize| format!("/0/recordDetails/identifiers/{k}");
        assert!(has_note(&staged, &at(1), "scheme-normalised") && !has_note(&staged, &at(0), "scheme-normalised"));
        assert!(
            has_note(&staged, &at(2), "bad-scheme")
                && has_note(&staged, &at(3), "no-scheme")
                && has_note(&staged, &at(4), "bad-identifier")
        );
        let (_dir, _store, report) = import(&staged);
        assert!(report.is_ok(), "{:?}", report.errors);
    }

    #[test]
    fn hostile_names_are_kept_verbatim_through_the_store() {
        let hostile = "<script>alert(1)</script> =1+1 \u{202e}cod.exe\u{7} \"quoted\", comma";
        let statement = serde_json::json!([{
            "statementId": "h", "statementDate": "2020-01-01", "recordId": "hostile", "recordType": "entity",
            "recordDetails": {"entityType": {"type": "registeredEntity"}, "name": hostile, "jurisdiction": {"code": "NL"}}
        }]);
        let staged = stage("hostile.json", statement.to_string().as_bytes());
        assert_eq!(entity(&staged, "bods:hostile")["name"], hostile);
        let (_dir, store, report) = import(&staged);
        assert!(report.is_ok(), "{:?}", report.errors);
        let stored = store.rows(&tables::ENTITIES).unwrap();
        assert_eq!(stored[0][tables::ENTITIES.index("name")].as_str(), Some(hostile));
    }

    #[test]
    fn invalid_record_ids_are_hashed_once_and_bad_lines_are_reported() {
        let odd = r#"{"statementId": "o", "statementDate": "2020-01-01", "recordId": "has space/slash", "recordType": "entity", "recordDetails": {"entityType": {"type": "registeredEntity"}, "name": "Odd", "jurisdiction": {"code": "FR"}}}"#;
        let rel = r#"{"statementId": "r", "statementDate": "2020-01-01", "recordId": "r", "recordType": "relationship", "recordDetails": {"subject": "has space/slash", "interestedParty": "alpha", "interests": [{"type": "shareholding", "directOrIndirect": "direct", "share": {"exact": 10}}]}}"#;
        let staged = stage("odd.jsonl", &lines(&[odd, "{not json", "", ALPHA, rel]));
        let hashed = crate::published::text::namespaced_id("bods", "has space/slash").0;
        assert_eq!(entity(&staged, &hashed)["name"], "Odd");
        assert_eq!(edges(&staged, "bods:alpha", &hashed).len(), 1, "the reference finds the hashed id");
        assert_eq!(staged.notes.iter().filter(|n| n.code == "id-hashed").count(), 1);
        assert!(has_note(&staged, "2", "bad-json"));
        assert!(
            rows(&staged, "identifiers")
                .iter()
                .any(|r| r["entity_id"] == hashed && r["scheme"] == "BODS" && r["value"] == "has space/slash")
        );
    }

    #[test]
    fn percentages_become_fractions_without_binary_rounding() {
        for (percent, fraction) in
            [(76.5, "0.765"), (23.5, "0.235"), (33.33, "0.3333"), (100.0, "1"), (0.0, "0"), (5.0, "0.05"), (0.5, "0.005"), (12.0, "0.12")]
        {
            assert_eq!(unit(percent), fraction, "{percent}");
        }
    }
}
