//! Form POSTs to the OAuth server with deadlines, a size cap on answers, no
//! redirects, only to HTTPS (or plain HTTP on loopback), and errors that
//! never carry a URL, nor any secret the request sent (a server may echo the
//! request back in `error_description`), nor more than a short line of
//! whatever the server said.

use super::{LoginError, Secret};
use crate::AccessToken;
use serde::Deserialize;
use serde_json::Value;
use std::time::Duration;

/// OAuth answers are small JSON objects.
const MAX_ANSWER_BYTES: usize = 64 * 1024;
const REQUEST_TIMEOUT: Duration = Duration::from_secs(30);
const CONNECT_TIMEOUT: Duration = Duration::from_secs(10);
/// Google's access tokens live an hour; no answer is believed past a day
/// (a huge `expires_in` would otherwise overflow the clock arithmetic).
pub(crate) const MAX_LIFETIME: Duration = Duration::from_secs(24 * 60 * 60);
/// Form fields that are not secret; every other value sent is scrubbed from errors.
const PUBLIC_FIELDS: &[&str] = &["client_id", "grant_type", "redirect_uri", "scope"];

/// The token endpoint's answer.
#[derive(Debug, Deserialize)]
pub(crate) struct TokenAnswer {
    pub access_token: Secret,
    #[serde(default)]
    pub expires_in: Option<u64>,
    #[serde(default)]
    pub refresh_token: Option<Secret>,
    #[serde(default)]
    pub scope: Option<String>,
}

impl TokenAnswer {
    pub fn access_token(&self) -> AccessToken {
        AccessToken::new(self.access_token.expose())
    }

    /// How long the access token is good for, capped at [`MAX_LIFETIME`].
    pub fn lifetime(&self) -> Option<Duration> {
        self.expires_in.map(|seconds| Duration::from_secs(seconds).min(MAX_LIFETIME))
    }
}

#[derive(Clone)]
pub(crate) struct OAuthHttp {
    client: reqwest::Client,
}

fn http_error(error: reqwest::Error) -> LoginError {
    let kind = if error.is_timeout() {
        "timed out"
    } else if error.is_connect() {
        "cannot connect"
    } else {
        "request failed"
    };
    LoginError::Http(format!("{kind}: {}", error.without_url()))
}

impl OAuthHttp {
    pub fn new() -> Result<Self, LoginError> {
        let client = reqwest::Client::builder()
            .timeout(REQUEST_TIMEOUT)
            .connect_timeout(CONNECT_TIMEOUT)
            .redirect(reqwest::redirect::Policy::none())
            .user_agent(concat!("photospicker/", env!("CARGO_PKG_VERSION")))
            .build()
            .map_err(http_error)?;
        Ok(Self { client })
    }

    /// POSTs a form; a 2xx answer's JSON object, or Google's `{"error", "error_description"}` as an error.
    pub async fn post_form(&self, url: &str, form: &[(&str, &str)]) -> Result<Value, LoginError> {
        self.exchange(url, form, Ok).await
    }

    /// POSTs a form to the token endpoint and reads a token answer.
    pub async fn token(&self, url: &str, form: &[(&str, &str)]) -> Result<TokenAnswer, LoginError> {
        self.exchange(url, form, |value| {
            serde_json::from_value(value).map_err(|e| LoginError::Http(format!("the token endpoint's answer is not a token: {e}")))
        })
        .await
    }

    /// POSTs `form` to `url` (refused unless HTTPS or loopback HTTP, before
    /// anything is sent) and reads the answer with `read`; any error comes
    /// back with the form's secrets scrubbed from what the server said.
    async fn exchange<T>(&self, url: &str, form: &[(&str, &str)], read: impl FnOnce(Value) -> Result<T, LoginError>) -> Result<T, LoginError> {
        crate::auth::check_endpoint(url).map_err(|e| LoginError::Config(e.to_string()))?;
        let sent = crate::redact::Redactor::default();
        form.iter().filter(|(name, _)| !PUBLIC_FIELDS.contains(name)).for_each(|(_, value)| sent.remember(value));
        let answer = match self.post(url, form).await {
            Ok(value) => read(value),
            Err(error) => Err(error),
        };
        answer.map_err(|error| error.cleaned(&|text| sent.scrub(text)))
    }

    async fn post(&self, url: &str, form: &[(&str, &str)]) -> Result<Value, LoginError> {
        let body = form_body(form);
        let response = self
            .client
            .post(url)
            .header(reqwest::header::CONTENT_TYPE, "application/x-www-form-urlencoded")
            .header(reqwest::header::ACCEPT, "application/json")
            .body(body)
            .send()
            .await
            .map_err(http_error)?;
        let status = response.status().as_u16();
        let bytes = read_capped(response).await?;
        let json: Option<Value> = serde_json::from_slice(&bytes).ok();
        match json {
            Some(value) if (200..300).contains(&status) && value.is_object() => Ok(value),
            Some(value) if value.get("error").and_then(Value::as_str).is_some() => Err(LoginError::oauth(
                value["error"].as_str().unwrap_or_default(),
                value.get("error_description").and_then(Value::as_str).unwrap_or_default(),
                status,
            )),
            _ => Err(LoginError::Http(format!("the OAuth server answered HTTP {status} without the JSON expected"))),
        }
    }
}

fn form_body(form: &[(&str, &str)]) -> String {
    let mut body = url::form_urlencoded::Serializer::new(String::new());
    for (name, value) in form {
        body.append_pair(name, value);
    }
    body.finish()
}

async fn read_capped(mut response: reqwest::Response) -> Result<Vec<u8>, LoginError> {
    let mut bytes = Vec::new();
    while let Some(chunk) = response.chunk().await.map_err(http_error)? {
        if bytes.len() + chunk.len() > MAX_ANSWER_BYTES {
            return Err(LoginError::Http(format!("the OAuth server's answer is larger than {MAX_ANSWER_BYTES} bytes")));
        }
        bytes.extend_from_slice(&chunk);
    }
    Ok(bytes)
}
