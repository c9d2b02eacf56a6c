//! HTTP bindings of the operations the suite sends: method, path, success status, signing name.

/// An operation of VPC Lattice or AWS RAM that the suite sends or the reference endpoint serves.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize)]
pub enum Operation {
    /// `POST /servicenetworkserviceassociations` → 200: the operation under test.
    CreateServiceNetworkServiceAssociation,
    /// `GET /servicenetworkserviceassociations/{id}` → 200.
    GetServiceNetworkServiceAssociation,
    /// `DELETE /servicenetworkserviceassociations/{id}` → 200.
    DeleteServiceNetworkServiceAssociation,
    /// `GET /servicenetworkserviceassociations?serviceNetworkIdentifier=…|serviceIdentifier=…` → 200.
    ListServiceNetworkServiceAssociations,
    /// `GET /servicenetworks?maxResults=…&nextToken=…` → 200.
    ListServiceNetworks,
    /// `POST /servicenetworks` → 201.
    CreateServiceNetwork,
    /// `GET /servicenetworks/{id}` → 200.
    GetServiceNetwork,
    /// `DELETE /servicenetworks/{id}` → 204.
    DeleteServiceNetwork,
    /// `POST /services` → 201.
    CreateService,
    /// `GET /services/{id}` → 200.
    GetService,
    /// `GET /services?maxResults=…&nextToken=…` → 200.
    ListServices,
    /// `DELETE /services/{id}` → 200.
    DeleteService,
    /// `POST /tags/{resourceArn}` → 200.
    TagResource,
    /// `DELETE /tags/{resourceArn}?tagKeys=…` → 200.
    UntagResource,
    /// `GET /tags/{resourceArn}` → 200.
    ListTagsForResource,
    /// RAM `POST /createresourceshare` → 200.
    CreateResourceShare,
    /// RAM `POST /getresourceshares` → 200.
    GetResourceShares,
    /// RAM `POST /getresourceshareinvitations` → 200.
    GetResourceShareInvitations,
    /// RAM `POST /acceptresourceshareinvitation` → 200.
    AcceptResourceShareInvitation,
    /// RAM `POST /rejectresourceshareinvitation` → 200.
    RejectResourceShareInvitation,
    /// RAM `DELETE /deleteresourceshare?resourceShareArn=…` → 200.
    DeleteResourceShare,
}

/// An HTTP method, as far as these operations use them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize)]
pub enum Method {
    /// GET
    Get,
    /// POST
    Post,
    /// DELETE
    Delete,
}

impl Method {
    /// The method's name.
    pub fn as_str(self) -> &'static str {
        match self {
            Method::Get => "GET",
            Method::Post => "POST",
            Method::Delete => "DELETE",
        }
    }
}

impl Operation {
    /// Every operation, in a stable order.
    pub const ALL: [Operation; 21] = [
        Operation::CreateServiceNetworkServiceAssociation,
        Operation::GetServiceNetworkServiceAssociation,
        Operation::DeleteServiceNetworkServiceAssociation,
        Operation::ListServiceNetworkServiceAssociations,
        Operation::ListServiceNetworks,
        Operation::CreateServiceNetwork,
        Operation::GetServiceNetwork,
        Operation::DeleteServiceNetwork,
        Operation::CreateService,
        Operation::GetService,
        Operation::ListServices,
        Operation::DeleteService,
        Operation::TagResource,
        Operation::UntagResource,
        Operation::ListTagsForResource,
        Operation::CreateResourceShare,
        Operation::GetResourceShares,
        Operation::GetResourceShareInvitations,
        Operation::AcceptResourceShareInvitation,
        Operation::RejectResourceShareInvitation,
        Operation::DeleteResourceShare,
    ];

    /// The operation's name in the model.
    pub fn name(self) -> &'static str {
        match self {
            Operation::CreateServiceNetworkServiceAssociation => {
                "CreateServiceNetworkServiceAssociation"
            }
            Operation::GetServiceNetworkServiceAssociation => "GetServiceNetworkServiceAssociation",
            Operation::DeleteServiceNetworkServiceAssociation => {
                "DeleteServiceNetworkServiceAssociation"
            }
            Operation::ListServiceNetworkServiceAssociations => {
                "ListServiceNetworkServiceAssociations"
            }
            Operation::ListServiceNetworks => "ListServiceNetworks",
            Operation::CreateServiceNetwork => "CreateServiceNetwork",
            Operation::GetServiceNetwork => "GetServiceNetwork",
            Operation::DeleteServiceNetwork => "DeleteServiceNetwork",
            Operation::CreateService => "CreateService",
            Operation::GetService => "GetService",
            Operation::ListServices => "ListServices",
            Operation::DeleteService => "DeleteService",
            Operation::TagResource => "TagResource",
            Operation::UntagResource => "UntagResource",
            Operation::ListTagsForResource => "ListTagsForResource",
            Operation::CreateResourceShare => "CreateResourceShare",
            Operation::GetResourceShares => "GetResourceShares",
            Operation::GetResourceShareInvitations => "GetResourceShareInvitations",
            Operation::AcceptResourceShareInvitation => "AcceptResourceShareInvitation",
            Operation::RejectResourceShareInvitation => "RejectResourceShareInvitation",
            Operation::DeleteResourceShare => "DeleteResourceShare",
        }
    }

    /// The HTTP method.
    pub fn method(self) -> Method {
        use Operation::*;
        match self {
            GetServiceNetworkServiceAssociation
            | ListServiceNetworkServiceAssociations
            | ListServiceNetworks
            | GetServiceNetwork
            | GetService
            | ListServices
            | ListTagsForResource => Method::Get,
            DeleteServiceNetworkServiceAssociation
            | DeleteServiceNetwork
            | DeleteService
            | UntagResource
            | DeleteResourceShare => Method::Delete,
            _ => Method::Post,
        }
    }

    /// The path template, with `{label}` for the single path label if any.
    pub fn path_template(self) -> &'static str {
        use Operation::*;
        match self {
            CreateServiceNetworkServiceAssociation | ListServiceNetworkServiceAssociations => {
                "/servicenetworkserviceassociations"
            }
            GetServiceNetworkServiceAssociation | DeleteServiceNetworkServiceAssociation => {
                "/servicenetworkserviceassociations/{serviceNetworkServiceAssociationIdentifier}"
            }
            CreateServiceNetwork | ListServiceNetworks => "/servicenetworks",
            GetServiceNetwork | DeleteServiceNetwork => {
                "/servicenetworks/{serviceNetworkIdentifier}"
            }
            CreateService | ListServices => "/services",
            GetService | DeleteService => "/services/{serviceIdentifier}",
            TagResource | UntagResource | ListTagsForResource => "/tags/{resourceArn}",
            CreateResourceShare => "/createresourceshare",
            GetResourceShares => "/getresourceshares",
            GetResourceShareInvitations => "/getresourceshareinvitations",
            AcceptResourceShareInvitation => "/acceptresourceshareinvitation",
            RejectResourceShareInvitation => "/rejectresourceshareinvitation",
            DeleteResourceShare => "/deleteresourceshare",
        }
    }

    /// The modelled success status.
    pub fn success_status(self) -> u16 {
        match self {
            Operation::CreateServiceNetwork | Operation::CreateService => 201,
            Operation::DeleteServiceNetwork => 204,
            _ => 200,
        }
    }

    /// The SigV4 signing name: `vpc-lattice`, or `ram` for AWS RAM.
    pub fn signing_name(self) -> &'static str {
        if self.is_ram() {
            "ram"
        } else {
            "vpc-lattice"
        }
    }

    /// Whether this is an AWS RAM operation.
    pub fn is_ram(self) -> bool {
        use Operation::*;
        matches!(
            self,
            CreateResourceShare
                | GetResourceShares
                | GetResourceShareInvitations
                | AcceptResourceShareInvitation
                | RejectResourceShareInvitation
                | DeleteResourceShare
        )
    }

    /// The modelled error types of the VPC Lattice operations (RAM errors are not listed here).
    pub fn errors(self) -> &'static [crate::ErrorType] {
        use crate::ErrorType::*;
        use Operation::*;
        match self {
            CreateServiceNetworkServiceAssociation | CreateServiceNetwork | CreateService => &[
                ValidationException,
                AccessDeniedException,
                ConflictException,
                ResourceNotFoundException,
                ThrottlingException,
                ServiceQuotaExceededException,
                InternalServerException,
            ],
            GetServiceNetworkServiceAssociation | GetServiceNetwork | GetService => &[
                ValidationException,
                AccessDeniedException,
                ResourceNotFoundException,
                ThrottlingException,
                InternalServerException,
            ],
            DeleteServiceNetworkServiceAssociation | DeleteServiceNetwork | DeleteService => &[
                ValidationException,
                AccessDeniedException,
                ConflictException,
                ResourceNotFoundException,
                ThrottlingException,
                InternalServerException,
            ],
            ListServiceNetworkServiceAssociations | ListServiceNetworks | ListServices => &[
                ValidationException,
                AccessDeniedException,
                ThrottlingException,
                InternalServerException,
            ],
            TagResource => &[
                ValidationException,
                AccessDeniedException,
                ResourceNotFoundException,
                ThrottlingException,
                InternalServerException,
            ],
            UntagResource | ListTagsForResource => &[
                ValidationException,
                AccessDeniedException,
                ResourceNotFoundException,
                InternalServerException,
            ],
            _ => &[],
        }
    }
}

/// Percent-encodes a path label as smithy clients do (`EncodingStrategy::Default`): everything but
/// unreserved characters (`A-Z a-z 0-9 - . _ ~`) is encoded, so `:` → `%3A` and `/` → `%2F`.
pub fn encode_label(label: &str) -> String {
    let mut out = String::with_capacity(label.len() * 3);
    for b in label.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~') {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// Decodes `%XX` escapes (the inverse of [`encode_label`]); `None` on a broken escape or bad UTF-8.
pub fn decode_label(label: &str) -> Option<String> {
    let bytes = label.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            let hex = label.get(i + 1..i + 3)?;
            out.push(u8::from_str_radix(hex, 16).ok()?);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8(out).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn arn_labels_round_trip_through_percent_encoding() {
        let arn = "arn:aws:vpc-lattice:us-east-1:111122223333:servicenetworkserviceassociation/snsa-0123456789abcdef0";
        let enc = encode_label(arn);
        assert!(enc.contains("%3A") && enc.contains("%2F") && !enc.contains(':'));
        assert_eq!(decode_label(&enc).as_deref(), Some(arn));
        assert_eq!(decode_label("%G0"), None);
    }
}
