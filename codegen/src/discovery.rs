//! Google discovery documents (`discovery#restDescription`) generated from the
//! project's OpenAPI specs, so that discovery-based clients such as
//! google-api-python-client can `build()` against the emulator from the same
//! single source of truth as the Rust and Python clients.
//!
//! Conventions the spec follows (checked here, so a spec edit cannot silently
//! produce a wrong document):
//! - the first server is `https://{name}.googleapis.com` and `info.version`
//!   is the API version, giving the id `{name}:{version}`;
//! - every operation has exactly one tag, the discovery resource (`mediaItems`),
//!   and its operationId is that tag in snake case followed by the method name
//!   (`media_items_batch_get` is `mediaItems.batchGet`).

use openapiv3::{OpenAPI, Parameter, ParameterSchemaOrContent, ReferenceOr, StatusCode};
use serde_json::{json, Map, Value};

/// The `rootUrl` a generated document names: the spec's first server, with a
/// trailing slash. A server (the emulator) swaps it for its own URL.
pub fn root_url(spec: &OpenAPI) -> Option<String> {
    spec.servers.first().map(|s| format!("{}/", s.url.trim_end_matches('/')))
}

/// Builds the discovery document of a spec, or lists every convention it breaks.
pub fn discovery_document(spec: &OpenAPI) -> Result<Value, Vec<String>> {
    let mut problems = Vec::new();
    let root = root_url(spec).unwrap_or_default();
    let name = api_name(&root).unwrap_or_else(|| {
        problems.push(format!("the first server must be https://NAME.googleapis.com, found {root:?}"));
        String::new()
    });
    let version = spec.info.version.clone();
    let mut resources = Map::new();
    for (path, item) in &spec.paths.paths {
        let ReferenceOr::Item(item) = item else {
            problems.push(format!("{path}: external path items are not supported"));
            continue;
        };
        for (http_method, operation) in item.iter() {
            let at = format!("{} {path}", http_method.to_uppercase());
            let (resource, method) = match method_names(operation) {
                Ok(names) => names,
                Err(why) => {
                    problems.push(format!("{at}: {why}"));
                    continue;
                }
            };
            let parameters: Vec<&Parameter> = item
                .parameters
                .iter()
                .chain(&operation.parameters)
                .filter_map(|p| match p {
                    ReferenceOr::Item(p) => Some(p),
                    ReferenceOr::Reference { .. } => {
                        problems.push(format!("{at}: parameter references are not supported"));
                        None
                    }
                })
                .collect();
            let mut out = Map::new();
            out.insert("id".into(), format!("{name}.{resource}.{method}").into());
            let relative = path.trim_start_matches('/');
            out.insert("path".into(), relative.into());
            out.insert("flatPath".into(), relative.into());
            out.insert("httpMethod".into(), http_method.to_uppercase().into());
            if let Some(text) = &operation.description {
                out.insert("description".into(), text.trim_end().into());
            }
            out.insert("parameters".into(), Value::Object(parameters.iter().map(|p| method_parameter(p)).collect()));
            let order: Vec<Value> = ordered_required(&parameters).into_iter().map(Value::from).collect();
            out.insert("parameterOrder".into(), order.into());
            if let Some(ReferenceOr::Item(body)) = &operation.request_body {
                if let Some(schema) = body.content.get("application/json").and_then(|m| m.schema.as_ref()) {
                    out.insert("request".into(), json!({"$ref": reference_name(schema, &at, &mut problems)}));
                }
            }
            match operation.responses.responses.get(&StatusCode::Code(200)) {
                Some(ReferenceOr::Item(response)) => {
                    if let Some(schema) = response.content.get("application/json").and_then(|m| m.schema.as_ref()) {
                        out.insert("response".into(), json!({"$ref": reference_name(schema, &at, &mut problems)}));
                    }
                }
                _ => problems.push(format!("{at}: needs an inline 200 response")),
            }
            let scopes = scopes_of(operation.security.as_ref().or(spec.security.as_ref()));
            out.insert("scopes".into(), scopes.into_iter().map(Value::from).collect::<Vec<_>>().into());
            let methods = resources
                .entry(resource)
                .or_insert_with(|| json!({"methods": {}}))
                .get_mut("methods")
                .and_then(Value::as_object_mut)
                .expect("a resource is created with methods");
            if methods.insert(method.clone(), Value::Object(out)).is_some() {
                problems.push(format!("{at}: a second method named {method}"));
            }
        }
    }
    let mut schemas = Map::new();
    if let Some(components) = &spec.components {
        for (schema_name, schema) in &components.schemas {
            let openapi = serde_json::to_value(schema).unwrap_or(Value::Null);
            let mut converted = schema_json(&openapi);
            if let Value::Object(fields) = &mut converted {
                fields.insert("id".into(), schema_name.clone().into());
            }
            schemas.insert(schema_name.clone(), converted);
        }
    }
    if !problems.is_empty() {
        return Err(problems);
    }
    Ok(json!({
        "kind": "discovery#restDescription",
        "discoveryVersion": "v1",
        "id": format!("{name}:{version}"),
        "name": name,
        "version": version,
        "revision": "0",
        "title": spec.info.title,
        "description": spec.info.description.as_deref().unwrap_or_default().trim_end(),
        "ownerDomain": "google.com",
        "ownerName": "Google",
        "protocol": "rest",
        "rootUrl": root,
        "mtlsRootUrl": root.replacen(".googleapis.com", ".mtls.googleapis.com", 1),
        "servicePath": "",
        "basePath": "",
        "baseUrl": root,
        "batchPath": "batch",
        "fullyEncodeReservedExpansion": true,
        "icons": {
            "x16": "http://www.google.com/images/icons/product/search-16.gif",
            "x32": "http://www.google.com/images/icons/product/search-32.gif",
        },
        "parameters": system_parameters(),
        "auth": {"oauth2": {"scopes": oauth_scopes(spec)}},
        "schemas": schemas,
        "resources": resources,
    }))
}

/// `photospicker` from `https://photospicker.googleapis.com/`.
fn api_name(root: &str) -> Option<String> {
    let host = root.strip_prefix("https://")?.trim_end_matches('/');
    let name = host.strip_suffix(".googleapis.com")?;
    (!name.is_empty() && name.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit())).then(|| name.to_string())
}

/// The resource (the operation's one tag) and the method name from the operationId.
fn method_names(operation: &openapiv3::Operation) -> Result<(String, String), String> {
    let [tag] = operation.tags.as_slice() else {
        return Err("needs exactly one tag, its discovery resource".into());
    };
    let id = operation.operation_id.as_deref().ok_or("missing operationId")?;
    let prefix = format!("{}_", snake_case(tag));
    let rest = id
        .strip_prefix(&prefix)
        .filter(|rest| !rest.is_empty())
        .ok_or_else(|| format!("operationId {id} must be {prefix}METHOD (its tag, then the method)"))?;
    Ok((tag.clone(), camel_case(rest)))
}

fn snake_case(text: &str) -> String {
    heck::ToSnakeCase::to_snake_case(text)
}

fn camel_case(text: &str) -> String {
    let mut out = String::new();
    let mut upper = false;
    for c in text.chars() {
        match c {
            '_' => upper = true,
            c if upper => {
                out.push(c.to_ascii_uppercase());
                upper = false;
            }
            c => out.push(c),
        }
    }
    out
}

fn reference_name(schema: &ReferenceOr<openapiv3::Schema>, at: &str, problems: &mut Vec<String>) -> String {
    match schema {
        ReferenceOr::Reference { reference } => reference.rsplit('/').next().unwrap_or_default().to_string(),
        ReferenceOr::Item(_) => {
            problems.push(format!("{at}: request and response bodies must be $refs to named schemas"));
            String::new()
        }
    }
}

/// Path parameters first, in path order, then required query parameters.
fn ordered_required(parameters: &[&Parameter]) -> Vec<String> {
    let mut order: Vec<String> = Vec::new();
    for path_first in [true, false] {
        for parameter in parameters {
            let is_path = matches!(parameter, Parameter::Path { .. });
            let data = parameter.parameter_data_ref();
            if is_path == path_first && (is_path || data.required) {
                order.push(data.name.clone());
            }
        }
    }
    order
}

fn method_parameter(parameter: &Parameter) -> (String, Value) {
    let data = parameter.parameter_data_ref();
    let location = match parameter {
        Parameter::Path { .. } => "path",
        Parameter::Query { .. } => "query",
        Parameter::Header { .. } => "header",
        Parameter::Cookie { .. } => "cookie",
    };
    let schema = match &data.format {
        ParameterSchemaOrContent::Schema(schema) => serde_json::to_value(schema).unwrap_or(Value::Null),
        ParameterSchemaOrContent::Content(_) => Value::Null,
    };
    let mut out = match schema_json(&schema) {
        // A repeated query parameter is its item type with `repeated`.
        Value::Object(mut fields) if fields.get("type") == Some(&Value::from("array")) => {
            let mut item = match fields.remove("items") {
                Some(Value::Object(item)) => item,
                _ => Map::new(),
            };
            item.insert("repeated".into(), true.into());
            item
        }
        Value::Object(fields) => fields,
        _ => Map::new(),
    };
    // Patterns stay out: discovery clients enforce them, and Google's documents
    // carry them only for path templates.
    out.remove("pattern");
    if let Some(text) = &data.description {
        out.insert("description".into(), text.trim_end().into());
    }
    out.insert("location".into(), location.into());
    if data.required || location == "path" {
        out.insert("required".into(), true.into());
    }
    (data.name.clone(), Value::Object(out))
}

/// One OpenAPI schema (as JSON) in discovery's JSON-schema dialect.
fn schema_json(openapi: &Value) -> Value {
    let Some(fields) = openapi.as_object() else { return json!({"type": "any"}) };
    if let Some(reference) = fields.get("$ref").and_then(Value::as_str) {
        return json!({"$ref": reference.rsplit('/').next().unwrap_or_default()});
    }
    let mut out = Map::new();
    if let Some(Value::Array(all_of)) = fields.get("allOf") {
        // `allOf: [$ref]` is how OpenAPI 3.0 annotates a reference; discovery says `$ref`.
        if let [only] = all_of.as_slice() {
            out = schema_json(only).as_object().cloned().unwrap_or_default();
        }
    }
    if let Some(text) = fields.get("description").and_then(Value::as_str) {
        out.insert("description".into(), text.trim_end().into());
    }
    if fields.get("readOnly") == Some(&Value::Bool(true)) {
        out.insert("readOnly".into(), true.into());
    }
    let Some(kind) = fields.get("type").and_then(Value::as_str) else {
        if !out.contains_key("$ref") {
            out.insert("type".into(), "any".into());
        }
        return Value::Object(out);
    };
    out.insert("type".into(), kind.into());
    if let Some(format) = fields.get("format").and_then(Value::as_str) {
        let format = match format {
            "date-time" => "google-datetime",
            other => other,
        };
        out.insert("format".into(), format.into());
    }
    if let Some(Value::Array(values)) = fields.get("enum") {
        out.insert("enum".into(), Value::Array(values.clone()));
    }
    if let Some(pattern) = fields.get("pattern") {
        out.insert("pattern".into(), pattern.clone());
    }
    match kind {
        "object" => {
            if let Some(Value::Object(properties)) = fields.get("properties") {
                let properties: Map<String, Value> = properties.iter().map(|(k, v)| (k.clone(), schema_json(v))).collect();
                out.insert("properties".into(), properties.into());
            }
            match fields.get("additionalProperties") {
                Some(Value::Bool(true)) => {
                    out.insert("additionalProperties".into(), json!({"type": "any", "description": "Properties of the object."}));
                }
                Some(schema @ Value::Object(_)) => {
                    out.insert("additionalProperties".into(), schema_json(schema));
                }
                _ => {}
            }
        }
        "array" => {
            out.insert("items".into(), fields.get("items").map(schema_json).unwrap_or_else(|| json!({"type": "any"})));
        }
        _ => {}
    }
    Value::Object(out)
}

fn scopes_of(requirements: Option<&Vec<openapiv3::SecurityRequirement>>) -> Vec<String> {
    let mut scopes: Vec<String> =
        requirements.into_iter().flatten().flat_map(|r| r.values()).flatten().cloned().collect();
    scopes.dedup();
    scopes
}

fn oauth_scopes(spec: &OpenAPI) -> Map<String, Value> {
    let mut out = Map::new();
    let schemes = spec.components.iter().flat_map(|c| c.security_schemes.values());
    for scheme in schemes {
        if let ReferenceOr::Item(openapiv3::SecurityScheme::OAuth2 { flows, .. }) = scheme {
            let scopes = [
                flows.authorization_code.as_ref().map(|f| &f.scopes),
                flows.implicit.as_ref().map(|f| &f.scopes),
                flows.client_credentials.as_ref().map(|f| &f.scopes),
                flows.password.as_ref().map(|f| &f.scopes),
            ];
            for (scope, description) in scopes.into_iter().flatten().flatten() {
                out.insert(scope.clone(), json!({"description": description}));
            }
        }
    }
    out
}

/// The standard query parameters every Google API accepts, as Google documents them.
fn system_parameters() -> Value {
    let string = |description: &str| json!({"type": "string", "location": "query", "description": description});
    json!({
        "$.xgafv": {
            "type": "string", "location": "query", "description": "V1 error format.",
            "enum": ["1", "2"], "enumDescriptions": ["v1 error format", "v2 error format"],
        },
        "access_token": string("OAuth access token."),
        "alt": {
            "type": "string", "location": "query", "description": "Data format for response.", "default": "json",
            "enum": ["json", "media", "proto"],
            "enumDescriptions": ["Responses with Content-Type of application/json", "Media download with context-dependent Content-Type", "Responses with Content-Type of application/x-protobuf"],
        },
        "callback": string("JSONP"),
        "fields": string("Selector specifying which fields to include in a partial response."),
        "key": string("API key. Your API key identifies your project and provides you with API access, quota, and reports. Required unless you provide an OAuth 2.0 token."),
        "oauth_token": string("OAuth 2.0 token for the current user."),
        "prettyPrint": {"type": "boolean", "location": "query", "description": "Returns response with indentations and line breaks.", "default": "true"},
        "quotaUser": string("Available to use for quota purposes for server-side applications. Can be any arbitrary string assigned to a user, but should not exceed 40 characters."),
        "uploadType": string("Legacy upload protocol for media (e.g. \"media\", \"multipart\")."),
        "upload_protocol": string("Upload protocol for media (e.g. \"raw\", \"multipart\")."),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn operation_ids_become_camel_case_method_names() {
        assert_eq!(snake_case("mediaItems"), "media_items");
        assert_eq!(camel_case("batch_get"), "batchGet");
        assert_eq!(api_name("https://photospicker.googleapis.com/").as_deref(), Some("photospicker"));
        assert_eq!(api_name("http://localhost:1/"), None);
    }
}
