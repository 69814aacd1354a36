//! A GLEIF golden copy under a selection: the 3-hop neighbourhood of 1,000 seed LEIs, selected,
//! staged and imported into a fresh store (target ≤ 15 s), side by side with the same selection in
//! Python polars (`benches/gleif_select.py`: lazy scans, the same projections, filters and joins;
//! goal: the Rust selection within 1.2× of it).
//!
//! `cargo bench --bench gleif_select [-- LEI_RECORDS [RELATIONSHIPS]]` (default 1,000,000 and
//! 300,000). The golden copy is generated once, deterministically, under
//! `target/bench-data/gleif-<records>-<relationships>/`: an LEI-CDF file with the golden copy's
//! whole column set (338 columns, every cell quoted, CRLF), and an RR-CDF file with its 54
//! columns. The Python side runs when `python3 -c "import polars"` works; the bench then asserts
//! that both reach the same LEIs.
//!
//! Times: "selection" is the bulk path's polars work (seeds, hops, kept records: the phases the
//! Python script also does); "bulk path" adds hashing each file and locating its rows; "stage" is
//! `published::stage` (bulk path, mapping, the shared rules); "import" is `api::import_watched`
//! into a fresh store (all of it, and writing the batch).

#[path = "common.rs"]
mod common;
use common::peak_rss_kb;
use std::collections::BTreeSet;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Instant;

const SEEDS: usize = 1_000;
const HOPS: u32 = 3;
const LEI_FILE: &str = "20250601-0800-gleif-goldencopy-lei2-golden-copy.csv";
const RR_FILE: &str = "20250601-0800-gleif-goldencopy-rr-golden-copy.csv";

fn main() {
    let numbers: Vec<usize> = std::env::args().skip(1).filter_map(|a| a.parse().ok()).collect();
    let records = numbers.first().copied().unwrap_or(1_000_000);
    let relationships = numbers.get(1).copied().unwrap_or(300_000);
    let folder = generate(records, relationships);
    let size = |name: &str| std::fs::metadata(folder.join(name)).map_or(0, |m| m.len()) as f64 / 1e6;
    println!(
        "golden copy: {records} LEI records ({:.0} MB, {} columns), {relationships} relationships ({:.0} MB); {SEEDS} seeds, {HOPS} hops",
        size(LEI_FILE),
        lei_header().len(),
        size(RR_FILE)
    );
    let ids = folder.join("seeds.txt");
    let trace = folder.join("trace.txt");
    // SAFETY: no other thread runs yet; the bulk path reads the variable to write its trace.
    unsafe { std::env::set_var("VETTA_GLEIF_TRACE", &trace) };
    let paths = [folder.join(LEI_FILE), folder.join(RR_FILE)];

    // Staging alone (bulk path + mapping + the shared rules), then the whole import.
    let (mut stages, mut selections, mut bulks, mut imports) = (Vec::new(), Vec::new(), Vec::new(), Vec::new());
    let mut reached = BTreeSet::new();
    for _ in 0..3 {
        let files: Vec<vetta::published::PublishedFile> =
            paths.iter().map(|p| vetta::published::recognise(p, None).expect("a GLEIF file")).collect();
        let mut selection = vetta::published::Selection { hops: HOPS, ..Default::default() };
        selection.add_ids_text("seeds.txt", &std::fs::read_to_string(&ids).unwrap()).unwrap();
        let start = Instant::now();
        let staged =
            vetta::published::stage(&files, &Default::default(), Some(&selection), &|_, _| true).expect("not cancelled").expect("staged");
        stages.push(start.elapsed().as_secs_f64());
        assert!(!staged.inputs.is_empty());
        let (selection_s, bulk_s, leis) = read_trace(&trace);
        selections.push(selection_s);
        bulks.push(bulk_s);
        reached = leis;

        let dir = tempfile::tempdir().unwrap();
        let (mut store, _) = vetta::store::Store::open(&dir.path().join("bench.db")).unwrap();
        let options = vetta::api::ImportOptions { ids: Some(ids.clone()), hops: Some(HOPS), ..Default::default() };
        let start = Instant::now();
        let outcome = vetta::api::import_watched(&mut store, &paths, &options, &|_, _| true).expect("the selection imports");
        imports.push(start.elapsed().as_secs_f64());
        assert_eq!(outcome.batch.files.len(), 2);
        let entities = store.known_facts().unwrap().entities.len();
        println!("  import: {entities} entities in the store, {} notes", outcome.notes.len());
    }
    println!("reached: {} LEIs within {HOPS} hops of {SEEDS} seeds", reached.len());
    let selection = report("rust selection (polars: seeds, hops, kept records)", &mut selections);
    report("rust bulk path (selection + hashing + locating rows)", &mut bulks);
    report("rust stage (bulk path + mapping + shared rules)", &mut stages);
    let import = report("rust import (stage + read + store, fresh store)", &mut imports);
    println!("target: import ≤ 15 s: {}", if import <= 15.0 { "met" } else { "NOT met" });

    match python(&folder, &ids) {
        Some((mut seconds, leis)) => {
            let python = report("python polars selection (same scans, filters, joins; writes the rows)", &mut seconds);
            assert_eq!(leis, reached, "Rust and Python reach the same LEIs");
            println!("both reach the same {} LEIs", leis.len());
            println!("ratio rust/python: selection {:.2}× (goal ≤ 1.2×), full import {:.2}×", selection / python, import / python);
        }
        None => println!("python3 with polars not found: no comparison (pip install polars)"),
    }
    println!("peak resident memory: {:.0} MB", peak_rss_kb() as f64 / 1024.0);
}

fn report(what: &str, seconds: &mut [f64]) -> f64 {
    seconds.sort_by(f64::total_cmp);
    let median = seconds[seconds.len() / 2];
    println!("{what}: median {median:.2} s (min {:.2}, max {:.2}, {} runs)", seconds[0], seconds[seconds.len() - 1], seconds.len());
    median
}

/// The selection time (seeds, hops, kept records), the bulk path's time and the reached LEIs.
fn read_trace(path: &Path) -> (f64, f64, BTreeSet<String>) {
    let text = std::fs::read_to_string(path).expect("the bulk path wrote its trace");
    let (mut selection, mut bulk, mut reached) = (0.0, 0.0, BTreeSet::new());
    for line in text.lines() {
        let parts: Vec<&str> = line.split(' ').collect();
        match parts.as_slice() {
            ["phase", name, seconds] => {
                let s: f64 = seconds.parse().unwrap();
                if *name != "mapping" {
                    bulk += s;
                }
                if ["seeds-and-relationships", "hops", "kept-records"].contains(name) {
                    selection += s;
                }
            }
            ["reached", lei] => {
                reached.insert(lei.to_string());
            }
            _ => {}
        }
    }
    (selection, bulk, reached)
}

/// Runs `benches/gleif_select.py` three times when Python has polars: its selection times and
/// the LEIs it reached.
fn python(folder: &Path, ids: &Path) -> Option<(Vec<f64>, BTreeSet<String>)> {
    let has_polars = Command::new("python3").args(["-c", "import polars"]).output().is_ok_and(|o| o.status.success());
    if !has_polars {
        return None;
    }
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("benches/gleif_select.py");
    let out = folder.join("python-out");
    let mut seconds = Vec::new();
    for _ in 0..3 {
        let output = Command::new("python3")
            .arg(&script)
            .args([folder.join(LEI_FILE), folder.join(RR_FILE), ids.to_path_buf(), out.clone()])
            .arg(HOPS.to_string())
            .output()
            .expect("python3 runs");
        assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
        let result: serde_json::Value = serde_json::from_slice(&output.stdout).expect("the script prints JSON");
        seconds.push(result["seconds"].as_f64().unwrap());
        println!(
            "  python: {} LEI records, {} relationships selected, polars {}",
            result["lei_records"], result["relationships"], result["polars"]
        );
    }
    let reached = std::fs::read_to_string(out.join("reached.txt")).unwrap().lines().map(str::to_string).collect();
    Some((seconds, reached))
}

// ---------------------------------------------------------------------------------------------
// The golden copy
// ---------------------------------------------------------------------------------------------

/// The LEI-CDF 3.1 golden-copy CSV header: every column, in the order of the XML it flattens.
fn lei_header() -> Vec<String> {
    let mut h: Vec<String> = ["LEI", "Entity.LegalName", "Entity.LegalName.xmllang"].map(String::from).to_vec();
    for n in 1..=5 {
        let p = format!("Entity.OtherEntityNames.OtherEntityName.{n}");
        h.extend([p.clone(), format!("{p}.xmllang"), format!("{p}.type")]);
    }
    for n in 1..=5 {
        let p = format!("Entity.TransliteratedOtherEntityNames.TransliteratedOtherEntityName.{n}");
        h.extend([p.clone(), format!("{p}.xmllang"), format!("{p}.type")]);
    }
    let address = |p: &str, typed: bool| -> Vec<String> {
        let mut fields = vec!["xmllang"];
        if typed {
            fields.push("type");
        }
        fields.extend([
            "FirstAddressLine",
            "AddressNumber",
            "AddressNumberWithinBuilding",
            "MailRouting",
            "AdditionalAddressLine.1",
            "AdditionalAddressLine.2",
            "AdditionalAddressLine.3",
            "City",
            "Region",
            "Country",
            "PostalCode",
        ]);
        fields.into_iter().map(|f| format!("{p}.{f}")).collect()
    };
    h.extend(address("Entity.LegalAddress", false));
    h.extend(address("Entity.HeadquartersAddress", false));
    for n in 1..=5 {
        h.extend(address(&format!("Entity.OtherAddresses.OtherAddress.{n}"), true));
    }
    for n in 1..=5 {
        h.extend(address(&format!("Entity.TransliteratedOtherAddresses.TransliteratedOtherAddress.{n}"), true));
    }
    for f in ["RegistrationAuthorityID", "OtherRegistrationAuthorityID", "RegistrationAuthorityEntityID"] {
        h.push(format!("Entity.RegistrationAuthority.{f}"));
    }
    h.extend(
        [
            "Entity.LegalJurisdiction",
            "Entity.EntityCategory",
            "Entity.EntitySubCategory",
            "Entity.LegalForm.EntityLegalFormCode",
            "Entity.LegalForm.OtherLegalForm",
            "Entity.AssociatedEntity.type",
            "Entity.AssociatedEntity.AssociatedLEI",
            "Entity.AssociatedEntity.AssociatedEntityName",
            "Entity.AssociatedEntity.AssociatedEntityName.xmllang",
            "Entity.EntityStatus",
            "Entity.EntityCreationDate",
            "Entity.EntityExpirationDate",
            "Entity.EntityExpirationReason",
        ]
        .map(String::from),
    );
    for n in 1..=5 {
        for f in ["SuccessorLEI", "SuccessorEntityName", "SuccessorEntityName.xmllang"] {
            h.push(format!("Entity.SuccessorEntity.{n}.{f}"));
        }
    }
    for n in 1..=5 {
        let p = format!("Entity.LegalEntityEvents.LegalEntityEvent.{n}");
        for f in [
            "group_type",
            "event_status",
            "group_id",
            "group_sequence_no",
            "LegalEntityEventType",
            "LegalEntityEventEffectiveDate",
            "LegalEntityEventRecordedDate",
            "ValidationDocuments",
            "ValidationReference",
        ] {
            h.push(format!("{p}.{f}"));
        }
        for k in 1..=5 {
            h.extend([format!("{p}.AffectedFields.{k}.AffectedField"), format!("{p}.AffectedFields.{k}.field_xpath")]);
        }
    }
    for f in ["InitialRegistrationDate", "LastUpdateDate", "RegistrationStatus", "NextRenewalDate", "ManagingLOU", "ValidationSources"] {
        h.push(format!("Registration.{f}"));
    }
    for f in ["ValidationAuthorityID", "OtherValidationAuthorityID", "ValidationAuthorityEntityID"] {
        h.push(format!("Registration.ValidationAuthority.{f}"));
    }
    for n in 1..=5 {
        for f in ["ValidationAuthorityID", "OtherValidationAuthorityID", "ValidationAuthorityEntityID"] {
            h.push(format!("Registration.OtherValidationAuthorities.OtherValidationAuthority.{n}.{f}"));
        }
    }
    h.push("Registration.ConformityFlag".into());
    h
}

/// The RR-CDF 2.1 golden-copy CSV header.
fn rr_header() -> Vec<String> {
    let mut h: Vec<String> = [
        "Relationship.StartNode.NodeID",
        "Relationship.StartNode.NodeIDType",
        "Relationship.EndNode.NodeID",
        "Relationship.EndNode.NodeIDType",
        "Relationship.RelationshipType",
        "Relationship.RelationshipStatus",
    ]
    .map(String::from)
    .to_vec();
    for n in 1..=5 {
        h.extend(["startDate", "endDate", "periodType"].map(|f| format!("Relationship.Period.{n}.{f}")));
    }
    for n in 1..=5 {
        h.extend(["QualifierDimension", "QualifierCategory"].map(|f| format!("Relationship.Qualifiers.{n}.{f}")));
    }
    for n in 1..=5 {
        h.extend(["MeasurementMethod", "QuantifierAmount", "QuantifierUnits"].map(|f| format!("Relationship.Quantifiers.{n}.{f}")));
    }
    for f in [
        "InitialRegistrationDate",
        "LastUpdateDate",
        "RegistrationStatus",
        "NextRenewalDate",
        "ManagingLOU",
        "ValidationSources",
        "ValidationDocuments",
        "ValidationReference",
    ] {
        h.push(format!("Registration.{f}"));
    }
    h
}

/// A deterministic generator (xorshift64*).
struct Rng(u64);

impl Rng {
    fn below(&mut self, n: usize) -> usize {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        (self.0.wrapping_mul(0x2545_f491_4f6c_dd1d) >> 33) as usize % n.max(1)
    }

    fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
        items[self.below(items.len())]
    }
}

/// ISO 17442 check digits for an 18-character base (ISO 7064 MOD 97-10).
fn lei(i: usize) -> String {
    let base = format!("5493{:014}", i * 7 + 13);
    let digits: String = format!("{base}00").chars().map(|c| c.to_digit(36).unwrap().to_string()).collect();
    let remainder = digits.bytes().fold(0u32, |r, b| (r * 10 + u32::from(b - b'0')) % 97);
    format!("{base}{:02}", 98 - remainder)
}

const WORDS: [&str; 24] = [
    "NORDIC",
    "ATLANTIC",
    "GLOBAL",
    "PACIFIC",
    "UNITED",
    "ALPINE",
    "CENTRAL",
    "EASTERN",
    "WESTERN",
    "ROYAL",
    "SILVER",
    "GOLDEN",
    "TIMBER",
    "STEEL",
    "CAPITAL",
    "ENERGY",
    "LOGISTICS",
    "SYSTEMS",
    "FOODS",
    "MARINE",
    "ROBOTICS",
    "PHARMA",
    "TEXTILES",
    "MINING",
];
const FORMS: [(&str, &str, &str, &str); 6] = [
    ("GMBH", "DE", "2HBR", "RA000197"),
    ("LIMITED", "GB", "H0PO", "RA000585"),
    ("INC.", "US", "XTIQ", "RA000602"),
    ("S.A.S.", "FR", "6CHY", "RA000189"),
    ("KABUSHIKI KAISHA", "JP", "T417", "RA000412"),
    ("B.V.", "NL", "54M6", "RA000463"),
];
const CITIES: [&str; 8] = ["BERLIN", "LONDON", "WILMINGTON", "PARIS", "TOKYO", "AMSTERDAM", "MUNICH", "DOVER"];
const STREETS: [&str; 6] = ["MAIN STREET", "HIGH STREET", "KÖNIGSALLEE", "RUE DE RIVOLI", "MARUNOUCHI", "HERENGRACHT"];

/// Generates the golden copy once (a marker file says it is complete) and the seeds file.
fn generate(records: usize, relationships: usize) -> PathBuf {
    let folder = Path::new(env!("CARGO_MANIFEST_DIR")).join(format!("target/bench-data/gleif-{records}-{relationships}"));
    let done = folder.join("complete");
    if done.exists() {
        return folder;
    }
    std::fs::create_dir_all(&folder).unwrap();
    let started = Instant::now();
    let mut rng = Rng(0x9E37_79B9_7F4A_7C15);
    let header = lei_header();
    let index: std::collections::HashMap<&str, usize> = header.iter().enumerate().map(|(i, h)| (h.as_str(), i)).collect();
    let at = |name: &str| *index.get(name).unwrap_or_else(|| panic!("{name}"));
    let address: Vec<[usize; 7]> = ["Entity.LegalAddress", "Entity.HeadquartersAddress"]
        .iter()
        .map(|p| {
            ["xmllang", "FirstAddressLine", "AdditionalAddressLine.1", "City", "Region", "Country", "PostalCode"]
                .map(|f| at(&format!("{p}.{f}")))
        })
        .collect();
    let mut out = std::io::BufWriter::with_capacity(1 << 22, std::fs::File::create(folder.join(LEI_FILE)).unwrap());
    write_row(&mut out, &header);
    let mut row = vec![String::new(); header.len()];
    for i in 0..records {
        row.iter_mut().for_each(String::clear);
        let (form, country, elf, ra) = FORMS[rng.below(FORMS.len())];
        let name = format!("{} {} {} {}", rng.pick(&WORDS), rng.pick(&WORDS), i, form);
        let set = |row: &mut Vec<String>, column: &str, value: &str| row[at(column)].push_str(value);
        set(&mut row, "LEI", &lei(i));
        set(&mut row, "Entity.LegalName", &name);
        set(&mut row, "Entity.LegalName.xmllang", "en");
        if rng.below(5) == 0 {
            set(&mut row, "Entity.OtherEntityNames.OtherEntityName.1", &format!("{} {}", rng.pick(&WORDS), i));
            set(&mut row, "Entity.OtherEntityNames.OtherEntityName.1.xmllang", "en");
            set(&mut row, "Entity.OtherEntityNames.OtherEntityName.1.type", "TRADING_OR_OPERATING_NAME");
        }
        if country == "JP" {
            set(&mut row, "Entity.TransliteratedOtherEntityNames.TransliteratedOtherEntityName.1", &name);
            set(&mut row, "Entity.TransliteratedOtherEntityNames.TransliteratedOtherEntityName.1.xmllang", "ja-Latn");
            set(
                &mut row,
                "Entity.TransliteratedOtherEntityNames.TransliteratedOtherEntityName.1.type",
                "AUTO_ASCII_TRANSLITERATED_LEGAL_NAME",
            );
        }
        for &[lang, first, additional, city, region, land, postal] in &address {
            row[lang].push_str("en");
            row[first] = format!("{} {}", 1 + rng.below(400), rng.pick(&STREETS));
            if rng.below(3) == 0 {
                row[additional] = format!("FLOOR {}", 1 + rng.below(30));
            }
            row[city].push_str(rng.pick(&CITIES));
            row[region] = format!("{country}-{}", 10 + rng.below(20));
            row[land].push_str(country);
            row[postal] = format!("{:05}", rng.below(99_999));
        }
        set(&mut row, "Entity.RegistrationAuthority.RegistrationAuthorityID", ra);
        set(&mut row, "Entity.RegistrationAuthority.RegistrationAuthorityEntityID", &format!("HRB {}", 10_000 + rng.below(900_000)));
        set(&mut row, "Entity.LegalJurisdiction", country);
        set(&mut row, "Entity.EntityCategory", if rng.below(12) == 0 { "FUND" } else { "GENERAL" });
        set(&mut row, "Entity.LegalForm.EntityLegalFormCode", elf);
        set(&mut row, "Entity.EntityStatus", "ACTIVE");
        let year = 1950 + rng.below(74);
        set(&mut row, "Entity.EntityCreationDate", &format!("{year}-{:02}-{:02}T00:00:00.000Z", 1 + rng.below(12), 1 + rng.below(28)));
        let registered = 2012 + rng.below(12);
        set(&mut row, "Registration.InitialRegistrationDate", &format!("{registered}-{:02}-15T09:12:44.000Z", 1 + rng.below(12)));
        set(&mut row, "Registration.LastUpdateDate", &format!("2024-{:02}-03T11:20:05.000Z", 1 + rng.below(12)));
        let status = match rng.below(40) {
            0 => "ANNULLED",
            1..=6 => "LAPSED",
            _ => "ISSUED",
        };
        set(&mut row, "Registration.RegistrationStatus", status);
        set(&mut row, "Registration.NextRenewalDate", &format!("2025-{:02}-15T09:12:44.000Z", 1 + rng.below(12)));
        set(&mut row, "Registration.ManagingLOU", "5299000J2N45DDNE4Y28");
        set(&mut row, "Registration.ValidationSources", "FULLY_CORROBORATED");
        set(&mut row, "Registration.ValidationAuthority.ValidationAuthorityID", ra);
        set(&mut row, "Registration.ValidationAuthority.ValidationAuthorityEntityID", &format!("{}", 100_000 + i));
        set(&mut row, "Registration.ConformityFlag", if rng.below(4) == 0 { "NON_CONFORMING" } else { "CONFORMING" });
        write_row(&mut out, &row);
    }
    out.flush().unwrap();
    drop(out);

    // Relationships: corporate groups (trees; a few large ones), each member's direct parent and,
    // below the second level, its ultimate parent; until the count is reached.
    let rr = rr_header();
    let at = |name: &str| rr.iter().position(|h| h == name).unwrap();
    let mut out = std::io::BufWriter::with_capacity(1 << 22, std::fs::File::create(folder.join(RR_FILE)).unwrap());
    write_row(&mut out, &rr);
    let mut row = vec![String::new(); rr.len()];
    let mut written = 0usize;
    let mut i = 0usize;
    let validation = ["FULLY_CORROBORATED", "PARTIALLY_CORROBORATED", "ENTITY_SUPPLIED_ONLY", "PENDING"];
    while written < relationships && i < records {
        if rng.below(50) != 0 {
            i += 1;
            continue;
        }
        let size = if rng.below(1000) == 0 { 200 + rng.below(1800) } else { 2 + rng.below(30) };
        let size = size.min(records - i);
        for k in 1..size {
            // A random recursive tree: member k's direct parent is an earlier member; member 0 is
            // the group's ultimate parent.
            let parent = rng.below(k);
            for (kind, to) in [("IS_DIRECTLY_CONSOLIDATED_BY", parent), ("IS_ULTIMATELY_CONSOLIDATED_BY", 0)] {
                if kind.contains("ULTIMATELY") && parent == 0 {
                    continue;
                }
                row.iter_mut().for_each(String::clear);
                row[at("Relationship.StartNode.NodeID")] = lei(i + k);
                row[at("Relationship.StartNode.NodeIDType")] = "LEI".into();
                row[at("Relationship.EndNode.NodeID")] = lei(i + to);
                row[at("Relationship.EndNode.NodeIDType")] = "LEI".into();
                row[at("Relationship.RelationshipType")] = kind.into();
                row[at("Relationship.RelationshipStatus")] = if rng.below(25) == 0 { "INACTIVE" } else { "ACTIVE" }.into();
                row[at("Relationship.Period.1.startDate")] = "2023-01-01T00:00:00.000Z".into();
                row[at("Relationship.Period.1.endDate")] = "2023-12-31T00:00:00.000Z".into();
                row[at("Relationship.Period.1.periodType")] = "ACCOUNTING_PERIOD".into();
                row[at("Relationship.Period.2.startDate")] = format!("{}-{:02}-01T00:00:00.000Z", 2000 + rng.below(24), 1 + rng.below(12));
                row[at("Relationship.Period.2.periodType")] = "RELATIONSHIP_PERIOD".into();
                row[at("Relationship.Qualifiers.1.QualifierDimension")] = "ACCOUNTING_STANDARD".into();
                row[at("Relationship.Qualifiers.1.QualifierCategory")] = rng.pick(&["IFRS", "US_GAAP", "OTHER_ACCOUNTING_STANDARD"]).into();
                if rng.below(6) == 0 {
                    row[at("Relationship.Quantifiers.1.MeasurementMethod")] = "ACCOUNTING_CONSOLIDATION".into();
                    row[at("Relationship.Quantifiers.1.QuantifierAmount")] = format!("{}.00", 50 + rng.below(51));
                    row[at("Relationship.Quantifiers.1.QuantifierUnits")] = "PERCENTAGE".into();
                }
                row[at("Registration.InitialRegistrationDate")] = "2018-05-02T10:00:00.000Z".into();
                row[at("Registration.LastUpdateDate")] = "2024-04-11T08:30:00.000Z".into();
                row[at("Registration.RegistrationStatus")] = "PUBLISHED".into();
                row[at("Registration.NextRenewalDate")] = "2025-05-02T10:00:00.000Z".into();
                row[at("Registration.ManagingLOU")] = "5299000J2N45DDNE4Y28".into();
                row[at("Registration.ValidationSources")] = rng.pick(&validation).into();
                row[at("Registration.ValidationDocuments")] = "ACCOUNTS_FILING".into();
                row[at("Registration.ValidationReference")] = format!("https://example.org/filings/{}", i + k);
                write_row(&mut out, &row);
                written += 1;
            }
        }
        i += size;
    }
    out.flush().unwrap();
    drop(out);

    // Seeds: spread over the file, some in groups, most not.
    let mut seeds = String::from("# gleif_select bench seeds\n");
    for k in 0..SEEDS {
        seeds.push_str(&format!("LEI:{}\n", lei((k * 997 + 123) % records)));
    }
    std::fs::write(folder.join("seeds.txt"), seeds).unwrap();
    std::fs::write(&done, format!("{written} relationships\n")).unwrap();
    println!("generated {} in {:.1} s ({written} relationships)", folder.display(), started.elapsed().as_secs_f64());
    folder
}

/// A golden-copy CSV row: every cell quoted, CRLF.
fn write_row(out: &mut impl Write, cells: &[String]) {
    let mut line = String::with_capacity(2048);
    for (i, cell) in cells.iter().enumerate() {
        if i > 0 {
            line.push(',');
        }
        line.push('"');
        line.push_str(&cell.replace('"', "\"\""));
        line.push('"');
    }
    line.push_str("\r\n");
    out.write_all(line.as_bytes()).unwrap();
}
