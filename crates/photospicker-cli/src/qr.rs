//! The picker link as a QR code in the terminal, two modules per character
//! cell (upper and lower half blocks), light on dark with a quiet zone so
//! phone cameras read it on the usual dark terminal.

use qrcode::render::unicode::Dense1x2;
use qrcode::QrCode;

/// The QR code of `text`, or `None` when it is too long for one.
pub fn render(text: &str) -> Option<String> {
    let code = QrCode::new(text.as_bytes()).ok()?;
    Some(code.render::<Dense1x2>().dark_color(Dense1x2::Light).light_color(Dense1x2::Dark).quiet_zone(true).build())
}

#[cfg(test)]
mod tests {
    #[test]
    fn a_link_renders_as_square_block_art() {
        let art = super::render("https://photos.google.com/picker/abc").expect("a QR code");
        let lines: Vec<&str> = art.lines().collect();
        assert!(lines.len() > 10);
        assert!(lines.iter().all(|l| l.chars().count() == lines[0].chars().count()));
        assert!(art.chars().all(|c| matches!(c, ' ' | '█' | '▀' | '▄' | '\n')));
    }
}
