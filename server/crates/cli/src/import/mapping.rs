//! Which labels of another tool mean what in Newsmark, for every reader.
//! The default inverts `newsmark export` (brat, Label Studio, doccano all
//! write the same label names): the entity kinds (and `Entity`) are
//! mentions, `Claim`, `HedgeCue` and `Quoted` are claims, hedge cues and
//! quoted words; `AttributedTo`, `Via`, `Denies`, `Confirms`, `Disputes`
//! and `PartOf` are relations. Events (brat's `E` lines) that attribute
//! speech (`Statement`, `Say`, …) give their claim arguments the source
//! arguments; `Denial`, `Confirmation`, `Dispute` events also take a
//! stance on their target. `--mapping FILE` replaces any of these with a
//! TOML file (docs/interop.md).

use std::collections::BTreeMap;

use newsmark_analysis::rules::KINDS;
use newsmark_syntax::StanceKind;
use serde::Deserialize;

/// Which span labels and relation labels mean what in Newsmark.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Mapping {
    /// Span labels that are mentions, with the kind of their entity
    /// (`""`: no kind).
    pub mentions: BTreeMap<String, String>,
    pub claims: Vec<String>,
    pub hedges: Vec<String>,
    pub quoted: Vec<String>,
    /// Relation labels, each with its [`Role`].
    pub relations: BTreeMap<String, Role>,
    /// Event types (their triggers' labels), each with what its argument
    /// roles are.
    pub events: BTreeMap<String, EventRoles>,
}

/// What the arguments of an event mean, by role name (brat numbers a
/// repeated role, `Source2`: the number is not part of the name).
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct EventRoles {
    /// Mentions that are the sources of each claim argument.
    pub sources: Vec<String>,
    /// Mentions that are the conduits of each source, in order.
    pub via: Vec<String>,
    /// Claims: what was said.
    pub claims: Vec<String>,
    /// The stance each claim argument takes on each target argument.
    pub stance: Option<Role>,
    /// Claims that the stance is taken on.
    pub targets: Vec<String>,
}

/// What an event argument is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Argument {
    Source,
    Via,
    Claim,
    Target,
}

impl EventRoles {
    /// What the argument of role `role` (`Source`, `Source2`) is, if
    /// anything.
    pub fn argument(&self, role: &str) -> Option<Argument> {
        let name = role.trim_end_matches(|c: char| c.is_ascii_digit());
        let among = |roles: &[String]| roles.iter().any(|r| r == name);
        [
            (&self.sources, Argument::Source),
            (&self.via, Argument::Via),
            (&self.claims, Argument::Claim),
            (&self.targets, Argument::Target),
        ]
        .into_iter()
        .find(|(roles, _)| among(roles))
        .map(|(_, argument)| argument)
    }
}

/// What a relation means.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Role {
    /// A claim's source: claim → mention.
    Source,
    /// The next conduit of a source: mention → mention.
    Via,
    /// Stances: claim → the claim it takes a stance on.
    Denies,
    Confirms,
    Disputes,
    /// A later part of a split quote: part → the claim's first part.
    Part,
}

impl Role {
    /// The stance a role is, if it is one.
    pub fn stance(self) -> Option<StanceKind> {
        match self {
            Role::Denies => Some(StanceKind::Denies),
            Role::Confirms => Some(StanceKind::Confirms),
            Role::Disputes => Some(StanceKind::Disputes),
            Role::Source | Role::Via | Role::Part => None,
        }
    }
}

/// What a span label means.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Class {
    /// A mention, with the kind of its entity.
    Mention(Option<String>),
    Claim,
    Hedge,
    Quoted,
}

impl Default for Mapping {
    fn default() -> Self {
        let mut mentions: BTreeMap<String, String> = KINDS
            .iter()
            .map(|k| (k.to_string(), k.to_string()))
            .collect();
        mentions.insert("Entity".into(), String::new());
        let relations = [
            ("AttributedTo", Role::Source),
            ("Via", Role::Via),
            ("Denies", Role::Denies),
            ("Confirms", Role::Confirms),
            ("Disputes", Role::Disputes),
            ("PartOf", Role::Part),
        ];
        let words = |words: &[&str]| words.iter().map(|w| w.to_string()).collect::<Vec<_>>();
        let speech = EventRoles {
            sources: words(&["Source", "Speaker", "Agent"]),
            via: words(&["Medium", "Via", "Channel"]),
            claims: words(&["Content", "Message", "Quote"]),
            stance: None,
            targets: Vec::new(),
        };
        let mut events: BTreeMap<String, EventRoles> = ([
            "Statement",
            "Say",
            "Attribution",
            "Quote",
            "Quotation",
            "Speech",
        ]
        .iter())
        .map(|t| (t.to_string(), speech.clone()))
        .collect();
        for (event, stance) in [
            ("Denial", Role::Denies),
            ("Confirmation", Role::Confirms),
            ("Dispute", Role::Disputes),
        ] {
            let roles = EventRoles {
                stance: Some(stance),
                targets: words(&["Target"]),
                ..speech.clone()
            };
            events.insert(event.into(), roles);
        }
        Mapping {
            mentions,
            claims: vec!["Claim".into()],
            hedges: vec!["HedgeCue".into()],
            quoted: vec!["Quoted".into()],
            relations: relations.map(|(k, r)| (k.to_string(), r)).into(),
            events,
        }
    }
}

impl Mapping {
    /// A mapping file: the keys it gives replace the defaults.
    pub fn parse(text: &str) -> Result<Mapping, String> {
        let mapping: Mapping = toml::from_str(text).map_err(|error| error.to_string())?;
        match (mapping.events.iter()).find(|(_, e)| e.stance.is_some_and(|s| s.stance().is_none()))
        {
            Some((event, _)) => Err(format!(
                "the stance of event `{event}` is none of `denies`, `confirms`, `disputes`"
            )),
            None => Ok(mapping),
        }
    }

    /// What a span labelled `label` is, if anything.
    pub fn class(&self, label: &str) -> Option<Class> {
        let among = |labels: &[String]| labels.iter().any(|l| l == label);
        if let Some(kind) = self.mentions.get(label) {
            Some(Class::Mention((!kind.is_empty()).then(|| kind.clone())))
        } else if among(&self.claims) {
            Some(Class::Claim)
        } else if among(&self.hedges) {
            Some(Class::Hedge)
        } else if among(&self.quoted) {
            Some(Class::Quoted)
        } else {
            None
        }
    }

    /// What a relation labelled `label` is, if anything.
    pub fn role(&self, label: &str) -> Option<Role> {
        self.relations.get(label).copied()
    }

    /// What the arguments of an event of type `kind` are, if anything.
    pub fn event(&self, kind: &str) -> Option<&EventRoles> {
        self.events.get(kind)
    }
}
