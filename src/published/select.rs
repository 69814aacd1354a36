//! The part of a big published file that concerns the user (`--around VENDOR…`, `--ids FILE`,
//! `--hops N`): the entities within N ownership or control hops of the seeds, with their names,
//! identifiers and listings.
//!
//! This is the definition, applied to staged rows of any format. The bulk readers (GLEIF golden
//! copies, FollowTheMoney exports) may narrow a file before staging for speed; what they keep must
//! be a superset of what this keeps, so the answer is the same.

use std::collections::{HashMap, HashSet, VecDeque};

/// What to keep: seeds and a hop count.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Selection {
    /// Entity ids (`lei:…`, `os:…`, a vendor's entity id).
    pub ids: HashSet<String>,
    /// Identifiers, `(SCHEME, value)`.
    pub identifiers: HashSet<(String, String)>,
    /// Names, folded with [`fold_name`].
    pub names: HashSet<String>,
    /// Ownership or control hops from a seed (undirected).
    pub hops: u32,
}

/// The `--hops` default (cli.md).
pub const DEFAULT_HOPS: u32 = 2;

impl Selection {
    pub fn is_empty(&self) -> bool {
        self.ids.is_empty() && self.identifiers.is_empty() && self.names.is_empty()
    }

    /// Reads an `--ids` file: one seed a line, `SCHEME:VALUE` (an upper-case scheme, as in
    /// `identifiers.csv`) or an entity id; blank lines and lines starting with `#` are skipped.
    /// Errors name the line.
    pub fn add_ids_text(&mut self, file: &str, text: &str) -> Result<(), String> {
        for (index, line) in text.lines().enumerate() {
            let line = line.trim();
            if line.is_empty() || line.starts_with('#') {
                continue;
            }
            match line.split_once(':') {
                Some((scheme, value)) if crate::ingest::cells::scheme(scheme).is_ok() && !value.trim().is_empty() => {
                    self.identifiers.insert((scheme.to_string(), value.trim().to_string()));
                }
                _ if crate::ingest::cells::id(line).is_ok() => {
                    self.ids.insert(line.to_string());
                }
                _ => {
                    let shown = crate::ingest::cells::quoted(line);
                    return Err(format!("{file}:{}: {shown} is neither SCHEME:VALUE nor an entity id", index + 1));
                }
            }
        }
        Ok(())
    }
}

/// A name as seeds compare it: case folded, every run of non-alphanumeric characters one space.
/// (Matching proper, with legal forms and transliteration, is screening's; this only finds the
/// published records that name a vendor as the store writes it.)
pub fn fold_name(name: &str) -> String {
    let mut folded = String::with_capacity(name.len());
    for word in name.split(|c: char| !c.is_alphanumeric()).filter(|w| !w.is_empty()) {
        if !folded.is_empty() {
            folded.push(' ');
        }
        folded.extend(word.chars().flat_map(char::to_lowercase));
    }
    folded
}

/// The graph of one import's staged rows: which ids the seeds hit and which ids each id is
/// joined to by an ownership or control edge.
#[derive(Default)]
pub struct Neighbourhood<'a> {
    hits: HashSet<&'a str>,
    edges: HashMap<&'a str, Vec<&'a str>>,
}

impl<'a> Neighbourhood<'a> {
    /// A staged entity (or a row about one) matched a seed.
    pub fn hit(&mut self, id: &'a str) {
        self.hits.insert(id);
    }

    /// An equity row or a control tie between two ids.
    pub fn edge(&mut self, a: &'a str, b: &'a str) {
        self.edges.entry(a).or_default().push(b);
        self.edges.entry(b).or_default().push(a);
    }

    /// Every id within `hops` edges of a hit (hits included).
    pub fn within(&self, hops: u32) -> HashSet<&'a str> {
        let mut kept: HashSet<&str> = self.hits.iter().copied().collect();
        let mut queue: VecDeque<(&str, u32)> = self.hits.iter().map(|&id| (id, 0)).collect();
        while let Some((id, depth)) = queue.pop_front() {
            if depth == hops {
                continue;
            }
            for &next in self.edges.get(id).into_iter().flatten() {
                if kept.insert(next) {
                    queue.push_back((next, depth + 1));
                }
            }
        }
        kept
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hops_are_counted_from_every_seed_in_both_directions() {
        let mut graph = Neighbourhood::default();
        // a → b → c → d, and e → b.
        graph.edge("a", "b");
        graph.edge("b", "c");
        graph.edge("c", "d");
        graph.edge("e", "b");
        graph.hit("a");
        fn sorted(set: HashSet<&str>) -> Vec<&str> {
            let mut v: Vec<&str> = set.into_iter().collect();
            v.sort();
            v
        }
        assert_eq!(sorted(graph.within(0)), ["a"]);
        assert_eq!(sorted(graph.within(1)), ["a", "b"]);
        assert_eq!(sorted(graph.within(2)), ["a", "b", "c", "e"]);
        assert_eq!(sorted(graph.within(3)), ["a", "b", "c", "d", "e"]);
    }

    #[test]
    fn ids_files_take_identifiers_and_entity_ids() {
        let mut selection = Selection::default();
        selection.add_ids_text("seeds.txt", "# vendors\nLEI:529900T8BM49AURSDO55\n\nos:NK-1\nRU-INN: 7700000001 \n").unwrap();
        assert!(selection.identifiers.contains(&("LEI".to_string(), "529900T8BM49AURSDO55".to_string())));
        assert!(selection.identifiers.contains(&("RU-INN".to_string(), "7700000001".to_string())));
        assert!(selection.ids.contains("os:NK-1"));
        let error = selection.add_ids_text("seeds.txt", "ok\nnot an id\n").unwrap_err();
        assert!(error.starts_with("seeds.txt:2: "), "{error}");
    }

    #[test]
    fn names_fold_case_and_punctuation() {
        assert_eq!(fold_name("  AO \"Kaspersky Lab\", "), "ao kaspersky lab");
        assert_eq!(fold_name("ÄBC-Holding"), "äbc holding");
    }
}
