//! What changed between two versions of an article, in annotation terms:
//! mentions added, removed or re-linked, claims whose sources changed,
//! chains and stances added or dropped. `newsmark diff` prints them.

use crate::agreement::{Unit, matches, shared};
use crate::alignment::Alignment;

/// One difference between version `a` and version `b` of an article.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Change {
    /// The unit as `a` has it, in `a`'s plain text; `None` when added.
    pub before: Option<Unit>,
    /// The unit as `b` has it, in `b`'s own plain text; `None` when removed.
    pub after: Option<Unit>,
}

impl Change {
    /// What happened, in words: "mention re-linked", "claim removed",
    /// "sources changed".
    pub fn description(&self) -> String {
        let (before, after) = (self.before.as_ref(), self.after.as_ref());
        let what = self.what();
        let how = match (before, after) {
            (None, _) => "added",
            (_, None) => "removed",
            (Some(before), Some(after)) if before.value == after.value => "span changed",
            _ => match what {
                "mention" => "re-linked",
                "quote" => "kind changed",
                _ => "changed",
            },
        };
        format!("{what} {how}")
    }

    /// What kind of annotation changed: "mention", "claim", "sources",
    /// "chain", "stance", "hedge" or "quote".
    pub fn what(&self) -> &str {
        let unit = (self.before.as_ref())
            .or(self.after.as_ref())
            .expect("a change has a side");
        match family(&unit.label) {
            "source" => "sources",
            other => other,
        }
    }
}

/// The changes from `a` to `b` (each sorted, as `agreement::units` gives
/// them); `alignment` maps `b`'s text onto `a`'s when the texts differ.
/// In the order of `a`'s text.
pub fn changes(a: &[Unit], b: &[Unit], alignment: Option<&Alignment>) -> Vec<Change> {
    // Compare in `a`'s coordinates, report in each version's own.
    let mut on_a: Vec<(Unit, usize)> = (b.iter().enumerate())
        .map(|(index, unit)| {
            let moved = alignment.map_or_else(|| unit.clone(), |a| unit.moved(a));
            (moved, index)
        })
        .collect();
    on_a.sort();
    let (moved, original): (Vec<Unit>, Vec<usize>) = on_a.into_iter().unzip();
    let mut changes = Vec::new();
    let (mut left_a, mut left_b) = (vec![true; a.len()], vec![true; b.len()]);
    for found in matches(a, &moved) {
        (left_a[found.a], left_b[found.b]) = (false, false);
        // Sources, chains, stances and quote kinds span their claim: its
        // own change says the span moved.
        if !found.exact && has_own_span(&a[found.a].label) {
            changes.push((a[found.a].start, Some(found.a), Some(found.b)));
        }
    }
    // What is left pairs with what overlaps it most in the same family:
    // a mention linked to someone else, a claim with other sources.
    // Only units that start before it ends, and no further before it than
    // the longest span, can overlap it.
    let mut by_start: Vec<usize> = (0..moved.len()).collect();
    by_start.sort_by_key(|&k| moved[k].start);
    let reach = moved
        .iter()
        .map(|u| u.end - u.start)
        .max()
        .unwrap_or_default();
    for i in (0..a.len()).filter(|&i| left_a[i]) {
        let from = by_start.partition_point(|&k| moved[k].start + reach <= a[i].start);
        let to = by_start.partition_point(|&k| moved[k].start < a[i].end);
        let best = (by_start[from..to.max(from)].iter().copied())
            .filter(|&k| left_b[k] && family(&moved[k].label) == family(&a[i].label))
            .map(|k| (shared(&a[i], &moved[k]), k))
            .filter(|(shared, _)| *shared > 0)
            .max_by_key(|(shared, k)| (*shared, std::cmp::Reverse(*k)));
        let paired = best.map(|(_, k)| k);
        if let Some(k) = paired {
            left_b[k] = false;
        }
        changes.push((a[i].start, Some(i), paired));
    }
    for k in (0..moved.len()).filter(|&k| left_b[k]) {
        changes.push((moved[k].start, None, Some(k)));
    }
    changes.sort_by_key(|&(at, before, after)| (at, before.is_none(), before, after));
    changes
        .into_iter()
        .map(|(_, before, after)| Change {
            before: before.map(|i| a[i].clone()),
            after: after.map(|k| b[original[k]].clone()),
        })
        .collect()
}

fn has_own_span(label: &str) -> bool {
    matches!(family(label), "mention" | "claim" | "hedge")
}

/// `mention` for `mention:person`; other labels are their own family.
fn family(label: &str) -> &str {
    label.split(':').next().unwrap_or(label)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn unit(label: &str, start: usize, end: usize, value: &str) -> Unit {
        Unit {
            label: label.into(),
            start,
            end,
            value: value.into(),
            target: None,
        }
    }

    fn described(changes: &[Change]) -> Vec<String> {
        changes.iter().map(Change::description).collect()
    }

    #[test]
    fn added_removed_relinked_and_moved() {
        let mut a = vec![
            unit("mention:person", 0, 6, "lavrov"),
            unit("mention:place", 10, 18, "kremlin"),
            unit("claim", 20, 40, ""),
            unit("source", 20, 40, "us"),
            unit("mention:person", 50, 53, "kim"),
        ];
        let mut b = vec![
            unit("mention:person", 0, 6, "lavrov"),
            // The same place, linked to a country now: another kind.
            unit("mention:country", 10, 18, "russia"),
            unit("claim", 22, 40, ""),
            unit("source", 22, 40, "kirby"),
            unit("hedge", 25, 30, ""),
        ];
        a.sort();
        b.sort();
        let changes = changes(&a, &b, None);
        assert_eq!(
            described(&changes),
            [
                "mention re-linked",
                "claim span changed",
                "sources changed",
                "hedge added",
                "mention removed"
            ]
        );
        let relinked = &changes[0];
        assert_eq!(relinked.before.as_ref().unwrap().value, "kremlin");
        assert_eq!(relinked.after.as_ref().unwrap().value, "russia");
    }

    #[test]
    fn units_of_an_edited_text_report_their_own_place() {
        // b inserted "with " before Kim: its mention is the same one.
        let alignment = Alignment::new("Lavrov met Kim.", "Lavrov met with Kim.");
        let a = vec![unit("mention:person", 11, 14, "kim")];
        let b = vec![
            unit("mention:person", 0, 6, "lavrov"),
            unit("mention:person", 16, 19, "kim"),
        ];
        let changes = changes(&a, &b, Some(&alignment));
        assert_eq!(described(&changes), ["mention added"]);
        assert_eq!(changes[0].after.as_ref().unwrap().start, 0);
        let b = vec![unit("mention:person", 16, 19, "choe")];
        let changes = super::changes(&a, &b, Some(&alignment));
        assert_eq!(described(&changes), ["mention re-linked"]);
        assert_eq!(changes[0].after.as_ref().unwrap().start, 16);
    }
}
