//! A strict, stateful, local AWS VPC Lattice endpoint (with the AWS RAM calls that sharing
//! needs), on a small HTTP/1.1 server of its own (hyper), with switchable [`Defect`]s and
//! [`Choice`]s. In the data flow (`specs/` → lattice-spec → lattice-gen → lattice-harness →
//! **endpoint** → lattice-checks → report) it is the suite's default target: with no defect it
//! passes every check, whatever choices are on, and each defect must make the checks of its
//! rule family fail. It is also a strict
//! local endpoint that boto3 and the AWS CLI can be pointed at (`lattice-conformance serve`, or
//! `cargo run -p lattice-reference --example serve`).
//!
//! It shares wire types, identifiers and constraint tables with `lattice-spec`, but its
//! behaviour (validation order, idempotency, conflicts, ownership, lifecycle) is written here,
//! independently of `lattice_spec::validate` and `lattice_spec::model`, so that a misreading of
//! the contract in one place cannot hide in agreement with the other.
//!
//! # Operations
//!
//! VPC Lattice: `CreateServiceNetwork` (201), `CreateService` (201), `GetServiceNetwork`,
//! `GetService`, `ListServiceNetworks`, `ListServices`, `DeleteServiceNetwork` (204),
//! `DeleteService`, `CreateServiceNetworkServiceAssociation` (200),
//! `GetServiceNetworkServiceAssociation`, `DeleteServiceNetworkServiceAssociation`,
//! `ListServiceNetworkServiceAssociations`, `TagResource`, `UntagResource`,
//! `ListTagsForResource`. AWS RAM (signing name `ram`, same host): `CreateResourceShare`,
//! `GetResourceShares`, `GetResourceShareInvitations`, `AcceptResourceShareInvitation`,
//! `RejectResourceShareInvitation`, `DeleteResourceShare`. Each is bound to its method and
//! path in the official models (`lattice_spec::Operation`, checked against
//! `specs/upstream/`). A test-only hook, `POST /__reference/reset` (unsigned), forgets all
//! state.
//!
//! For client verification (`serve --record`, `check-client`), [`Config::record`] appends every
//! request received to a file, one JSON line each without secrets, and [`Config::faults`] makes
//! chosen Create requests answer 500, 429 or an unmodelled error type once ([`Fault`]).
//! [`Config::failures`] makes chosen associations end `CREATE_FAILED` or `DELETE_FAILED`
//! ([`FailurePlan`]).
//!
//! Every request but the reset hook must carry a valid SigV4 signature (verified here with
//! `hmac` and `sha2`, double URI-encoding of the path) by one of [`Config::principals`]; each
//! access key maps to an account. Failures are 403 with the AWS front-end error names
//! (`MissingAuthenticationTokenException`, `IncompleteSignatureException`,
//! `UnrecognizedClientException`, `InvalidSignatureException`).
//!
//! # Choices
//!
//! Where the contract leaves a choice, this endpoint does the following by default. Every
//! other reading the contract allows is a [`Choice`] (listed, with its public source, in
//! `specs/choices.toml` and `specs/CONTRACT.md`): switched on ([`Config::choices`], `serve
//! --choice NAME`, `run --choice NAME`, or at run time with [`ReferenceEndpoint::set_choices`])
//! it replaces the default reading below by that one, and the suite must still pass.
//!
//! - **Check order.** Signature, then routing, then validation of every member (all violations
//!   reported in `fieldList`), then idempotency, then existence and visibility (service first,
//!   then service network), ownership, resources being deleted, the pair conflict, and the quota.
//!   Validation always precedes existence.
//! - **Unknown methods and paths** (after a valid signature): 400 `ValidationException` with
//!   reason `unknownOperation`, in this shape whether the request was signed for `vpc-lattice`
//!   or for `ram` (a RAM operation this endpoint does not serve is unknown, not a wrong
//!   scope). The signature must still verify for the scope it names, and that scope must name
//!   one of the two: an unsigned or badly signed request to an unknown path, or one signed for
//!   another service, is 403 like any other.
//! - **Bodies.** An empty body reads as `{}`. Bodies over 1 MiB, malformed JSON and JSON that is
//!   not an object: 400 `ValidationException`, reason `cannotParse` (on RAM paths RAM's
//!   `InvalidParameterException`). The size is checked while the body is read, before the
//!   signature (see [Serving](#serving)). A member of the wrong JSON
//!   type: 400 `ValidationException`, reason `cannotParse`, with a `fieldList` naming it. A
//!   constraint violation (length in Unicode scalar values, pattern, missing required member):
//!   reason `fieldValidationFailed`. `fieldList` has one entry per violated constraint (so
//!   `svc-0123`, too short and outside the pattern, is two entries naming
//!   `serviceIdentifier`); the message counts distinct members: ``Invalid parameter
//!   `serviceIdentifier`: REASON; REASON`` for one, ``N parameters failed validation: `a`,
//!   `b` `` for several. A path label with a broken percent-escape or invalid UTF-8:
//!   `cannotParse`. Unknown members are ignored.
//! - **Tags.** At most 200 entries, keys 1..128 and values 0..256 scalar values (the model's
//!   limits, not the user guide's 50/127/255), characters limited to Unicode letters, digits,
//!   white space and `_ . : / = + - @`. Keys beginning with `aws:` are refused in **any letter
//!   case** (`AWS:`, `Aws:` too), as AWS reserves the prefix case-insensitively; values may
//!   begin with `aws:`. Violations are 400 `ValidationException`.
//! - **Idempotency.** Tokens are case-sensitive and scoped per account. A replay with the same
//!   token and the same parameters returns 200 with the same `id`, `arn` and `createdBy` and
//!   the association's *current* status, creating nothing. Parameters are compared as resolved
//!   names (account and id, so an id and the ARN of the same resource are the same parameter)
//!   plus the tags (absent = empty). Same token, different parameters: **409
//!   `ConflictException`** naming the first association. A token is forgotten once its
//!   association is gone; a token whose request failed records nothing.
//! - **Ownership and visibility.** A bare id is resolved in the caller's account, an ARN in the
//!   ARN's account (an ARN of another partition or region names nothing). A resource of another
//!   account that is not shared with the caller through an accepted RAM share is **404
//!   `ResourceNotFoundException`** (not visible). Both sides only shared: **403
//!   `AccessDeniedException`**. After a share is deleted, existing associations persist and new
//!   ones are 404.
//! - **Associations across accounts.** One association has one id in every account; its ARN
//!   carries the account of whoever reads it. It is visible to, and deletable by, its creator
//!   and both resource owners; anyone else gets 404. A Get or Delete by ARN accepts the ARN of
//!   any account the association exists in. `createdBy` is the creator's account.
//! - **Lifecycle.** A new service is `CREATE_IN_PROGRESS` for
//!   [`Config::service_creation_delay`] (zero by default: `ACTIVE` at once), and a Create naming
//!   it meanwhile is 409 `ConflictException` (`resourceType` `SERVICE`, "Invalid resource status
//!   for this operation, resource id …, status: CREATE_IN_PROGRESS."); service networks are
//!   active at once (the model gives them no status). A new association is
//!   `CREATE_IN_PROGRESS` for [`Config::transition_delay`], then `ACTIVE` (with a zero delay,
//!   Create answers `ACTIVE`). Delete answers `DELETE_IN_PROGRESS`; the association (and a
//!   deleted service or network) is gone after the delay (at once with a zero delay). Delete
//!   while `CREATE_IN_PROGRESS` is 409; Delete again while `DELETE_IN_PROGRESS` is 200 with no
//!   change. Statuses are computed lazily from timestamps.
//! - **Failed associations.** Only the failure plan ([`Config::failures`], `serve
//!   --fail-create` / `--fail-delete`) makes an association fail; without one `CREATE_FAILED`
//!   and `DELETE_FAILED` never happen. An entry is `create#N` (the N-th association created,
//!   counting from 1 across every account since start or the last reset; replays create
//!   nothing and do not count), `delete#N` (the N-th deletion started; a retry is a deletion
//!   of its own) or `service=NAME_OR_ID` (every association of that service, in any account:
//!   its creation, or every deletion, retries included). A failing creation is
//!   `CREATE_IN_PROGRESS` for the delay, then `CREATE_FAILED` (with a zero delay Create
//!   answers `CREATE_FAILED`); a failing deletion is `DELETE_IN_PROGRESS` for the delay, then
//!   `DELETE_FAILED`. Get adds the model's `failureCode` (`REFERENCE_INJECTED_FAILURE`) and
//!   `failureMessage` (naming the plan entry) in those two statuses only; List shows the
//!   status (its summary has no failure members). A failed association still exists, as the
//!   model's "If the association fails, you can retry the operation by deleting the
//!   association and recreating it" implies: it may be deleted (from `CREATE_FAILED`, and
//!   again from `DELETE_FAILED`, "try to delete again"), a Create for its pair is 409
//!   `ConflictException` naming it, DeleteService and DeleteServiceNetwork are 409 while it
//!   names them, it counts against the quota, and its token replays it.
//! - **Conflicts.** An association for the same pair in any status but gone (including
//!   `DELETE_IN_PROGRESS`) is 409 `ConflictException` with `resourceId` = that association's id
//!   and `resourceType` = `SERVICE_NETWORK_SERVICE_ASSOCIATION`; a service or network in
//!   `DELETE_IN_PROGRESS` is 409 with its own id and `SERVICE` / `SERVICE_NETWORK`.
//!   DeleteService and DeleteServiceNetwork are 409 while any association names them.
//! - **Quota.** Every association on the network counts, whatever its status; the next one is
//!   402 `ServiceQuotaExceededException` with `serviceCode` `vpc-lattice`, `quotaCode`
//!   `L-75D4A19E`, `resourceType` `SERVICE_NETWORK` and `resourceId` the network id.
//! - **List.** `ListServiceNetworkServiceAssociations` with neither filter: 400
//!   `ValidationException` (`fieldValidationFailed`). A filter naming nothing (or something
//!   invisible) gives an empty list. Every List answers `items` (empty when nothing matches) in
//!   creation order, `maxResults` (1..100, default 100) per page, and a `nextToken` (opaque)
//!   only when more items follow; a `maxResults` outside 1..100 or a `nextToken` this endpoint
//!   did not issue is 400 `ValidationException`. Items are the model's summary shapes
//!   (`ServiceSummary`, `ServiceNetworkSummary`, `ServiceNetworkServiceAssociationSummary`).
//! - **What `ListServiceNetworks` and `ListServices` show.** The caller's own services and
//!   networks (including those being deleted), and those another account shared with it
//!   through a live RAM share whose invitation the caller accepted (the model's "owned by or
//!   shared with this account"); their ARNs carry the owner's account. A pending or rejected
//!   invitation, or a deleted share, shows nothing. No defect changes what they show.
//! - **RAM.** Every invitation must be accepted before the resource counts as shared (no
//!   organisation auto-acceptance). Only the invitee can answer a pending invitation, once:
//!   after `RejectResourceShareInvitation` it is `REJECTED`, nothing is shared, and accepting
//!   or rejecting it again is `ResourceShareInvitationAlreadyRejectedException` (after an
//!   accept, `...AlreadyAcceptedException`). The `clientToken` of Accept and Reject is echoed,
//!   not remembered. `CreateResourceShare`'s `clientToken` is scoped per account and never
//!   forgotten: the same token with the same `name`, `resourceArns` and `principals` (each
//!   compared as a set) and `allowExternalPrincipals` (absent = `true`) returns the first
//!   share; with any of them different it is 400 `IdempotentParameterMismatchException` (its
//!   message names the first share). `GetResourceShares` lists shares of every status
//!   (`ACTIVE`, and `DELETED` once deleted) unless `resourceShareStatus` names one; a status
//!   outside the model's enum is `InvalidParameterException`. RAM failures use RAM's own error shapes (all 400 unless
//!   modelled otherwise): a body that cannot be parsed is `InvalidParameterException`, a missing
//!   required member `MissingRequiredParameterException`, a resource the caller does not own
//!   `UnknownResourceException`. RAM timestamps are epoch seconds (the restJson1 default).
//! - **Signatures.** A known operation must be signed for its own service (`ram` for RAM,
//!   `vpc-lattice` for the rest) in [`Config::region`]; a wrong scope is 403
//!   `InvalidSignatureException` naming the right service, or the wrong region. `SignedHeaders`
//!   must name `host` (else 403 `InvalidSignatureException`, "'Host' or ':authority' must be a
//!   'SignedHeader' in the AWS Authorization.", as AWS front ends word it). `X-Amz-Date` must lie
//!   within **5 minutes** of the endpoint's clock, either way (the SigV4 documentation's "within
//!   five minutes of the time stamp"): outside, 403 `InvalidSignatureException` with AWS's
//!   "Signature expired: … (… - 5 min.)" or "Signature not yet current: … (… + 5 min.)". The
//!   verifier takes the time as an argument, so its known-answer unit tests verify fixed requests
//!   at their own time. The payload hash in the canonical request is always the SHA-256 of the
//!   body received. An `x-amz-content-sha256` header is not needed (SDKs for this service send
//!   none); when one is sent it must equal that hash, else 403 `InvalidSignatureException` ("The
//!   provided 'x-amz-content-sha256' header does not match what was computed."): so
//!   `UNSIGNED-PAYLOAD` and streaming payloads, S3 conventions, are refused. With
//!   `skip-signature-check` the time window, the payload hash and the signature go unchecked
//!   (`host`, the scope and the access key still are). The signature covers the path exactly as
//!   the client sent it (its `.` and `..` segments removed, then encoded once more), so a client
//!   that sends `"`, `{`, `}` or UTF-8 unencoded and signs what it sends verifies.
//! - **`race-on-duplicate`.** The server runs on one thread, and each request's checks and
//!   insert run under one lock, so a Create cannot literally be interleaved with another. The
//!   defect instead leaves a new association invisible to the pair check for a 25 ms window and
//!   holds the response until the window has passed: sequential creates still conflict,
//!   overlapping ones both succeed.
//!
//! # Serving
//!
//! The server (HTTP/1.1 only, keep-alive) runs on a thread of its own with a current-thread
//! tokio runtime, whatever the caller runs on; dropping the [`ReferenceEndpoint`] stops accepting
//! at once (the port is free when the drop returns) and gives open connections 5 s to finish
//! the request they are on. It is built to stay up under abuse:
//!
//! - **Body limit.** A body is read through the 1 MiB limit as it arrives and never buffered
//!   beyond it: a `Content-Length` over the limit is refused before a byte of the body is read
//!   (with `Expect: 100-continue` the client is told before it sends one), a longer chunked body
//!   as soon as it passes the limit. The rest of such a body is read and thrown away for at
//!   most 2 s, so that a client still sending hears the answer (400 `cannotParse`, whatever the
//!   signature), then the connection is closed (`Connection: close`). Such a request is counted
//!   and recorded, with an empty body.
//! - **Timeouts.** A connection on which no byte moves for **10 s** while the server waits on
//!   the client is closed: a new connection that sends nothing, a kept-alive connection between
//!   requests (the keep-alive idle timeout), a request stalled in its head or body, a response
//!   the client does not read. A request head must be complete within **30 s** of the connection
//!   starting to wait for it (hyper's header-read timeout, against heads sent a byte at a time),
//!   and its body within **30 s** of the head.
//! - **Broken connections.** A client that closes (or stalls) mid-request is one line on stderr
//!   (`reference endpoint: connection from ADDR closed: WHY`), no panic; the request is neither
//!   served, counted nor recorded. Idle connections closed by the timeout are not logged.
//! - **Accept errors.** A failed accept (out of file descriptors, `EMFILE`, included) never ends
//!   the listener: it is logged once, and the server keeps trying, backing off from 10 ms to 1 s,
//!   until it can accept again (logged once more).
//! - **Memory.** Nothing is kept per request served: the memory of a running endpoint only
//!   follows its state (resources, associations, tokens, shares).

//! # Example
//!
//! ```no_run
//! # async fn demo() {
//! use lattice_reference::{Config, ReferenceEndpoint};
//! let endpoint = ReferenceEndpoint::start(Config::default()).await;
//! println!("{}", endpoint.url());
//! # }
//! ```

mod access;
mod body;
mod choice;
mod clock;
mod config;
mod context;
mod defect;
mod endpoint;
mod errors;
mod failures;
mod faults;
mod idgen;
mod idle;
mod input;
mod lifecycle;
mod live_like;
mod ops;
mod reply;
mod route;
mod server;
mod sigv4;
mod tags;
mod world;

pub use choice::Choice;
pub use config::{Config, TestPrincipal, OUTSIDER_ACCOUNT, OWNER_ACCOUNT, PEER_ACCOUNT};
pub use defect::Defect;
pub use endpoint::ReferenceEndpoint;
pub use failures::{FailOn, FailStep, FailurePlan};
pub use faults::{Fault, FaultAnswer};
pub use live_like::LiveLike;
pub use world::{Census, Counts};
