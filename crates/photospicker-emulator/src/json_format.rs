//! Google's default `prettyPrint=true` layout (two-space indent, `"key": value`,
//! `{}` and `[]` kept short) produced straight from compact JSON bytes, so the
//! hot path neither parses nor builds a value tree: one pass, one allocation.

/// Re-lays out valid JSON; whitespace outside strings is dropped and re-made.
pub fn pretty(json: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(json.len() + json.len() / 2 + 16);
    let mut depth = 0usize;
    let mut in_string = false;
    let mut escaped = false;
    let mut bytes = json.iter().copied().filter_map_whitespace().peekable();
    while let Some(byte) = bytes.next() {
        if in_string {
            out.push(byte);
            match byte {
                _ if escaped => escaped = false,
                b'\\' => escaped = true,
                b'"' => in_string = false,
                _ => {}
            }
            continue;
        }
        match byte {
            b'"' => {
                in_string = true;
                out.push(byte);
            }
            b'{' | b'[' => {
                out.push(byte);
                let close = if byte == b'{' { b'}' } else { b']' };
                if bytes.peek() == Some(&close) {
                    out.push(close);
                    bytes.next();
                } else {
                    depth += 1;
                    newline(&mut out, depth);
                }
            }
            b'}' | b']' => {
                depth = depth.saturating_sub(1);
                newline(&mut out, depth);
                out.push(byte);
            }
            b',' => {
                out.push(byte);
                newline(&mut out, depth);
            }
            b':' => out.extend_from_slice(b": "),
            _ => out.push(byte),
        }
    }
    out.push(b'\n');
    out
}

fn newline(out: &mut Vec<u8>, depth: usize) {
    out.push(b'\n');
    out.extend(std::iter::repeat_n(b' ', depth * 2));
}

/// Drops insignificant whitespace, keeping it inside strings.
trait FilterWhitespace: Iterator<Item = u8> + Sized {
    fn filter_map_whitespace(self) -> WithoutWhitespace<Self> {
        WithoutWhitespace { inner: self, in_string: false, escaped: false }
    }
}

impl<I: Iterator<Item = u8>> FilterWhitespace for I {}

struct WithoutWhitespace<I> {
    inner: I,
    in_string: bool,
    escaped: bool,
}

impl<I: Iterator<Item = u8>> Iterator for WithoutWhitespace<I> {
    type Item = u8;

    fn next(&mut self) -> Option<u8> {
        loop {
            let byte = self.inner.next()?;
            if self.in_string {
                match byte {
                    _ if self.escaped => self.escaped = false,
                    b'\\' => self.escaped = true,
                    b'"' => self.in_string = false,
                    _ => {}
                }
                return Some(byte);
            }
            match byte {
                b' ' | b'\n' | b'\r' | b'\t' => continue,
                b'"' => self.in_string = true,
                _ => {}
            }
            return Some(byte);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::pretty;
    use serde_json::json;

    #[test]
    fn pretty_layout_is_serde_jsons_plus_a_final_newline() {
        let values = [
            json!({}),
            json!([]),
            json!({"a": [], "b": {}, "c": [1, {"d": "x, y: {z}"}], "e": "quote \" and \\ backslash", "f": null}),
            json!({"mediaItems": [{"id": "1", "mediaFile": {"baseUrl": "http://h/m/a=w1-h2"}}], "nextPageToken": "ab"}),
            json!("just a string with { and ["),
            json!(12.5),
        ];
        for value in values {
            let compact = serde_json::to_vec(&value).unwrap();
            let mut expected = serde_json::to_vec_pretty(&value).unwrap();
            expected.push(b'\n');
            assert_eq!(String::from_utf8(pretty(&compact)).unwrap(), String::from_utf8(expected.clone()).unwrap());
            let spaced = serde_json::to_vec_pretty(&value).unwrap();
            assert_eq!(pretty(&spaced), expected, "already pretty input comes out the same");
        }
    }
}
