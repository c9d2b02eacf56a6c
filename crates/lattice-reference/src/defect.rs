//! Switchable defects: each one a single, small deviation from the contract, named after what it
//! breaks, so that the suite can prove every check fails when it should.

use std::collections::BTreeSet;
use std::sync::atomic::{AtomicU64, Ordering};

/// Declares the defects once: each with its doc, its kebab-case name, the family whose rules must
/// catch it, and one sentence saying what it does. The enum, [`Defect::ALL`] (in this order: the
/// mutation matrix's) and the lookups are generated from the one list.
macro_rules! defects {
    ($(#[doc = $doc:expr])* ; $($(#[doc = $vdoc:expr])* $variant:ident = ($name:expr, $family:ident, $description:expr),)+) => {
        $(#[doc = $doc])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
        pub enum Defect {
            $($(#[doc = $vdoc])* $variant,)+
        }

        impl Defect {
            /// Every defect, in the order of the mutation matrix.
            pub const ALL: &'static [Defect] = &[$(Defect::$variant,)+];

            fn info(self) -> (&'static str, &'static str, &'static str) {
                match self {
                    $(Defect::$variant => ($name, stringify!($family), $description),)+
                }
            }
        }
    };
}

defects! {
    /// One switchable deviation from the contract.
    ///
    /// With no defect switched on, the endpoint is conformant. Each defect changes one behaviour,
    /// and [`Defect::family`] names the rule family (`VAL`, `TAG`, `IDEMP`, …) whose checks must
    /// catch it. Defects that only show over time (`no-conflict-while-deleting`, `stuck-in-progress`,
    /// `delete-never-completes`, `ignore-deleting-resource`) assume `transition_delay > 0`.
    ;
    /// The `clientToken` is ignored: a replay is treated as a new request (and so conflicts).
    IgnoreClientToken = ("ignore-client-token", IDEMP, "the clientToken is ignored, so a replay is a new request (and conflicts)"),
    /// Reusing a token with different parameters returns the first association with 200.
    AcceptTokenMismatch = ("accept-token-mismatch", IDEMP, "a token reused with different parameters returns the first association with 200"),
    /// Tokens are not scoped per account: another account's token replays that account's result.
    GlobalClientTokens = ("global-client-tokens", IDEMP, "tokens are not scoped per account: another account's token replays its association"),
    /// Tokens are compared case-insensitively (`tokenABC` replays `TOKENabc`).
    CaseInsensitiveTokens = ("case-insensitive-tokens", IDEMP, "tokens are compared case-insensitively"),
    /// A second association for an already associated pair is created instead of refused.
    NoConflictOnDuplicate = ("no-conflict-on-duplicate", CONFLICT, "a second association for an already associated pair is created"),
    /// `ConflictException` is sent with status 400 instead of 409.
    ConflictWrongStatus = ("conflict-wrong-status", HTTP, "ConflictException is sent with status 400 instead of 409"),
    /// `ResourceNotFoundException` bodies lack the required `resourceId` member.
    NotFoundMissingResourceId = ("not-found-missing-resource-id", HTTP, "ResourceNotFoundException bodies lack the required resourceId"),
    /// Tag keys longer than 128 scalar values are accepted.
    AcceptLongTagKey = ("accept-long-tag-key", TAG, "tag keys over 128 characters are accepted"),
    /// Tag values longer than 256 scalar values are accepted.
    AcceptLongTagValue = ("accept-long-tag-value", TAG, "tag values over 256 characters are accepted"),
    /// More than 200 tags are accepted.
    AcceptTooManyTags = ("accept-too-many-tags", TAG, "more than 200 tags are accepted"),
    /// Tag keys beginning with `aws:` (any case) are accepted.
    AcceptAwsTagPrefix = ("accept-aws-tag-prefix", TAG, "tag keys beginning with aws: are accepted"),
    /// The documented tag character set is not enforced.
    SkipTagCharset = ("skip-tag-charset", TAG, "the documented tag character set is not enforced"),
    /// Tags given on create are not attached to the association.
    DropTags = ("drop-tags", TAG, "tags given on create are not attached to the association"),
    /// A resource of another account is usable even when it was never shared with the caller.
    AcceptUnsharedResource = ("accept-unshared-resource", OWN, "another account's resource is usable without being shared with the caller"),
    /// An account that owns neither side may associate two resources shared with it.
    AllowBothShared = ("allow-both-shared", OWN, "an account owning neither side may associate two resources shared with it"),
    /// A bare id is resolved in any account and its resource used, shared with the caller or not.
    BareIdAnyAccount = ("bare-id-any-account", OWN, "a bare id is resolved in any account and its resource used without a share"),
    /// Any account may delete any association it can name, even one it cannot see.
    OutsiderCanDelete = ("outsider-can-delete", OWN, "any account may delete an association it can name"),
    /// The resource owner that did not create an association cannot see it (Get 404, not listed).
    AssociationInvisibleToPeer = ("association-invisible-to-peer", OWN, "the resource owner that did not create an association cannot see it"),
    /// `createdBy` reports the service network owner instead of the caller.
    CreatedByResourceOwner = ("created-by-resource-owner", OWN, "createdBy reports the service network owner instead of the caller"),
    /// `createdBy` is the caller's root ARN (`arn:aws:iam::ACCOUNT:root`), not its account id.
    CreatedByAsArn = ("created-by-as-arn", OWN, "createdBy is the creator's root ARN instead of its account id"),
    /// Deleting a RAM share does not stop new associations with the resource it shared.
    UnshareBlocksNothing = ("unshare-blocks-nothing", OWN, "after a RAM share is deleted, new associations with its resource are still allowed"),
    /// A tag key beginning `AWS:` or `Aws:` (not lower case) makes the reserved-prefix check fail
    /// with 500 `InternalServerException`.
    AwsPrefixCaseCrash = ("aws-prefix-case-crash", TAG, "a tag key beginning AWS: or Aws: fails with 500 InternalServerException"),
    /// Tag keys and values containing `@` or `+` are refused (a character set that forgets two
    /// documented symbols).
    RefuseTagAtPlus = ("refuse-tag-at-plus", TAG, "valid tag keys and values containing @ or + are refused with 400"),
    /// A Create without a `clientToken` for an associated pair returns the existing association.
    ReplayWithoutToken = ("replay-without-token", IDEMP, "a Create without a clientToken for an associated pair returns the existing association with 200"),
    /// The `clientToken` pattern `[!-~]+` is matched against the whole token, so tokens with
    /// non-ASCII characters or spaces are refused.
    FullMatchTokenPattern = ("full-match-token-pattern", IDEMP, "the clientToken pattern is matched as a whole, so tokens with non-ASCII characters or spaces are refused"),
    /// A pair whose association was deleted can never be associated again (409).
    PairBlockedAfterDelete = ("pair-blocked-after-delete", CONFLICT, "a pair whose association was deleted stays blocked: a new Create conflicts"),
    /// The SigV4 signature is not verified (any signature passes).
    SkipSignatureCheck = ("skip-signature-check", AUTH, "the SigV4 signature is not verified"),
    /// An unknown access key is accepted (as the first principal's account).
    AcceptUnknownAccessKey = ("accept-unknown-access-key", AUTH, "an unknown access key is accepted as the first principal"),
    /// The service named in the credential scope is not checked.
    AcceptWrongServiceScope = ("accept-wrong-service-scope", AUTH, "the service in the credential scope is not checked"),
    /// Successful JSON responses carry `Content-Type: text/plain`.
    WrongSuccessContentType = ("wrong-success-content-type", HTTP, "successful JSON responses carry Content-Type: text/plain"),
    /// The association id in the Create response has upper-case characters (outside the pattern).
    IdOutsidePattern = ("id-outside-pattern", HTTP, "the association id in the Create response has upper-case characters"),
    /// A successful Create returns 201 instead of 200.
    CreateReturns201 = ("create-returns-201", HTTP, "a successful Create returns 201 instead of 200"),
    /// A successful CreateService returns 200 instead of its modelled 201.
    CreateServiceReturns200 = ("create-service-returns-200", HTTP, "a successful CreateService returns 200 instead of its modelled 201"),
    /// An association's `createdAt` (Get and List) is epoch seconds (a JSON number) instead of a
    /// date-time string.
    CreatedAtEpochSeconds = ("created-at-epoch-seconds", HTTP, "an association's createdAt in Get and List is epoch seconds (a number), not a date-time string"),
    /// A Create naming the caller's own service by its ARN answers 404 (the id works).
    OwnArnUnresolved = ("own-arn-unresolved", EXIST, "a Create naming the caller's own service by its ARN answers 404 (its id works)"),
    /// An ARN is resolved by its id alone: its account and region are ignored.
    ArnAccountIgnored = ("arn-account-ignored", EXIST, "an ARN is resolved by its id alone, whatever its account and region"),
    /// Get, Delete and ListTagsForResource do not validate their identifier (a malformed one is
    /// looked up and not found: 404 instead of 400).
    UncheckedReadIdentifiers = ("unchecked-read-identifiers", NEIGH, "Get, Delete and ListTagsForResource do not validate their identifier (404 instead of 400)"),
    /// ListTagsForResource of a well-formed ARN of nothing answers 200 with no tags.
    TagsOfNothingEmpty = ("tags-of-nothing-empty", NEIGH, "ListTagsForResource of a well-formed ARN of nothing answers 200 with no tags"),
    /// List without any filter lists every association the caller can see.
    ListWithoutFilter = ("list-without-filter", NEIGH, "List without a service or service network filter lists every association the caller can see"),
    /// List ignores its `serviceIdentifier` filter.
    ListIgnoresServiceFilter = ("list-ignores-service-filter", NEIGH, "List ignores its serviceIdentifier filter"),
    /// List ignores its `serviceNetworkIdentifier` filter.
    ListIgnoresNetworkFilter = ("list-ignores-network-filter", NEIGH, "List ignores its serviceNetworkIdentifier filter"),
    /// A List filter given as an ARN matches nothing.
    ListFilterArnUnmatched = ("list-filter-arn-unmatched", NEIGH, "a List filter given as an ARN matches nothing"),
    /// List accepts any `maxResults` (out of 1..100: the default page).
    UncheckedMaxResults = ("unchecked-max-results", NEIGH, "List accepts maxResults outside 1..100 (and serves the default page)"),
    /// A List page after the first leaves out its first item.
    PagingSkipsItem = ("paging-skips-item", NEIGH, "every List page after the first leaves out its first item"),
    /// Deleted associations stay in List after Get answers 404.
    DeletedStaysListed = ("deleted-stays-listed", NEIGH, "deleted associations stay in List after Get answers 404"),
    /// Get and Delete do not resolve the association's ARN (404).
    ArnUnresolvedOnReads = ("arn-unresolved-on-reads", NEIGH, "Get and Delete answer 404 for the association's ARN"),
    /// The association's `dnsEntry` names another domain than its service's.
    AssociationDnsDiffers = ("association-dns-differs", NEIGH, "the association's dnsEntry names another domain than its service's"),
    /// Existence is checked before validation: a missing resource wins over an invalid member.
    ExistenceBeforeValidation = ("existence-before-validation", VAL, "a missing resource is reported (404) before an invalid member (400)"),
    /// Identifier patterns accept upper-case id characters.
    LaxIdentifierPattern = ("lax-identifier-pattern", VAL, "identifier patterns accept upper-case id characters"),
    /// The `clientToken` is not validated when both identifiers name the caller's own existing
    /// resources (only inputs sent around real resources show it).
    TokenUncheckedWithRealResources = ("token-unchecked-with-real-resources", VAL, "the clientToken is not validated when both identifiers name the caller's own existing resources"),
    /// The `clientToken` length limit (64) is not enforced.
    UncheckedTokenLength = ("unchecked-token-length", VAL, "the clientToken length limit of 64 is not enforced"),
    /// Error responses lack the `x-amzn-ErrorType` header.
    MissingErrorTypeHeader = ("missing-error-type-header", HTTP, "error responses lack the x-amzn-ErrorType header"),
    /// A malformed body yields 500 `InternalServerException` instead of 400.
    MalformedBody500 = ("malformed-body-500", VAL, "a malformed body yields 500 InternalServerException instead of 400"),
    /// A pair whose association is being deleted may be associated again at once.
    NoConflictWhileDeleting = ("no-conflict-while-deleting", CONFLICT, "a pair whose association is being deleted may be associated again at once"),
    /// A service or service network being deleted may still be associated.
    IgnoreDeletingResource = ("ignore-deleting-resource", CONFLICT, "a service or service network being deleted may still be associated"),
    /// The association status `ACTIVE` is reported as `AVAILABLE` (outside the enum).
    StatusOutsideEnum = ("status-outside-enum", LIFE, "the status ACTIVE is reported as AVAILABLE, outside the enum"),
    /// Associations never leave `CREATE_IN_PROGRESS`.
    StuckInProgress = ("stuck-in-progress", LIFE, "associations never leave CREATE_IN_PROGRESS"),
    /// Deleted associations stay in `DELETE_IN_PROGRESS` for ever.
    DeleteNeverCompletes = ("delete-never-completes", LIFE, "deleted associations stay in DELETE_IN_PROGRESS for ever"),
    /// The per-network association quota is not enforced.
    NoQuota = ("no-quota", QUOTA, "the per-network association quota is not enforced"),
    /// A missing `serviceIdentifier` is not reported as a validation error (404 instead).
    UncheckedRequiredMember = ("unchecked-required-member", VAL, "a missing serviceIdentifier is not a validation error (404 instead of 400)"),
    /// `ValidationException.reason` is `FIELD_VALIDATION_FAILED`, outside the modelled enum.
    ValidationReasonOutsideEnum = ("validation-reason-outside-enum", VAL, "ValidationException.reason is FIELD_VALIDATION_FAILED, outside the enum"),
    /// `fieldList` entries name the member with an upper-case first letter (`ServiceIdentifier`,
    /// the shape's name), which is no member of the input.
    FieldListShapeNames = ("fieldlist-shape-names", VAL, "fieldList entries name ServiceIdentifier (the shape) instead of the member serviceIdentifier"),
    /// The duplicate-pair check and the insert are not atomic: concurrent creates both succeed.
    RaceOnDuplicate = ("race-on-duplicate", CONFLICT, "the duplicate check and the insert are not atomic, so concurrent creates both succeed"),
    /// A nonexistent service network is accepted and an association is created with it.
    AcceptMissingNetwork = ("accept-missing-network", EXIST, "a nonexistent service network is accepted and associated"),
    /// A nonexistent service is reported as 400 `ValidationException` instead of 404.
    MissingService400 = ("missing-service-400", EXIST, "a nonexistent service is reported as 400 ValidationException instead of 404"),
    /// The service network owner may not delete an association another account created.
    NetworkOwnerCannotDelete = ("network-owner-cannot-delete", OWN, "the service network owner may not delete an association another account created"),
    /// An association still in `CREATE_IN_PROGRESS` may be deleted (no 409).
    DeleteWhileCreating = ("delete-while-creating", CONFLICT, "an association still in CREATE_IN_PROGRESS may be deleted without a conflict"),
    /// `Retry-After` is sent as an HTTP date instead of the modelled integer seconds.
    RetryAfterHttpDate = ("retry-after-http-date", HTTP, "Retry-After is an HTTP date, not the modelled integer number of seconds"),
    /// A request without any signature is served as the first principal.
    AcceptUnsigned = ("accept-unsigned", AUTH, "a request without any signature is served as the first principal"),
    /// A signature dated more than five minutes from the endpoint's clock is accepted.
    AcceptStaleSignature = ("accept-stale-signature", AUTH, "a signature dated more than 5 minutes from the endpoint's clock (past or future) is accepted"),
    /// The `x-amz-content-sha256` header is taken as the payload hash instead of hashing the body.
    TrustPayloadHash = ("trust-payload-hash", AUTH, "the x-amz-content-sha256 header is trusted as the payload hash, so a body changed after signing is accepted"),
    /// A signature whose `SignedHeaders` leaves out `host` is accepted.
    AcceptUnsignedHost = ("accept-unsigned-host", AUTH, "a signature whose SignedHeaders leaves out host is accepted"),
    /// A credential scope naming another region is accepted (verified for that region).
    AcceptOtherRegion = ("accept-other-region", AUTH, "a credential scope naming another region is accepted (verified for that region)"),
    /// A Create naming a service that is still `CREATE_IN_PROGRESS` is accepted.
    AcceptCreatingService = ("accept-creating-service", CONFLICT, "a Create naming a service still in CREATE_IN_PROGRESS is accepted"),
    /// The ARN of an association made against a shared resource carries, for its creator, the
    /// account of the resource's owner instead of the creator's.
    ArnInOwnerAccount = ("arn-in-owner-account", OWN, "the creator's ARN of an association made against a shared resource carries the resource owner's account"),
    /// `ResourceNotFoundException` is sent with status 400 instead of 404 (as moto does).
    NotFound400 = ("not-found-400", EXIST, "ResourceNotFoundException is sent with status 400 instead of 404 (as moto does)"),
    /// Association ids carry hyphens (`snsa-0123abcd-0123-012`, as moto's do): outside the id
    /// pattern, so the endpoint refuses its own ids on Get and Delete.
    HyphenatedIds = ("hyphenated-ids", HTTP, "association ids carry hyphens (snsa-0123abcd-0123-012, as moto's do), so the endpoint refuses its own ids"),
}

impl Defect {
    /// The kebab-case name, as used on command lines (`ignore-client-token`).
    pub fn name(self) -> &'static str {
        self.info().0
    }

    /// The defect with this kebab-case name, if any.
    pub fn from_name(name: &str) -> Option<Defect> {
        Self::ALL.iter().copied().find(|d| d.name() == name)
    }

    /// One sentence saying what the defect does.
    pub fn description(self) -> &'static str {
        self.info().2
    }

    /// The rule family the defect breaks (`VAL`, `TAG`, `IDEMP`, `CONFLICT`, `OWN`, `EXIST`,
    /// `LIFE`, `QUOTA`, `HTTP`, `AUTH`, `NEIGH`).
    pub fn family(self) -> &'static str {
        self.info().1
    }

    /// Whether the defect only shows when `transition_delay > 0` (or, for
    /// `accept-creating-service`, `service_creation_delay > 0`).
    pub fn needs_delay(self) -> bool {
        matches!(
            self,
            Defect::NoConflictWhileDeleting
                | Defect::IgnoreDeletingResource
                | Defect::StuckInProgress
                | Defect::DeleteNeverCompletes
                | Defect::DeleteWhileCreating
                | Defect::AcceptCreatingService
        )
    }
    fn bit(self) -> u128 {
        let index = Self::ALL.iter().position(|d| *d == self).unwrap_or(0);
        1u128 << index
    }
}

impl std::fmt::Display for Defect {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name())
    }
}

/// A snapshot of the switched-on defects, cheap to copy and query.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub(crate) struct Defects(u128);

impl Defects {
    /// Whether `defect` is switched on.
    pub(crate) fn has(self, defect: Defect) -> bool {
        self.0 & defect.bit() != 0
    }

    /// The snapshot of a set of defects.
    pub(crate) fn of(set: &BTreeSet<Defect>) -> Self {
        Self(set.iter().fold(0, |acc, d| acc | d.bit()))
    }
}

/// The live defect switches, changed at run time without a lock (two 64-bit halves: tests
/// switch defects between requests, never during one).
#[derive(Debug, Default)]
pub(crate) struct DefectSwitch([AtomicU64; 2]);

impl DefectSwitch {
    /// Replaces the switched-on defects.
    pub(crate) fn set(&self, set: &BTreeSet<Defect>) {
        let bits = Defects::of(set).0;
        self.0[0].store(bits as u64, Ordering::SeqCst);
        self.0[1].store((bits >> 64) as u64, Ordering::SeqCst);
    }

    /// The defects switched on now.
    pub(crate) fn get(&self) -> Defects {
        let low = u128::from(self.0[0].load(Ordering::SeqCst));
        let high = u128::from(self.0[1].load(Ordering::SeqCst));
        Defects(low | high << 64)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_round_trip_and_are_unique() {
        let mut seen = BTreeSet::new();
        for d in Defect::ALL {
            assert_eq!(Defect::from_name(d.name()), Some(*d));
            assert!(seen.insert(d.name()), "{d:?}");
            assert!(!d.description().is_empty());
        }
        assert!(Defect::ALL.len() >= 30 && Defect::ALL.len() <= 128);
    }

    #[test]
    fn every_family_has_a_defect() {
        for family in [
            "VAL", "TAG", "IDEMP", "CONFLICT", "OWN", "EXIST", "LIFE", "QUOTA", "HTTP", "AUTH",
            "NEIGH",
        ] {
            assert!(Defect::ALL.iter().any(|d| d.family() == family), "{family}");
        }
    }

    #[test]
    fn a_snapshot_holds_exactly_the_switched_defects() {
        let set: BTreeSet<Defect> = [Defect::NoQuota, Defect::DropTags].into();
        let snap = Defects::of(&set);
        for d in Defect::ALL {
            assert_eq!(snap.has(*d), set.contains(d), "{d:?}");
        }
    }

    #[test]
    fn the_switch_holds_each_defect_alone() {
        let switch = DefectSwitch::default();
        for d in Defect::ALL {
            switch.set(&[*d].into());
            let on = switch.get();
            assert!(on.has(*d), "{d:?}");
            assert!(Defect::ALL.iter().filter(|o| *o != d).all(|o| !on.has(*o)));
        }
    }
}
