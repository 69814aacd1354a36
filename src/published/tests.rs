//! Tests of detection and of the rules every format shares.

use super::*;
use crate::ingest::tables;

#[test]
fn formats_are_recognised_by_content() {
    assert_eq!(detect("x.json", br#"[{"statementId": "1", "recordType": "entity"}]"#), Some(Format::Bods));
    assert_eq!(detect("x.jsonl", br#"{"id": "Q1", "schema": "Company", "properties": {"name": ["A"]}}"#), Some(Format::Ftm));
    assert_eq!(detect("x.json", br#"{"data": [{"type": "lei-records"}]}"#), Some(Format::Gleif));
    assert_eq!(detect("x.xml", b"<?xml version=\"1.0\"?><lei:LEIData xmlns:lei=\"x\">"), Some(Format::Gleif));
    assert_eq!(detect("c.csv", b"_id,source,entity_number,type\n"), Some(Format::Csl));
    assert_eq!(detect("t.csv", b"covered_equipment_or_services,date_of_inclusion_on_covered_list\n"), Some(Format::Fcc));
    assert_eq!(
        detect("list.csv", b"36,\"AEROCARIBBEAN AIRLINES\",-0- ,\"CUBA\",-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- \r\n"),
        Some(Format::OfacSdn)
    );
    assert_eq!(detect("alt.csv", b"36,12,\"aka\",\"AERO-CARIBBEAN\",-0- \r\n"), Some(Format::OfacSdn));
    assert_eq!(detect("notes.csv", b"a,b,c\n1,2,3\n"), None);
    assert_eq!(detect("x.json", b"{\"hello\": 1}"), None);
}
