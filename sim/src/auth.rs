//! Bearer tokens: the simulated sign-in (`POST /_sim/token`) and the validation of every
//! Graph request's `Authorization` header.
//!
//! Tokens issued by `/_sim/token` are opaque strings the simulator remembers, with a user, an
//! app, scopes and an expiry. Any other bearer token is accepted as the tenant administrator
//! (so Microsoft's Graph SDKs work unchanged "with any bearer token"); with a token lifetime
//! fault set, such a token expires that long after its first use.

use crate::tenant::admin_upn;
use serde::{Deserialize, Serialize};
use std::collections::HashMap;
use std::time::{Duration, Instant};

/// The write permission every Cloud PC write needs.
pub const WRITE_SCOPE: &str = "CloudPC.ReadWrite.All";
/// The read permission.
pub const READ_SCOPE: &str = "CloudPC.Read.All";
/// The app id of tokens not issued by the simulator.
pub const DEFAULT_APP_ID: &str = "14d82eec-204b-4c2f-b7e8-296a70dab67e";
/// Default lifetime (real seconds) of issued tokens when no lifetime fault is set.
pub const DEFAULT_LIFETIME_SECS: u64 = 3600;

/// The body of `POST /_sim/token`.
#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct TokenRequest {
    pub upn: String,
    #[serde(default)]
    pub scopes: Option<Vec<String>>,
    /// Shorthand: `false` drops the write scope.
    #[serde(default)]
    pub write: Option<bool>,
    /// The calling app (throttling budgets are per app).
    #[serde(default)]
    pub app_id: Option<String>,
    /// An application (app-only) token: no user, `/me` is refused.
    #[serde(default)]
    pub app_only: Option<bool>,
    /// Lifetime in real seconds (default: the token lifetime fault, else 3600).
    #[serde(default)]
    pub expires_in: Option<u64>,
}

/// The answer of `POST /_sim/token`.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct TokenResponse {
    pub access_token: String,
    pub token_type: String,
    pub expires_in: u64,
    pub scope: String,
}

/// Who is calling.
#[derive(Debug, Clone, PartialEq)]
pub struct Principal {
    pub upn: String,
    pub app_id: String,
    pub scopes: Vec<String>,
    pub app_only: bool,
}

impl Principal {
    pub fn can_write(&self) -> bool {
        self.scopes
            .iter()
            .any(|s| s.eq_ignore_ascii_case(WRITE_SCOPE))
    }
}

#[derive(Debug, Clone)]
struct Issued {
    principal: Principal,
    expires: Instant,
}

/// Why a request is not authenticated.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AuthError {
    Missing,
    Expired,
}

impl AuthError {
    pub fn message(&self) -> &'static str {
        match self {
            AuthError::Missing => "Access token is empty.",
            AuthError::Expired => "Lifetime validation failed, the token is expired.",
        }
    }
}

/// Issued tokens and first sightings of foreign ones.
#[derive(Debug, Default)]
pub struct Tokens {
    issued: HashMap<String, Issued>,
    first_seen: HashMap<String, Instant>,
}

impl Tokens {
    pub fn new() -> Self {
        Self::default()
    }

    /// Issues a token. `lifetime` is the token lifetime fault, if any.
    pub fn issue(&mut self, req: &TokenRequest, lifetime: Option<u64>) -> TokenResponse {
        // Clients ask for resource-qualified scopes ("https://graph.microsoft.us/CloudPC.ReadWrite.All");
        // Entra ID puts only the permission name in the token's `scp` claim, and so do we.
        let mut scopes: Vec<String> = req
            .scopes
            .clone()
            .map(|asked| asked.iter().map(|s| permission_name(s)).collect())
            .unwrap_or_else(|| vec![WRITE_SCOPE.to_string(), READ_SCOPE.to_string()]);
        if req.write == Some(false) {
            scopes.retain(|s| !s.eq_ignore_ascii_case(WRITE_SCOPE));
            if !scopes.iter().any(|s| s.eq_ignore_ascii_case(READ_SCOPE)) {
                scopes.push(READ_SCOPE.into());
            }
        } else if req.write == Some(true)
            && !scopes.iter().any(|s| s.eq_ignore_ascii_case(WRITE_SCOPE))
        {
            scopes.push(WRITE_SCOPE.into());
        }
        let expires_in = req.expires_in.or(lifetime).unwrap_or(DEFAULT_LIFETIME_SECS);
        let token = format!("simtok.{}", uuid::Uuid::new_v4().simple());
        self.issued.insert(
            token.clone(),
            Issued {
                principal: Principal {
                    upn: req.upn.clone(),
                    app_id: req.app_id.clone().unwrap_or_else(|| DEFAULT_APP_ID.into()),
                    scopes: scopes.clone(),
                    app_only: req.app_only.unwrap_or(false),
                },
                expires: Instant::now() + Duration::from_secs(expires_in),
            },
        );
        TokenResponse {
            access_token: token,
            token_type: "Bearer".into(),
            expires_in,
            scope: scopes.join(" "),
        }
    }

    /// Every token issued so far (tests search what a client wrote for them).
    pub fn issued_tokens(&self) -> Vec<String> {
        self.issued.keys().cloned().collect()
    }

    /// Validates an `Authorization` header value.
    pub fn authenticate(
        &mut self,
        header: Option<&str>,
        lifetime: Option<u64>,
    ) -> Result<Principal, AuthError> {
        let header = header.ok_or(AuthError::Missing)?.trim();
        let (scheme, token) = header.split_once(' ').ok_or(AuthError::Missing)?;
        let token = token.trim();
        if !scheme.eq_ignore_ascii_case("bearer") || token.is_empty() {
            return Err(AuthError::Missing);
        }
        let now = Instant::now();
        if let Some(issued) = self.issued.get(token) {
            if now >= issued.expires {
                return Err(AuthError::Expired);
            }
            return Ok(issued.principal.clone());
        }
        let first = *self.first_seen.entry(token.to_string()).or_insert(now);
        if let Some(l) = lifetime {
            if now.duration_since(first) >= Duration::from_secs(l) {
                return Err(AuthError::Expired);
            }
        }
        Ok(Principal {
            upn: admin_upn(),
            app_id: DEFAULT_APP_ID.into(),
            scopes: vec![WRITE_SCOPE.into(), READ_SCOPE.into()],
            app_only: false,
        })
    }
}

/// The permission of a scope: `https://graph.microsoft.com/CloudPC.Read.All` → `CloudPC.Read.All`.
fn permission_name(scope: &str) -> String {
    scope.rsplit('/').next().unwrap_or(scope).to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn resource_qualified_scopes_become_permission_names() {
        let mut t = Tokens::new();
        for host in [
            "https://graph.microsoft.com",
            "https://dod-graph.microsoft.us",
        ] {
            let r = t.issue(
                &TokenRequest {
                    scopes: Some(vec![format!("{host}/CloudPC.ReadWrite.All")]),
                    ..req("a@b")
                },
                None,
            );
            assert_eq!(r.scope, "CloudPC.ReadWrite.All");
            let p = t
                .authenticate(Some(&format!("Bearer {}", r.access_token)), None)
                .unwrap();
            assert!(p.can_write(), "{host}");
        }
    }

    fn req(upn: &str) -> TokenRequest {
        TokenRequest {
            upn: upn.into(),
            scopes: None,
            write: None,
            app_id: None,
            app_only: None,
            expires_in: None,
        }
    }

    #[test]
    fn issued_tokens_carry_the_user() {
        let mut t = Tokens::new();
        let r = t.issue(&req("alex.wilber@contoso.onmicrosoft.com"), None);
        assert_eq!(r.token_type, "Bearer");
        assert_eq!(r.expires_in, 3600);
        let p = t
            .authenticate(Some(&format!("Bearer {}", r.access_token)), None)
            .unwrap();
        assert_eq!(p.upn, "alex.wilber@contoso.onmicrosoft.com");
        assert!(p.can_write());
    }

    #[test]
    fn read_only_tokens() {
        let mut t = Tokens::new();
        let r = t.issue(
            &TokenRequest {
                write: Some(false),
                ..req("a@b")
            },
            None,
        );
        let p = t
            .authenticate(Some(&format!("Bearer {}", r.access_token)), None)
            .unwrap();
        assert!(!p.can_write());
        let r = t.issue(
            &TokenRequest {
                scopes: Some(vec!["CloudPC.Read.All".into()]),
                ..req("a@b")
            },
            None,
        );
        let p = t
            .authenticate(Some(&format!("bearer {}", r.access_token)), None)
            .unwrap();
        assert!(!p.can_write());
    }

    #[test]
    fn any_bearer_token_is_the_admin() {
        let mut t = Tokens::new();
        let p = t.authenticate(Some("Bearer whatever"), None).unwrap();
        assert_eq!(p.upn, "admin@contoso.onmicrosoft.com");
        assert!(p.can_write());
        assert_eq!(t.authenticate(None, None), Err(AuthError::Missing));
        assert_eq!(
            t.authenticate(Some("Basic abc"), None),
            Err(AuthError::Missing)
        );
        assert_eq!(
            t.authenticate(Some("Bearer "), None),
            Err(AuthError::Missing)
        );
    }

    #[test]
    fn tokens_expire() {
        let mut t = Tokens::new();
        let r = t.issue(&req("a@b"), Some(0));
        assert_eq!(r.expires_in, 0);
        assert_eq!(
            t.authenticate(Some(&format!("Bearer {}", r.access_token)), None),
            Err(AuthError::Expired)
        );
        // Foreign tokens expire `lifetime` after their first use.
        assert!(t.authenticate(Some("Bearer foreign"), Some(3600)).is_ok());
        assert_eq!(
            t.authenticate(Some("Bearer foreign"), Some(0)),
            Err(AuthError::Expired)
        );
    }
}
