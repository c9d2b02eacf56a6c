//! The List operations' query string and pagination: `maxResults` (1..100, default 100) and an
//! opaque `nextToken` naming the creation sequence number of the last item served.

use lattice_spec::constraints::{ShapeKind, MAX_RESULTS, NEXT_TOKEN};
use serde_json::{json, Value};

use crate::errors::{ApiError, FieldError};
use crate::input::{check_member, finish};
use crate::reply::Reply;
use crate::route::parse_query;

/// The page size when `maxResults` is not given.
const DEFAULT_PAGE: usize = 100;

/// A List request's decoded query parameters.
pub(super) struct Query(Vec<(String, String)>);

impl Query {
    /// Decodes a query string; a broken escape or invalid UTF-8 is a `ValidationException`.
    pub(super) fn parse(query: Option<&str>) -> Result<Query, ApiError> {
        parse_query(query)
            .map(Query)
            .ok_or_else(|| ApiError::other("The query string is not valid percent-encoded UTF-8."))
    }

    /// The first value of a parameter.
    pub(super) fn first(&self, name: &str) -> Option<String> {
        self.0
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.clone())
    }
}

/// Where a page starts and how long it is.
#[derive(Debug, Clone, Copy)]
pub(super) struct Page {
    limit: usize,
    after: Option<u64>,
}

fn token(seq: u64) -> String {
    format!("page-after-{seq}")
}

fn parse_token(token: &str) -> Option<u64> {
    token.strip_prefix("page-after-")?.parse().ok()
}

impl Page {
    /// Reads `maxResults` and `nextToken`, recording each violation.
    pub(super) fn read(query: &Query, errs: &mut Vec<FieldError>) -> Page {
        let (min, max) = match MAX_RESULTS.kind {
            ShapeKind::Integer { min, max } => (min, max),
            _ => (1, 100),
        };
        let limit = match query.first("maxResults").as_deref().map(str::parse::<i64>) {
            None => DEFAULT_PAGE,
            Some(Ok(n)) if (min..=max).contains(&n) => n as usize,
            Some(_) => {
                errs.push(FieldError::new(
                    "maxResults",
                    format!("Member must be an integer between {min} and {max}"),
                ));
                DEFAULT_PAGE
            }
        };
        let mut after = None;
        if let Some(t) = query.first("nextToken") {
            check_member(&NEXT_TOKEN, "nextToken", &t, false, errs);
            match parse_token(&t) {
                Some(seq) => after = Some(seq),
                None => errs.push(FieldError::new("nextToken", "The nextToken is not valid")),
            }
        }
        Page { limit, after }
    }

    /// This page of `items` (in any order; each with its creation sequence number `seq`): the
    /// first `limit` after the token, in creation order, and the token of the next page if any.
    pub(super) fn of<T>(
        self,
        items: impl Iterator<Item = T>,
        seq: impl Fn(&T) -> u64,
    ) -> (Vec<T>, Option<String>) {
        let mut matching: Vec<T> = items
            .filter(|item| self.after.is_none_or(|after| seq(item) > after))
            .collect();
        matching.sort_by_key(|item| seq(item));
        let more = matching.len() > self.limit;
        matching.truncate(self.limit);
        let next = if more {
            matching.last().map(|item| token(seq(item)))
        } else {
            None
        };
        (matching, next)
    }
}

/// Serves a List whose only parameters are `maxResults` and `nextToken` (`ListServices`,
/// `ListServiceNetworks`): the page of `items` (each with its creation sequence number `seq`)
/// the query asks for, each item rendered by `view`.
pub(super) fn list_page<T>(
    query: Option<&str>,
    items: impl Iterator<Item = T>,
    seq: impl Fn(&T) -> u64,
    view: impl Fn(T) -> Value,
) -> Result<Reply, ApiError> {
    let query = Query::parse(query)?;
    let mut errs = Vec::new();
    let page = Page::read(&query, &mut errs);
    finish(errs)?;
    let (items, next) = page.of(items, seq);
    let items: Vec<Value> = items.into_iter().map(view).collect();
    Ok(Reply::json(
        200,
        json!({ "items": items, "nextToken": next }),
    ))
}
