//! Groups of entity ids joined by `same` links (data-formats.md v1.3), for the rules that keep two
//! vendors out of one group: the importer's and the store's integrity check.

use std::collections::HashMap;

/// Entity ids joined by `same` links, as a union–find over ids, with the vendor whose entity is in
/// each group (two vendors in one group is the conflict the rules look for).
pub struct Groups {
    parent: HashMap<String, String>,
    vendor: HashMap<String, String>,
}

impl Groups {
    /// Every vendor's entity (entity id → vendor id) in a group of its own.
    pub fn new(vendor_entities: &HashMap<String, String>) -> Self {
        Groups { parent: HashMap::new(), vendor: vendor_entities.clone() }
    }

    pub fn find(&mut self, id: &str) -> String {
        let mut root = id.to_string();
        while let Some(parent) = self.parent.get(&root).filter(|p| **p != root) {
            root = parent.clone();
        }
        // Path compression: every id on the way now points at the root.
        let mut at = id.to_string();
        while let Some(parent) = self.parent.get(&at).cloned().filter(|p| *p != root) {
            self.parent.insert(at, root.clone());
            at = parent;
        }
        root
    }

    /// Joins the groups of `a` and `b`, unless each holds a vendor's entity: then nothing changes and
    /// the two vendors are returned.
    pub fn join(&mut self, a: &str, b: &str) -> Result<(), (String, String)> {
        let (ra, rb) = (self.find(a), self.find(b));
        if ra == rb {
            return Ok(());
        }
        match (self.vendor.get(&ra), self.vendor.get(&rb)) {
            (Some(va), Some(vb)) => return Err((va.clone(), vb.clone())),
            (Some(_), None) => {
                let vendor = self.vendor.remove(&ra).expect("just seen");
                self.vendor.insert(rb.clone(), vendor);
            }
            _ => {}
        }
        self.parent.insert(ra, rb);
        Ok(())
    }
}
