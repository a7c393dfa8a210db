use std::time::Duration;

use reqwest::header::HeaderMap;
use reqwest::Method;
use serde_json::Value;
use waonboard_sim::{seed, Provider, SimConfig, Simulator};

/// A plain HTTP client for the tests. With the whole workspace's features on, reqwest is
/// built with rustls but no default crypto provider (the core's transport picks ring), so
/// one is installed first.
pub fn http_client(timeout: Duration) -> reqwest::Client {
    let _ = rustls::crypto::ring::default_provider().install_default();
    reqwest::Client::builder().timeout(timeout).build().unwrap()
}

pub struct H {
    pub sim: Simulator,
    pub http: reqwest::Client,
}

#[derive(Debug)]
pub struct Resp {
    pub status: u16,
    pub headers: HeaderMap,
    pub text: String,
}

impl Resp {
    pub fn json(&self) -> Value {
        serde_json::from_str(&self.text).unwrap_or_else(|e| panic!("not JSON ({e}): {:?}", self.text))
    }

    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name).and_then(|v| v.to_str().ok())
    }
}

impl H {
    pub async fn new() -> H {
        H::with(SimConfig::default()).await
    }

    pub async fn with(config: SimConfig) -> H {
        let sim = Simulator::start(config).await.unwrap();
        H { sim, http: http_client(Duration::from_secs(10)) }
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{}", self.sim.url(), path)
    }

    pub async fn send(
        &self,
        method: Method,
        url: &str,
        token: Option<&str>,
        body: Option<&Value>,
    ) -> Result<Resp, reqwest::Error> {
        let mut req = self.http.request(method, url).header("accept", "application/json");
        if let Some(t) = token {
            req = req.header("authorization", format!("Bearer {t}"));
        }
        if let Some(b) = body {
            req = req.json(b);
        }
        let resp = req.send().await?;
        let status = resp.status().as_u16();
        let headers = resp.headers().clone();
        let text = resp.text().await?;
        Ok(Resp { status, headers, text })
    }

    /// A provider call with its default token; `path` is relative to the provider base.
    pub async fn call(&self, provider: Provider, method: Method, path: &str, body: Option<&Value>) -> Resp {
        let token = match provider {
            Provider::Meta => Some(seed::META_TOKEN),
            Provider::Vonage => Some(seed::VONAGE_TOKEN),
            Provider::Digital99 => None,
        };
        let url = format!("{}{}", self.sim.base_url(provider), path);
        self.send(method, &url, token, body).await.unwrap()
    }

    pub async fn meta(&self, method: Method, path: &str, body: Option<&Value>) -> Resp {
        self.call(Provider::Meta, method, &format!("/v23.0{path}"), body).await
    }

    pub async fn vonage(&self, method: Method, path: &str, body: Option<&Value>) -> Resp {
        self.call(Provider::Vonage, method, path, body).await
    }

    /// A 99digital call with an explicit token.
    pub async fn d99(&self, method: Method, path: &str, token: Option<&str>, body: Option<&Value>) -> Resp {
        let url = format!("{}{}", self.sim.base_url(Provider::Digital99), path);
        self.send(method, &url, token, body).await.unwrap()
    }

    pub async fn d99_token(&self) -> String {
        let r = self
            .d99(
                Method::POST,
                "/api/settings/accessToken",
                None,
                Some(&serde_json::json!({
                    "client_id": seed::DIGITAL99_CLIENT_ID,
                    "client_secret": seed::DIGITAL99_CLIENT_SECRET,
                })),
            )
            .await;
        let v = r.json();
        assert_eq!(v["status"], "OK", "{v}");
        v["access_token"].as_str().unwrap().to_owned()
    }

    /// Reads an OTP through the HTTP side channel, as a non-Rust test would.
    pub async fn side_otp(&self, query: &str) -> Option<String> {
        let r = self.send(Method::GET, &self.url(&format!("/_sim/otp?{query}")), None, None).await.unwrap();
        match r.status {
            200 => Some(r.json()["code"].as_str().unwrap().to_owned()),
            404 => None,
            s => panic!("side channel answered {s}: {}", r.text),
        }
    }

    /// How many logged requests had this op id.
    pub fn count_op(&self, op: &str) -> usize {
        self.sim.requests().iter().filter(|r| r.op.as_deref() == Some(op)).count()
    }
}
