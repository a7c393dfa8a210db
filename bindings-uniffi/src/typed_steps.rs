//! The typed counterparts of the helpers that hand JSON text over (`list_all_phone_numbers`,
//! `wait_for_state`, which the Python package reads as JSON) and of the flow state that
//! apps otherwise read out of `to_json`.

use waonboard::Operation;

use crate::typed_json::read;
use crate::{Deployment, Digital99Onboarding, MetaClient, MetaOnboarding, PhoneNumberInfo, VonageClient};
use crate::{VonageOnboarding, WaonboardError};

#[uniffi::export(async_runtime = "tokio")]
impl MetaClient {
    /// Every phone number of a WhatsApp Business Account, following Meta's paging (as
    /// `list_all_phone_numbers`, typed).
    #[uniffi::method(default(fields = None, sort = None, limit = None))]
    pub async fn all_phone_numbers(
        &self,
        waba_id: String,
        fields: Option<Vec<String>>,
        sort: Option<String>,
        limit: Option<i64>,
    ) -> Result<Vec<PhoneNumberInfo>, WaonboardError> {
        let params = serde_json::json!({"waba_id": waba_id, "fields": fields, "sort": sort, "limit": limit});
        let numbers = self.inner.all_phone_numbers_json(&params).await?;
        read(Operation::MetaListPhoneNumbers, numbers)
    }
}

#[uniffi::export(async_runtime = "tokio")]
impl VonageClient {
    /// Polls a deployment until its state is one of `states` (e.g. `READY`), as
    /// `wait_for_state`, typed. `ERROR` raises a `provider` error; the poll deadline a
    /// `timeout`.
    pub async fn wait_for_deployment(
        &self,
        deployment_id: String,
        states: Vec<String>,
    ) -> Result<Deployment, WaonboardError> {
        let targets: Vec<&str> = states.iter().map(String::as_str).collect();
        let deployment = self.inner.wait_for_state_json(&deployment_id, &targets).await?;
        read(Operation::VonageGetDeployment, deployment)
    }
}

/// The operation id of a write whose outcome is not known yet.
fn pending_id(pending: Option<Operation>) -> Option<String> {
    pending.map(|operation| operation.as_str().to_owned())
}

/// Declares `pending()` on a flow object.
macro_rules! pending {
    ($($flow:ident),+) => {$(
        #[uniffi::export]
        impl $flow {
            /// The write (an operation id such as `meta.register`) that was about to be
            /// sent when the state was saved, and whose outcome the next `advance` asks
            /// the provider about instead of sending it again; none between steps.
            pub fn pending(&self) -> Option<String> {
                pending_id(self.current().pending)
            }
        }
    )+};
}

pending!(MetaOnboarding, VonageOnboarding, Digital99Onboarding);
