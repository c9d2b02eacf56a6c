//! The body of a scenario's Create: the request members in wire order, each written out or a
//! [`Reference`], or a raw text for a body that is malformed on purpose. The same writer makes
//! the bytes a run sends and the `${...}` notation reviewers read in the snapshots' `info`.

use std::fmt;

use super::reference::{Field, Reference, Resolve};

/// The body of a CreateServiceNetworkServiceAssociation step.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CreateBody {
    /// A JSON object of these members, written in wire order; a member left out is not sent.
    Members(CreateMembers),
    /// Sent exactly as written (malformed on purpose).
    Raw(String),
}

/// The members of a Create body; each is any JSON value or a reference.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct CreateMembers {
    /// `serviceIdentifier`.
    pub service_identifier: Option<Field>,
    /// `serviceNetworkIdentifier`.
    pub service_network_identifier: Option<Field>,
    /// `clientToken`.
    pub client_token: Option<Field>,
    /// `tags`.
    pub tags: Option<Tags>,
}

/// The `tags` member of a Create body.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Tags {
    /// These entries, in this order (`[{ key = "team", value = "v" }]`).
    Entries(Vec<(Field, Field)>),
    /// `n` entries `"k0":"v0"`, `"k1":"v1"`, … (`{ generated = 201 }`).
    Generated(usize),
}

/// What the writer does with a reference: resolve it for a run, or show its notation.
enum Fill<'a> {
    Run(&'a mut dyn Resolve),
    Notation,
}

impl Fill<'_> {
    fn reference(&mut self, r: &Reference) -> Result<String, String> {
        match self {
            Fill::Run(run) => r.resolve(&mut **run),
            Fill::Notation => Ok(r.to_string()),
        }
    }

    fn json(&mut self, field: &Field, out: &mut String) -> Result<(), String> {
        match field {
            Field::Literal(v) => out.push_str(&v.to_string()),
            Field::Ref(r) => out.push_str(&serde_json::Value::from(self.reference(r)?).to_string()),
        }
        Ok(())
    }

    fn generated(&self, n: usize, out: &mut String) {
        match self {
            Fill::Run(_) => {
                let entries: Vec<String> = (0..n).map(|i| format!("\"k{i}\":\"v{i}\"")).collect();
                out.push_str(&entries.join(","));
            }
            Fill::Notation => out.push_str(&format!("${{tags:{n}}}")),
        }
    }
}

impl CreateMembers {
    /// The members that are present, by wire name, in wire order (tags apart).
    pub fn fields(&self) -> impl Iterator<Item = (&'static str, &Field)> {
        [
            ("serviceIdentifier", &self.service_identifier),
            ("serviceNetworkIdentifier", &self.service_network_identifier),
            ("clientToken", &self.client_token),
        ]
        .into_iter()
        .filter_map(|(name, f)| f.as_ref().map(|f| (name, f)))
    }
}

impl CreateBody {
    /// The body a run sends, its references resolved (`Err`: what is missing).
    pub fn render(&self, run: &mut dyn Resolve) -> Result<String, String> {
        self.write(Fill::Run(run))
    }

    /// Every reference in it, in order.
    pub fn references(&self) -> Vec<&Reference> {
        let CreateBody::Members(m) = self else {
            return vec![];
        };
        let mut fields: Vec<&Field> = m.fields().map(|(_, f)| f).collect();
        if let Some(Tags::Entries(entries)) = &m.tags {
            fields.extend(entries.iter().flat_map(|(k, v)| [k, v]));
        }
        fields.into_iter().filter_map(Field::reference).collect()
    }

    fn write(&self, mut fill: Fill<'_>) -> Result<String, String> {
        let m = match self {
            CreateBody::Raw(text) => return Ok(text.clone()),
            CreateBody::Members(m) => m,
        };
        let mut out = String::from("{");
        for (i, (name, field)) in m.fields().enumerate() {
            if i > 0 {
                out.push(',');
            }
            out.push_str(&format!("\"{name}\":"));
            fill.json(field, &mut out)?;
        }
        if let Some(tags) = &m.tags {
            if out.len() > 1 {
                out.push(',');
            }
            out.push_str("\"tags\":{");
            match tags {
                Tags::Generated(n) => fill.generated(*n, &mut out),
                Tags::Entries(entries) => {
                    for (i, (key, value)) in entries.iter().enumerate() {
                        if i > 0 {
                            out.push(',');
                        }
                        fill.json(key, &mut out)?;
                        out.push(':');
                        fill.json(value, &mut out)?;
                    }
                }
            }
            out.push('}');
        }
        out.push('}');
        Ok(out)
    }
}

/// The body as the snapshots' `info` shows it: references in their `${...}` notation.
impl fmt::Display for CreateBody {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.write(Fill::Notation) {
            Ok(text) => f.write_str(&text),
            Err(_) => Err(fmt::Error),
        }
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::super::reference::tests::Run;
    use super::super::reference::{Member, TokenForm};
    use super::*;

    fn setup(index: usize) -> Field {
        Field::Ref(Reference::Setup {
            index,
            member: Member::Id,
        })
    }

    #[test]
    fn members_go_out_in_wire_order_with_tags_in_file_order() {
        let body = CreateBody::Members(CreateMembers {
            client_token: Some(Field::Ref(Reference::Token {
                label: "a".into(),
                form: TokenForm::AsIs,
            })),
            service_network_identifier: Some(setup(1)),
            service_identifier: Some(Field::Literal(json!(42))),
            tags: Some(Tags::Entries(vec![
                (Field::Literal(json!("z")), Field::Literal(json!("1"))),
                (
                    Field::Ref(Reference::Repeat { ch: 'k', times: 3 }),
                    Field::Literal(json!("")),
                ),
            ])),
        });
        assert_eq!(
            body.render(&mut Run).unwrap(),
            r#"{"serviceIdentifier":42,"serviceNetworkIdentifier":"r1-id","clientToken":"run-a","tags":{"z":"1","kkk":""}}"#
        );
        assert_eq!(
            body.to_string(),
            r#"{"serviceIdentifier":42,"serviceNetworkIdentifier":"${r1}","clientToken":"${token:a}","tags":{"z":"1","${repeat:k:3}":""}}"#
        );
        assert_eq!(body.references().len(), 3);
    }

    #[test]
    fn generated_tags_and_raw_bodies() {
        let body = CreateBody::Members(CreateMembers {
            service_identifier: Some(setup(0)),
            tags: Some(Tags::Generated(2)),
            ..CreateMembers::default()
        });
        assert_eq!(
            body.render(&mut Run).unwrap(),
            r#"{"serviceIdentifier":"r0-id","tags":{"k0":"v0","k1":"v1"}}"#
        );
        assert_eq!(
            body.to_string(),
            r#"{"serviceIdentifier":"${r0}","tags":{${tags:2}}}"#
        );
        let raw = CreateBody::Raw(r#"{"serviceIdentifier":"#.into());
        assert_eq!(raw.render(&mut Run).unwrap(), raw.to_string());
    }

    #[test]
    fn a_missing_answer_stops_the_body() {
        let body = CreateBody::Members(CreateMembers {
            service_identifier: Some(Field::Ref(Reference::Step {
                index: 0,
                member: Member::Id,
            })),
            ..CreateMembers::default()
        });
        assert_eq!(
            body.render(&mut Run),
            Err("the answer to step 0 has no `id`".to_owned())
        );
    }
}
