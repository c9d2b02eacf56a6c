//! Wire types (restJson1 bodies) of the operation under test and its neighbours, with member
//! names exactly as on the wire. Every output member is optional, as in the model: the checks
//! judge the raw JSON, and these types are for building requests and reading what is there.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

/// A tag map (`TagMap`); ordered so that serialised bodies are stable.
pub type Tags = BTreeMap<String, String>;

/// `DnsEntry`.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct DnsEntry {
    /// The domain name of the service.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub domain_name: Option<String>,
    /// The ID of the hosted zone.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub hosted_zone_id: Option<String>,
}

/// An association's status (the model's `ServiceNetworkServiceAssociationStatus`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum AssociationStatus {
    /// Being created.
    CreateInProgress,
    /// Usable.
    Active,
    /// Being deleted.
    DeleteInProgress,
    /// Creation failed.
    CreateFailed,
    /// Deletion failed.
    DeleteFailed,
}

impl AssociationStatus {
    /// Every status, in the model's order.
    pub const ALL: [AssociationStatus; 5] = [
        AssociationStatus::CreateInProgress,
        AssociationStatus::Active,
        AssociationStatus::DeleteInProgress,
        AssociationStatus::CreateFailed,
        AssociationStatus::DeleteFailed,
    ];

    /// The wire value (`CREATE_IN_PROGRESS`, ...).
    pub const fn as_str(self) -> &'static str {
        match self {
            AssociationStatus::CreateInProgress => "CREATE_IN_PROGRESS",
            AssociationStatus::Active => "ACTIVE",
            AssociationStatus::DeleteInProgress => "DELETE_IN_PROGRESS",
            AssociationStatus::CreateFailed => "CREATE_FAILED",
            AssociationStatus::DeleteFailed => "DELETE_FAILED",
        }
    }

    /// The status with this wire value.
    pub fn parse(s: &str) -> Option<AssociationStatus> {
        Self::ALL.into_iter().find(|st| st.as_str() == s)
    }

    /// Whether no transition is under way: the status will not change by itself.
    pub const fn is_settled(self) -> bool {
        !matches!(
            self,
            AssociationStatus::CreateInProgress | AssociationStatus::DeleteInProgress
        )
    }
}

/// `CreateServiceNetworkServiceAssociationRequest` (`POST /servicenetworkserviceassociations`).
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct CreateAssociationRequest {
    /// The idempotency token (optional; SDKs fill it in).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub client_token: Option<String>,
    /// The ID or ARN of the service (required).
    pub service_identifier: String,
    /// The ID or ARN of the service network (required).
    pub service_network_identifier: String,
    /// Tags for the association.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub tags: Option<Tags>,
}

impl CreateAssociationRequest {
    /// A request for `service` and `network` (ids or ARNs), without token or tags.
    pub fn new(service: &str, network: &str) -> Self {
        Self {
            client_token: None,
            service_identifier: service.to_owned(),
            service_network_identifier: network.to_owned(),
            tags: None,
        }
    }

    /// The same request with this client token.
    pub fn token(mut self, token: &str) -> Self {
        self.client_token = Some(token.to_owned());
        self
    }

    /// The same request with this client token, or none.
    pub fn maybe_token(mut self, token: Option<String>) -> Self {
        self.client_token = token;
        self
    }

    /// The same request with these tags (`None`: no `tags` member).
    pub fn tags(mut self, tags: Option<Tags>) -> Self {
        self.tags = tags;
        self
    }

    /// The request body as JSON, members in name order (`clientToken`, `serviceIdentifier`,
    /// `serviceNetworkIdentifier`, `tags`).
    pub fn to_json(&self) -> serde_json::Value {
        serde_json::to_value(self).unwrap_or(serde_json::Value::Null)
    }
}

/// A tag map from literal pairs.
pub fn tags<const N: usize>(pairs: [(&str, &str); N]) -> Tags {
    pairs
        .iter()
        .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
        .collect()
}

/// `CreateServiceNetworkServiceAssociationResponse` (200).
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct CreateAssociationResponse {
    /// The association's id.
    pub id: Option<String>,
    /// The association's status.
    pub status: Option<String>,
    /// The association's ARN.
    pub arn: Option<String>,
    /// The account that created the association.
    pub created_by: Option<String>,
    /// The service's custom domain name.
    pub custom_domain_name: Option<String>,
    /// The service's DNS entry.
    pub dns_entry: Option<DnsEntry>,
}

/// `GetServiceNetworkServiceAssociationResponse` (200), also the list item shape's superset.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct AssociationDescription {
    /// The association's id.
    pub id: Option<String>,
    /// The association's status.
    pub status: Option<String>,
    /// The association's ARN.
    pub arn: Option<String>,
    /// The account that created the association.
    pub created_by: Option<String>,
    /// RFC 3339 creation time.
    pub created_at: Option<String>,
    /// The service's id.
    pub service_id: Option<String>,
    /// The service's name.
    pub service_name: Option<String>,
    /// The service's ARN.
    pub service_arn: Option<String>,
    /// The service network's id.
    pub service_network_id: Option<String>,
    /// The service network's name.
    pub service_network_name: Option<String>,
    /// The service network's ARN.
    pub service_network_arn: Option<String>,
    /// The service's DNS entry.
    pub dns_entry: Option<DnsEntry>,
    /// The service's custom domain name.
    pub custom_domain_name: Option<String>,
    /// Why creation failed (Get only).
    pub failure_message: Option<String>,
    /// The failure code (Get only).
    pub failure_code: Option<String>,
}

/// `DeleteServiceNetworkServiceAssociationResponse` (200).
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct DeleteAssociationResponse {
    /// The association's id.
    pub id: Option<String>,
    /// The association's status.
    pub status: Option<String>,
    /// The association's ARN.
    pub arn: Option<String>,
}

/// `ListServiceNetworkServiceAssociationsResponse` (200).
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ListAssociationsResponse {
    /// The associations (required in the model).
    #[serde(default)]
    pub items: Vec<AssociationDescription>,
    /// The token for the next page.
    pub next_token: Option<String>,
}

/// `SharingConfig`.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SharingConfig {
    /// Whether the service network may be shared.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub enabled: Option<bool>,
}

/// `CreateServiceNetworkRequest` (`POST /servicenetworks`, 201).
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct CreateServiceNetworkRequest {
    /// The idempotency token.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub client_token: Option<String>,
    /// The name (required, unique in the account).
    pub name: String,
    /// `NONE` or `AWS_IAM`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub auth_type: Option<String>,
    /// Tags.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub tags: Option<Tags>,
    /// Sharing configuration.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub sharing_config: Option<SharingConfig>,
}

/// `CreateServiceNetworkResponse`, and the members of `GetServiceNetworkResponse` this suite reads.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ServiceNetworkDescription {
    /// The id (`sn-…`).
    pub id: Option<String>,
    /// The name.
    pub name: Option<String>,
    /// The ARN.
    pub arn: Option<String>,
    /// The auth type.
    pub auth_type: Option<String>,
    /// Sharing configuration.
    pub sharing_config: Option<SharingConfig>,
    /// Creation time (Get).
    pub created_at: Option<String>,
    /// Last update time (Get).
    pub last_updated_at: Option<String>,
    /// Number of associated VPCs (Get).
    #[serde(rename = "numberOfAssociatedVPCs")]
    pub number_of_associated_vpcs: Option<i64>,
    /// Number of associated services (Get).
    pub number_of_associated_services: Option<i64>,
}

/// `CreateServiceRequest` (`POST /services`, 201).
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct CreateServiceRequest {
    /// The idempotency token.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub client_token: Option<String>,
    /// The name (required, unique in the account).
    pub name: String,
    /// Tags.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub tags: Option<Tags>,
    /// A custom domain name.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub custom_domain_name: Option<String>,
    /// An ACM certificate ARN.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub certificate_arn: Option<String>,
    /// `NONE` or `AWS_IAM`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub auth_type: Option<String>,
}

/// `CreateServiceResponse`, `GetServiceResponse` and `DeleteServiceResponse` (members read here).
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ServiceDescription {
    /// The id (`svc-…`).
    pub id: Option<String>,
    /// The name.
    pub name: Option<String>,
    /// The ARN.
    pub arn: Option<String>,
    /// The status (`ServiceStatus`).
    pub status: Option<String>,
    /// The auth type.
    pub auth_type: Option<String>,
    /// The custom domain name.
    pub custom_domain_name: Option<String>,
    /// The certificate ARN.
    pub certificate_arn: Option<String>,
    /// The DNS entry.
    pub dns_entry: Option<DnsEntry>,
    /// Creation time (Get).
    pub created_at: Option<String>,
    /// Last update time (Get).
    pub last_updated_at: Option<String>,
    /// Failure code (Get).
    pub failure_code: Option<String>,
    /// Failure message (Get).
    pub failure_message: Option<String>,
}

/// `TagResourceRequest` body (`POST /tags/{resourceArn}`).
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct TagResourceRequest {
    /// The tags to add (required).
    pub tags: Tags,
}

/// `ListTagsForResourceResponse` (`GET /tags/{resourceArn}`).
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct ListTagsResponse {
    /// The resource's tags.
    pub tags: Option<Tags>,
}

/// The body of a modelled error, every member the model defines for any error shape.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ErrorBody {
    /// The message (required for every error shape).
    pub message: String,
    /// `ValidationException.reason`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
    /// `ValidationException.fieldList`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub field_list: Option<Vec<ValidationField>>,
    /// `resourceId` (404, 409, 402).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub resource_id: Option<String>,
    /// `resourceType` (404, 409, 402).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub resource_type: Option<String>,
    /// `serviceCode` (402, 429).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub service_code: Option<String>,
    /// `quotaCode` (402, 429).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub quota_code: Option<String>,
}

/// `ValidationExceptionField`.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct ValidationField {
    /// The member that failed.
    pub name: String,
    /// Why it failed.
    pub message: String,
}

/// AWS RAM wire types (restJson1, signing name `ram`), for sharing across accounts.
pub mod ram {
    use serde::{Deserialize, Serialize};

    /// `CreateResourceShareRequest` (`POST /createresourceshare`).
    #[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
    #[serde(rename_all = "camelCase")]
    pub struct CreateResourceShareRequest {
        /// The share's name (required).
        pub name: String,
        /// ARNs of the resources to share.
        #[serde(default, skip_serializing_if = "Vec::is_empty")]
        pub resource_arns: Vec<String>,
        /// Account ids (or ARNs) to share with.
        #[serde(default, skip_serializing_if = "Vec::is_empty")]
        pub principals: Vec<String>,
        /// Whether principals outside the organisation are allowed.
        #[serde(skip_serializing_if = "Option::is_none")]
        pub allow_external_principals: Option<bool>,
        /// The idempotency token.
        #[serde(skip_serializing_if = "Option::is_none")]
        pub client_token: Option<String>,
    }

    /// `ResourceShare`.
    #[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
    #[serde(rename_all = "camelCase")]
    pub struct ResourceShare {
        /// The share's ARN.
        pub resource_share_arn: Option<String>,
        /// The share's name.
        pub name: Option<String>,
        /// The owner's account id.
        pub owning_account_id: Option<String>,
        /// Whether external principals are allowed.
        pub allow_external_principals: Option<bool>,
        /// `PENDING`, `ACTIVE`, `FAILED`, `DELETING`, `DELETED`.
        pub status: Option<String>,
    }

    /// `CreateResourceShareResponse`.
    #[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
    #[serde(rename_all = "camelCase")]
    pub struct CreateResourceShareResponse {
        /// The share.
        pub resource_share: Option<ResourceShare>,
        /// The token used.
        pub client_token: Option<String>,
    }

    /// `GetResourceSharesRequest` (`POST /getresourceshares`).
    #[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
    #[serde(rename_all = "camelCase")]
    pub struct GetResourceSharesRequest {
        /// `SELF` or `OTHER-ACCOUNTS` (required).
        pub resource_owner: String,
        /// Restrict to these shares.
        #[serde(default, skip_serializing_if = "Vec::is_empty")]
        pub resource_share_arns: Vec<String>,
    }

    /// `GetResourceSharesResponse`.
    #[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
    #[serde(rename_all = "camelCase")]
    pub struct GetResourceSharesResponse {
        /// The shares.
        #[serde(default)]
        pub resource_shares: Vec<ResourceShare>,
        /// The next page.
        pub next_token: Option<String>,
    }

    /// `GetResourceShareInvitationsRequest` (`POST /getresourceshareinvitations`).
    #[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
    #[serde(rename_all = "camelCase")]
    pub struct GetResourceShareInvitationsRequest {
        /// Restrict to invitations of these shares.
        #[serde(default, skip_serializing_if = "Vec::is_empty")]
        pub resource_share_arns: Vec<String>,
        /// Restrict to these invitations.
        #[serde(default, skip_serializing_if = "Vec::is_empty")]
        pub resource_share_invitation_arns: Vec<String>,
    }

    /// `ResourceShareInvitation`.
    #[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
    #[serde(rename_all = "camelCase")]
    pub struct ResourceShareInvitation {
        /// The invitation's ARN.
        pub resource_share_invitation_arn: Option<String>,
        /// The share's name.
        pub resource_share_name: Option<String>,
        /// The share's ARN.
        pub resource_share_arn: Option<String>,
        /// Who shared.
        pub sender_account_id: Option<String>,
        /// Who is invited.
        pub receiver_account_id: Option<String>,
        /// `PENDING`, `ACCEPTED`, `REJECTED`, `EXPIRED`.
        pub status: Option<String>,
    }

    /// `GetResourceShareInvitationsResponse`.
    #[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
    #[serde(rename_all = "camelCase")]
    pub struct GetResourceShareInvitationsResponse {
        /// The invitations.
        #[serde(default)]
        pub resource_share_invitations: Vec<ResourceShareInvitation>,
        /// The next page.
        pub next_token: Option<String>,
    }

    /// `AcceptResourceShareInvitationRequest` (`POST /acceptresourceshareinvitation`).
    #[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
    #[serde(rename_all = "camelCase")]
    pub struct AcceptResourceShareInvitationRequest {
        /// The invitation to accept (required).
        pub resource_share_invitation_arn: String,
        /// The idempotency token.
        #[serde(skip_serializing_if = "Option::is_none")]
        pub client_token: Option<String>,
    }

    /// `AcceptResourceShareInvitationResponse`.
    #[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
    #[serde(rename_all = "camelCase")]
    pub struct AcceptResourceShareInvitationResponse {
        /// The invitation, now accepted.
        pub resource_share_invitation: Option<ResourceShareInvitation>,
        /// The token used.
        pub client_token: Option<String>,
    }

    /// `DeleteResourceShareResponse` (`DELETE /deleteresourceshare?resourceShareArn=…`).
    #[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
    #[serde(rename_all = "camelCase")]
    pub struct DeleteResourceShareResponse {
        /// True when the share was deleted.
        pub return_value: Option<bool>,
        /// The token used.
        pub client_token: Option<String>,
    }
}

#[cfg(test)]
mod status_tests {
    use super::*;

    #[test]
    fn statuses_are_the_modelled_enum_and_settled_means_no_transition() {
        let names: Vec<&str> = AssociationStatus::ALL.iter().map(|s| s.as_str()).collect();
        match crate::constraints::ASSOCIATION_STATUS.kind {
            crate::constraints::ShapeKind::Enum(values) => assert_eq!(names, values),
            _ => panic!("ServiceNetworkServiceAssociationStatus is an enum"),
        }
        for s in AssociationStatus::ALL {
            assert_eq!(AssociationStatus::parse(s.as_str()), Some(s));
        }
        assert!(AssociationStatus::Active.is_settled());
        assert!(AssociationStatus::CreateFailed.is_settled());
        assert!(!AssociationStatus::CreateInProgress.is_settled());
        assert!(!AssociationStatus::DeleteInProgress.is_settled());
        assert_eq!(AssociationStatus::parse("AVAILABLE"), None);
    }
}
