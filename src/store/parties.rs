//! The two sides of screening, read from the store: the book (the vendors' entities and everyone
//! who owns or controls them, through equity and `control` ties, at any depth) and every other
//! entity, each `same` group as one [`Party`] under its representative (risk-model.md v1.3: the
//! vendor's entity, else the member whose id sorts first), and the `different` decisions between
//! groups.

use std::collections::{BTreeMap, HashMap, HashSet};

use super::{Result, Store};
use crate::model::groups::Groups;
use crate::screening::Party;

/// What [`crate::screening::screen`] compares.
pub struct ScreeningInput {
    pub book: Vec<Party>,
    pub others: Vec<Party>,
    /// (book id, other id) pairs, in both orders, that an analyst decided are `different`.
    pub suppressed: HashSet<(String, String)>,
}

impl Store {
    /// The book of the given vendors (every vendor when `vendors` is empty) and every other group
    /// that holds no vendor's entity. Unknown vendor ids are the caller's to check.
    pub fn screening_input(&self, vendors: &[String]) -> Result<ScreeningInput> {
        let mut vendor_entities: HashMap<String, String> = HashMap::new();
        // A vendor's entity id → (name, hq_country): its entity, should `entities` not define it.
        let mut vendor_names: HashMap<String, (String, String)> = HashMap::new();
        let mut stmt = self.conn.prepare("SELECT vendor_id, entity_id, name, hq_country FROM vendors")?;
        for row in
            stmt.query_map([], |r| Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?, r.get::<_, String>(2)?, r.get::<_, String>(3)?)))?
        {
            let (vendor, entity, name, country) = row?;
            vendor_names.insert(entity.clone(), (name, country));
            vendor_entities.insert(entity, vendor);
        }
        let mut groups = Groups::new(&vendor_entities);
        let mut different = Vec::new();
        let mut stmt = self.conn.prepare("SELECT entity_id, other_id, decision = 'same' FROM links")?;
        for row in stmt.query_map([], |r| Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?, r.get::<_, bool>(2)?)))? {
            let (a, b, same) = row?;
            if same {
                // The store holds no link that joins two vendors' groups; were one there, the two
                // stay apart here.
                let _ = groups.join(&a, &b);
            } else {
                different.push((a, b));
            }
        }

        // Every entity, grouped: the members of each group, by root.
        let mut parties: BTreeMap<String, Party> = BTreeMap::new();
        let mut root_of: HashMap<String, String> = HashMap::new();
        let mut members: HashMap<String, Vec<String>> = HashMap::new();
        let mut stmt = self.conn.prepare("SELECT entity_id, name, kind, country FROM entities")?;
        let mut entities: Vec<(String, String, String, String)> =
            stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)))?.collect::<Result<_, _>>()?;
        // A vendor whose entity `entities` does not define: a company in its home country
        // (data-formats.md, vendors.csv), named as the vendor.
        let defined: HashSet<&str> = entities.iter().map(|e| e.0.as_str()).collect();
        let implicit: Vec<_> = vendor_names
            .iter()
            .filter(|(entity, _)| !defined.contains(entity.as_str()))
            .map(|(entity, (name, country))| (entity.clone(), name.clone(), "company".to_string(), country.clone()))
            .collect();
        entities.extend(implicit);
        for (id, name, kind, country) in entities {
            let root = groups.find(&id);
            members.entry(root.clone()).or_default().push(id.clone());
            root_of.insert(id.clone(), root);
            let mut names = vec![name];
            if let Some((vendor_name, _)) = vendor_names.get(&id)
                && !names.contains(vendor_name)
            {
                names.push(vendor_name.clone());
            }
            let party =
                Party { vendor_id: vendor_entities.get(&id).cloned(), kind, country, names, id: id.clone(), identifiers: Vec::new() };
            parties.insert(id, party);
        }
        let mut stmt = self.conn.prepare("SELECT entity_id, name FROM aliases ORDER BY entity_id, name")?;
        for row in stmt.query_map([], |r| Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?)))? {
            let (id, name) = row?;
            if let Some(party) = parties.get_mut(&id)
                && !party.names.contains(&name)
            {
                party.names.push(name);
            }
        }
        let mut stmt = self.conn.prepare("SELECT entity_id, scheme, value FROM identifiers ORDER BY entity_id, scheme, value")?;
        for row in stmt.query_map([], |r| Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?, r.get::<_, String>(2)?)))? {
            let (id, scheme, value) = row?;
            if let Some(party) = parties.get_mut(&id) {
                party.identifiers.push((scheme, value));
            }
        }

        // One party a group: the representative's id, kind and country; every member's names and
        // identifiers, the representative's first.
        let mut merged: HashMap<String, Party> = HashMap::new();
        for (root, ids) in &members {
            let representative =
                ids.iter().find(|id| vendor_entities.contains_key(*id)).unwrap_or_else(|| ids.iter().min().expect("a group has a member"));
            let mut party = parties.remove(representative).expect("every member is an entity");
            for id in ids.iter().filter(|id| *id != representative) {
                let member = parties.remove(id).expect("every member is an entity");
                for name in member.names {
                    if !party.names.contains(&name) {
                        party.names.push(name);
                    }
                }
                party.identifiers.extend(member.identifiers);
            }
            merged.insert(root.clone(), party);
        }

        // The book: the chosen vendors' groups, then whoever owns or controls a group in it.
        let mut book: HashSet<String> = HashSet::new();
        let mut queue: Vec<String> = Vec::new();
        for (entity, vendor) in &vendor_entities {
            if (vendors.is_empty() || vendors.contains(vendor))
                && let Some(root) = root_of.get(entity)
                && book.insert(root.clone())
            {
                queue.push(root.clone());
            }
        }
        let mut owners: HashMap<String, Vec<String>> = HashMap::new();
        let mut stmt = self.conn.prepare("SELECT from_id, to_id FROM ownership WHERE relation = 'equity' OR tie_kind = 'control'")?;
        for row in stmt.query_map([], |r| Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?)))? {
            let (from, to) = row?;
            if let (Some(from), Some(to)) = (root_of.get(&from), root_of.get(&to))
                && from != to
            {
                owners.entry(to.clone()).or_default().push(from.clone());
            }
        }
        while let Some(root) = queue.pop() {
            for owner in owners.get(&root).into_iter().flatten() {
                if book.insert(owner.clone()) {
                    queue.push(owner.clone());
                }
            }
        }

        let holds_vendor = |party: &Party| party.vendor_id.is_some();
        let mut input = ScreeningInput { book: Vec::new(), others: Vec::new(), suppressed: HashSet::new() };
        let mut merged: Vec<(String, Party)> = merged.into_iter().collect();
        merged.sort_by(|a, b| a.1.id.cmp(&b.1.id));
        for (root, party) in merged {
            if book.contains(&root) {
                input.book.push(party);
            } else if !holds_vendor(&party) {
                input.others.push(party);
            }
        }
        let representative: HashMap<&str, &str> = input
            .book
            .iter()
            .chain(&input.others)
            .flat_map(|party| members[&root_of[&party.id]].iter().map(|id| (id.as_str(), party.id.as_str())))
            .collect();
        for (a, b) in different {
            if let (Some(a), Some(b)) = (representative.get(a.as_str()), representative.get(b.as_str())) {
                input.suppressed.insert((a.to_string(), b.to_string()));
                input.suppressed.insert((b.to_string(), a.to_string()));
            }
        }
        Ok(input)
    }
}
