//! The meaningful pieces of a syntax tree, flattened: every word or string that names
//! something, with its role. Hover, navigation and highlighting all read this one list.

use crate::source::Span;
use crate::syntax::ast::{
    self, AgentClauseKind, ClauseKind, Expr, ExprKind, Item, Op, Response, Value,
};

/// What a piece of source names.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Role {
    /// A message clause keyword (`brand`, `when`, `after`, …) or an agent clause keyword.
    ClauseKeyword(String),
    /// `visitor` or `device` in a comparison.
    Object(String),
    /// A field in a comparison.
    Field(String),
    /// A comparison operator (one or two words).
    Operator(Op),
    /// A word value in a comparison (`returning`) or a clause (`once_per_visit`, `anytime`).
    Value(String),
    /// A language tag string compared with `device.language` (its decoded value).
    Language(String),
    /// A use of a named condition.
    ConditionRef(String),
    /// The name in `condition NAME = …`.
    ConditionDef(String),
    /// The string after `message`.
    MessageName(String),
    /// The string after `brand`.
    Brand(String),
    /// The string after `channel`.
    Channel(String),
    /// The string after `respond ai_agent`.
    Agent(String),
    /// The string after `answer`, with its agent's name.
    Answer(String, String),
    /// The schedule after `business_hours`.
    Schedule(String),
    /// The event after `after`.
    Event(String),
    /// A duration, in seconds.
    Duration(u32),
}

/// One piece and its role.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Node {
    /// Where the piece is (strings include their quotes).
    pub span: Span,
    /// What it names.
    pub role: Role,
}

/// Every piece of `file`, in source order.
pub fn nodes(file: &ast::File) -> Vec<Node> {
    let mut out = Vec::new();
    for item in &file.items {
        match item {
            Item::Condition(def) => {
                push(
                    &mut out,
                    def.name.span,
                    Role::ConditionDef(def.name.text.clone()),
                );
                expr(&def.expr, &mut out);
            }
            Item::Message(message) => {
                push(
                    &mut out,
                    message.name.span,
                    Role::MessageName(message.name.value.clone()),
                );
                for clause in &message.clauses {
                    self::clause(clause, &mut out);
                }
            }
        }
    }
    out.sort_by_key(|n| (n.span.start, n.span.end));
    out
}

/// The innermost piece at `offset` (a cursor just after a piece touches it).
pub fn node_at(file: &ast::File, offset: u32) -> Option<Node> {
    let all = nodes(file);
    all.iter()
        .filter(|n| n.span.start < offset && offset < n.span.end)
        .chain(all.iter().filter(|n| n.span.touches(offset)))
        .min_by_key(|n| n.span.end - n.span.start)
        .cloned()
}

fn push(out: &mut Vec<Node>, span: Span, role: Role) {
    out.push(Node { span, role });
}

fn clause(clause: &ast::Clause, out: &mut Vec<Node>) {
    if !matches!(clause.kind, ClauseKind::Trigger(_) | ClauseKind::Unknown(_)) {
        push(
            out,
            clause.keyword,
            Role::ClauseKeyword(clause.kind.keyword().to_string()),
        );
    }
    match &clause.kind {
        ClauseKind::Brand(text) => push(out, text.span, Role::Brand(text.value.clone())),
        ClauseKind::Channel(text) => push(out, text.span, Role::Channel(text.value.clone())),
        ClauseKind::Respond(response) => {
            let kind = response.kind();
            push(out, kind.span, Role::Value(kind.text.clone()));
            match response {
                Response::Agent { clauses, .. } => {
                    for inner in clauses {
                        push(
                            out,
                            inner.keyword.span,
                            Role::ClauseKeyword(inner.keyword.text.clone()),
                        );
                        if let AgentClauseKind::Collect(fields) = &inner.kind {
                            for field in fields {
                                push(out, field.span, Role::Value(field.text.clone()));
                            }
                        }
                    }
                }
                Response::AiAgent {
                    agent,
                    answer_keyword,
                    answer,
                    ..
                } => {
                    push(out, agent.span, Role::Agent(agent.value.clone()));
                    push(out, *answer_keyword, Role::ClauseKeyword("answer".into()));
                    push(
                        out,
                        answer.span,
                        Role::Answer(agent.value.clone(), answer.value.clone()),
                    );
                }
            }
        }
        ClauseKind::Trigger(trigger) => {
            if let Some(when) = &trigger.when {
                push(out, clause.keyword, Role::ClauseKeyword("when".into()));
                expr(when, out);
            }
            push(out, trigger.after, Role::ClauseKeyword("after".into()));
            push(
                out,
                trigger.event.span,
                Role::Event(trigger.event.text.clone()),
            );
            if let Some(duration) = trigger.duration {
                push(out, duration.span, Role::Duration(duration.seconds));
            }
        }
        ClauseKind::Send(send) => {
            push(out, send.mode.span, Role::Value(send.mode.text.clone()));
            if let Some((word, schedule)) = &send.schedule {
                push(out, word.span, Role::Value(word.text.clone()));
                push(out, schedule.span, Role::Schedule(schedule.value.clone()));
            }
        }
        ClauseKind::Frequency(name) | ClauseKind::Status(name) => {
            push(out, name.span, Role::Value(name.text.clone()));
        }
        ClauseKind::Say(_)
        | ClauseKind::Tags(_)
        | ClauseKind::Priority(_)
        | ClauseKind::Unknown(_) => {}
    }
}

fn expr(e: &Expr, out: &mut Vec<Node>) {
    match &e.kind {
        ExprKind::Or(items) | ExprKind::And(items) => items.iter().for_each(|i| expr(i, out)),
        ExprKind::Not(inner) | ExprKind::Paren(inner) => expr(inner, out),
        ExprKind::Ref(name) => push(out, name.span, Role::ConditionRef(name.text.clone())),
        ExprKind::Compare(compare) => {
            push(
                out,
                compare.object.span,
                Role::Object(compare.object.text.clone()),
            );
            push(
                out,
                compare.field.span,
                Role::Field(compare.field.text.clone()),
            );
            push(out, compare.op_span, Role::Operator(compare.op));
            match &compare.value {
                Value::Word(word) => push(out, word.span, Role::Value(word.text.clone())),
                Value::Text(text) if compare.field.text == "language" => {
                    push(out, text.span, Role::Language(text.value.clone()));
                }
                Value::List(items, _) if compare.field.text == "language" => {
                    for item in items {
                        push(out, item.span, Role::Language(item.value.clone()));
                    }
                }
                Value::Text(_) | Value::List(..) | Value::Integer(_) | Value::Error(_) => {}
            }
        }
        ExprKind::Error => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ide::fixture;

    #[test]
    fn node_at_finds_the_innermost_piece() {
        let (snapshot, file, offset) = fixture(&[(
            "a.pm",
            "condition c = device.lang$0uage is \"fr\" or visitor.visit_history is returning",
        )]);
        let ast = snapshot.ast(file).unwrap();
        assert_eq!(
            node_at(ast, offset).unwrap().role,
            Role::Field("language".into())
        );
        let roles: Vec<Role> = nodes(ast).into_iter().map(|n| n.role).collect();
        assert!(roles.contains(&Role::Language("fr".into())));
        assert!(roles.contains(&Role::Value("returning".into())));
        assert!(roles.contains(&Role::ConditionDef("c".into())));
    }
}
