//! Ledgers through polars (plain CSV, Parquet) and through the streaming reader (every other CSV):
//! the same facts either way, and errors where the streaming reader puts them.

use polars::prelude::*;

use crate::support::*;

/// A ledger with many rows per key, decimals that round (0.1, 1e-3, large and small values), rows
/// without a segment and sources given on some rows only.
fn ledger_rows() -> Vec<[String; 7]> {
    let amounts = ["0.1", "0.2", "0.3", "1e-3", "123456789.01", "7", ".5", "2.", "1E2", "0.7"];
    let mut rows = Vec::new();
    for i in 0..2_000u32 {
        let vendor = if i % 3 == 0 { "acme" } else { "redco" };
        let year = 2020 + (i % 4);
        let country = ["US", "RU", "XWE", "CN"][(i % 7 % 4) as usize];
        let segment = if i % 5 == 0 { "" } else { ["consumer", "enterprise", "other"][(i % 3) as usize] };
        let amount = amounts[(i as usize * 7) % amounts.len()];
        let source = if i % 11 == 3 { format!("ERP export {i}") } else { String::new() };
        let source_date = if i % 13 == 0 { "2024-02-29".to_string() } else { String::new() };
        rows.push([vendor.into(), year.to_string(), country.into(), segment.into(), amount.into(), source, source_date]);
    }
    rows
}

const HEADER: &str = "vendor_id,year,country,segment,revenue_usd,source,source_date";

fn csv(rows: &[[String; 7]], quoted: bool) -> String {
    let mut text = format!("{HEADER}\n");
    for row in rows {
        let cells: Vec<String> = row.iter().map(|c| if quoted && !c.is_empty() { format!("\"{c}\"") } else { c.clone() }).collect();
        text.push_str(&cells.join(","));
        text.push('\n');
    }
    text
}

fn facts_of(files: &[(&str, &[u8])]) -> Result<String, vetta::Error> {
    let mut store = base_store();
    let dir = tempfile::tempdir().unwrap();
    for (name, bytes) in files {
        std::fs::write(dir.path().join(name), bytes).unwrap();
    }
    import_paths(&mut store, &[dir.path().to_path_buf()])?;
    Ok(store.dataset_sha256().unwrap())
}

fn parquet(rows: &[[String; 7]]) -> Vec<u8> {
    let column = |i: usize| -> Vec<Option<String>> { rows.iter().map(|r| (!r[i].is_empty()).then(|| r[i].clone())).collect() };
    let years: Vec<i64> = rows.iter().map(|r| r[1].parse().unwrap()).collect();
    let amounts: Vec<f64> = rows.iter().map(|r| r[4].parse().unwrap()).collect();
    let mut frame = DataFrame::new_infer_height(vec![
        Column::new("vendor_id".into(), column(0)),
        Column::new("year".into(), years),
        Column::new("country".into(), column(2)),
        Column::new("segment".into(), column(3)),
        Column::new("revenue_usd".into(), amounts),
        Column::new("source".into(), column(5)),
        Column::new("source_date".into(), column(6)),
    ])
    .unwrap();
    let mut bytes = Vec::new();
    ParquetWriter::new(&mut bytes).finish(&mut frame).unwrap();
    bytes
}

#[test]
fn plain_csv_quoted_csv_and_parquet_give_the_same_facts() {
    let rows = ledger_rows();
    let plain = facts_of(&[("sales.csv", csv(&rows, false).as_bytes())]).unwrap();
    let quoted = facts_of(&[("sales.csv", csv(&rows, true).as_bytes())]).unwrap();
    let from_parquet = facts_of(&[("sales.parquet", &parquet(&rows))]).unwrap();
    assert_eq!(plain, quoted, "polars and the streaming reader sum alike (compensated, in file order)");
    assert_eq!(plain, from_parquet);
    let mut store = base_store();
    let data = folder(&[("sales.csv", &csv(&rows, false))]);
    import_paths(&mut store, &[data.path().to_path_buf()]).unwrap();
    let acme = store.vendor_rows(&vetta::ingest::tables::SALES, "acme").unwrap();
    let us_2020 = acme
        .iter()
        .find(|r| r[1] == vetta::model::Value::Int(2020) && r[2].as_str() == Some("US") && r[3].as_str() == Some("other"))
        .expect("rows without a segment count as `other`");
    assert!(us_2020[4].as_f64().unwrap() > 0.0);
}

#[test]
fn a_bad_cell_in_a_plain_ledger_is_reported_at_its_line_by_the_streaming_reader() {
    let mut rows = ledger_rows();
    rows[1500][4] = "NaN".into();
    let mut store = base_store();
    let found = errors(&mut store, &[("sales.csv", &csv(&rows, false))]);
    assert_eq!(found, ["sales.csv:1502:revenue_usd: \"NaN\" is not a decimal number"]);
    let mut rows = ledger_rows();
    rows[10][0] = "nobody".into();
    let found = errors(&mut store, &[("sales.csv", &csv(&rows, false))]);
    assert_eq!(found, ["sales.csv:12:vendor_id: \"nobody\" is not a vendor in the dataset or the store"]);
    rows[10][0] = "acme".into();
    rows[20][6] = "2023-02-29".into();
    let found = errors(&mut store, &[("sales.csv", &csv(&rows, false))]);
    assert_eq!(found, ["sales.csv:22:source_date: \"2023-02-29\" is not a calendar date YYYY-MM-DD"]);
}

#[test]
fn a_bad_parquet_ledger_is_reported_at_its_row() {
    let mut rows = ledger_rows();
    rows[7][2] = "Russia".into();
    rows[9][6] = "2024-13-01".into();
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("sales.parquet"), parquet(&rows)).unwrap();
    let mut store = base_store();
    let report = match import_paths(&mut store, &[dir.path().to_path_buf()]) {
        Err(vetta::Error::Rejected(report)) => report,
        other => panic!("expected a rejection, got {other:?}"),
    };
    let shown: Vec<String> = report.errors.iter().map(|e| e.to_string()).collect();
    assert!(shown.contains(&"sales.parquet:10:source_date: \"2024-13-01\" is not a calendar date YYYY-MM-DD".to_string()), "{shown:?}");
    assert!(!shown.iter().any(|s| s.contains("Russia")), "a key value is checked once the cells pass: {shown:?}");
    rows[9][6] = String::new();
    std::fs::write(dir.path().join("sales.parquet"), parquet(&rows)).unwrap();
    let report = match import_paths(&mut store, &[dir.path().to_path_buf()]) {
        Err(vetta::Error::Rejected(report)) => report,
        other => panic!("expected a rejection, got {other:?}"),
    };
    assert_eq!(
        report.errors[0].to_string(),
        "sales.parquet:8:country: \"Russia\" is not an ISO 3166-1 alpha-2 country code or a region code"
    );
}
