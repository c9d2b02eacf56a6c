//! Every choice changes an answer, and to the reading it names: for each `Choice::ALL`, a probe
//! (a short request sequence) returns a summary; with the choice switched on it must differ from
//! the default endpoint's, and equal what the choice's reading says.

use std::collections::BTreeSet;
use std::future::Future;
use std::pin::Pin;
use std::time::Duration;

use lattice_reference::{Choice, Config};
use serde_json::{json, Map, Value};

use crate::support::{
    after_unshare, both_shared, create_network_body_altered, create_network_signed,
    missing_service, never_shared, pair, token_reused, with_tags, Fixture, Resp, Signing,
};

type Summary = Pin<Box<dyn Future<Output = String> + Send>>;

const DELAY: Duration = Duration::from_millis(200);

fn many_tags(n: usize) -> Value {
    let tags: Map<String, Value> = (0..n).map(|i| (format!("k{i}"), json!("v"))).collect();
    Value::Object(tags)
}

async fn raw_create(f: &Fixture, body: &[u8]) -> Resp {
    f.owner
        .send("POST", "/servicenetworkserviceassociations", Some(body))
        .await
}

fn fields(r: &Resp) -> String {
    format!(
        "reason={} fields={}",
        r.s("/reason"),
        r.json["fieldList"]
            .as_array()
            .map(|l| l
                .iter()
                .map(|f| f["name"].as_str().unwrap_or("?"))
                .collect::<Vec<_>>()
                .join(","))
            .unwrap_or_else(|| "none".into())
    )
}

/// The probe of a choice and the summary its reading gives: an exhaustive match, so a new
/// choice cannot go without one.
fn probe(choice: Choice, f: Fixture) -> (Summary, &'static str) {
    use Choice::*;
    let expected = match choice {
        MalformedBodySerializationException => "400 SerializationException",
        WrongTypeSerializationException => "400 SerializationException",
        EmptyBodyUnparseable => "400 ValidationException reason=cannotParse",
        FiftyTagsValidation => "400 ValidationException",
        FiftyTagsQuota => "402 ServiceQuotaExceededException quotaCode=true",
        AwsPrefixCaseSensitive => "200 -",
        UserGuideTagRestrictions => "400 ValidationException 400 ValidationException",
        TokenMismatchValidation => "400 ValidationException",
        ReplayOriginalStatus => "CREATE_IN_PROGRESS",
        TokenOutlivesAssociation => "200 - same=true",
        BothSharedNotFound => "404 ResourceNotFoundException",
        NeverSharedAccessDenied => "403 AccessDeniedException",
        UnsharedAccessDenied => "403 AccessDeniedException",
        OutsiderAccessDenied => "403 AccessDeniedException 403 AccessDeniedException",
        TagsNotFoundException => "404 NotFoundException 404 NotFoundException",
        BareIdThroughShare => "200 - createdBy=true",
        ListForeignFilterDenied => "403 AccessDeniedException",
        NetworkLookedUpFirst => "SERVICE_NETWORK",
        CreateActiveAtOnce => "ACTIVE",
        TransientNotFound => "404 ResourceNotFoundException then 200 -",
        ServicesActiveAtOnce => "ACTIVE 200 -",
        FieldListAbsent => "reason=fieldValidationFailed fields=none",
        FieldListFirstOnly => "reason=fieldValidationFailed fields=serviceIdentifier",
        FieldNamesAsPaths => {
            "reason=fieldValidationFailed fields=/serviceIdentifier,/serviceIdentifier"
        }
        ReasonOther => "reason=other fields=serviceIdentifier,serviceIdentifier",
        OtherMessages => "validation error detected: true",
        ResourceIdArn => "arn=true",
        ResourceTypeOtherSpelling => "Service",
        ErrorTypeNamespaced => {
            "com.amazonaws.vpclattice#ResourceNotFoundException com.amazonaws.vpclattice#ResourceNotFoundException"
        }
        ErrorTypeWithSuffix => {
            "ResourceNotFoundException:http://internal.amazon.com/coral/com.amazonaws.vpclattice/"
        }
        JsonCharset => "application/json; charset=utf-8",
        SparseOutput => "createdBy=false dnsEntry=false arn=true",
        IdsBeyondHex => "beyond hex: true",
        SignatureDoesNotMatch => "403 SignatureDoesNotMatch",
        RequestExpired => "400 RequestExpired",
        ContentSha256Mismatch => "400 XAmzContentSHA256Mismatch",
        HostUnsignedIncomplete403 => "403 IncompleteSignatureException",
        HostUnsignedIncomplete400 => "400 IncompleteSignatureException",
        QueryAuthNames => "403 MissingAuthenticationToken 403 InvalidClientTokenId",
    };
    let summary: Summary = Box::pin(async move {
        match choice {
            MalformedBodySerializationException => raw_create(&f, b"{").await.outcome(),
            WrongTypeSerializationException => raw_create(
                &f,
                br#"{"serviceIdentifier":7,"serviceNetworkIdentifier":"sn-0123456789abcdef0"}"#,
            )
            .await
            .outcome(),
            EmptyBodyUnparseable => {
                let r = raw_create(&f, b"").await;
                format!("{} reason={}", r.outcome(), r.s("/reason"))
            }
            FiftyTagsValidation => with_tags(&f, many_tags(51)).await,
            FiftyTagsQuota => {
                let (svc, sn) = pair(&f).await;
                let body = json!({ "serviceIdentifier": svc, "serviceNetworkIdentifier": sn, "tags": many_tags(51) });
                let r = f.owner.associate_body(&body).await;
                format!(
                    "{} quotaCode={}",
                    r.outcome(),
                    r.json["quotaCode"].is_string()
                )
            }
            AwsPrefixCaseSensitive => with_tags(&f, json!({ "AWS:team": "v" })).await,
            UserGuideTagRestrictions => format!(
                "{} {}",
                with_tags(&f, json!({ " padded": "v" })).await,
                with_tags(&f, json!({ "k": "aws:v" })).await
            ),
            TokenMismatchValidation => token_reused(&f).await.outcome(),
            ReplayOriginalStatus => {
                let (svc, sn) = pair(&f).await;
                f.owner.associate(&svc, &sn, Some("t1")).await;
                tokio::time::sleep(DELAY * 2).await;
                f.owner.associate(&svc, &sn, Some("t1")).await.s("/status")
            }
            TokenOutlivesAssociation => {
                let (svc, sn) = pair(&f).await;
                let first = f.owner.associate(&svc, &sn, Some("t1")).await;
                tokio::time::sleep(DELAY * 2).await;
                f.owner.delete_association(&first.s("/id")).await;
                tokio::time::sleep(DELAY * 2).await;
                let again = f.owner.associate(&svc, &sn, Some("t1")).await;
                format!(
                    "{} same={}",
                    again.outcome(),
                    again.s("/id") == first.s("/id")
                )
            }
            BothSharedNotFound => both_shared(&f).await.outcome(),
            NeverSharedAccessDenied => never_shared(&f).await.outcome(),
            UnsharedAccessDenied => after_unshare(&f).await.outcome(),
            OutsiderAccessDenied => {
                let (svc, sn) = pair(&f).await;
                let arn = f.owner.associate(&svc, &sn, None).await.s("/arn");
                let get = f.outsider.get_association(&arn).await;
                let delete = f.outsider.delete_association(&arn).await;
                format!("{} {}", get.outcome(), delete.outcome())
            }
            TagsNotFoundException => {
                let (_, sn_arn) = f.owner.network().await;
                f.owner.share(&[&sn_arn], &f.peer).await;
                let (psvc, _) = f.peer.service().await;
                let created = f.peer.associate(&psvc, &sn_arn, None).await;
                let owner_arn = created
                    .s("/arn")
                    .replace(f.peer.account(), f.owner.account());
                let owner = f.owner.tags_of(&owner_arn).await;
                let outsider = f.outsider.tags_of(&created.s("/arn")).await;
                format!("{} {}", owner.outcome(), outsider.outcome())
            }
            BareIdThroughShare => {
                let (sn, sn_arn) = f.owner.network().await;
                f.owner.share(&[&sn_arn], &f.peer).await;
                let (psvc, _) = f.peer.service().await;
                let r = f.peer.associate(&psvc, &sn, None).await;
                if r.status == 200 {
                    format!(
                        "{} createdBy={}",
                        r.outcome(),
                        r.s("/createdBy") == f.peer.account()
                    )
                } else {
                    r.outcome()
                }
            }
            ListForeignFilterDenied => {
                let (_, sn_arn) = f.owner.network().await;
                let query = format!(
                    "serviceNetworkIdentifier={}",
                    lattice_spec::operations::encode_label(&sn_arn)
                );
                f.outsider.list(&query).await.outcome()
            }
            NetworkLookedUpFirst => f
                .owner
                .associate("svc-0123456789abcdef0", "sn-0123456789abcdef0", None)
                .await
                .s("/resourceType"),
            CreateActiveAtOnce => {
                let (svc, sn) = pair(&f).await;
                f.owner.associate(&svc, &sn, None).await.s("/status")
            }
            TransientNotFound => {
                let (svc, sn) = pair(&f).await;
                let id = f.owner.associate(&svc, &sn, None).await.s("/id");
                let first = f.owner.get_association(&id).await.outcome();
                tokio::time::sleep(Duration::from_millis(150)).await;
                let later = f.owner.get_association(&id).await.outcome();
                format!("{first} then {later}")
            }
            ServicesActiveAtOnce => {
                let (sn, _) = f.owner.network().await;
                let r = f
                    .owner
                    .post(
                        "/services",
                        &json!({ "name": crate::support::unique("service") }),
                    )
                    .await;
                let assoc = f.owner.associate(&r.s("/id"), &sn, None).await;
                format!("{} {}", r.s("/status"), assoc.outcome())
            }
            FieldListAbsent | FieldListFirstOnly | FieldNamesAsPaths | ReasonOther => {
                let (_, sn) = pair(&f).await;
                fields(&f.owner.associate("svc-0123", &sn, None).await)
            }
            OtherMessages => {
                let (_, sn) = pair(&f).await;
                let r = f.owner.associate("svc-0123", &sn, None).await;
                format!(
                    "validation error detected: {}",
                    r.s("/message")
                        .contains("validation errors detected: Value at")
                )
            }
            ResourceIdArn => {
                let r = missing_service(&f).await;
                format!("arn={}", r.s("/resourceId").starts_with("arn:"))
            }
            ResourceTypeOtherSpelling => missing_service(&f).await.s("/resourceType"),
            ErrorTypeNamespaced => {
                let r = missing_service(&f).await;
                format!("{} {}", r.error_type().unwrap_or_default(), r.s("/__type"))
            }
            ErrorTypeWithSuffix => missing_service(&f).await.error_type().unwrap_or_default(),
            JsonCharset => {
                let (svc, sn) = pair(&f).await;
                f.owner.associate(&svc, &sn, None).await.content_type()
            }
            SparseOutput => {
                let (svc, sn) = pair(&f).await;
                let r = f.owner.associate(&svc, &sn, None).await;
                format!(
                    "createdBy={} dnsEntry={} arn={}",
                    r.json.get("createdBy").is_some(),
                    r.json.get("dnsEntry").is_some(),
                    r.json.get("arn").is_some()
                )
            }
            IdsBeyondHex => {
                let (svc, sn) = pair(&f).await;
                let id = f.owner.associate(&svc, &sn, None).await.s("/id");
                let beyond = id
                    .trim_start_matches("snsa-")
                    .bytes()
                    .any(|b| b.is_ascii_lowercase() && b > b'f');
                format!("beyond hex: {beyond}")
            }
            SignatureDoesNotMatch => create_network_signed(&f, Signing::wrong_secret()).await,
            RequestExpired => create_network_signed(&f, Signing::stale()).await,
            ContentSha256Mismatch => create_network_body_altered(&f).await,
            HostUnsignedIncomplete403 | HostUnsignedIncomplete400 => {
                create_network_signed(&f, Signing::unsigned_host()).await
            }
            QueryAuthNames => format!(
                "{} {}",
                create_network_signed(
                    &f,
                    Signing {
                        unsigned: true,
                        ..Signing::default()
                    }
                )
                .await,
                create_network_signed(&f, Signing::unknown_key()).await
            ),
        }
    });
    (summary, expected)
}

async fn summary(choice: Choice, chosen: bool) -> (String, &'static str) {
    let mut config = Config {
        transition_delay: DELAY,
        ..Config::default()
    };
    if choice == Choice::ServicesActiveAtOnce {
        config.service_creation_delay = DELAY;
    }
    if chosen {
        config.choices = BTreeSet::from([choice]);
    }
    let (summary, expected) = probe(choice, Fixture::start(config).await);
    (summary.await, expected)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_choice_takes_the_reading_it_names() {
    let mut problems = Vec::new();
    for &choice in Choice::ALL {
        let (default, _) = summary(choice, false).await;
        let (chosen, expected) = summary(choice, true).await;
        println!(
            "{:<40} default: {default:<45} chosen: {chosen}",
            choice.name()
        );
        if default == chosen {
            problems.push(format!("{choice}: answers as by default ({default})"));
        }
        if chosen != expected {
            problems.push(format!("{choice}: `{chosen}`, not `{expected}`"));
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

#[tokio::test]
async fn choices_can_be_switched_at_run_time() {
    let f = Fixture::correct().await;
    f.endpoint
        .set_choices(BTreeSet::from([Choice::ErrorTypeWithSuffix]));
    let r = missing_service(&f).await;
    assert!(r.error_type().unwrap_or_default().contains(':'), "{r:?}");
    f.endpoint.set_choices(BTreeSet::new());
    let r = missing_service(&f).await;
    assert_eq!(r.outcome(), "404 ResourceNotFoundException");
}
