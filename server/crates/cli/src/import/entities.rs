//! The entities of a whole import, and the ids made for them.

use std::collections::HashMap;

use newsmark_analysis::export::ResolvedEntity;
use newsmark_syntax::{is_id_char, is_valid_id, normalized_id};

/// The entities of the whole import, by id.
#[derive(Debug, Default)]
pub struct Entities {
    list: Vec<ResolvedEntity>,
    index: HashMap<String, usize>,
    /// The id given to each name and kind.
    slugs: HashMap<(String, Option<String>), String>,
}

impl Entities {
    /// The id of an entity named `name`: a slug of it, unless that would
    /// read on into the character after the mention (`next`) or belongs
    /// to an entity of another kind.
    pub fn slug_for(&mut self, name: &str, kind: Option<&str>, next: Option<char>) -> String {
        let key = (name.to_owned(), kind.map(str::to_owned));
        if let Some(id) = self.slugs.get(&key) {
            return id.clone();
        }
        let mut id = slug(name);
        let runs_on = next.is_some_and(|c| is_id_char(c) && is_valid_id(&format!("{id}{c}")));
        if !is_valid_id(&id) || runs_on {
            id = format!("entity-{}", self.slugs.len() + 1);
        }
        let taken = |id: &str| {
            self.index
                .get(id)
                .is_some_and(|&i| self.list[i].kind.as_deref() != kind)
                || self.slugs.values().any(|v| v == id)
        };
        if taken(&id) {
            let base = id.clone();
            id = (2..)
                .map(|n| format!("{base}-{n}"))
                .find(|c| !taken(c))
                .unwrap_or(base);
        }
        self.slugs.insert(key, id.clone());
        id
    }

    /// Defines `id`, or adds the kind and Wikidata id it lacks.
    pub fn define(
        &mut self,
        id: &str,
        name: String,
        kind: Option<String>,
        wikidata: Option<String>,
    ) {
        match self.index.get(id) {
            Some(&i) => {
                let entity = &mut self.list[i];
                entity.kind = entity.kind.take().or(kind);
                entity.wikidata = entity.wikidata.take().or(wikidata);
            }
            None => {
                self.index.insert(id.to_owned(), self.list.len());
                self.list.push(ResolvedEntity {
                    id: id.to_owned(),
                    name: Some(name),
                    kind,
                    role: None,
                    member_of: Vec::new(),
                    aliases: Vec::new(),
                    wikidata,
                    url: None,
                });
            }
        }
    }

    /// Every entity, by id.
    pub fn into_sorted(self) -> Vec<ResolvedEntity> {
        let mut list = self.list;
        list.sort_by(|a, b| a.id.cmp(&b.id));
        list
    }
}

/// An id made of a name: lowercase letters and digits, `-` between words.
pub fn slug(name: &str) -> String {
    let mut id = String::new();
    for c in normalized_id(&name.to_lowercase()).chars() {
        if c.is_alphanumeric() {
            id.push(c);
        } else if !id.is_empty() && !id.ends_with('-') {
            id.push('-');
        }
    }
    id.trim_end_matches('-').to_owned()
}
