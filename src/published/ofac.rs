//! OFAC's SDN list in its legacy CSV files (open-formats.md, "US lists"): `sdn.csv` with its
//! companions `add.csv` (addresses), `alt.csv` (alternate names) and `sdn_comments.csv` (remarks
//! longer than the 1,000 characters `sdn.csv` holds). No header; `-0-` is empty; CRLF or LF.
//!
//! The files are read with a small lenient reader of their own, not the strict RFC 4180 reader of
//! `ingest::csv`: OFAC does not always escape a quote inside a quoted field, and the contract asks
//! to read such fields and report the repair (`quote-repaired`).
//!
//! Decisions where the contract leaves room (each also a report code):
//! - **The designation date.** The files state none: `effective` is the date of the `sdn.csv` file
//!   (its modification date, which the framework records) with `effective_precision =
//!   on_or_before`; with no date at all the designation is left out (`no-date`), the entity stays.
//! - **Country.** A person's country is the first `nationality`, else `citizen` country of the
//!   remarks, else the first address country; a company's is the first address country (in
//!   `add.csv` order). Addresses in several countries are reported (`several-countries`).
//! - **`Linked To:`** names are matched to `SDN_Name` exactly; a name at the end of the remarks is
//!   tried with and without the full stop that ends the remarks (`… LTD.`). The tie runs from the
//!   entry that names the link to the entry named (ties are undirected for the ties factor).
//! - **Identifiers from the remarks**: the document types of [`text::us_list_scheme`]; passports,
//!   e-mail addresses, telephone numbers, digital currency addresses and the like are not imported
//!   (they stay readable in the entity's `notes`, which hold the remarks verbatim).
//! - `alt.csv` rows and `a.k.a.` remarks naming the same alias are one alias (the `alt.csv` row).
//! - Files beside `sdn.csv` are recognised by name; a file of the format with any other name is an
//!   `sdn.csv`. Companion files with no `sdn.csv` in the import are reported and not read
//!   (`companion-without-sdn`): their rows would all be orphans.

use std::collections::{HashMap, HashSet};

use super::text;
use super::{FileBytes, Staging};
use crate::ingest::cells::quoted;
use crate::ingest::tables;

/// The list code of the SDN list.
const LIST: &str = "US-OFAC-SDN";

/// A deferred report line of the reader: (location, code, message).
type Remark = (String, &'static str, String);

/// One record of an OFAC file: the physical line it starts on and its fields (trimmed; `-0-` is
/// empty).
#[derive(Debug, Clone)]
struct Record {
    line: u64,
    fields: Vec<String>,
}

impl Record {
    fn get(&self, index: usize) -> &str {
        self.fields.get(index).map_or("", String::as_str)
    }

    fn location(&self) -> String {
        self.line.to_string()
    }
}

/// What one file of the group is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Role {
    Sdn,
    Add,
    Alt,
    Comments,
}

impl Role {
    fn of(name: &str) -> Role {
        match name.to_ascii_lowercase().as_str() {
            "add.csv" => Role::Add,
            "alt.csv" => Role::Alt,
            "sdn_comments.csv" => Role::Comments,
            _ => Role::Sdn,
        }
    }

    /// The number of fields a record of the file has.
    fn fields(self) -> usize {
        match self {
            Role::Sdn => 12,
            Role::Add => 6,
            Role::Alt => 5,
            Role::Comments => 2,
        }
    }
}

/// An SDN entry as the companions need to know it.
#[derive(Debug, Clone)]
struct Entry {
    name: String,
    /// `Some("vessel")`/`Some("aircraft")`/`Some(type)` when the entry is left out.
    skipped: Option<String>,
}

pub(super) fn stage(files: &[FileBytes], staging: &mut Staging) {
    let parsed: Vec<(Role, &FileBytes, Vec<Record>, Vec<Remark>)> = files
        .iter()
        .map(|file| {
            let role = Role::of(&file.file.name);
            let (records, remarks) = read(&file.bytes, role.fields());
            (role, file, records, remarks)
        })
        .collect();

    // The entries of every sdn.csv of the import, by ent_num.
    let mut entries: HashMap<String, Entry> = HashMap::new();
    for (_, _, records, _) in parsed.iter().filter(|(role, ..)| *role == Role::Sdn) {
        for record in records {
            let ent_num = record.get(0);
            if ent_num.is_empty() || !ent_num.bytes().all(|b| b.is_ascii_digit()) {
                continue; // reported with the row
            }
            let kind = record.get(2).to_ascii_lowercase();
            let skipped = match kind.as_str() {
                "" | "individual" | "entity" => None,
                other => Some(other.to_string()),
            };
            entries.entry(record.get(0).to_string()).or_insert(Entry { name: record.get(1).to_string(), skipped });
        }
    }
    let has_sdn = parsed.iter().any(|(role, ..)| *role == Role::Sdn);

    let mut addresses: HashMap<String, Vec<(String, String)>> = HashMap::new();
    let mut comments: HashMap<String, String> = HashMap::new();
    let mut aliases: HashSet<(String, String)> = HashSet::new();

    // Companions first: their facts (countries, remark continuations, aliases) complete the entries.
    for role in [Role::Add, Role::Alt, Role::Comments] {
        for (_, file, records, remarks) in parsed.iter().filter(|(r, ..)| *r == role) {
            file.begin(staging);
            staging.describe_file("ofac-sdn", records.len() as u64);
            for (location, code, message) in remarks {
                staging.note(location, code, message.clone());
            }
            if !has_sdn {
                let message = "a companion of sdn.csv, but the import has no sdn.csv: its rows name entries that are not there; not read";
                staging.note("1", "companion-without-sdn", message);
                continue;
            }
            for record in records {
                if companion_subject(record, role, &entries, staging).is_none() {
                    continue;
                }
                let ent_num = record.get(0).to_string();
                match role {
                    Role::Add => {
                        let country = record.get(4);
                        if !country.is_empty() {
                            let place = format!("{}:{}", staging.file_name(), record.line);
                            addresses.entry(ent_num).or_default().push((country.to_string(), place));
                        }
                    }
                    Role::Alt => alt_row(record, &ent_num, &mut aliases, staging),
                    Role::Comments => comments.entry(ent_num).or_default().push_str(record.get(1)),
                    Role::Sdn => {}
                }
            }
        }
    }

    // Exact names of the entries, for `Linked To:`.
    let mut by_name: HashMap<&str, Vec<&str>> = HashMap::new();
    for (ent_num, entry) in &entries {
        by_name.entry(entry.name.as_str()).or_default().push(ent_num.as_str());
    }
    for ids in by_name.values_mut() {
        ids.sort_by_key(|id| (id.len(), *id));
    }
    let context = Context { entries: &entries, by_name: &by_name, addresses: &addresses, comments: &comments };

    for (_, file, records, remarks) in parsed.iter().filter(|(role, ..)| *role == Role::Sdn) {
        file.begin(staging);
        staging.describe_file("ofac-sdn", records.len() as u64);
        for (location, code, message) in remarks {
            staging.note(location, code, message.clone());
        }
        let effective = staging.file_date().map(str::to_string);
        for record in records {
            sdn_row(record, effective.as_deref(), &context, &mut aliases, staging);
        }
    }
}

/// The entry a companion row names, or `None` (reported) when it names none or one left out.
fn companion_subject<'e>(record: &Record, role: Role, entries: &'e HashMap<String, Entry>, staging: &mut Staging) -> Option<&'e Entry> {
    let what = match role {
        Role::Add => "address",
        Role::Alt => "alternate name",
        _ => "remarks continuation",
    };
    let location = record.location();
    let ent_num = record.get(0);
    match entries.get(ent_num) {
        None => {
            let message = format!("{what} of ent_num {}, which is not in sdn.csv; left out", quoted(ent_num));
            staging.note(&location, "orphan-reference", message);
            None
        }
        Some(Entry { skipped: Some(kind), .. }) => {
            let message = format!("{what} of ent_num {ent_num}, {} {kind} entry, which is left out; left out too", article(kind));
            staging.note(&location, skipped_code(kind), message);
            None
        }
        Some(entry) => Some(entry),
    }
}

fn article(word: &str) -> &'static str {
    if word.starts_with(['a', 'e', 'i', 'o', 'u']) { "an" } else { "a" }
}

fn skipped_code(kind: &str) -> &'static str {
    match kind {
        "vessel" => "vessel-skipped",
        "aircraft" => "aircraft-skipped",
        _ => "unknown-type",
    }
}

/// An `alt.csv` row: ent_num, alt_num, alt_type, alt_name, alt_remarks.
fn alt_row(record: &Record, ent_num: &str, aliases: &mut HashSet<(String, String)>, staging: &mut Staging) {
    let location = record.location();
    let name = record.get(3);
    if name.is_empty() {
        staging.note(&location, "no-name", format!("alternate name {} of ent_num {ent_num} has no name; left out", record.get(1)));
        return;
    }
    let alt_type = record.get(2).to_ascii_lowercase().replace('.', "");
    let kind = match alt_type.as_str() {
        "aka" | "fka" | "nka" => Some(alt_type.clone()),
        "" => None,
        _ => {
            let message = format!("alternate name type {} is not aka, fka or nka; read as an alias without a kind", quoted(record.get(2)));
            staging.note(&location, "unknown-alias-kind", message);
            None
        }
    };
    if !record.get(4).is_empty() {
        let message = format!("alt_remarks {} of alternate name {} is not imported", quoted(record.get(4)), record.get(1));
        staging.note(&location, "remark-not-imported", message);
    }
    let entity = text::namespaced_id("ofac", ent_num).0;
    if aliases.insert((entity.clone(), name.to_string())) {
        let source = format!("{} ent_num {ent_num} alt_num {}", staging.file_name(), record.get(1));
        staging
            .row(&tables::ALIASES, &location)
            .set("entity_id", entity)
            .set("name", name)
            .set_opt("kind", kind)
            .set("source", source)
            .push();
    }
}

/// What an sdn.csv row needs from the rest of the group.
struct Context<'a> {
    entries: &'a HashMap<String, Entry>,
    by_name: &'a HashMap<&'a str, Vec<&'a str>>,
    addresses: &'a HashMap<String, Vec<(String, String)>>,
    comments: &'a HashMap<String, String>,
}

/// An `sdn.csv` row: ent_num, SDN_Name, SDN_Type, Program, Title, Call_Sign, Vess_type, Tonnage,
/// GRT, Vess_flag, Vess_owner, Remarks.
fn sdn_row(record: &Record, effective: Option<&str>, context: &Context, aliases: &mut HashSet<(String, String)>, staging: &mut Staging) {
    let location = record.location();
    let ent_num = record.get(0);
    let name = record.get(1);
    let file = staging.file_name().to_string();
    let source = format!("{file} ent_num {ent_num}");
    let sdn_type = record.get(2).to_ascii_lowercase();
    let kind = match sdn_type.as_str() {
        "individual" => "person",
        // An empty type is an entity; `entity` is accepted as the same.
        "" | "entity" => "company",
        other => {
            let message = match other {
                "vessel" | "aircraft" => format!("{other} {} (ent_num {ent_num}) is not an entity of the tables; left out", quoted(name)),
                _ => format!(
                    "SDN_Type {} of {} (ent_num {ent_num}) is none this importer knows; left out",
                    quoted(record.get(2)),
                    quoted(name)
                ),
            };
            staging.note(&location, skipped_code(other), message);
            return;
        }
    };
    if ent_num.is_empty() || !ent_num.bytes().all(|b| b.is_ascii_digit()) {
        staging.note(&location, "bad-record", format!("ent_num {} is not a number; the row is left out", quoted(ent_num)));
        return;
    }
    if name.is_empty() {
        staging.note(&location, "no-name", format!("ent_num {ent_num} has no SDN_Name; left out"));
        return;
    }
    let entity = staging.id(&location, "ofac", ent_num);
    staging.kind_hint(&entity, kind);

    let mut remarks = record.get(11).to_string();
    if let Some(more) = context.comments.get(ent_num) {
        remarks.push_str(more);
    }
    let items = remark_items(&remarks);

    // Country: a person's nationality or citizenship, else the first address.
    let mut candidates: Vec<(String, String)> = Vec::new();
    if kind == "person" {
        for prefix in ["nationality ", "citizen "] {
            for item in &items {
                if let Some(value) = item.strip_prefix(prefix).or_else(|| item.strip_prefix(&format!("alt. {prefix}"))) {
                    candidates.push((value.trim().to_string(), format!("remark {}", quoted(item))));
                }
            }
        }
    }
    let address_countries = context.addresses.get(ent_num).cloned().unwrap_or_default();
    candidates.extend(address_countries.iter().map(|(raw, place)| (raw.clone(), format!("the address at {place}"))));
    let country = choose_country(&location, &candidates, &address_countries, staging);

    let mut notes = Vec::new();
    if !record.get(4).is_empty() {
        notes.push(format!("Title: {}", record.get(4)));
    }
    if !remarks.is_empty() {
        notes.push(remarks.clone());
    }
    staging
        .row(&tables::ENTITIES, &location)
        .set("entity_id", entity.clone())
        .set("name", name)
        .set("kind", kind)
        .set("country", country)
        .set_opt("notes", (!notes.is_empty()).then(|| notes.join("\n")))
        .set("source", source.clone())
        .push();
    staging
        .row(&tables::IDENTIFIERS, &location)
        .set("entity_id", entity.clone())
        .set("scheme", "OFAC")
        .set("value", ent_num)
        .set("source", source.clone())
        .push();

    // The designation: one per entry, dated by the snapshot.
    let programs = programs(record.get(3));
    match effective {
        Some(date) => staging
            .row(&tables::DESIGNATIONS, &location)
            .set("subject_id", entity.clone())
            .set("list", LIST)
            .set("effective", date)
            .set("effective_precision", "on_or_before")
            .set_opt("program", (!programs.is_empty()).then(|| programs.join("; ")))
            .set("source", source.clone())
            .push(),
        None => {
            let message = format!(
                "the files state no designation date and {file} has no date of its own; the designation of ent_num {ent_num} is left out"
            );
            staging.note(&location, "no-date", message);
        }
    }

    let last = items.len().saturating_sub(1);
    for (index, item) in items.iter().enumerate() {
        // The remarks end with a full stop that is not part of the last item.
        let item = item.as_str();
        let trimmed = if index == last { item.strip_suffix('.').unwrap_or(item) } else { item };
        if let Some((alias_kind, alias)) = remark_alias(trimmed) {
            if alias.is_empty() {
                continue;
            }
            if aliases.insert((entity.clone(), alias.to_string())) {
                staging
                    .row(&tables::ALIASES, &location)
                    .set("entity_id", entity.clone())
                    .set("name", alias)
                    .set("kind", alias_kind)
                    .set("source", format!("{source} remarks"))
                    .push();
            }
        } else if let Some(linked) = item.strip_prefix("Linked To:") {
            linked_to(&location, &entity, ent_num, linked.trim(), index == last, &source, context, staging);
        } else if let Some((scheme, value)) = remark_identifier(trimmed) {
            staging
                .row(&tables::IDENTIFIERS, &location)
                .set("entity_id", entity.clone())
                .set("scheme", scheme)
                .set("value", value)
                .set("source", format!("{source} remarks"))
                .push();
        }
    }
}

/// The entity's country from its candidates (raw text, where it was found): the first that is a
/// country; reported when none is (`XRW`) and when the addresses name several countries.
fn choose_country(location: &str, candidates: &[(String, String)], addresses: &[(String, String)], staging: &mut Staging) -> String {
    let mut distinct: Vec<String> = Vec::new();
    for (raw, _) in addresses {
        if let Some(code) = text::known_country(raw)
            && !distinct.contains(&code)
        {
            distinct.push(code);
        }
    }
    let chosen = candidates.iter().find_map(|(raw, from)| text::known_country(raw).map(|code| (code, from.clone())));
    match chosen {
        Some((code, from)) => {
            if distinct.len() > 1 {
                let message = format!("the addresses are in {}; the country is {code}, from {from}", distinct.join(", "));
                staging.note(location, "several-countries", message);
            }
            code
        }
        None => staging.country(location, candidates.first().map_or("", |(raw, _)| raw.as_str())),
    }
}

/// The programs of a `Program` cell: `SDGT] [IFSR` (the file drops the outer brackets).
fn programs(cell: &str) -> Vec<String> {
    cell.split("] [").map(|p| p.trim().trim_start_matches('[').trim_end_matches(']').trim().to_string()).filter(|p| !p.is_empty()).collect()
}

/// The items of the remarks: `; `-separated.
fn remark_items(remarks: &str) -> Vec<String> {
    remarks.split("; ").map(|item| item.trim().to_string()).filter(|item| !item.is_empty()).collect()
}

/// `a.k.a. 'NAME'` (also `f.k.a.`, `n.k.a.`): the alias kind and the name.
fn remark_alias(item: &str) -> Option<(&'static str, &str)> {
    let item = item.strip_prefix("alt. ").unwrap_or(item);
    let (kind, rest) = [("aka", "a.k.a."), ("fka", "f.k.a."), ("nka", "n.k.a.")]
        .iter()
        .find_map(|(kind, prefix)| item.strip_prefix(prefix).map(|rest| (*kind, rest.trim())))?;
    for quote in ['\'', '"'] {
        if let Some(name) = rest.strip_prefix(quote).and_then(|r| r.strip_suffix(quote)) {
            return Some((kind, name.trim()));
        }
    }
    None
}

/// An identifier of the remarks: `Tax ID No. 9709063550 (Russia)`, `UK Company Number 03632365`,
/// `Business Registration Number 0582030 (Connecticut) (United States)` (the last parenthesised
/// country is the issuer's).
fn remark_identifier(item: &str) -> Option<(String, String)> {
    let item = item.strip_prefix("alt. ").unwrap_or(item);
    let label = text::US_LIST_ID_LABELS.iter().find(|label| item.strip_prefix(**label).is_some_and(|rest| rest.starts_with(' ')))?;
    let mut rest = item[label.len()..].trim();
    let mut country = None;
    while rest.ends_with(')') {
        let Some(open) = rest.rfind(" (") else { break };
        let inner = &rest[open + 2..rest.len() - 1];
        if country.is_none() {
            country = text::known_country(inner);
        }
        rest = rest[..open].trim_end();
    }
    if rest.is_empty() {
        return None;
    }
    let scheme = text::us_list_scheme(label, country.as_deref(), rest)?;
    Some((scheme, rest.to_string()))
}

/// `Linked To: NAME` → an `alleged` tie to the entry with exactly that name.
#[allow(clippy::too_many_arguments)]
fn linked_to(
    location: &str,
    entity: &str,
    ent_num: &str,
    linked: &str,
    last: bool,
    source: &str,
    context: &Context,
    staging: &mut Staging,
) {
    // At the end of the remarks the full stop may end the remarks or the name (`… LTD.`).
    let mut names = vec![linked];
    if last && let Some(stripped) = linked.strip_suffix('.') {
        names.push(stripped);
    }
    let mut found: Vec<&str> = Vec::new();
    for name in &names {
        for id in context.by_name.get(name).into_iter().flatten() {
            if !found.contains(id) {
                found.push(id);
            }
        }
    }
    let shown = quoted(names.last().copied().unwrap_or(linked));
    match found.as_slice() {
        [] => {
            let message = format!("ent_num {ent_num} is linked to {shown}, which is the name of no entry of the file; no tie");
            staging.note(location, "linked-to-unresolved", message);
        }
        [other] if *other == ent_num => {
            staging.note(location, "linked-to-itself", format!("ent_num {ent_num} is linked to its own name {shown}; no tie"));
        }
        [other] => {
            if let Some(Entry { skipped: Some(kind), .. }) = context.entries.get(*other) {
                let message = format!(
                    "ent_num {ent_num} is linked to {shown}, ent_num {other}, {} {kind} entry, which is left out; no tie",
                    article(kind)
                );
                staging.note(location, "linked-to-skipped", message);
                return;
            }
            let to = text::namespaced_id("ofac", other).0;
            staging
                .row(&tables::OWNERSHIP, location)
                .set("from_id", entity)
                .set("to_id", to)
                .set("relation", "tie")
                .set("tie_kind", "alleged")
                .set("source", format!("{source} remarks: Linked To: {linked}"))
                .push();
        }
        several => {
            let message = format!("ent_num {ent_num} is linked to {shown}, the name of entries {}; no tie", several.join(", "));
            staging.note(location, "linked-to-ambiguous", message);
        }
    }
}

// ---------------------------------------------------------------------------------------------
// The lenient reader.

/// Reads an OFAC file into records of `expected` fields. Report lines for what it repaired or left
/// out come back with it (the caller adds them once the file is begun).
fn read(bytes: &[u8], expected: usize) -> (Vec<Record>, Vec<Remark>) {
    let mut remarks: Vec<Remark> = Vec::new();
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    let text = match std::str::from_utf8(bytes) {
        Ok(text) => std::borrow::Cow::Borrowed(text),
        Err(error) => {
            // OFAC's legacy files have been published in Windows-1252.
            let line = 1 + bytes[..error.valid_up_to()].iter().filter(|&&b| b == b'\n').count();
            let message = "the file is not UTF-8; read as Windows-1252".to_string();
            remarks.push((line.to_string(), "decoded-cp1252", message));
            encoding_rs::WINDOWS_1252.decode_without_bom_handling(bytes).0
        }
    };
    let lines: Vec<&str> = text.split_terminator('\n').map(|l| l.strip_suffix('\r').unwrap_or(l)).collect();
    let mut records = Vec::new();
    let mut i = 0;
    while i < lines.len() {
        let number = i as u64 + 1;
        let line = lines[i];
        // Blank lines and the DOS end-of-file mark some releases end with are no records.
        if line.trim_matches(|c: char| c.is_whitespace() || c == '\u{1a}').is_empty() {
            i += 1;
            continue;
        }
        let mut parsed = split(line);
        let mut used = 1;
        if parsed.open {
            // A quoted field open at the line's end: a field holding a line break, if joining the
            // next lines closes it with the right number of fields; else a stray quote.
            let mut joined = line.to_string();
            for (extra, next) in lines[i + 1..].iter().take(20).enumerate() {
                joined.push('\n');
                joined.push_str(next);
                let attempt = split(&joined);
                if !attempt.open {
                    // Only a clean record: a stray quote must not swallow the lines after it.
                    if attempt.fields.len() == expected && attempt.repairs.is_empty() {
                        parsed = attempt;
                        used = extra + 2;
                    }
                    break;
                }
            }
        }
        if parsed.open {
            parsed.repairs.push(format!("field {} has no closing quote; it is read to the line's end", parsed.fields.len()));
        }
        for repair in parsed.repairs.drain(..) {
            remarks.push((number.to_string(), "quote-repaired", repair));
        }
        i += used;
        if parsed.fields.len() != expected {
            let message = format!("a record of {} fields where {expected} are expected; left out", parsed.fields.len());
            remarks.push((number.to_string(), "bad-record", message));
            continue;
        }
        let fields = parsed.fields.into_iter().map(|f| if f.trim() == "-0-" { String::new() } else { f.trim().to_string() }).collect();
        records.push(Record { line: number, fields });
    }
    (records, remarks)
}

/// The fields of a record's text.
struct Split {
    fields: Vec<String>,
    /// A quoted field was still open at the end of the text (it is closed there).
    open: bool,
    /// What was read against RFC 4180, for `quote-repaired`.
    repairs: Vec<String>,
}

/// Splits a record leniently: a quoted field ends only at a quote followed (after spaces) by a
/// comma or the end of the text; `""` inside is a quote; any other quote inside is kept as a
/// character and reported.
fn split(text: &str) -> Split {
    let chars: Vec<char> = text.chars().collect();
    let closes_at = |at: usize| -> bool {
        let mut k = at;
        while k < chars.len() && chars[k] == ' ' {
            k += 1;
        }
        k == chars.len() || chars[k] == ','
    };
    let mut fields = Vec::new();
    let mut repairs = Vec::new();
    let mut open = false;
    let mut pos = 0;
    loop {
        let mut start = pos;
        while start < chars.len() && chars[start] == ' ' {
            start += 1;
        }
        if start < chars.len() && chars[start] == '"' {
            let field = fields.len() + 1;
            let mut value = String::new();
            let mut k = start + 1;
            let mut closed = false;
            while k < chars.len() {
                let c = chars[k];
                if c != '"' {
                    value.push(c);
                    k += 1;
                    continue;
                }
                if closes_at(k + 1) {
                    closed = true;
                    k += 1;
                    break;
                }
                if k + 1 < chars.len() && chars[k + 1] == '"' {
                    if closes_at(k + 2) {
                        // `…X""` then a comma: an unescaped quote before the closing one.
                        repairs.push(format!("field {field}: a quote before the closing quote was not escaped; kept as a character"));
                        value.push('"');
                        closed = true;
                        k += 2;
                        break;
                    }
                    value.push('"');
                    k += 2;
                    continue;
                }
                repairs.push(format!("field {field}: a quote inside the field was not escaped; kept as a character"));
                value.push('"');
                k += 1;
            }
            fields.push(value);
            if !closed {
                open = true;
                break;
            }
            while k < chars.len() && chars[k] == ' ' {
                k += 1;
            }
            if k >= chars.len() {
                break;
            }
            pos = k + 1; // past the comma
        } else {
            let end = chars[pos..].iter().position(|&c| c == ',').map_or(chars.len(), |o| pos + o);
            fields.push(chars[pos..end].iter().collect());
            if end >= chars.len() {
                break;
            }
            pos = end + 1;
        }
    }
    Split { fields, open, repairs }
}

#[cfg(test)]
mod tests {
    use crate::published::testkit::rows;
    use std::collections::BTreeMap;
    use std::path::Path;

    use super::*;
    use crate::ingest::KnownFacts;
    use crate::published::{FileBytes, Format, PublishedFile, Staged};

    const SDN: &[u8] = include_bytes!("../../tests/fixtures/published/ofac-sdn/sdn.csv");
    const ADD: &[u8] = include_bytes!("../../tests/fixtures/published/ofac-sdn/add.csv");
    const ALT: &[u8] = include_bytes!("../../tests/fixtures/published/ofac-sdn/alt.csv");
    const COMMENTS: &[u8] = include_bytes!("../../tests/fixtures/published/ofac-sdn/sdn_comments.csv");

    /// Stages files as an import of a folder would: written to `dir` with a known modification
    /// date (2024-05-10, the snapshot's date), then staged as one group.
    fn stage_files(dir: &Path, files: &[(&str, &[u8])], known: &KnownFacts) -> Staged {
        let modified = std::time::UNIX_EPOCH + std::time::Duration::from_secs(1_715_299_200 + 12 * 3600);
        let published: Vec<PublishedFile> = files
            .iter()
            .map(|(name, bytes)| {
                let path = dir.join(name);
                std::fs::write(&path, bytes).unwrap();
                std::fs::File::options().write(true).open(&path).unwrap().set_modified(modified).unwrap();
                PublishedFile { path, name: name.to_string(), format: Format::OfacSdn }
            })
            .collect();
        let mut group: Vec<FileBytes> =
            published.iter().zip(files).map(|(file, (_, bytes))| FileBytes { file, bytes: bytes.to_vec() }).collect();
        group.sort_by(|a, b| a.file.name.cmp(&b.file.name));
        let mut staging = Staging::default();
        crate::published::stage_group(Format::OfacSdn, &group, &mut staging);
        staging.finish(known)
    }

    fn fixture(known: &KnownFacts) -> (tempfile::TempDir, Staged) {
        let dir = tempfile::tempdir().unwrap();
        let files: [(&str, &[u8]); 4] = [("sdn.csv", SDN), ("add.csv", ADD), ("alt.csv", ALT), ("sdn_comments.csv", COMMENTS)];
        let staged = stage_files(dir.path(), &files, known);
        (dir, staged)
    }

    fn entity<'a>(rows: &'a [BTreeMap<String, String>], id: &str) -> &'a BTreeMap<String, String> {
        rows.iter().find(|r| r["entity_id"] == id).unwrap_or_else(|| panic!("{id} in {rows:?}"))
    }

    fn has_note(staged: &Staged, file: &str, location: &str, code: &str) -> bool {
        staged.notes.iter().any(|n| n.file == file && n.location == location && n.code == code)
    }

    fn aliases_of(staged: &Staged, id: &str) -> Vec<(String, String)> {
        rows(staged, "aliases").into_iter().filter(|r| r["entity_id"] == id).map(|r| (r["name"].clone(), r["kind"].clone())).collect()
    }

    fn identifiers_of(staged: &Staged, id: &str) -> Vec<(String, String)> {
        rows(staged, "identifiers")
            .into_iter()
            .filter(|r| r["entity_id"] == id)
            .map(|r| (r["scheme"].clone(), r["value"].clone()))
            .collect()
    }

    #[test]
    fn sdn_rows_become_entities_with_designations_dated_by_the_snapshot() {
        let (_dir, staged) = fixture(&KnownFacts::default());
        let entities = rows(&staged, "entities");
        assert_eq!(entities.len(), 11, "17 rows less 4 vessels and 2 aircraft");
        let logan = entity(&entities, "ofac:10278");
        assert_eq!((logan["name"].as_str(), logan["kind"].as_str()), ("LOGAN MOREY, Elvis Angus", "person"));
        assert_eq!(logan["source"], "sdn.csv ent_num 10278");
        assert_eq!(logan["source_date"], "2024-05-10");
        assert!(logan["notes"].starts_with("DOB 28 Jul 1963; POB Toledo District, Belize"), "{}", logan["notes"]);
        let iami = entity(&entities, "ofac:11195");
        assert_eq!((iami["kind"].as_str(), iami["country"].as_str()), ("company", "IR"));

        let designations = rows(&staged, "designations");
        assert_eq!(designations.len(), 11);
        let d = designations.iter().find(|d| d["subject_id"] == "ofac:11195").unwrap();
        assert_eq!(d["list"], "US-OFAC-SDN");
        assert_eq!((d["effective"].as_str(), d["effective_precision"].as_str()), ("2024-05-10", "on_or_before"));
        assert_eq!(d["program"], "NPWMD; IFSR; IRAN-CON-ARMS-EO");
        assert_eq!(d["source"], "sdn.csv ent_num 11195");
        let d = designations.iter().find(|d| d["subject_id"] == "ofac:29702").unwrap();
        assert_eq!(d["program"], "CYBER2; ELECTION-EO13848");
        assert!(!staged.notes.iter().any(|n| n.code == "no-date"), "the files have a date");
    }

    #[test]
    fn vessels_aircraft_and_orphans_are_left_out_and_reported() {
        let (_dir, staged) = fixture(&KnownFacts::default());
        let entities = rows(&staged, "entities");
        for skipped in ["ofac:40716", "ofac:47371", "ofac:50972", "ofac:52327", "ofac:20540", "ofac:48727"] {
            assert!(!entities.iter().any(|e| e["entity_id"] == skipped), "{skipped} is left out");
        }
        for line in ["10", "12", "16", "17"] {
            assert!(has_note(&staged, "sdn.csv", line, "vessel-skipped"), "vessel at sdn.csv:{line}");
        }
        for line in ["6", "14"] {
            assert!(has_note(&staged, "sdn.csv", line, "aircraft-skipped"), "aircraft at sdn.csv:{line}");
        }
        // add.csv rows naming entries absent from sdn.csv (12562, 21765, 33723, 33997).
        for line in ["12", "17", "24", "26"] {
            assert!(has_note(&staged, "add.csv", line, "orphan-reference"), "add.csv:{line}");
        }
        // alt.csv rows naming 10416, 11935, 18820, 30221, 29445.
        for line in ["1", "6", "10", "11", "15"] {
            assert!(has_note(&staged, "alt.csv", line, "orphan-reference"), "alt.csv:{line}");
        }
        assert!(has_note(&staged, "add.csv", "21", "vessel-skipped"), "the address of vessel 47371");
        assert!(has_note(&staged, "add.csv", "23", "aircraft-skipped"), "the address of aircraft 48727");
        assert!(!aliases_of(&staged, "ofac:10416").iter().any(|_| true));
        assert!(!staged.notes.iter().any(|n| n.code == "stub-entity"), "{:?}", staged.notes);
    }

    #[test]
    fn remarks_give_aliases_identifiers_and_links_and_continue_in_sdn_comments() {
        let (_dir, staged) = fixture(&KnownFacts::default());
        let iami = aliases_of(&staged, "ofac:11195");
        for name in
            ["HESA", "HTC", "IAMI", "HAVA PEYMA SAZI-E IRAN", "SHAHIN CO.", "HESA TRADE CENTER", "IRAN AIRCRAFT MANUFACTURING COMPANY"]
        {
            assert!(iami.iter().any(|(n, k)| n == name && k == "aka"), "{name} in {iami:?}");
        }
        assert!(aliases_of(&staged, "ofac:10278").contains(&("BURTON BURGESS".into(), "aka".into())));
        let khoroshev = aliases_of(&staged, "ofac:48603");
        assert!(
            khoroshev.contains(&("LOCKBITSUPP".into(), "aka".into())) && khoroshev.contains(&("YURIEVICH, Dmitry".into(), "aka".into()))
        );

        // 33151's remarks are cut at 1,000 characters: the rest, with its LEI and alias, is in
        // sdn_comments.csv, joined without a separator.
        let suex = identifiers_of(&staged, "ofac:33151");
        assert!(suex.contains(&("LEI".into(), "5299007NTWCC3U23WM81".into())), "{suex:?}");
        assert!(aliases_of(&staged, "ofac:33151").contains(&("SUCCESSFUL EXCHANGE".into(), "aka".into())));
        let notes = entity(&rows(&staged, "entities"), "ofac:33151")["notes"].clone();
        assert!(notes.contains("alt. Digital Currency Address - XBT 1B64QRxfaa35MVkf7sDjuGUYAP5izQt7Qi;"), "joined without a separator");
        assert_eq!(entity(&rows(&staged, "entities"), "ofac:33151")["country"], "RU", "the first address; Prague is the second");
        assert!(has_note(&staged, "sdn.csv", "9", "several-countries"));

        assert!(identifiers_of(&staged, "ofac:11195").contains(&("IR-REG".into(), "26740".into())));
        assert!(identifiers_of(&staged, "ofac:11195").contains(&("OFAC".into(), "11195".into())));
        let bel = identifiers_of(&staged, "ofac:44525");
        for id in [("US-TAX-ID", "52-2083095"), ("US-REG", "0582030"), ("US-REG", "M99000000961")] {
            assert!(bel.contains(&(id.0.into(), id.1.into())), "{id:?} in {bel:?}");
        }
        let dialog = identifiers_of(&staged, "ofac:50544");
        assert!(dialog.contains(&("RU-INN".into(), "9709063550".into())) && dialog.contains(&("RU-OGRN".into(), "1207700248030".into())));
        assert!(identifiers_of(&staged, "ofac:19709").contains(&("GB-COH".into(), "03632365".into())));
        assert!(identifiers_of(&staged, "ofac:48603").contains(&("RU-INN".into(), "366110340670".into())));
        assert!(!identifiers_of(&staged, "ofac:48603").iter().any(|(_, v)| v == "2018278055"), "passports are not identifiers here");

        // People's country: nationality first.
        let entities = rows(&staged, "entities");
        assert_eq!(entity(&entities, "ofac:29702")["country"], "RU");
        assert_eq!(entity(&entities, "ofac:10278")["country"], "XRW", "no nationality, no address");
        assert!(has_note(&staged, "sdn.csv", "1", "no-country"));
        assert_eq!(entity(&entities, "ofac:44525")["country"], "US");

        // No `Linked To:` of the sample names an entry of the sample.
        assert!(rows(&staged, "ownership").is_empty());
        assert!(has_note(&staged, "sdn.csv", "2", "linked-to-unresolved"));
        assert!(has_note(&staged, "sdn.csv", "4", "linked-to-unresolved"), "D'S SUPERMARKET COMPANY LTD.");
    }

    #[test]
    fn hostile_quotes_markup_links_and_line_breaks() {
        let sdn = "1,\"ALPHA \"THE FIRST\" TRADING\",-0- ,\"SDGT] [IRGC\",-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,\"Linked To: BETA LTD.\"\n\
                   2,\"BETA LTD.\",-0-,\"SDGT\",-0-,-0-,-0-,-0-,-0-,-0-,-0-,\"Linked To: GAMMA.\"\n\
                   3,\"GAMMA\",-0-,\"SDGT\",-0-,-0-,-0-,-0-,-0-,-0-,-0-,-0-\n\
                   4,\"GAMMA\",-0-,\"SDGT\",-0-,-0-,-0-,-0-,-0-,-0-,-0-,-0-\n\
                   5,\"<b>=HYPERLINK(\"\"x\"\")</b> \u{202e}gnp.exe\u{7}\",\"individual\",\"SDGT\",-0-,-0-,-0-,-0-,-0-,-0-,-0-,\"nationality Iran; Linked To: NOBODY AT ALL.\"\n\
                   6,\"MULTI\",-0-,\"SDGT\",-0-,-0-,-0-,-0-,-0-,-0-,-0-,\"first line\nsecond line; a.k.a. 'TWO LINES'.\"\n\
                   7,\"SHORT\",-0-\n\
                   \u{1a}\n";
        let staged = super::super::stage_bytes(Format::OfacSdn, "sdn.csv", sdn.as_bytes(), &KnownFacts::default());
        let entities = rows(&staged, "entities");
        assert_eq!(entity(&entities, "ofac:1")["name"], "ALPHA \"THE FIRST\" TRADING");
        assert!(has_note(&staged, "sdn.csv", "1", "quote-repaired"));
        assert_eq!(entity(&entities, "ofac:5")["name"], "<b>=HYPERLINK(\"x\")</b> \u{202e}gnp.exe\u{7}");
        assert_eq!((entity(&entities, "ofac:5")["kind"].as_str(), entity(&entities, "ofac:5")["country"].as_str()), ("person", "IR"));
        assert_eq!(entity(&entities, "ofac:6")["notes"], "first line\nsecond line; a.k.a. 'TWO LINES'.");
        assert!(aliases_of(&staged, "ofac:6").contains(&("TWO LINES".into(), "aka".into())));
        assert!(has_note(&staged, "sdn.csv", "8", "bad-record"), "7 starts on physical line 8: {:?}", staged.notes);
        assert!(!entities.iter().any(|e| e["entity_id"] == "ofac:7"));

        let ties = rows(&staged, "ownership");
        assert_eq!(ties.len(), 1, "{ties:?}");
        assert_eq!((ties[0]["from_id"].as_str(), ties[0]["to_id"].as_str()), ("ofac:1", "ofac:2"));
        assert_eq!((ties[0]["relation"].as_str(), ties[0]["tie_kind"].as_str()), ("tie", "alleged"));
        assert!(has_note(&staged, "sdn.csv", "2", "linked-to-ambiguous"), "two entries are named GAMMA");
        assert!(has_note(&staged, "sdn.csv", "5", "linked-to-unresolved"));

        // Bytes from memory have no date: no designation is invented.
        assert!(rows(&staged, "designations").is_empty());
        assert!(has_note(&staged, "sdn.csv", "1", "no-date"));
    }

    #[test]
    fn companions_without_sdn_are_not_read() {
        let staged = super::super::stage_bytes(Format::OfacSdn, "alt.csv", ALT, &KnownFacts::default());
        assert!(staged.inputs.is_empty());
        assert!(has_note(&staged, "alt.csv", "1", "companion-without-sdn"));
    }

    #[test]
    fn the_lenient_reader_and_the_schemes() {
        let split = split("1,\"A \"B\" C\",-0- ,\"D\"\"E\"");
        assert_eq!(split.fields, ["1", "A \"B\" C", "-0- ", "D\"E"]);
        assert_eq!(split.repairs.len(), 2, "the two unescaped quotes; `\"\"` is an escape");
        let (records, remarks) = read(b"1,\"open,2\r\n3,\"x\",-0- \r\n", 3);
        assert_eq!(records.len(), 1, "{records:?}");
        assert_eq!((records[0].line, records[0].get(2)), (2, ""));
        assert!(remarks.iter().any(|(l, c, _)| l == "1" && *c == "bad-record"), "{remarks:?}");
        assert_eq!(text::us_list_scheme("Tax ID No.", Some("RU"), "7707083893").as_deref(), Some("RU-INN"));
        assert_eq!(text::us_list_scheme("alt. Registration Number", None, "X1").as_deref(), Some("REG"));
        assert_eq!(text::us_list_scheme("Passport", Some("RU"), "1"), None);
        assert_eq!(
            remark_identifier("Legal Entity Number 5299007NTWCC3U23WM81 (Czech Republic)"),
            Some(("LEI".into(), "5299007NTWCC3U23WM81".into()))
        );
    }

    #[test]
    fn the_staged_rows_import_into_a_store() {
        let (_dir, mut store) = crate::published::testkit::fresh_store();
        let (_files, staged) = fixture(&store.known_facts().unwrap());
        let batch = crate::published::testkit::apply(&mut store, &staged, "ofac").unwrap_or_else(|r| panic!("{:?}", r.errors));
        assert_eq!(batch.counts.get("designations"), Some(&11), "{:?}", batch.counts);
        assert_eq!(batch.counts.get("entities"), Some(&11), "{:?}", batch.counts);
    }
}
