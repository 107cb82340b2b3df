//! Bytes to text: UTF-8, UTF-16 with a byte-order mark, or Windows-1252.

use super::*;

/// Decodes a file's bytes: UTF-8 (a byte-order mark is dropped), or, when
/// that fails, Windows-1252 with a warning naming the first invalid byte.
/// Files that look binary (NUL bytes among many control characters) are
/// refused.
pub fn decode(mut bytes: Vec<u8>, path: &Path, origin: &str) -> Result<(String, Option<Warning>)> {
    if let Some(text) = decode_utf16(&bytes) {
        return Ok((text, None));
    }
    if looks_binary(&bytes) {
        let offset = bytes.iter().position(|&b| b == 0).unwrap_or(0);
        return Err(Error::Binary {
            path: path.to_path_buf(),
            offset,
        });
    }
    if bytes.starts_with(&[0xEF, 0xBB, 0xBF]) {
        bytes.drain(..3);
    }
    match String::from_utf8(bytes) {
        Ok(text) => Ok((text, None)),
        Err(e) => {
            let offset = e.utf8_error().valid_up_to();
            let text = decode_windows_1252(e.as_bytes());
            let warning = Warning {
                origin: origin.to_string(),
                message: format!(
                    "not valid UTF-8 (first invalid byte at offset {offset}); read as Windows-1252"
                ),
            };
            Ok((text, Some(warning)))
        }
    }
}

/// UTF-16 text with a byte-order mark (as Windows editors save it), decoded;
/// `None` for anything else. Unpaired surrogates become U+FFFD.
pub(super) fn decode_utf16(bytes: &[u8]) -> Option<String> {
    let little = match bytes {
        [0xFF, 0xFE, ..] => true,
        [0xFE, 0xFF, ..] => false,
        _ => return None,
    };
    let units: Vec<u16> = bytes[2..]
        .chunks_exact(2)
        .map(|p| {
            if little {
                u16::from_le_bytes([p[0], p[1]])
            } else {
                u16::from_be_bytes([p[0], p[1]])
            }
        })
        .collect();
    let mut text = String::from_utf16_lossy(&units);
    if bytes.len() % 2 == 1 {
        text.push(char::REPLACEMENT_CHARACTER);
    }
    Some(text)
}

/// Decodes bytes as [`decode`] does but without refusing binary-looking
/// data: for labelled corpora, whose offsets refer to every document as
/// given.
pub fn decode_lenient(mut bytes: Vec<u8>) -> String {
    if bytes.starts_with(&[0xEF, 0xBB, 0xBF]) {
        bytes.drain(..3);
    }
    match String::from_utf8(bytes) {
        Ok(text) => text,
        Err(e) => decode_windows_1252(e.as_bytes()),
    }
}

/// Whether the first 8 KiB look like binary data: at least one NUL byte,
/// and control characters (other than tab, line and page breaks) making up
/// more than 5% of them. Text with a stray NUL, as web extracts sometimes
/// have, is still text.
pub(super) fn looks_binary(bytes: &[u8]) -> bool {
    let head = &bytes[..bytes.len().min(8192)];
    if !head.contains(&0) {
        return false;
    }
    let control = head
        .iter()
        .filter(|&&b| b < 0x20 && !matches!(b, b'\t' | b'\n' | b'\r' | 0x0B | 0x0C))
        .count();
    control * 20 > head.len()
}

/// Windows-1252 to UTF-8. Bytes 0x80–0x9F map to the typographic characters
/// the code page defines there; the five it leaves undefined map to the C1
/// control with the same value, as browsers do.
pub(super) fn decode_windows_1252(bytes: &[u8]) -> String {
    const HIGH: [char; 32] = [
        '€', '\u{81}', '‚', 'ƒ', '„', '…', '†', '‡', 'ˆ', '‰', 'Š', '‹', 'Œ', '\u{8D}', 'Ž',
        '\u{8F}', '\u{90}', '‘', '’', '“', '”', '•', '–', '—', '˜', '™', 'š', '›', 'œ', '\u{9D}',
        'ž', 'Ÿ',
    ];
    bytes
        .iter()
        .map(|&b| match b {
            0x80..=0x9F => HIGH[usize::from(b - 0x80)],
            _ => char::from(b),
        })
        .collect()
}
