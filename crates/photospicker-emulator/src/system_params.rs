//! Google's front end in front of the API routes: the standard system
//! parameters every Google API takes (`fields`, `prettyPrint`, `alt`,
//! `$.xgafv`, `callback`, `key`, `quotaUser`, `access_token`, `oauth_token`,
//! `upload_protocol`, `uploadType`) and its strictness about the rest: an
//! unknown query parameter or JSON body field is a 400, never silently
//! ignored. Proto field names (`page_size`) bind like JSON names (`pageSize`).
//!
//! Handlers see only their own parameters, under their JSON names, and a
//! body whose field names are the JSON names; the answer is then laid out
//! as asked (pretty by default, as Google does).

use crate::error::ApiError;
use crate::faults::classify;
use crate::field_mask::FieldMask;
use crate::json_format;
use crate::keep_alive::MAX_REQUEST_BODY;
use crate::request_schema::{self, json_name, Message, RouteSchema};
use axum::body::{Body, Bytes, HttpBody};
use axum::extract::Request;
use axum::http::uri::PathAndQuery;
use axum::http::{header, HeaderValue, StatusCode, Uri};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use serde_json::{Map, Value};

/// Answers of the API routes are small; a larger one is not re-laid out.
const MAX_RESPONSE_BODY: usize = 8 << 20;

/// How the answer is to be written, from the system parameters.
struct Output {
    pretty: bool,
    legacy_errors: bool,
    fields: Option<FieldMask>,
    callback: Option<String>,
}

impl Default for Output {
    fn default() -> Self {
        Self { pretty: true, legacy_errors: false, fields: None, callback: None }
    }
}

pub async fn middleware(mut request: Request, next: Next) -> Response {
    let route = classify(request.method(), request.uri().path());
    let Some(schema) = request_schema::for_route(route) else {
        // Unknown paths and methods answer like the API routes (pretty 404 envelope);
        // media bytes, the picker page and the control API are not Google's API front end.
        let answer = next.run(request).await;
        return if route == "other" { Output::default().write(answer).await } else { answer };
    };
    let mut output = Output::default();
    if let Err(error) = bind_query(&mut request, schema, &mut output) {
        return output.write(error.into_response()).await;
    }
    let request = match bind_body(request, schema).await {
        Ok(request) => request,
        Err(error) => return output.write(error.into_response()).await,
    };
    let response = next.run(request).await;
    output.write(response).await
}

fn unknown_parameter(name: &str) -> ApiError {
    ApiError::bad_request(format!(
        "Invalid JSON payload received. Unknown name \"{name}\": Cannot bind query parameter. Field '{name}' could not be found in request message."
    ))
}

/// Takes the system parameters out of the query, checks that the rest belong
/// to the route, and turns `access_token=` into an `Authorization` header.
fn bind_query(request: &mut Request, schema: &RouteSchema, output: &mut Output) -> Result<(), ApiError> {
    let Some(query) = request.uri().query().filter(|q| !q.is_empty()) else { return Ok(()) };
    let mut kept = form_urlencoded::Serializer::new(String::with_capacity(query.len()));
    let mut changed = false;
    let mut first_error = None;
    let mut token = None;
    for (name, value) in form_urlencoded::parse(query.as_bytes()) {
        if let Some(result) = system_parameter(&name, &value, output, &mut token) {
            changed = true;
            if let Err(error) = result {
                first_error.get_or_insert(error);
            }
            continue;
        }
        let json = json_name(&name);
        if name.is_empty() {
            // `?=` or `?&&`: nothing to bind, nothing unknown.
        } else if schema.query.contains(&&*json) {
            changed |= json != name;
            kept.append_pair(&json, &value);
        } else {
            first_error.get_or_insert_with(|| unknown_parameter(&name));
        }
    }
    if let Some(error) = first_error {
        return Err(error);
    }
    if let Some(token) = token.filter(|_| !request.headers().contains_key(header::AUTHORIZATION)) {
        // A token that cannot be a header value is still a credential, just an invalid one.
        let value = HeaderValue::try_from(format!("Bearer {token}")).unwrap_or(HeaderValue::from_static("Invalid"));
        request.headers_mut().insert(header::AUTHORIZATION, value);
    }
    if changed {
        let kept = kept.finish();
        let path = request.uri().path();
        let path_and_query = if kept.is_empty() { path.to_string() } else { format!("{path}?{kept}") };
        let mut parts = request.uri().clone().into_parts();
        parts.path_and_query = Some(PathAndQuery::try_from(path_and_query).map_err(|_| ApiError::invalid_argument("Malformed query."))?);
        *request.uri_mut() = Uri::from_parts(parts).map_err(|_| ApiError::invalid_argument("Malformed query."))?;
    }
    Ok(())
}

/// Applies one system parameter; `None` when `name` is not one.
fn system_parameter(name: &str, value: &str, output: &mut Output, token: &mut Option<String>) -> Option<Result<(), ApiError>> {
    let invalid = |message: String| Some(Err(ApiError::invalid_argument(message)));
    match name {
        "prettyPrint" => match value {
            "true" | "1" => output.pretty = true,
            "false" | "0" => output.pretty = false,
            _ => return invalid(format!("Invalid value for prettyPrint: \"{value}\" (a boolean: true or false).")),
        },
        "alt" if value != "json" => return invalid(format!("Invalid value for alt: \"{value}\". This method answers alt=json only.")),
        "$.xgafv" => match value {
            "1" => output.legacy_errors = true,
            "2" => output.legacy_errors = false,
            _ => return invalid(format!("Invalid value for $.xgafv: \"{value}\" (1 or 2).")),
        },
        "fields" => match FieldMask::parse(value) {
            Ok(mask) => output.fields = Some(mask),
            Err(why) => return invalid(format!("Invalid field selection \"{value}\": {why}.")),
        },
        "callback" => {
            let valid = !value.is_empty() && value.len() <= 256 && value.bytes().all(|b| b.is_ascii_alphanumeric() || b"_.$[]".contains(&b));
            if !valid {
                return invalid("Invalid JSONP callback name.".into());
            }
            output.callback = Some(value.to_string());
        }
        "access_token" | "oauth_token" => *token = Some(value.to_string()),
        "alt" | "key" | "quotaUser" | "upload_protocol" | "uploadType" => {}
        _ => return None,
    }
    Some(Ok(()))
}

/// Refuses JSON body fields the route's message does not have, and renames
/// proto names to JSON names. Bodies that are not JSON objects are left to
/// the handler, which answers Google's parse errors.
async fn bind_body(request: Request, schema: &RouteSchema) -> Result<Request, ApiError> {
    let Some(message) = schema.body else { return Ok(request) };
    if request.body().is_end_stream() {
        return Ok(request);
    }
    let (parts, body) = request.into_parts();
    let mut bytes = axum::body::to_bytes(body, MAX_REQUEST_BODY)
        .await
        .map_err(|_| ApiError::invalid_argument("The request body could not be read."))?;
    if let Ok(Value::Object(mut object)) = serde_json::from_slice::<Value>(&bytes) {
        if bind_object(&mut object, message(), None)? {
            bytes = Bytes::from(serde_json::to_vec(&object).unwrap_or_default());
        }
    }
    Ok(Request::from_parts(parts, Body::from(bytes)))
}

/// Returns whether a field was renamed.
fn bind_object(object: &mut Map<String, Value>, message: &Message, at: Option<&str>) -> Result<bool, ApiError> {
    let mut renamed = false;
    let names: Vec<String> = object.keys().cloned().collect();
    for name in names {
        let Some((known, nested)) = message.field(&json_name(&name)) else {
            let place = at.map(|at| format!(" at '{at}'")).unwrap_or_default();
            return Err(ApiError::bad_request(format!("Invalid JSON payload received. Unknown name \"{name}\"{place}: Cannot find field.")));
        };
        if known != name {
            let value = object.remove(&name).unwrap_or(Value::Null);
            object.insert(known.to_string(), value);
            renamed = true;
        }
        if let (Some(nested), Some(Value::Object(child))) = (nested, object.get_mut(known)) {
            let path = match at {
                Some(at) => format!("{at}.{}", proto_name(known)),
                None => proto_name(known),
            };
            renamed |= bind_object(child, nested, Some(&path))?;
        }
    }
    Ok(renamed)
}

/// `pickingConfig` → `picking_config`, as Google names fields in its messages.
fn proto_name(json: &str) -> String {
    heck::ToSnakeCase::to_snake_case(json)
}

impl Output {
    /// Lays out a JSON answer as the system parameters ask; other answers pass.
    async fn write(self, response: Response) -> Response {
        let is_json = response
            .headers()
            .get(header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .is_some_and(|v| v.starts_with("application/json"));
        if !is_json || response.body().size_hint().lower() > MAX_RESPONSE_BODY as u64 {
            return response;
        }
        let (mut parts, body) = response.into_parts();
        let Ok(bytes) = axum::body::to_bytes(body, MAX_RESPONSE_BODY).await else {
            return StatusCode::INTERNAL_SERVER_ERROR.into_response();
        };
        let success = parts.status.is_success();
        let reshape = (success && self.fields.is_some()) || (!success && self.legacy_errors);
        // Parsed only when reshaped: the common answer is re-laid out byte by byte.
        let parsed = if reshape { serde_json::from_slice::<Value>(&bytes).ok() } else { None };
        let json = match parsed {
            Some(mut value) => {
                match &self.fields {
                    Some(mask) if success => mask.apply(&mut value),
                    _ => crate::error::add_legacy_errors(&mut value),
                }
                let mut out = if self.pretty { serde_json::to_vec_pretty(&value) } else { serde_json::to_vec(&value) }.unwrap_or_default();
                if self.pretty {
                    out.push(b'\n');
                }
                Bytes::from(out)
            }
            _ if self.pretty => Bytes::from(json_format::pretty(&bytes)),
            _ => bytes,
        };
        parts.headers.remove(header::CONTENT_LENGTH);
        let body = match &self.callback {
            None => {
                parts.headers.insert(header::CONTENT_TYPE, HeaderValue::from_static("application/json; charset=UTF-8"));
                json
            }
            Some(callback) => {
                parts.headers.insert(header::CONTENT_TYPE, HeaderValue::from_static("text/javascript; charset=UTF-8"));
                let mut script = format!("// API callback\n{callback}(").into_bytes();
                script.extend_from_slice(&json);
                script.extend_from_slice(b");");
                Bytes::from(script)
            }
        };
        Response::from_parts(parts, Body::from(body))
    }
}
