//! Rules a spec must follow before progenitor sees it; each one is a trap that
//! otherwise surfaces as a generator panic or a subtly wrong client.

use openapiv3::{OpenAPI, ReferenceOr, SchemaKind, Type};
use std::collections::BTreeSet;

/// Returns every broken rule, so that one run shows all of them.
pub fn validate(spec: &OpenAPI) -> Result<(), Vec<String>> {
    let mut problems = Vec::new();
    if !spec.openapi.starts_with("3.0.") {
        problems.push(format!("openapi must be 3.0.x (progenitor reads no other), found {}", spec.openapi));
    }
    let mut operation_ids = BTreeSet::new();
    for (path, item) in &spec.paths.paths {
        let ReferenceOr::Item(item) = item else {
            problems.push(format!("{path}: external path items are not supported"));
            continue;
        };
        for (method, operation) in item.iter() {
            let at = format!("{} {path}", method.to_uppercase());
            match &operation.operation_id {
                None => problems.push(format!("{at}: missing operationId")),
                Some(id) if !operation_ids.insert(id.clone()) => {
                    problems.push(format!("{at}: duplicate operationId {id}"))
                }
                Some(_) => {}
            }
            if operation.description.is_none() {
                problems.push(format!("{at}: missing description"));
            }
            if operation.responses.default.is_some() {
                problems.push(format!("{at}: use 4XX/5XX instead of default (progenitor panics on 200 + default)"));
            }
            for range in [4, 5] {
                if !operation.responses.responses.contains_key(&openapiv3::StatusCode::Range(range)) {
                    problems.push(format!("{at}: missing the shared {range}XX error response"));
                }
            }
            for parameter in item.parameters.iter().chain(&operation.parameters) {
                if let ReferenceOr::Item(parameter) = parameter {
                    let data = parameter.parameter_data_ref();
                    if data.description.is_none() {
                        problems.push(format!("{at}: parameter {} has no description", data.name));
                    }
                }
            }
        }
    }
    if let Some(components) = &spec.components {
        for (name, schema) in &components.schemas {
            if let ReferenceOr::Item(schema) = schema {
                check_schema(name, schema, &mut problems);
            }
        }
    }
    if problems.is_empty() {
        Ok(())
    } else {
        Err(problems)
    }
}

fn check_schema(name: &str, schema: &openapiv3::Schema, problems: &mut Vec<String>) {
    if schema.schema_data.description.is_none() {
        problems.push(format!("schema {name} has no description"));
    }
    match &schema.schema_kind {
        SchemaKind::Type(Type::Object(object)) => {
            for (field, property) in &object.properties {
                if let ReferenceOr::Item(property) = property {
                    check_schema(&format!("{name}.{field}"), property, problems);
                }
            }
        }
        SchemaKind::Type(Type::Integer(integer)) if integer.minimum.is_some() => {
            problems.push(format!("{name}: minimum on an integer makes progenitor emit NonZero types"));
        }
        _ => {}
    }
}
