//! What each Google route accepts, for the front end's strictness: its own
//! query parameters (checked against the OpenAPI spec by a test below) and
//! the message its JSON body binds to. The body's field names are read from
//! the types generated from the spec (`photospicker_api`), so they cannot drift.

use photospicker_api::picker::types::{PickingConfig, PickingSession, PollingConfig};
use serde::de::{self, DeserializeOwned, Visitor};
use std::cell::Cell;
use std::sync::OnceLock;

pub struct RouteSchema {
    /// The route's own query parameters, by JSON (lowerCamelCase) name.
    pub query: &'static [&'static str],
    /// The message the body binds to, if the route takes one.
    pub body: Option<fn() -> &'static Message>,
}

/// A message's JSON field names and the messages of its message-typed fields.
pub struct Message {
    pub fields: &'static [&'static str],
    pub nested: Vec<(&'static str, &'static Message)>,
}

impl Message {
    pub fn field(&self, name: &str) -> Option<(&'static str, Option<&'static Message>)> {
        let known = self.fields.iter().find(|f| **f == name)?;
        Some((known, self.nested.iter().find(|(n, _)| n == known).map(|(_, m)| *m)))
    }
}

/// The schema of a route named by `faults::classify`; `None` for non-API routes.
pub fn for_route(route: &str) -> Option<&'static RouteSchema> {
    static CREATE: RouteSchema = RouteSchema { query: &["requestId"], body: Some(picking_session) };
    static BY_ID: RouteSchema = RouteSchema { query: &[], body: None };
    static LIST: RouteSchema = RouteSchema { query: &["sessionId", "pageSize", "pageToken"], body: None };
    static BATCH_GET: RouteSchema = RouteSchema { query: &["mediaItemIds"], body: None };
    match route {
        "sessions.create" => Some(&CREATE),
        "sessions.get" | "sessions.delete" => Some(&BY_ID),
        "mediaItems.list" => Some(&LIST),
        "mediaItems.batchGet" => Some(&BATCH_GET),
        _ => None,
    }
}

fn picking_session() -> &'static Message {
    static SESSION: OnceLock<Message> = OnceLock::new();
    SESSION.get_or_init(|| {
        static CONFIG: OnceLock<Message> = OnceLock::new();
        static POLLING: OnceLock<Message> = OnceLock::new();
        let config = CONFIG.get_or_init(|| Message { fields: fields_of::<PickingConfig>(), nested: vec![] });
        let polling = POLLING.get_or_init(|| Message { fields: fields_of::<PollingConfig>(), nested: vec![] });
        Message { fields: fields_of::<PickingSession>(), nested: vec![("pickingConfig", config), ("pollingConfig", polling)] }
    })
}

/// The proto field name a client may use instead of the JSON name
/// (`page_size` for `pageSize`), turned into the JSON name.
pub fn json_name(name: &str) -> std::borrow::Cow<'_, str> {
    if !name.contains('_') {
        return name.into();
    }
    let mut out = String::with_capacity(name.len());
    let mut upper = false;
    for c in name.chars() {
        match c {
            '_' => upper = true,
            c if upper => {
                out.extend(c.to_uppercase());
                upper = false;
            }
            c => out.push(c),
        }
    }
    out.into()
}

/// The field names serde knows for `T`, read by asking `T` to deserialize
/// itself from a deserializer that only records what it is asked for.
fn fields_of<T: DeserializeOwned>() -> &'static [&'static str] {
    let seen = Cell::new(None);
    let _ = T::deserialize(FieldNames(&seen));
    seen.get().expect("generated messages are plain structs")
}

struct FieldNames<'a>(&'a Cell<Option<&'static [&'static str]>>);

#[derive(Debug)]
struct Recorded;

impl std::fmt::Display for Recorded {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("field names recorded")
    }
}

impl std::error::Error for Recorded {}

impl de::Error for Recorded {
    fn custom<T: std::fmt::Display>(_: T) -> Self {
        Recorded
    }
}

impl<'de> de::Deserializer<'de> for FieldNames<'_> {
    type Error = Recorded;

    fn deserialize_any<V: Visitor<'de>>(self, _: V) -> Result<V::Value, Recorded> {
        Err(Recorded)
    }

    fn deserialize_struct<V: Visitor<'de>>(self, _: &'static str, fields: &'static [&'static str], _: V) -> Result<V::Value, Recorded> {
        self.0.set(Some(fields));
        Err(Recorded)
    }

    serde::forward_to_deserialize_any! {
        bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string bytes byte_buf option unit unit_struct
        newtype_struct seq tuple tuple_struct map enum identifier ignored_any
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn body_fields_come_from_the_generated_types() {
        let session = picking_session();
        assert!(session.fields.contains(&"pickingConfig") && session.fields.contains(&"pickerUri"), "{:?}", session.fields);
        let (_, config) = session.field("pickingConfig").unwrap();
        assert_eq!(config.unwrap().fields, ["maxItemCount"]);
        assert!(session.field("foo").is_none());
    }

    #[test]
    fn proto_names_map_to_json_names() {
        assert_eq!(json_name("page_size"), "pageSize");
        assert_eq!(json_name("media_item_ids"), "mediaItemIds");
        assert_eq!(json_name("sessionId"), "sessionId");
    }

    #[test]
    fn query_parameters_match_the_openapi_spec() {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../openapi");
        let routes = [
            ("photospicker.v1.yaml", "/v1/sessions", "post", "sessions.create"),
            ("photospicker.v1.yaml", "/v1/sessions/{sessionId}", "get", "sessions.get"),
            ("photospicker.v1.yaml", "/v1/sessions/{sessionId}", "delete", "sessions.delete"),
            ("photospicker.v1.yaml", "/v1/mediaItems", "get", "mediaItems.list"),
            ("photoslibrary.v1.yaml", "/v1/mediaItems:batchGet", "get", "mediaItems.batchGet"),
        ];
        for (file, path, method, route) in routes {
            let text = std::fs::read_to_string(root.join(file)).expect("spec readable");
            let spec: serde_yaml::Value = serde_yaml::from_str(&text).expect("spec parses");
            let item = &spec["paths"][path];
            let parameters = item[method]["parameters"].as_sequence().into_iter().flatten().chain(item["parameters"].as_sequence().into_iter().flatten());
            let mut in_query: Vec<&str> = parameters.filter(|p| p["in"] == "query").filter_map(|p| p["name"].as_str()).collect();
            in_query.sort_unstable();
            let mut ours = for_route(route).unwrap().query.to_vec();
            ours.sort_unstable();
            assert_eq!(ours, in_query, "{route}");
        }
    }
}
