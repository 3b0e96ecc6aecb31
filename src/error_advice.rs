//! What the operator should do about a Graph error, in the helpdesk's words. Branches on the
//! kind and Graph's `code`, never on the message text (Graph may reword it at any time).

use crate::graph::error::{ErrorKind, GraphError};

pub fn advice(error: &GraphError) -> &'static str {
    match error.kind {
        ErrorKind::Ambiguous => "It is not known whether Graph carried this out. Check the Cloud PC's status and its action history before trying again: sending it again could reprovision it twice.",
        ErrorKind::Throttled => "Microsoft Graph is limiting how fast this tenant can send requests. Wait a minute, then try again.",
        ErrorKind::Unauthorized | ErrorKind::Auth => "Your sign-in has expired or was revoked. Sign in again, then retry.",
        ErrorKind::Forbidden => "Your account is not allowed to do this. You need the CloudPC.ReadWrite.All permission and a Windows 365 or Intune role that allows remote actions; ask your administrator.",
        ErrorKind::NotFound => "The Cloud PC no longer exists or was moved. Refresh the inventory.",
        ErrorKind::Network => "The console could not reach Microsoft Graph. Check your network connection, then try again.",
        ErrorKind::InvalidResponse => "Microsoft Graph sent an answer the console could not read. Try again; if it keeps happening, report it with the identifiers below.",
        ErrorKind::Graph => match error.code.as_deref() {
            Some("BadRequest") | Some("InvalidRequest") | Some("badRequest") => "Graph rejected the request as invalid. Check the chosen options; if they look right, report it with the identifiers below.",
            _ if error.status.is_some_and(|s| s >= 500) => "Microsoft Graph had a problem. Try again in a few minutes; if it persists, give Microsoft support the identifiers below.",
            _ => "Graph refused the request. The message above says why; Microsoft support will ask for the identifiers below.",
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn error(kind: ErrorKind, status: Option<u16>, code: Option<&str>) -> GraphError {
        GraphError {
            kind,
            status,
            code: code.map(String::from),
            message: "m".into(),
            request_id: None,
            client_request_id: None,
            date: None,
        }
    }

    #[test]
    fn ambiguous_failures_tell_the_operator_to_check_before_resending() {
        let text = advice(&error(ErrorKind::Ambiguous, Some(502), None));
        assert!(text.contains("Check the Cloud PC's status"));
        assert!(text.contains("twice"));
    }

    #[test]
    fn permission_errors_name_the_permission() {
        assert!(
            advice(&error(ErrorKind::Forbidden, Some(403), Some("Forbidden")))
                .contains("CloudPC.ReadWrite.All")
        );
    }

    #[test]
    fn server_errors_and_bad_requests_differ() {
        let server = advice(&error(
            ErrorKind::Graph,
            Some(500),
            Some("InternalServerError"),
        ));
        let bad = advice(&error(ErrorKind::Graph, Some(400), Some("BadRequest")));
        assert_ne!(server, bad);
        assert!(server.contains("Microsoft support"));
    }
}
