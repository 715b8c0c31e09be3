//! A reviewable summary of a generated client: its types, their fields, and its
//! operations with their parameters. Snapshot tests compare it so that a change
//! to the spec shows up as a readable diff of the public API.

use quote::ToTokens;
use syn::{Fields, ImplItem, Item, Type};

/// Lists the public surface of generated code, one line per item, sorted.
pub fn api_surface(code: &str) -> Result<String, syn::Error> {
    let file = syn::parse_file(code)?;
    let mut lines = Vec::new();
    walk(&file.items, "", &mut lines);
    lines.sort();
    lines.dedup();
    Ok(lines.join("\n") + "\n")
}

fn walk(items: &[Item], module: &str, lines: &mut Vec<String>) {
    for item in items {
        match item {
            Item::Mod(m) if module.is_empty() => {
                if let Some((_, inner)) = &m.content {
                    walk(inner, &m.ident.to_string(), lines);
                }
            }
            Item::Struct(s) if is_pub(&s.vis) && module == "types" => {
                if let Fields::Named(fields) = &s.fields {
                    for field in &fields.named {
                        let name = field.ident.as_ref().map(ToString::to_string).unwrap_or_default();
                        lines.push(format!("type {}.{name}: {}", s.ident, tidy(&field.ty)));
                    }
                } else {
                    lines.push(format!("type {}", s.ident));
                }
            }
            Item::Enum(e) if is_pub(&e.vis) && module == "types" => {
                for variant in &e.variants {
                    lines.push(format!("enum {}::{}", e.ident, variant.ident));
                }
            }
            Item::Impl(block) if block.trait_.is_none() && (module.is_empty() || module == "builder") => {
                let owner = tidy(&block.self_ty);
                for entry in &block.items {
                    if let ImplItem::Fn(f) = entry {
                        if is_pub(&f.vis) {
                            let kind = if module.is_empty() { "operation" } else { "builder" };
                            lines.push(format!("{kind} {owner}::{}", f.sig.ident));
                        }
                    }
                }
            }
            _ => {}
        }
    }
}

fn is_pub(vis: &syn::Visibility) -> bool {
    matches!(vis, syn::Visibility::Public(_))
}

fn tidy(ty: &Type) -> String {
    let mut text: String = ty.to_token_stream().to_string().split_whitespace().collect();
    for noise in ["::std::option::", "::std::vec::", "::std::string::", "::serde_json::", "::chrono::offset::", "::chrono::"] {
        text = text.replace(noise, "");
    }
    text.replace(",>", ">").replace(',', ", ")
}
