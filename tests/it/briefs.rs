use std::path::Path;
use std::process::Command;

use crate::support::*;

fn demo_db(dir: &tempfile::TempDir) -> std::path::PathBuf {
    let db = dir.path().join("vetta.db");
    vetta::api::open_store(&db).unwrap();
    db
}

fn brief(db: &Path, args: &[&str]) -> std::process::Output {
    Command::new(vetta_bin()).arg("--db").arg(db).arg("brief").args(args).output().unwrap()
}

/// The PDF's text layer (poppler's pdftotext, which `cargo xtask test` installs).
fn pdf_text(pdf: &Path) -> String {
    let out = Command::new("pdftotext").args(["-layout"]).arg(pdf).arg("-").output().expect("pdftotext is installed (poppler-utils)");
    assert!(out.status.success());
    String::from_utf8_lossy(&out.stdout).into_owned()
}

#[test]
fn a_vendor_brief_holds_the_vendor_score_band_and_sources_and_regenerates_byte_identical() {
    let dir = tempfile::tempdir().unwrap();
    let db = demo_db(&dir);
    let first = dir.path().join("kaspersky.pdf");
    let out = brief(&db, &["kaspersky", "-o", first.to_str().unwrap()]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let text = pdf_text(&first);
    for needle in ["Kaspersky Lab", "55.6", "HIGH", "US-BOD-17-01", "Daily Caller News Foundation", "alleged"] {
        assert!(text.contains(needle), "the brief mentions {needle:?}");
    }
    let second = dir.path().join("again.pdf");
    assert!(brief(&db, &["kaspersky", "-o", second.to_str().unwrap()]).status.success());
    assert_eq!(std::fs::read(&first).unwrap(), std::fs::read(&second).unwrap(), "the same store, scenario and version give the same bytes");
}

#[test]
fn a_comparison_brief_covers_every_vendor_named() {
    let dir = tempfile::tempdir().unwrap();
    let db = demo_db(&dir);
    let pdf = dir.path().join("compare.pdf");
    let out = brief(&db, &["kaspersky", "lotusgate", "nordlicht", "-o", pdf.to_str().unwrap(), "--paper", "us-letter"]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let text = pdf_text(&pdf);
    for name in ["Kaspersky Lab", "Lotusgate", "Nordlicht"] {
        assert!(text.contains(name), "{name} is compared");
    }
}

#[test]
fn an_unknown_vendor_is_an_error_and_nothing_is_written() {
    let dir = tempfile::tempdir().unwrap();
    let db = demo_db(&dir);
    let pdf = dir.path().join("never.pdf");
    let out = brief(&db, &["kaspersky", "nobody", "-o", pdf.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("nobody"));
    assert!(!pdf.exists(), "no output file on error");
}

#[test]
fn hostile_text_prints_verbatim_and_reads_nothing_from_the_file_system() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("vetta.db");
    let mut store = vetta::api::init_store(&db, true).unwrap();
    let name = "#read(\"/etc/passwd\") <script>x</script> $y$ ]";
    let vendors = format!(
        "vendor_id,name,hq_country,privilege,source\nevil,\"{}\",RU,kernel,\"#import \"\"/etc/passwd\"\"\"\nplain,Plain Co,US,none,src\n",
        name.replace('"', "\"\"")
    );
    let notes = "note_id,subject_id,date,speaker,stance,severity,reliability,credibility,summary,source\nn1,evil,2024-01-01,\"= Heading *bold*\",concern,2,B,2,\"#eval(\"\"1+1\"\") @ref <b>\",\"\u{202e}rtl source\"\n";
    import(&mut store, &[("vendors.csv", &vendors), ("testimony.csv", notes)]).unwrap();
    drop(store);
    let pdf = dir.path().join("evil.pdf");
    let out = brief(&db, &["evil", "-o", pdf.to_str().unwrap()]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let text = pdf_text(&pdf);
    let squeezed: String = text.split_whitespace().collect::<Vec<_>>().join(" ");
    assert!(squeezed.contains("#read(\"/etc/passwd\")"), "markup in a name prints as text");
    assert!(squeezed.contains("<script>x</script>"));
    assert!(squeezed.contains("#eval(\"1+1\") @ref <b>"));
    assert!(!text.contains("root:"), "nothing of /etc/passwd reaches the PDF");
    let bytes = std::fs::read(&pdf).unwrap();
    assert!(!bytes.windows(5).any(|w| w == b"root:"));
}

#[test]
fn a_vendors_identity_across_sources_reaches_its_page_and_its_brief() {
    let dir = tempfile::tempdir().unwrap();
    let db = demo_db(&dir);
    let mut store = vetta::store::Store::open(&db).unwrap().0;
    let entities = "entity_id,name,kind,country\nreg-kl,Kaspersky Lab JSC (register),company,RU\nkl-uk,Kaspersky Labs Limited,company,GB\n";
    let links = "entity_id,other_id,decision,decided_by,decided_on,basis\nkaspersky,reg-kl,same,Ana Analyst,2026-11-30,same registration number\nkaspersky,kl-uk,different,Bo Reviewer,2026-12-01,a subsidiary is not the parent\n";
    let aliases = "entity_id,name,kind,source\nreg-kl,Лаборатория Касперского,translit,register\n";
    let identifiers = "entity_id,scheme,value,source\nreg-kl,RU-INN,7713140469,register\n";
    import(&mut store, &[("entities.csv", entities), ("links.csv", links), ("aliases.csv", aliases), ("identifiers.csv", identifiers)])
        .unwrap();
    let identity = store.identity("kaspersky").unwrap().unwrap();
    assert_eq!(
        identity.group,
        ["kaspersky", "csl:vetta-transcribed-el-1", "fcc:ao-kaspersky-lab", "reg-kl"],
        "the vendor's entity first, then its same ids (the demo links two list entries)"
    );
    assert_eq!(identity.links.len(), 4, "the different decision is listed too");
    assert!(identity.identifiers.iter().any(|i| i.scheme == "RU-INN" && i.value == "7713140469"), "{:?}", identity.identifiers);
    let pdf = dir.path().join("kaspersky.pdf");
    let out = brief(&db, &["kaspersky", "-o", pdf.to_str().unwrap()]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let text = pdf_text(&pdf).split_whitespace().collect::<Vec<_>>().join(" ");
    for needle in [
        "Identity across sources",
        "decided by Ana Analyst on 2026-11-30",
        "same registration number",
        "RU-INN 7713140469",
        "different legal persons",
    ] {
        assert!(text.contains(needle), "the brief's provenance mentions {needle:?}");
    }
}

#[test]
fn a_possibly_prohibited_vendor_is_said_so_never_prohibited() {
    let dir = tempfile::tempdir().unwrap();
    let db = demo_db(&dir);
    let mut store = vetta::store::Store::open(&db).unwrap().0;
    let entities = "entity_id,name,kind,country\nlisted-co,Listed Holding Co,company,CY\n";
    let ownership = "from_id,to_id,relation,share_min,share_max,source\nlisted-co,harborbyte,equity,0.25,0.75,register band\n";
    let designations = "subject_id,list,effective,source\nlisted-co,US-OFAC-SDN,2020-01-01,list\n";
    import(&mut store, &[("entities.csv", entities), ("ownership.csv", ownership), ("designations.csv", designations)]).unwrap();
    let report = vetta::engine::score(&store, &vetta::scenario::ScenarioInput::default()).unwrap();
    let harbor = report.vendors.iter().find(|v| v.vendor_id == "harborbyte").unwrap();
    assert!(!harbor.prohibited && harbor.possibly_prohibited, "25 % is below the rule, 75 % above");
    assert_eq!(harbor.possible_designations, ["US-OFAC-SDN"]);
    let pdf = dir.path().join("harbor.pdf");
    let out = brief(&db, &["harborbyte", "-o", pdf.to_str().unwrap()]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let text = pdf_text(&pdf).split_whitespace().collect::<Vec<_>>().join(" ");
    for needle in ["POSSIBLY PROHIBITED", "US-OFAC-SDN", "Listed Holding Co: between 25 % and 75 %", "It is not prohibited", "25–75%"] {
        assert!(text.contains(needle), "the brief says {needle:?}");
    }
    assert!(!text.contains("PROHIBITED designated"), "never prohibited");
}

#[test]
fn a_brief_can_say_what_changed_since_a_date_or_a_batch() {
    let dir = tempfile::tempdir().unwrap();
    let db = demo_db(&dir);
    let pdf = dir.path().join("since.pdf");
    let text = |args: &[&str]| {
        let out = brief(&db, args);
        assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
        pdf_text(&pdf).split_whitespace().collect::<Vec<_>>().join(" ")
    };
    // A date: the current store as of 2024-01-01, then today. The Entity List additions and the
    // ICTS determination took effect since.
    let since = text(&["kaspersky", "--changes-since", "2024-01-01", "--as-of", "2026-11-27", "-o", pdf.to_str().unwrap()]);
    for needle in ["What changed", "From 2024-01-01 (current store)", "Lists now in force: US-BIS-ENTITY, US-ICTS-FD-2024."] {
        assert!(since.contains(needle), "the brief says {needle:?}");
    }
    // A batch: the store after the demo's lists, before its links; compared with Nordlicht, which
    // the links did not touch.
    let since = text(&["kaspersky", "nordlicht", "--changes-since", "2", "-o", pdf.to_str().unwrap()]);
    assert!(since.contains("links row added"), "the facts behind the change");
    assert!(since.contains("Lists now in force: US-BIS-ENTITY, US-FCC-COVERED."));
    let section = &since[since.find("What changed From").unwrap()..];
    let section = &section[..section.find("Side by side").unwrap()];
    assert!(section.contains("Kaspersky Lab") && !section.contains("Nordlicht"), "only the vendors that changed: {section}");
    let plain = text(&["kaspersky", "-o", pdf.to_str().unwrap()]);
    assert!(!plain.contains("What changed"), "only when asked for");
    let out = brief(&db, &["kaspersky", "--changes-since", "last month", "-o", pdf.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("neither a batch number nor a date"));
}
