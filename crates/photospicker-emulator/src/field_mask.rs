//! The `fields` system parameter (partial responses): `id,pickerUri`,
//! `mediaItems(id,mediaFile/baseUrl),nextPageToken`, `*`. A selection applies
//! to every element of an array; names the answer does not hold select nothing
//! (Google's answers omit empty fields anyway, so a client cannot tell).

use serde_json::Value;

/// A parsed `fields` value: for each selected name, `None` keeps the whole
/// value, `Some` keeps only the nested selection.
#[derive(Debug, Default, Clone, PartialEq)]
pub struct FieldMask {
    selected: Vec<(String, Option<FieldMask>)>,
}

impl FieldMask {
    pub fn parse(text: &str) -> Result<Self, String> {
        let mut parser = Parser { text: text.as_bytes(), at: 0 };
        let mask = parser.list()?;
        if parser.at < parser.text.len() {
            return Err(format!("unexpected {:?} at position {}", parser.text[parser.at] as char, parser.at));
        }
        Ok(mask)
    }

    fn insert(&mut self, path: &[String], leaf: Option<FieldMask>) {
        let (first, rest) = path.split_first().expect("a path has at least one name");
        let index = match self.selected.iter().position(|(name, _)| name == first) {
            Some(index) => index,
            None => {
                self.selected.push((first.clone(), Some(FieldMask::default())));
                self.selected.len() - 1
            }
        };
        let slot = &mut self.selected[index].1;
        match (slot, rest.is_empty()) {
            // Already the whole value: a narrower selection changes nothing.
            (None, _) => {}
            (slot @ Some(_), true) => match (slot.as_mut(), leaf) {
                (Some(existing), Some(mut leaf)) if !existing.selected.is_empty() => {
                    existing.selected.append(&mut leaf.selected);
                }
                (_, leaf) => *slot = leaf,
            },
            (Some(nested), false) => nested.insert(rest, leaf),
        }
    }

    fn lookup(&self, name: &str) -> Option<&Option<FieldMask>> {
        self.selected.iter().find(|(n, _)| n == name || n == "*").map(|(_, sub)| sub)
    }

    /// Keeps only the selected parts of `value`.
    pub fn apply(&self, value: &mut Value) {
        match value {
            Value::Object(map) => {
                map.retain(|key, _| self.lookup(key).is_some());
                for (key, child) in map.iter_mut() {
                    if let Some(Some(nested)) = self.lookup(key) {
                        nested.apply(child);
                    }
                }
            }
            Value::Array(items) => items.iter_mut().for_each(|item| self.apply(item)),
            _ => {}
        }
    }
}

struct Parser<'a> {
    text: &'a [u8],
    at: usize,
}

impl Parser<'_> {
    fn peek(&mut self) -> Option<u8> {
        while self.text.get(self.at) == Some(&b' ') {
            self.at += 1;
        }
        self.text.get(self.at).copied()
    }

    /// `item (',' item)*`, up to the end or a `)`.
    fn list(&mut self) -> Result<FieldMask, String> {
        let mut mask = FieldMask::default();
        loop {
            let path = self.path()?;
            let nested = if self.peek() == Some(b'(') {
                self.at += 1;
                let nested = self.list()?;
                if self.peek() != Some(b')') {
                    return Err("missing ')'".into());
                }
                self.at += 1;
                Some(nested)
            } else {
                None
            };
            mask.insert(&path, nested);
            match self.peek() {
                Some(b',') => self.at += 1,
                _ => return Ok(mask),
            }
        }
    }

    /// `name ('/' name)*`
    fn path(&mut self) -> Result<Vec<String>, String> {
        let mut path = vec![self.name()?];
        while self.peek() == Some(b'/') {
            self.at += 1;
            path.push(self.name()?);
        }
        Ok(path)
    }

    fn name(&mut self) -> Result<String, String> {
        self.peek();
        let start = self.at;
        while self.text.get(self.at).is_some_and(|b| b.is_ascii_alphanumeric() || *b == b'_' || *b == b'*') {
            self.at += 1;
        }
        match &self.text[start..self.at] {
            [] => Err(format!("a field name is missing at position {start}")),
            name => Ok(String::from_utf8_lossy(name).into_owned()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::FieldMask;
    use serde_json::json;

    fn masked(fields: &str, mut value: serde_json::Value) -> serde_json::Value {
        FieldMask::parse(fields).expect("valid mask").apply(&mut value);
        value
    }

    #[test]
    fn masks_select_top_level_nested_and_array_fields() {
        let page = json!({
            "mediaItems": [
                {"id": "a", "type": "PHOTO", "mediaFile": {"baseUrl": "u1", "mimeType": "image/jpeg"}},
                {"id": "b", "type": "VIDEO", "mediaFile": {"baseUrl": "u2", "mimeType": "video/mp4"}},
            ],
            "nextPageToken": "t",
        });
        assert_eq!(
            masked("mediaItems(id,mediaFile/baseUrl),nextPageToken", page.clone()),
            json!({"mediaItems": [{"id": "a", "mediaFile": {"baseUrl": "u1"}}, {"id": "b", "mediaFile": {"baseUrl": "u2"}}], "nextPageToken": "t"})
        );
        assert_eq!(masked("nextPageToken", page.clone()), json!({"nextPageToken": "t"}));
        assert_eq!(masked("mediaItems/type", page.clone())["mediaItems"][1], json!({"type": "VIDEO"}));
        assert_eq!(masked("*", page.clone()), page);
        assert_eq!(masked("mediaItems(*)", page.clone()), json!({"mediaItems": page["mediaItems"]}));
        assert_eq!(masked("mediaItems/id,mediaItems", page.clone()), json!({"mediaItems": page["mediaItems"]}));
        assert_eq!(masked("mediaItems/id, mediaItems/type", page.clone())["mediaItems"][0], json!({"id": "a", "type": "PHOTO"}));
        assert_eq!(masked("noSuchField", page), json!({}));
    }

    #[test]
    fn malformed_masks_are_refused() {
        for bad in ["", "a,", "a(b", "a/", "(a)", "a)b", "a-b", "a(b))"] {
            assert!(FieldMask::parse(bad).is_err(), "{bad:?} must be refused");
        }
    }
}
