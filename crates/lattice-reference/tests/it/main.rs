//! Integration tests of the reference endpoint, driven over HTTP with requests signed by
//! `aws-sigv4`: every rule family in correct mode, every defect against correct mode, and bad
//! input that must never crash it. One binary made of modules (one link step).

mod choices;
mod conflicts;
mod defects;
mod failures;
mod idempotency;
mod lifecycle;
mod listing;
mod live_like;
mod ownership;
mod protocol;
mod quota;
mod ram;
mod reads;
mod recording;
mod robustness;
mod serving;
mod signatures;
mod support;
mod tags;
mod validation;
