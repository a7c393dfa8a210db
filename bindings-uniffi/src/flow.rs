//! The core's resumable onboarding flows as objects. Each holds the flow's plain state
//! (saved with `to_json`, restored with `from_json`, e.g. while the user waits for the
//! SMS); the steps themselves are the core's.

use std::sync::{Arc, Mutex, MutexGuard, PoisonError};

use waonboard::client::{self as core, FlowInput, Onboarding};
use waonboard::{DeliveryMethod, Secret};

use crate::{Digital99Client, MetaClient, VonageClient, WaonboardError};

/// What a flow needs from its caller next.
#[derive(Clone, Copy, Debug, PartialEq, Eq, uniffi::Enum)]
pub enum Needs {
    /// Call `advance` with no input: a request to send or a state to wait for.
    Advance,
    /// Call `advance` with the one-time code the phone received.
    Code,
    /// Call `advance` with the two-step PIN.
    Pin,
    /// The number is onboarded.
    Done,
}

impl From<core::Needs> for Needs {
    fn from(needs: core::Needs) -> Needs {
        match needs {
            core::Needs::Advance => Needs::Advance,
            core::Needs::Code => Needs::Code,
            core::Needs::Pin => Needs::Pin,
            core::Needs::Done => Needs::Done,
        }
    }
}

fn lock<S>(mutex: &Mutex<S>) -> MutexGuard<'_, S> {
    // Each write is one assignment of a whole state: a poisoned value is still sound.
    mutex.lock().unwrap_or_else(PoisonError::into_inner)
}

fn input(code: Option<String>, pin: Option<String>) -> FlowInput {
    let mut input = FlowInput::default();
    input.code = code.map(Secret::new);
    input.pin = pin.map(Secret::new);
    input
}

/// Where the app persists a flow's state before each write leaves (write-ahead intent):
/// `save` gets the state's JSON, as `to_json` gives it, with `pending` naming the write
/// about to be sent. A process that dies meanwhile restores the flow with `from_json`,
/// and its next `advance` asks the provider what became of that write instead of
/// sending it again. Raising (any exception) stops the step with nothing sent: it then
/// fails with a `validation` error whose field is `checkpoint`.
#[uniffi::export(foreign)]
pub trait FlowCheckpoint: Send + Sync {
    /// Persists the state; returns once it is durable.
    fn save(&self, state_json: String) -> Result<(), CheckpointError>;
}

/// A checkpoint that could not save; any exception the app's checkpoint raises becomes one.
#[derive(Debug, uniffi::Error)]
pub enum CheckpointError {
    /// The state was not saved, so the write was not sent.
    Failed {
        /// What the app's checkpoint said.
        reason: String,
    },
}

impl std::fmt::Display for CheckpointError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let CheckpointError::Failed { reason } = self;
        f.write_str(reason)
    }
}

impl From<uniffi::UnexpectedUniFFICallbackError> for CheckpointError {
    fn from(error: uniffi::UnexpectedUniFFICallbackError) -> CheckpointError {
        CheckpointError::Failed { reason: error.reason }
    }
}

/// The core's checkpoint over the app's: the state as the JSON of `to_json`.
fn save_with<F>(
    checkpoint: Option<Arc<dyn FlowCheckpoint>>,
    wrap: fn(F) -> Onboarding,
) -> impl FnMut(&F) -> Result<(), waonboard::Error>
where
    F: Clone,
{
    move |flow| match &checkpoint {
        None => Ok(()),
        Some(checkpoint) => checkpoint.save(wrap(flow.clone()).to_json()).map_err(|failed| {
            waonboard::Error::validation("checkpoint", format!("failed, so the step was not sent: {failed}"))
        }),
    }
}

fn wrong_provider(expected: &str) -> WaonboardError {
    WaonboardError::validation("state", format!("is a saved onboarding of another provider than {expected}"))
}

/// Declares a flow object around the core flow `$core`, saved as `Onboarding::$tag`.
macro_rules! flow_object {
    ($(#[$doc:meta])* $name:ident, $core:ty, $tag:ident, $client:ty, $provider:literal) => {
        $(#[$doc])*
        #[derive(uniffi::Object)]
        pub struct $name {
            state: Mutex<$core>,
            /// One step at a time: a second `advance` waits for the first.
            step: tokio::sync::Mutex<()>,
        }

        impl $name {
            fn wrap(flow: $core) -> Arc<$name> {
                Arc::new($name { state: Mutex::new(flow), step: tokio::sync::Mutex::new(()) })
            }

            pub(crate) fn current(&self) -> $core {
                lock(&self.state).clone()
            }
        }

        #[uniffi::export(async_runtime = "tokio")]
        impl $name {
            /// A flow from the JSON of `to_json` (the state of any run, any process).
            #[uniffi::constructor]
            pub fn from_json(state: String) -> Result<Arc<$name>, WaonboardError> {
                match Onboarding::from_json(&state)? {
                    Onboarding::$tag(flow) => Ok($name::wrap(flow)),
                    _ => Err(wrong_provider($provider)),
                }
            }

            /// The state as JSON, to save between steps; it holds no code or PIN.
            pub fn to_json(&self) -> String {
                Onboarding::$tag(self.current()).to_json()
            }

            /// What the next step needs.
            pub fn needs(&self) -> Needs {
                self.current().needs().into()
            }

            /// Runs the next step with the code or PIN it needs. A failed step leaves the
            /// flow where it was: fix the cause and call again. `checkpoint`, if given,
            /// saves the state before each write leaves (see [`FlowCheckpoint`]).
            #[uniffi::method(default(code = None, pin = None, checkpoint = None))]
            pub async fn advance(
                &self,
                client: Arc<$client>,
                code: Option<String>,
                pin: Option<String>,
                checkpoint: Option<Arc<dyn FlowCheckpoint>>,
            ) -> Result<Needs, WaonboardError> {
                let _one_step = self.step.lock().await;
                let mut flow = self.current();
                let mut save = save_with(checkpoint, Onboarding::$tag);
                let outcome = flow.advance_with(&client.inner, input(code, pin), &mut save).await;
                *lock(&self.state) = flow;
                Ok(outcome?.into())
            }

            /// Sends the code again while one is awaited (the guards still apply);
            /// `checkpoint` as in `advance`.
            #[uniffi::method(default(checkpoint = None))]
            pub async fn resend(
                &self,
                client: Arc<$client>,
                checkpoint: Option<Arc<dyn FlowCheckpoint>>,
            ) -> Result<Needs, WaonboardError> {
                let _one_step = self.step.lock().await;
                let mut flow = self.current();
                let mut save = save_with(checkpoint, Onboarding::$tag);
                let outcome = flow.resend_with(&client.inner, &mut save).await;
                *lock(&self.state) = flow;
                Ok(outcome?.into())
            }
        }
    };
}

flow_object!(
    /// Meta: request_code → verify_code → readiness check → register.
    MetaOnboarding,
    core::MetaOnboarding,
    Meta,
    MetaClient,
    "meta"
);
flow_object!(
    /// Vonage: create_deployment → wait for `CODE_SENT` → verify_otp → wait for `READY`.
    VonageOnboarding,
    core::VonageOnboarding,
    Vonage,
    VonageClient,
    "vonage"
);
flow_object!(
    /// 99digital: register_number (sends the code) → verify_number.
    Digital99Onboarding,
    core::Digital99Onboarding,
    Digital99,
    Digital99Client,
    "digital99"
);

#[uniffi::export]
impl MetaOnboarding {
    /// A flow at its start; `code_method` is `sms` or `voice`.
    #[uniffi::constructor(default(data_localization_region = None))]
    pub fn new(
        phone_number_id: String,
        code_method: String,
        language: String,
        data_localization_region: Option<String>,
    ) -> Result<Arc<MetaOnboarding>, WaonboardError> {
        let method = DeliveryMethod::parse("code_method", &code_method)?;
        let mut flow = core::MetaOnboarding::new(phone_number_id, method, language);
        flow.data_localization_region = data_localization_region;
        Ok(MetaOnboarding::wrap(flow))
    }
}

#[uniffi::export]
impl VonageOnboarding {
    /// A flow at its start; `method` is `sms` or `voice`; `country` (e.g. `GB`) reads a
    /// number written without `+` as national.
    #[uniffi::constructor(default(country = None))]
    pub fn new(
        phone_number: String,
        vname_certificate: String,
        method: String,
        waba_id: String,
        country: Option<String>,
    ) -> Result<Arc<VonageOnboarding>, WaonboardError> {
        let method = DeliveryMethod::parse("method", &method)?;
        let mut flow = core::VonageOnboarding::new(phone_number, vname_certificate, method, waba_id);
        flow.country = country;
        Ok(VonageOnboarding::wrap(flow))
    }

    /// The deployment, once created.
    pub fn deployment_id(&self) -> Option<String> {
        self.current().deployment_id
    }
}

#[uniffi::export(async_runtime = "tokio")]
impl VonageOnboarding {
    /// Starts over after the deployment ended in `ERROR`, as Vonage advises: deletes it,
    /// waits until it is gone and goes back to creating one. Pass the corrected
    /// `vname_certificate` when that is what failed.
    #[uniffi::method(default(vname_certificate = None))]
    pub async fn restart(
        &self,
        client: Arc<VonageClient>,
        vname_certificate: Option<String>,
    ) -> Result<Needs, WaonboardError> {
        let _one_step = self.step.lock().await;
        let mut flow = self.current();
        if let Some(certificate) = vname_certificate {
            flow.vname_certificate = certificate;
        }
        let outcome = flow.restart(&client.inner).await;
        *lock(&self.state) = flow;
        Ok(outcome?.into())
    }
}

#[uniffi::export]
impl Digital99Onboarding {
    /// A flow at its start; `method` is `sms` or `voice`; `language` one character.
    #[uniffi::constructor(default(country = None, comment = None))]
    pub fn new(
        phone_number: String,
        method: String,
        language: String,
        country: Option<String>,
        comment: Option<String>,
    ) -> Result<Arc<Digital99Onboarding>, WaonboardError> {
        let method = DeliveryMethod::parse("method", &method)?;
        let mut flow = core::Digital99Onboarding::new(phone_number, method, language);
        flow.country = country;
        flow.comment = comment;
        Ok(Digital99Onboarding::wrap(flow))
    }

    /// When the verified registration lapses, in Unix seconds, once verified.
    pub fn expiration(&self) -> Option<i64> {
        self.current().expiration
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn state_round_trips_and_is_tied_to_its_provider() {
        let flow = MetaOnboarding::new("106540352242922".into(), "SMS".into(), "en_US".into(), None).unwrap();
        assert_eq!(flow.needs(), Needs::Advance);
        let json = flow.to_json();
        assert!(json.contains(r#""provider":"meta""#), "{json}");
        assert_eq!(MetaOnboarding::from_json(json.clone()).unwrap().to_json(), json);
        let Err(err) = VonageOnboarding::from_json(json) else { panic!("a Meta state became a Vonage flow") };
        assert_eq!(err.info().field.as_deref(), Some("state"));
        let Err(err) = Digital99Onboarding::new("+972501234567".into(), "fax".into(), "1".into(), None, None) else {
            panic!("accepted fax")
        };
        assert_eq!(err.info().field.as_deref(), Some("method"));
    }

    /// An app's store: what it was given, or a refusal.
    struct Store(Mutex<Vec<String>>, bool);

    impl FlowCheckpoint for Store {
        fn save(&self, state_json: String) -> Result<(), CheckpointError> {
            if self.1 {
                return Err(CheckpointError::Failed { reason: "disk full".into() });
            }
            lock(&self.0).push(state_json);
            Ok(())
        }
    }

    #[test]
    fn the_checkpoint_gets_the_states_json_and_its_refusal_is_a_validation_error() {
        let flow = core::Digital99Onboarding::new("+972501234567", DeliveryMethod::Sms, "1");
        let store = Arc::new(Store(Mutex::new(Vec::new()), false));
        save_with(Some(store.clone()), Onboarding::Digital99)(&flow).unwrap();
        assert_eq!(*lock(&store.0), [Onboarding::Digital99(flow.clone()).to_json()]);

        let err =
            save_with(Some(Arc::new(Store(Mutex::new(Vec::new()), true))), Onboarding::Digital99)(&flow).unwrap_err();
        assert_eq!(err.field(), Some("checkpoint"));
        assert!(err.to_string().contains("disk full") && err.to_string().contains("not sent"), "{err}");
        save_with(None, Onboarding::Digital99)(&flow).unwrap();
    }
}
