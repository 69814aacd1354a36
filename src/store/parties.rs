//! The two sides of screening, read from the store: the book (the vendors' entities and everyone
//! who owns or controls them, through equity and `control` ties, at any depth) and every other
//! entity, each `same` group as one [`Party`] under its representative (risk-model.md v1.3: the
//! vendor's entity, else the member whose id sorts first), and the `different` decisions between
//! groups.

use std::collections::{BTreeMap, HashMap, HashSet};

use super::db::{Sql, texts};
use super::{Result, Store};
use crate::model::groups::Groups;
use crate::screening::Party;

/// What [`crate::screening::screen`] compares.
pub struct ScreeningInput {
    pub book: Vec<Party>,
    pub others: Vec<Party>,
    /// (book id, other id) pairs, in both orders, that an analyst decided are `different`.
    pub suppressed: HashSet<(String, String)>,
    /// The member entity ids of each party that is a `same` group of several, the party's own id
    /// first (a party absent here is its id alone).
    pub members: HashMap<String, Vec<String>>,
}

/// One party as the Screening view shows it beside another: who it is, what lists it is on and
/// who owns or controls it, every line with its source.
#[derive(Debug, Clone, PartialEq, serde::Serialize, ts_rs::TS)]
pub struct PartyCard {
    pub id: String,
    /// The vendor whose entity this is, if any.
    pub vendor_id: Option<String>,
    pub kind: String,
    pub country: String,
    /// The name first, then every alias of the group's members.
    pub names: Vec<String>,
    pub identifiers: Vec<IdentifierPair>,
    /// The group's member ids other than `id` (linked `same`).
    pub linked: Vec<String>,
    pub listings: Vec<ListingLine>,
    /// Direct owners (equity) and controllers (`control` ties) of any member.
    pub owners: Vec<OwnerLine>,
}

#[derive(Debug, Clone, PartialEq, serde::Serialize, ts_rs::TS)]
pub struct IdentifierPair {
    pub scheme: String,
    pub value: String,
}

#[derive(Debug, Clone, PartialEq, serde::Serialize, ts_rs::TS)]
pub struct ListingLine {
    pub subject_id: String,
    pub list: String,
    pub program: Option<String>,
    pub effective: String,
    /// `on_or_before` when the list gives no designation date.
    pub effective_precision: Option<String>,
    pub ends: Option<String>,
    pub source: String,
}

#[derive(Debug, Clone, PartialEq, serde::Serialize, ts_rs::TS)]
pub struct OwnerLine {
    pub owner_id: String,
    pub owner_name: Option<String>,
    pub to_id: String,
    /// `equity` or `control`.
    pub relation: String,
    /// The exact share, or the low end of a range.
    pub share: Option<f64>,
    pub share_max: Option<f64>,
    pub since: Option<String>,
    pub until: Option<String>,
    pub source: String,
}

impl Store {
    /// The book of the given vendors (every vendor when `vendors` is empty) and every other group
    /// that holds no vendor's entity. Unknown vendor ids are the caller's to check.
    pub fn screening_input(&self, vendors: &[String]) -> Result<ScreeningInput> {
        self.db.read(|db| screening_input(db, vendors))
    }
}

fn screening_input(db: &super::db::Db, vendors: &[String]) -> Result<ScreeningInput> {
    {
        let mut vendor_entities: HashMap<String, String> = HashMap::new();
        // A vendor's entity id → (name, hq_country): its entity, should `entities` not define it.
        let mut vendor_names: HashMap<String, (String, String)> = HashMap::new();
        for (vendor, entity, name, country) in db.all("SELECT vendor_id, entity_id, name, hq_country FROM vendors", &[], |r| {
            Ok((r.text(0)?, r.text(1)?, r.text(2)?, r.text(3)?))
        })? {
            vendor_names.insert(entity.clone(), (name, country));
            vendor_entities.insert(entity, vendor);
        }
        let mut groups = Groups::new(&vendor_entities);
        let mut different = Vec::new();
        for (a, b, same) in
            db.all("SELECT entity_id, other_id, decision FROM links", &[], |r| Ok((r.text(0)?, r.text(1)?, r.text(2)? == "same")))?
        {
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
        let mut entities: Vec<(String, String, String, String)> =
            db.all("SELECT entity_id, name, kind, country FROM entities", &[], |r| Ok((r.text(0)?, r.text(1)?, r.text(2)?, r.text(3)?)))?;
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
        for (id, name) in db.all("SELECT entity_id, name FROM aliases ORDER BY entity_id, name", &[], |r| Ok((r.text(0)?, r.text(1)?)))? {
            if let Some(party) = parties.get_mut(&id)
                && !party.names.contains(&name)
            {
                party.names.push(name);
            }
        }
        for (id, scheme, value) in
            db.all("SELECT entity_id, scheme, value FROM identifiers ORDER BY entity_id, scheme, value", &[], |r| {
                Ok((r.text(0)?, r.text(1)?, r.text(2)?))
            })?
        {
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
        for (from, to) in db.all("SELECT from_id, to_id FROM ownership WHERE relation = 'equity' OR tie_kind = 'control'", &[], |r| {
            Ok((r.text(0)?, r.text(1)?))
        })? {
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
        let mut input = ScreeningInput { book: Vec::new(), others: Vec::new(), suppressed: HashSet::new(), members: HashMap::new() };
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
        for party in input.book.iter().chain(&input.others) {
            let group = &members[&root_of[&party.id]];
            if group.len() < 2 {
                continue;
            }
            let mut ids = group.clone();
            ids.sort();
            ids.retain(|id| id != &party.id);
            ids.insert(0, party.id.clone());
            input.members.insert(party.id.clone(), ids);
        }
        Ok(input)
    }
}

impl Store {
    /// The cards of these parties (by id, as [`Self::screening_input`] gave them), with their
    /// listings and direct owners and controllers read from the store.
    pub fn party_cards<'a>(
        &self,
        parties: impl IntoIterator<Item = &'a Party>,
        members: &HashMap<String, Vec<String>>,
    ) -> Result<BTreeMap<String, PartyCard>> {
        let listings = "SELECT subject_id, list, program, effective, effective_precision, ends, source FROM designations \
                        WHERE subject_id = ?1 ORDER BY effective NULLS FIRST, list";
        let owners = "SELECT o.from_id, e.name, o.to_id, o.relation, COALESCE(o.share, o.share_min), o.share_max, o.since, o.until, o.source \
                      FROM ownership o LEFT JOIN entities e ON e.entity_id = o.from_id \
                      WHERE o.to_id = ?1 AND (o.relation = 'equity' OR o.tie_kind = 'control') ORDER BY o.since NULLS FIRST, o.from_id";
        let mut cards = BTreeMap::new();
        for party in parties {
            let ids = members.get(&party.id).cloned().unwrap_or_else(|| vec![party.id.clone()]);
            let mut card = PartyCard {
                id: party.id.clone(),
                vendor_id: party.vendor_id.clone(),
                kind: party.kind.clone(),
                country: party.country.clone(),
                names: party.names.clone(),
                identifiers: party
                    .identifiers
                    .iter()
                    .map(|(scheme, value)| IdentifierPair { scheme: scheme.clone(), value: value.clone() })
                    .collect(),
                linked: ids[1..].to_vec(),
                listings: Vec::new(),
                owners: Vec::new(),
            };
            for id in &ids {
                card.listings.extend(self.db.all(listings, &texts([id]), |r| {
                    Ok(ListingLine {
                        subject_id: r.text(0)?,
                        list: r.text(1)?,
                        program: r.opt_text(2)?,
                        effective: r.text(3)?,
                        effective_precision: r.opt_text(4)?,
                        ends: r.opt_text(5)?,
                        source: r.text(6)?,
                    })
                })?);
                let rows = self.db.all(owners, &texts([id]), |r| {
                    Ok(OwnerLine {
                        owner_id: r.text(0)?,
                        owner_name: r.opt_text(1)?,
                        to_id: r.text(2)?,
                        relation: if r.text(3)? == "equity" { "equity".into() } else { "control".into() },
                        share: r.opt_real(4)?,
                        share_max: r.opt_real(5)?,
                        since: r.opt_text(6)?,
                        until: r.opt_text(7)?,
                        source: r.text(8)?,
                    })
                })?;
                // An owner inside the group is the group itself.
                card.owners.extend(rows.into_iter().filter(|o| !ids.contains(&o.owner_id)));
            }
            cards.insert(party.id.clone(), card);
        }
        Ok(cards)
    }
}
