//! Selecting the 2-hop neighbourhood of 1,000 seed entities in a FollowTheMoney export of
//! 1,000,000 lines (about 1 GB), and staging it: the bulk path of `--ids FILE --hops 2`. Targets: at
//! most 10 s on a 2-core machine, and at least 5× faster than the same selection in Python with
//! orjson (`benches/ftm_select.py`, run when `python3 -c "import orjson"` works).
//!
//! `cargo bench --bench ftm_select [-- LINES]`. The file and its seeds are generated once,
//! deterministically, under `target/bench-data/`.

#[path = "common.rs"]
mod common;
use common::peak_rss_kb;
use std::collections::HashSet;
use std::fmt::Write as _;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Instant;

use rand::{RngExt as _, SeedableRng};
use rand_chacha::ChaCha8Rng;
use vetta::ingest::{KnownFacts, Source};
use vetta::published::{Selection, Staged};

const SEEDS: usize = 1_000;
const HOPS: u32 = 2;

fn main() {
    let lines: usize = std::env::args().skip(1).find_map(|a| a.parse().ok()).unwrap_or(1_000_000);
    let (file, seeds) = generate(lines);
    let size = std::fs::metadata(&file).unwrap().len();
    println!("ftm_select: {lines} lines, {:.0} MB of FollowTheMoney, {SEEDS} seeds, {HOPS} hops", size as f64 / 1e6);

    let mut selection = Selection { hops: HOPS, ..Selection::default() };
    selection.add_ids_text("seeds.txt", &std::fs::read_to_string(&seeds).unwrap()).unwrap();
    let published = vetta::published::recognise(&file, None).expect("a FollowTheMoney file");
    let mut seconds = Vec::new();
    let mut counts = None;
    for _ in 0..3 {
        let start = Instant::now();
        let staged = vetta::published::stage(std::slice::from_ref(&published), &KnownFacts::default(), Some(&selection), &|_, _| true)
            .expect("not cancelled")
            .expect("the file reads");
        seconds.push(start.elapsed().as_secs_f64());
        counts = Some(Counts::of(&staged));
    }
    let counts = counts.unwrap();
    seconds.sort_by(f64::total_cmp);
    let rust = seconds[seconds.len() / 2];
    println!(
        "rust (bulk path, select + stage): median {rust:.2} s (min {:.2}, max {:.2}, {} runs); peak resident memory {:.0} MB",
        seconds[0],
        seconds[seconds.len() - 1],
        seconds.len(),
        peak_rss_kb() as f64 / 1024.0
    );
    println!(
        "rust kept: {} lines of {}, {} entities, {} ownership rows, {} designations",
        counts.lines, counts.records, counts.entities, counts.ownership, counts.designations
    );
    assert!(rust <= 10.0, "the target is at most 10 s");

    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("benches/ftm_select.py");
    let orjson = Command::new("python3").args(["-c", "import orjson"]).output().is_ok_and(|o| o.status.success());
    if !orjson {
        println!("python: skipped (python3 with orjson not found; `pip install orjson`)");
        return;
    }
    let start = Instant::now();
    let out = Command::new("python3").arg(&script).arg(&file).arg(&seeds).arg(HOPS.to_string()).output().expect("python3 runs");
    let python = start.elapsed().as_secs_f64();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).expect("the script prints JSON");
    let number = |key: &str| report[key].as_u64().unwrap_or(u64::MAX);
    println!(
        "python (orjson, select only): {python:.2} s; peak resident memory {:.0} MB",
        report["peak_rss_kb"].as_f64().unwrap_or(0.0) / 1024.0
    );
    println!(
        "python kept: {} lines of {}, {} entities, {} ownership rows, {} designations",
        number("lines"),
        number("records"),
        number("entities"),
        number("ownership"),
        number("designations")
    );
    println!("ratio: rust is {:.1}× faster than python (target ≥ 5×)", python / rust);
    assert_eq!(
        (counts.lines, counts.records, counts.entities, counts.ownership, counts.designations),
        (number("lines"), number("records"), number("entities"), number("ownership"), number("designations")),
        "rust and python keep the same"
    );
}

/// What the bulk path kept.
struct Counts {
    records: u64,
    lines: u64,
    entities: u64,
    ownership: u64,
    designations: u64,
}

impl Counts {
    fn of(staged: &Staged) -> Counts {
        let rows = |table: &str| -> u64 {
            let Some(input) = staged.inputs.iter().find(|i| i.table.name == table) else { return 0 };
            let Source::Text(text) = &input.source else { return 0 };
            text.iter().filter(|&&b| b == b'\n').count() as u64 - 1
        };
        // `outside the 2-hop neighbourhood of the seeds: LEFT of RECORDS lines not staged`
        let (left, records) = staged
            .notes
            .iter()
            .find(|n| n.code == "outside-selection" && n.message.ends_with("lines not staged"))
            .and_then(|n| {
                let words: Vec<&str> = n.message.split(": ").nth(1)?.split(' ').collect();
                Some((words[0].parse::<u64>().ok()?, words[2].parse::<u64>().ok()?))
            })
            .expect("the bulk path counts what it left out");
        Counts {
            records,
            lines: records - left,
            entities: rows("entities"),
            ownership: rows("ownership"),
            designations: rows("designations"),
        }
    }
}

// ---- The data ----

/// A small deterministic generator (ChaCha8, seeded).
struct Dice(ChaCha8Rng);

impl Dice {
    fn new(seed: u64) -> Dice {
        Dice(ChaCha8Rng::seed_from_u64(seed))
    }
    fn below(&mut self, n: usize) -> usize {
        self.0.random_range(0..n)
    }
    fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
        items[self.below(items.len())]
    }
    fn date(&mut self, from: usize, years: usize) -> String {
        format!("{}-{:02}-{:02}", from + self.below(years), 1 + self.below(12), 1 + self.below(28))
    }
    fn digits(&mut self, n: usize) -> String {
        (0..n).map(|i| char::from(b'0' + if i == 0 { 1 + self.below(9) } else { self.below(10) } as u8)).collect()
    }
}

const WORDS: &[&str] = &[
    "Northwind",
    "Volga",
    "Baltic",
    "Sever",
    "Techno",
    "Global",
    "Trans",
    "Energo",
    "Stroy",
    "Invest",
    "Capital",
    "Systems",
    "Digital",
    "Atlas",
    "Polar",
    "Ural",
    "Amur",
    "Neva",
    "Orion",
    "Vector",
    "Delta",
    "Sigma",
    "Kama",
    "Lena",
    "Don",
    "Taiga",
    "Arctic",
    "Pacific",
    "Meridian",
    "Granite",
    "Cobalt",
    "Quantum",
    "Helios",
    "Zenith",
];
const FORMS: &[&str] = &["LLC", "JSC", "AO", "OOO", "Ltd", "GmbH", "Holding", "Group", "PJSC", "Limited", "Trading Co."];
const CYRILLIC: &[&str] = &["Северный", "Волга", "Балтика", "Технологии", "Инвест", "Капитал", "Системы", "Энерго", "Строй", "Урал"];
const FIRST: &[&str] = &["Ivan", "Olga", "Sergei", "Anna", "Dmitry", "Elena", "Wei", "Li", "John", "Maria", "Alexei", "Natalia", "Pavel"];
const LAST: &[&str] = &["Petrov", "Ivanova", "Smirnov", "Kuznetsova", "Popov", "Wang", "Zhang", "Smith", "Sokolov", "Morozova", "Volkov"];
const CITIES: &[&str] = &["Moscow", "Saint Petersburg", "Novosibirsk", "Kazan", "Shanghai", "Shenzhen", "Limassol", "Dubai", "Minsk"];
const STREETS: &[&str] = &["Lenina", "Tverskaya", "Nevsky prospekt", "Pushkina", "Gagarina", "Sadovaya", "Mira", "Sovetskaya"];
const COUNTRIES: &[&str] = &["ru", "cn", "by", "cy", "ae", "kz", "hk", "us", "gb", "de"];
const DATASETS: &[&str] = &["ru_egrul", "us_ofac_sdn", "eu_fsf", "gb_fcdo_sanctions", "ua_nsdc_sanctions", "us_trade_csl", "ru_rupep"];
const TOPICS: &[&str] = &["sanction", "sanction.linked", "gov.soe", "role.pep", "poi", "export.control", "debarment"];

/// An id like OpenSanctions' (`NK-` and 22 letters and digits).
fn entity_id(n: usize) -> String {
    const ALPHABET: &[u8] = b"0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
    let mut dice = Dice::new(n as u64 ^ 0x5eed);
    let tail: String = (0..22).map(|_| char::from(ALPHABET[dice.below(ALPHABET.len())])).collect();
    format!("NK-{tail}")
}

/// An LEI with its check digits (ISO 17442: ISO 7064 MOD 97-10).
fn lei(dice: &mut Dice) -> String {
    const ALPHANUMERIC: &[u8] = b"0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ";
    let body: String = "5299".chars().chain((0..14).map(|_| char::from(ALPHANUMERIC[dice.below(36)]))).collect();
    let remainder = format!("{body}00").chars().fold(0u64, |acc, c| {
        let value = c.to_digit(36).unwrap() as u64;
        if value < 10 { (acc * 10 + value) % 97 } else { (acc * 100 + value) % 97 }
    });
    format!("{body}{:02}", 98 - remainder)
}

/// The generated file and its seeds file (cached: generated once per line count).
fn generate(lines: usize) -> (PathBuf, PathBuf) {
    let folder = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join(format!("target/bench-data/ftm-select-{lines}"));
    let (file, seeds, done) = (folder.join("entities.ftm.json"), folder.join("seeds.txt"), folder.join("done.v2"));
    if done.exists() {
        return (file, seeds);
    }
    std::fs::create_dir_all(&folder).unwrap();
    let start = Instant::now();
    // About 65 % parties (the first ones holding companies that own many), the rest links among them.
    let parties = lines * 65 / 100;
    let hubs = (parties / 300).max(1);
    let mut dice = Dice::new(20_241_127);
    let mut out = std::io::BufWriter::with_capacity(1 << 20, std::fs::File::create(&file).unwrap());
    let mut links: HashSet<(u8, usize, usize)> = HashSet::new();
    let mut listed: HashSet<(usize, &str)> = HashSet::new();
    let mut line = String::with_capacity(4096);
    let (mut party, mut link) = (0usize, 0usize);
    for i in 0..lines {
        line.clear();
        // Parties and links interleaved, as in an export sorted by id.
        let is_party = party < parties && (link >= lines - parties || dice.below(lines) < parties);
        if is_party {
            company_or_person(&mut line, party, hubs, &mut dice);
            party += 1;
        } else {
            link_line(&mut line, i, parties, hubs, &mut dice, &mut links, &mut listed);
            link += 1;
        }
        line.push('\n');
        out.write_all(line.as_bytes()).unwrap();
    }
    out.flush().unwrap();
    // Seeds: parties spread over the file.
    let mut text = String::from("# seed entities of the ftm_select bench\n");
    for n in 0..SEEDS {
        writeln!(text, "os:{}", entity_id(n * (parties / SEEDS) + 7)).unwrap();
    }
    std::fs::write(&seeds, text).unwrap();
    std::fs::write(&done, "").unwrap();
    println!("generated {} in {:.1} s", file.display(), start.elapsed().as_secs_f64());
    (file, seeds)
}

fn strings(items: &[String]) -> String {
    let quoted: Vec<String> = items.iter().map(|s| format!("\"{s}\"")).collect();
    format!("[{}]", quoted.join(", "))
}

fn seen(dice: &mut Dice) -> String {
    let first = dice.date(2019, 5);
    format!(
        r#""first_seen": "{first}T{:02}:00:00", "last_seen": "2025-{:02}-01T00:00:00", "last_change": "{}T{:02}:30:00""#,
        dice.below(24),
        1 + dice.below(6),
        dice.date(2023, 3),
        dice.below(24)
    )
}

fn address(dice: &mut Dice) -> String {
    format!(
        "{}, ul. {} {}, office {}, {} {}",
        dice.digits(6),
        dice.pick(STREETS),
        1 + dice.below(120),
        1 + dice.below(900),
        dice.pick(CITIES),
        dice.pick(&["Russian Federation", "China", "Cyprus", "United Arab Emirates", "Belarus"])
    )
}

fn company_or_person(line: &mut String, n: usize, hubs: usize, dice: &mut Dice) {
    let id = entity_id(n);
    let datasets = strings(&[dice.pick(DATASETS).to_string(), dice.pick(DATASETS).to_string()]);
    let topics = strings(&[dice.pick(TOPICS).to_string()]);
    let addresses: Vec<String> = (0..1 + dice.below(2)).map(|_| address(dice)).collect();
    if n < hubs || dice.below(100) < 70 {
        let base = format!("{} {}", dice.pick(WORDS), dice.pick(WORDS));
        let form = dice.pick(FORMS);
        let mut names = vec![format!("{base} {form}"), format!("{} {}", dice.pick(CYRILLIC), dice.pick(CYRILLIC))];
        if dice.below(2) == 0 {
            names.push(format!("{} {}", base.to_uppercase(), form.to_uppercase()));
        }
        let aliases: Vec<String> =
            (0..1 + dice.below(3)).map(|k| format!("{base} {}", ["Trading", "Export", "Services", "Tech"][k])).collect();
        let inn = dice.digits(10);
        let ogrn = dice.digits(13);
        let lei = if dice.below(10) < 3 { format!(r#", "leiCode": ["{}"]"#, lei(dice)) } else { String::new() };
        let wikidata = if dice.below(10) == 0 { format!(r#", "wikidataId": ["Q{}"]"#, dice.digits(7)) } else { String::new() };
        let slug = base.to_lowercase().replace(' ', "-");
        let extra = format!(
            r#", "website": ["https://www.{slug}.example.ru"], "email": ["info@{slug}.example.ru", "tender@{slug}.example.ru"], "phone": ["+7 495 {}"], "sector": ["{}"], "description": ["Supplier of {} systems and related maintenance, integration and training services to federal and regional customers; subsidiaries and branch offices in {} and {}."]"#,
            dice.digits(7),
            dice.pick(&["Manufacture of electronic components", "Computer programming", "Wholesale of machinery", "Telecommunications"]),
            dice.pick(&["network", "server", "radio", "security", "storage"]),
            dice.pick(CITIES),
            dice.pick(CITIES)
        );
        let notes = format!(
            "{base} {form} was registered in {} and is active in {}; it supplies {} and {} equipment to state customers under contracts registered with the federal procurement register.",
            dice.pick(CITIES),
            dice.pick(&["telecommunications", "energy", "logistics", "software", "defence electronics"]),
            dice.pick(&["network", "server", "radio", "security"]),
            dice.pick(&["industrial", "medical", "navigation", "storage"])
        );
        write!(
            line,
            r#"{{"id": "{id}", "schema": "Company", "caption": "{}", "properties": {{"name": {}, "alias": {}, "previousName": ["{} {}"], "jurisdiction": ["{}"], "country": ["{}"], "incorporationDate": ["{}"], "address": {}, "innCode": ["{inn}"], "ogrnCode": ["{ogrn}"], "registrationNumber": ["{ogrn}"]{lei}{wikidata}, "topics": {topics}, "sourceUrl": ["https://egrul.example.org/{inn}"], "notes": ["{notes}"]{extra}}}, "referents": ["ru-inn-{inn}", "ru-ogrn-{ogrn}"], "datasets": {datasets}, "target": {}, {}}}"#,
            names[0],
            strings(&names),
            strings(&aliases),
            dice.pick(WORDS),
            dice.pick(FORMS),
            dice.pick(COUNTRIES),
            dice.pick(COUNTRIES),
            dice.date(1992, 30),
            strings(&addresses),
            dice.below(5) == 0,
            seen(dice),
        )
        .unwrap();
    } else {
        let (first, last) = (dice.pick(FIRST), dice.pick(LAST));
        let names = vec![format!("{first} {last}"), format!("{} {first}", last.to_uppercase())];
        let position = format!(
            "{} of {} {} {}",
            dice.pick(&["General Director", "Chairman of the Board", "Beneficial owner", "Deputy Minister", "Founder"]),
            dice.pick(WORDS),
            dice.pick(WORDS),
            dice.pick(FORMS)
        );
        write!(
            line,
            r#"{{"id": "{id}", "schema": "Person", "caption": "{}", "properties": {{"name": {}, "alias": ["{} {}."], "firstName": ["{first}"], "lastName": ["{last}"], "birthDate": ["{}"], "nationality": ["{}"], "country": ["{}"], "position": ["{position}"], "birthPlace": ["{}"], "education": ["{} State University, faculty of {}"], "address": {}, "innCode": ["{}"], "topics": {topics}, "notes": ["{position}; listed for the activities of the companies named in the linked records, which operate in sectors of the economy named by the listing authority."]}}, "referents": ["ru-inn-p{}"], "datasets": {datasets}, "target": {}, {}}}"#,
            names[0],
            strings(&names),
            &first[..1],
            last,
            dice.date(1950, 50),
            dice.pick(COUNTRIES),
            dice.pick(COUNTRIES),
            dice.pick(CITIES),
            dice.pick(CITIES),
            dice.pick(&["economics", "law", "radio engineering", "applied mathematics", "international relations"]),
            strings(&addresses),
            dice.digits(12),
            dice.digits(12),
            dice.below(3) == 0,
            seen(dice),
        )
        .unwrap();
    }
}

fn link_line(
    line: &mut String,
    i: usize,
    parties: usize,
    hubs: usize,
    dice: &mut Dice,
    links: &mut HashSet<(u8, usize, usize)>,
    listed: &mut HashSet<(usize, &'static str)>,
) {
    let roll = dice.below(100);
    if roll < 15 {
        // A sanction on a party, once per list.
        let (subject, dataset) = loop {
            let pair = (dice.below(parties), dice.pick(&["us_ofac_sdn", "eu_fsf", "gb_fcdo_sanctions", "ua_nsdc_sanctions"]));
            if listed.insert(pair) {
                break pair;
            }
        };
        write!(
            line,
            r#"{{"id": "{dataset}-san-{i}", "schema": "Sanction", "properties": {{"entity": ["{}"], "authority": ["{}"], "program": ["{}"], "programId": ["{}"], "reason": ["Operating in the technology sector of the economy; providing support to designated persons through the supply of equipment and services."], "startDate": ["{}"], "sourceUrl": ["https://sanctions.example.org/{i}"]}}, "datasets": ["{dataset}"], {}}}"#,
            entity_id(subject),
            dice.pick(&["Office of Foreign Assets Control", "Council of the European Union", "Foreign, Commonwealth & Development Office"]),
            dice.pick(&["RUSSIA-EO14024", "CYBER2", "UKRAINE-EO13662", "Regulation 269/2014"]),
            dice.pick(&["RUSSIA-EO14024", "CYBER2", "UKRAINE-EO13662"]),
            dice.date(2014, 11),
            seen(dice),
        )
        .unwrap();
        return;
    }
    let kind: u8 = if roll < 80 {
        0
    } else if roll < 92 {
        1
    } else {
        2
    };
    let (from, to) = loop {
        // One link in ten from a holding company: hubs with many holdings.
        let from = if dice.below(10) == 0 { dice.below(hubs) } else { dice.below(parties) };
        let to = dice.below(parties);
        if from != to && links.insert((kind, from, to)) {
            break (from, to);
        }
    };
    let (from, to) = (entity_id(from), entity_id(to));
    match kind {
        0 => {
            let since = dice.date(2000, 20);
            let until = if dice.below(5) == 0 { format!(r#", "endDate": ["{}"]"#, dice.date(2021, 4)) } else { String::new() };
            write!(
                line,
                r#"{{"id": "own-{i}", "schema": "Ownership", "caption": "Ownership", "properties": {{"owner": ["{from}"], "asset": ["{to}"], "percentage": ["{}"], "startDate": ["{since}"]{until}, "role": ["Participant"], "recordId": ["{}"], "sourceUrl": ["https://egrul.example.org/ownership/{i}"]}}, "datasets": ["ru_egrul"], {}}}"#,
                1 + dice.below(100),
                dice.digits(12),
                seen(dice),
            )
            .unwrap();
        }
        1 => write!(
            line,
            r#"{{"id": "ctl-{i}", "schema": "Control", "properties": {{"controller": ["{from}"], "controlled": ["{to}"], "role": ["Management company"], "startDate": ["{}"]}}, "datasets": ["ru_egrul"], {}}}"#,
            dice.date(2005, 15),
            seen(dice),
        )
        .unwrap(),
        _ => write!(
            line,
            r#"{{"id": "dir-{i}", "schema": "Directorship", "properties": {{"director": ["{from}"], "organization": ["{to}"], "role": ["General Director"], "startDate": ["{}"]}}, "datasets": ["ru_egrul"], {}}}"#,
            dice.date(2005, 15),
            seen(dice),
        )
        .unwrap(),
    }
}
