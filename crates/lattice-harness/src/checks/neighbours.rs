//! Neighbours: the association's Get, List, Delete and ListTagsForResource. Three associations
//! of the owner's (A: s1 on n1, B: s2 on n1, C: s1 on n2) give every List filter something to
//! include and something to leave out; malformed identifiers and identifiers of nothing are sent
//! beside the same calls naming A. Judged by `lattice_checks::judge::neighbours`.

use std::sync::Arc;

use lattice_checks::judge::neighbours as judge;
use lattice_checks::judge::{created, must_succeed};
use lattice_spec::wire::CreateAssociationRequest;
use lattice_spec::{Check, NeighboursRule, Operation, Role};
use lattice_transport::driver::ApiCall;
use lattice_transport::fixtures::CreatedResource;

use super::validation::id_suffix as suffix;
use super::{setup_failed, CaseResult, Ctx};
use lattice_checks::Exchange;

/// Malformed association identifiers: upper case, too short, another kind of id.
const MALFORMED_IDS: &[&str] = &[
    "snsa-0123456789ABCDEF0",
    "snsa-0123",
    "svc-0123456789abcdef0",
];

/// Malformed `resourceArn`s: a bare id, an account that is not 12 digits.
const MALFORMED_ARNS: &[&str] = &[
    "snsa-0123456789abcdef0",
    "arn:aws:vpc-lattice:us-east-1:1234:servicenetworkserviceassociation/snsa-0123456789abcdef0",
];

/// One association of the check: its id and ARN.
struct Made {
    id: String,
    arn: String,
}

/// The check's resources: two services, two networks, three associations.
struct World {
    s1: CreatedResource,
    n1: CreatedResource,
    n2: CreatedResource,
    a: Made,
    b: Made,
    c: Made,
}

/// Creates the resources; the case that says why when a step fails.
async fn world(ctx: &Ctx) -> Result<World, Vec<CaseResult>> {
    let rules = Check::Neighbours.rules();
    let (s1, n1) = ctx
        .fx
        .pair(Role::Owner)
        .await
        .map_err(|e| setup_failed(rules, &e))?;
    // A second service and a second network of the owner's own (on a live target's economy, a
    // pooled service not yet handed out and an extra network).
    let s2 = ctx
        .fx
        .service(Role::Owner)
        .await
        .map_err(|e| setup_failed(rules, &e))?;
    let n2 = ctx
        .fx
        .network(Role::Owner)
        .await
        .map_err(|e| setup_failed(rules, &e))?;
    let mut made = Vec::new();
    for (label, svc, sn) in [("a", &s1, &n1), ("b", &s2, &n1), ("c", &s1, &n2)] {
        let body = CreateAssociationRequest::new(&svc.id, &sn.id)
            .token(&ctx.fx.token(&format!("neigh-{label}")))
            .to_json();
        let create = ctx.create(Role::Owner, &body).await;
        let rule = NeighboursRule::NeighListByNetwork.id();
        let id = created(rule, &create, "the setup's create must succeed").map_err(|c| vec![*c])?;
        let _ = ctx.settle(Role::Owner, &id).await;
        let arn = lattice_checks::state::member_of(&create, "arn").unwrap_or_default();
        made.push(Made { id, arn });
    }
    let mut made = made.into_iter();
    let (Some(a), Some(b), Some(c)) = (made.next(), made.next(), made.next()) else {
        return Err(vec![]);
    };
    Ok(World {
        s1,
        n1,
        n2,
        a,
        b,
        c,
    })
}

/// Runs the neighbour cases.
pub async fn run(ctx: Arc<Ctx>) -> Vec<CaseResult> {
    let w = match world(&ctx).await {
        Ok(w) => w,
        Err(cases) => return cases,
    };
    let mut out = identifiers(&ctx, &w).await;
    out.extend(filters(&ctx, &w).await);
    out.extend(pages(&ctx, &w).await);
    out.extend(reads(&ctx, &w).await);
    out.extend(deletion(&ctx, &w).await);
    out
}

/// Sends a labelled call as the owner.
async fn call(ctx: &Ctx, op: Operation, label: &str) -> Exchange {
    ctx.driver
        .send(&ApiCall::labelled(op, Role::Owner, label))
        .await
}

/// A List as the owner with these query parameters.
async fn list(ctx: &Ctx, query: &[(&str, &str)]) -> Exchange {
    let mut call = ApiCall::labelled(
        Operation::ListServiceNetworkServiceAssociations,
        Role::Owner,
        "",
    );
    call.query = query
        .iter()
        .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
        .collect();
    ctx.driver.send(&call).await
}

/// Every page of a listing, following `nextToken` for at most `limit` pages; whether the last
/// page had none.
async fn all_pages(ctx: &Ctx, query: &[(&str, &str)], limit: usize) -> (Vec<Exchange>, bool) {
    let mut pages = Vec::new();
    let mut token: Option<String> = None;
    while pages.len() < limit {
        let mut q = query.to_vec();
        if let Some(t) = &token {
            q.push(("nextToken", t));
        }
        let page = list(ctx, &q).await;
        let next = lattice_checks::state::member_of(&page, "nextToken");
        let ok = lattice_checks::judge::succeeded(&page);
        pages.push(page);
        match next {
            Some(t) if ok && !t.is_empty() => token = Some(t),
            _ => return (pages, true),
        }
    }
    (pages, false)
}

/// NEIGH-ID-INVALID and NEIGH-TAGS-NOT-FOUND: Get, Delete and ListTagsForResource with
/// malformed identifiers, and ListTagsForResource of a well-formed ARN of nothing.
async fn identifiers(ctx: &Ctx, w: &World) -> Vec<CaseResult> {
    use Operation::{
        DeleteServiceNetworkServiceAssociation as Delete,
        GetServiceNetworkServiceAssociation as Get, ListTagsForResource as Tags,
    };
    let mut out = Vec::new();
    let get_a = call(ctx, Get, &w.a.id).await;
    let tags_a = call(ctx, Tags, &w.a.arn).await;
    let rule = NeighboursRule::NeighIdInvalid.id();
    // A live run's economy sends the first malformed id only (its request budget).
    let ids = if ctx.fx.economy().is_some() {
        &MALFORMED_IDS[..1]
    } else {
        MALFORMED_IDS
    };
    for bad in ids {
        let e = call(ctx, Get, bad).await;
        out.push(judge::controlled(rule, &e, format!("Get `{bad}`"), &get_a));
        if ctx.profile.capabilities.delete {
            let e = call(ctx, Delete, bad).await;
            out.push(judge::controlled(
                rule,
                &e,
                format!("Delete `{bad}`"),
                &get_a,
            ));
        }
    }
    for bad in MALFORMED_ARNS {
        let e = call(ctx, Tags, bad).await;
        let note = format!("ListTagsForResource `{bad}`");
        out.push(judge::controlled(rule, &e, note, &tags_a));
    }
    let mut rng = super::validation::runner(ctx.options.seed, "neighbours");
    let ghost = match w.a.arn.rsplit_once('/') {
        Some((head, _)) => format!("{head}/snsa-{}", suffix(&mut rng)),
        None => return out,
    };
    let e = call(ctx, Tags, &ghost).await;
    out.push(judge::controlled(
        NeighboursRule::NeighTagsNotFound.id(),
        &e,
        format!("ListTagsForResource of nothing `{ghost}`"),
        &tags_a,
    ));
    out
}

/// NEIGH-LIST-BY-SERVICE, NEIGH-LIST-BY-NETWORK (each by id and by ARN) and
/// NEIGH-LIST-REQUIRES-FILTER.
async fn filters(ctx: &Ctx, w: &World) -> Vec<CaseResult> {
    let mut out = Vec::new();
    let (by_n1, _) = all_pages(ctx, &[("serviceNetworkIdentifier", &w.n1.id)], 20).await;
    let (by_n2, _) = all_pages(ctx, &[("serviceNetworkIdentifier", &w.n2.id)], 20).await;
    let listed = |pages: &[Exchange], id: &str| {
        pages
            .iter()
            .any(|p| lattice_checks::state::listed_ids(p).iter().any(|x| x == id))
    };
    // B (s2) is listed under n1 and C (n2) under n2: what each filter must leave out exists.
    let b_listed = listed(&by_n1, &w.b.id);
    let c_listed = listed(&by_n2, &w.c.id);
    let (a, b, c) = (w.a.id.clone(), w.b.id.clone(), w.c.id.clone());
    for value in [&w.s1.id, &w.s1.arn] {
        let (pages, _) = all_pages(ctx, &[("serviceIdentifier", value)], 20).await;
        out.push(judge::filtered(
            NeighboursRule::NeighListByService,
            &pages,
            &[a.clone(), c.clone()],
            std::slice::from_ref(&b),
            ("serviceId", &w.s1.id),
            b_listed,
        ));
    }
    for value in [&w.n1.id, &w.n1.arn] {
        let (pages, _) = all_pages(ctx, &[("serviceNetworkIdentifier", value)], 20).await;
        out.push(judge::filtered(
            NeighboursRule::NeighListByNetwork,
            &pages,
            &[a.clone(), b.clone()],
            std::slice::from_ref(&c),
            ("serviceNetworkId", &w.n1.id),
            c_listed,
        ));
    }
    // all_pages sends at least one page.
    let control = by_n1[0].clone();
    for query in [vec![], vec![("maxResults", "10")]] {
        let e = list(ctx, &query).await;
        out.push(judge::controlled(
            NeighboursRule::NeighListRequiresFilter.id(),
            &e,
            format!("List without a filter, query {query:?}"),
            &control,
        ));
    }
    out
}

/// NEIGH-LIST-MAX-RESULTS and NEIGH-LIST-PAGES.
async fn pages(ctx: &Ctx, w: &World) -> Vec<CaseResult> {
    let mut out = Vec::new();
    let n1 = w.n1.id.as_str();
    let rule = NeighboursRule::NeighListMaxResults.id();
    for (good, bad) in [("1", "0"), ("100", "101")] {
        let control = list(
            ctx,
            &[("serviceNetworkIdentifier", n1), ("maxResults", good)],
        )
        .await;
        let e = list(
            ctx,
            &[("serviceNetworkIdentifier", n1), ("maxResults", bad)],
        )
        .await;
        out.push(judge::controlled(
            rule,
            &e,
            format!("maxResults {bad} (control: {good})"),
            &control,
        ));
    }
    let whole = list(ctx, &[("serviceNetworkIdentifier", n1)]).await;
    let count = lattice_checks::state::listed_ids(&whole).len();
    let (pages, ended) = all_pages(
        ctx,
        &[("serviceNetworkIdentifier", n1), ("maxResults", "1")],
        count + 2,
    )
    .await;
    out.push(judge::paged(
        NeighboursRule::NeighListPages,
        &pages,
        1,
        &whole,
        ended,
    ));
    out
}

/// NEIGH-BY-ARN (Get) and NEIGH-DNS-AGREES.
async fn reads(ctx: &Ctx, w: &World) -> Vec<CaseResult> {
    let mut out = Vec::new();
    let get = call(
        ctx,
        Operation::GetServiceNetworkServiceAssociation,
        &w.a.arn,
    )
    .await;
    out.push(judge::by_arn(
        NeighboursRule::NeighByArn,
        &get,
        &w.a.id,
        "Get by the association's ARN",
    ));
    let service = call(ctx, Operation::GetService, &w.s1.id).await;
    let by_id = ctx.read_created(Role::Owner, &w.a.id).await;
    let listed = list(ctx, &[("serviceNetworkIdentifier", &w.n1.id)]).await;
    out.push(judge::dns_agrees(
        NeighboursRule::NeighDnsAgrees,
        &service,
        &w.a.id,
        &[by_id, listed],
    ));
    out
}

/// NEIGH-BY-ARN (Delete) and NEIGH-GONE-FROM-LIST: C is deleted by its ARN, and once Get
/// answers 404 it is gone from the listing of its network.
async fn deletion(ctx: &Ctx, w: &World) -> Vec<CaseResult> {
    let rules = [
        NeighboursRule::NeighByArn,
        NeighboursRule::NeighGoneFromList,
    ];
    if !ctx.profile.capabilities.delete {
        return rules
            .iter()
            .map(|r| CaseResult::skipped(r.id(), "the target cannot delete associations"))
            .collect();
    }
    let query = [("serviceNetworkIdentifier", w.n2.id.as_str())];
    let before = list(ctx, &query).await;
    let delete = call(
        ctx,
        Operation::DeleteServiceNetworkServiceAssociation,
        &w.c.arn,
    )
    .await;
    let mut out = vec![judge::by_arn(
        NeighboursRule::NeighByArn,
        &delete,
        &w.c.id,
        "Delete by the association's ARN",
    )];
    let rule = NeighboursRule::NeighGoneFromList.id();
    if let Some(case) = must_succeed(rule, &delete, "the delete must be accepted") {
        out.push(case);
        return out;
    }
    let (last, gone) = ctx.wait_gone(Role::Owner, &w.c.id).await;
    let after = list(ctx, &query).await;
    out.push(judge::gone_from_list(
        NeighboursRule::NeighGoneFromList,
        &w.c.id,
        &before,
        gone.then_some(&last),
        &after,
    ));
    out
}
