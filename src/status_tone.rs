//! How a Cloud PC status reads at a glance. The tone only adds colour: the status text is
//! always shown too, so colour is never the only signal.

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Tone {
    /// Working normally.
    Good,
    /// Needs the helpdesk's attention.
    Bad,
    /// A change is under way.
    Busy,
    /// Usable, but something is off or about to change.
    Warn,
    /// Not provisioned, or a status the console does not know.
    Other,
}

impl Tone {
    pub fn css_class(self) -> &'static str {
        match self {
            Tone::Good => "good",
            Tone::Bad => "bad",
            Tone::Busy => "busy",
            Tone::Warn => "warn",
            Tone::Other => "other",
        }
    }
}

/// Classifies by Graph's raw member name, so new members Graph adds later fall in `Other`.
pub fn tone_of(status: &str) -> Tone {
    match status {
        "provisioned" => Tone::Good,
        "failed" => Tone::Bad,
        "provisioning"
        | "pendingProvision"
        | "deprovisioning"
        | "resizing"
        | "restoring"
        | "movingRegion"
        | "preparing"
        | "failoverInProgress"
        | "failbackInProgress"
        | "modifyingSingleSignOn"
        | "updatingSingleSignOn"
        | "refreshPolicyConfiguration" => Tone::Busy,
        "provisionedWithWarnings" | "inGracePeriod" | "resizePendingLicense" => Tone::Warn,
        _ => Tone::Other,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn known_statuses_have_their_tone() {
        assert_eq!(tone_of("provisioned"), Tone::Good);
        assert_eq!(tone_of("failed"), Tone::Bad);
        assert_eq!(tone_of("provisioning"), Tone::Busy);
        assert_eq!(tone_of("inGracePeriod"), Tone::Warn);
        assert_eq!(tone_of("notProvisioned"), Tone::Other);
    }

    #[test]
    fn a_status_graph_adds_later_keeps_its_name_and_a_neutral_tone() {
        let new = crate::graph::models::CloudPcStatus::parse("hibernating");
        assert_eq!(new.as_str(), "hibernating");
        assert_eq!(tone_of(new.as_str()), Tone::Other);
    }
}
