//! JSON Lines feeds: lines read with a cap, parsed into documents.

use super::*;

pub(super) fn read_feed(
    index: u32,
    input: &Input,
    fields: &FeedFields,
    emit: &mut impl FnMut(Vec<Item>),
) {
    match input.open_detect() {
        Ok((reader, gzip)) => read_feed_from(index, input, reader, gzip, fields, emit),
        Err(e) => emit(vec![Item::Error(e)]),
    }
}

pub(super) fn read_feed_from(
    index: u32,
    input: &Input,
    mut reader: Box<dyn BufRead + Send>,
    gzip: bool,
    fields: &FeedFields,
    emit: &mut impl FnMut(Vec<Item>),
) {
    let origin = input.origin();
    let stem = feed_stem(input);
    let mut line_no: u64 = 0;
    let mut batch: Vec<(u64, Vec<u8>)> = Vec::new();
    let mut batch_bytes = 0;
    // A compressed feed's records are held until its checksum is read:
    // damaged data decompresses into plausible but wrong records.
    let mut held: Vec<Item> = Vec::new();
    let mut give = |items: Vec<Item>, emit: &mut dyn FnMut(Vec<Item>)| {
        if gzip {
            held.extend(items);
        } else {
            emit(items);
        }
    };
    loop {
        let mut buf = Vec::new();
        match read_line_capped(&mut reader, &mut buf) {
            Ok(Line::End) => break,
            Ok(line @ (Line::Endless | Line::TooLong(_))) => {
                line_no += 1;
                let message = match line {
                    Line::TooLong(n) => format!(
                        "the line is {n} bytes or more, over the limit of {MAX_LINE_BYTES} bytes for one record; it was skipped (is this a JSON Lines feed?)"
                    ),
                    _ => format!(
                        "the line does not end within {MAX_SKIP_BYTES} bytes; the rest of the input was not read (is this a JSON Lines feed?)"
                    ),
                };
                let mut items = parse_lines(index, &origin, &stem, fields, &mut batch);
                items.push(Item::Error(Error::FeedLine {
                    path: origin.clone(),
                    line: line_no,
                    message,
                }));
                let skipped = match line {
                    Line::TooLong(n) => n,
                    _ => MAX_SKIP_BYTES,
                };
                emit(vec![Item::Read((batch_bytes + skipped) as u64)]);
                give(items, emit);
                batch_bytes = 0;
                if matches!(line, Line::Endless) {
                    break;
                }
            }
            Ok(Line::Read(n)) => {
                line_no += 1;
                batch_bytes += n;
                batch.push((line_no, buf));
                if batch.len() >= BATCH || batch_bytes >= BATCH_BYTES {
                    emit(vec![Item::Read(batch_bytes as u64)]);
                    give(parse_lines(index, &origin, &stem, fields, &mut batch), emit);
                    batch_bytes = 0;
                }
            }
            Err(source) => {
                let items = parse_lines(index, &origin, &stem, fields, &mut batch);
                give(items, emit);
                let err = if !gzip {
                    Error::Io {
                        path: input.path.clone(),
                        source,
                    }
                } else if source.kind() == std::io::ErrorKind::UnexpectedEof {
                    // Cut short: what was decompressed is what was written.
                    Error::Corrupt {
                        path: origin.clone(),
                        line: line_no,
                        source,
                    }
                } else {
                    held.clear();
                    Error::Damaged {
                        path: origin.clone(),
                        line: line_no,
                        records: line_no,
                        source,
                    }
                };
                held.push(Item::Error(err));
                return emit(held);
            }
        }
    }
    emit(vec![Item::Read(batch_bytes as u64)]);
    give(parse_lines(index, &origin, &stem, fields, &mut batch), emit);
    if gzip {
        emit(held);
    }
}

/// The longest feed line read as one record: 64 MiB. Longer lines (a file
/// that is not a feed, a line that never ends) are skipped with an error
/// instead of being held in memory.
pub const MAX_LINE_BYTES: usize = 64 << 20;

/// A line still unfinished after this many bytes ends the reading of its
/// input (an endless device, a stream with no line breaks): 1 GiB.
pub(super) const MAX_SKIP_BYTES: usize = 16 * MAX_LINE_BYTES;

pub(super) enum Line {
    End,
    Endless,
    Read(usize),
    TooLong(usize),
}

/// Reads one line into `buf`, or skips it when it exceeds
/// [`MAX_LINE_BYTES`].
pub(super) fn read_line_capped(
    reader: &mut dyn BufRead,
    buf: &mut Vec<u8>,
) -> std::io::Result<Line> {
    let n = reader
        .take(MAX_LINE_BYTES as u64 + 1)
        .read_until(b'\n', buf)?;
    if n == 0 {
        return Ok(Line::End);
    }
    if n <= MAX_LINE_BYTES || buf.ends_with(b"\n") {
        return Ok(Line::Read(n));
    }
    buf.clear();
    let mut skipped = n;
    loop {
        if skipped > MAX_SKIP_BYTES {
            return Ok(Line::Endless);
        }
        let chunk = reader.fill_buf()?;
        if chunk.is_empty() {
            break;
        }
        match chunk.iter().position(|&b| b == b'\n') {
            Some(p) => {
                reader.consume(p + 1);
                skipped += p + 1;
                break;
            }
            None => {
                let l = chunk.len();
                reader.consume(l);
                skipped += l;
            }
        }
    }
    Ok(Line::TooLong(skipped))
}

pub(super) fn feed_stem(input: &Input) -> String {
    if input.is_stdin() || input.label.as_deref() == Some("<stdin>") {
        return "stdin".into();
    }
    // A spooled input is named by its label, the path it was read from.
    let named = input
        .label
        .as_deref()
        .map_or(input.path.as_path(), Path::new);
    let name = named
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let lower = name.to_ascii_lowercase();
    let mut cut = name.len();
    for suffix in [".gz", ".jsonl", ".ndjson"] {
        if lower[..cut].ends_with(suffix) {
            cut -= suffix.len();
        }
    }
    name[..cut].to_string()
}

pub(super) fn parse_lines(
    input: u32,
    origin: &str,
    stem: &str,
    fields: &FeedFields,
    batch: &mut Vec<(u64, Vec<u8>)>,
) -> Vec<Item> {
    let items = batch
        .par_drain(..)
        .map(|(line, bytes)| parse_line(input, origin, stem, fields, line, bytes))
        .collect::<Vec<_>>();
    items.into_iter().flatten().collect()
}

/// Parses one feed line into a document (or nothing, for a blank line).
pub(super) fn parse_line(
    input: u32,
    origin: &str,
    stem: &str,
    fields: &FeedFields,
    line: u64,
    bytes: Vec<u8>,
) -> Vec<Item> {
    let mut out = Vec::new();
    if bytes.iter().all(u8::is_ascii_whitespace) {
        return out;
    }
    let text = match String::from_utf8(bytes) {
        Ok(t) => t,
        Err(e) => {
            let offset = e.utf8_error().valid_up_to();
            out.push(Item::Warning(Warning {
                origin: format!("{origin}:{line}"),
                message: format!(
                    "not valid UTF-8 (first invalid byte at offset {offset} of the line); read as Windows-1252"
                ),
            }));
            decode_windows_1252(e.as_bytes())
        }
    };
    let value: Value = match serde_json::from_str(&text) {
        Ok(v) => v,
        Err(e) => {
            out.push(Item::Error(Error::FeedLine {
                path: origin.to_string(),
                line,
                message: format!(
                    "not a JSON object ({e}); each line of a feed must be one JSON object"
                ),
            }));
            return out;
        }
    };
    out.extend(parse_value(input, origin, stem, fields, line, value));
    out
}

/// The document (or error) of one feed record, parsed.
pub(super) fn parse_value(
    input: u32,
    origin: &str,
    stem: &str,
    fields: &FeedFields,
    line: u64,
    value: Value,
) -> Vec<Item> {
    let mut out = Vec::new();
    let line_err = |message: String| Error::FeedLine {
        path: origin.to_string(),
        line,
        message,
    };
    let Value::Object(mut map) = value else {
        out.push(Item::Error(line_err(format!(
            "{} where a JSON object was expected; each line of a feed must be one JSON object",
            kind(&value)
        ))));
        return out;
    };
    let body = match map.remove(&fields.text) {
        Some(Value::String(s)) => s,
        Some(other) => {
            out.push(Item::Error(line_err(format!(
                "field \"{}\" is {}, not a string",
                fields.text,
                kind(&other)
            ))));
            return out;
        }
        None => {
            out.push(Item::Error(line_err(format!(
                "no \"{}\" field; name the field that holds the article with --text-field",
                fields.text
            ))));
            return out;
        }
    };
    if body.len() > u32::MAX as usize {
        out.push(Item::Error(line_err(
            "the text is larger than 4 GiB; split the article".into(),
        )));
        return out;
    }
    let id = match map.get(&fields.id) {
        Some(Value::String(s)) if !s.is_empty() => s.clone(),
        Some(Value::Number(n)) => n.to_string(),
        _ => format!("{stem}:{line}"),
    };
    let string_field = |name: &str| match map.get(name) {
        Some(Value::String(s)) if !s.trim().is_empty() => Some(s.clone()),
        _ => None,
    };
    let mut doc = Document::from_text(id, format!("{origin}:{line}"), body);
    match map.get(&fields.date) {
        None | Some(Value::Null) => {}
        Some(Value::String(s)) if s.trim().is_empty() => {}
        Some(Value::String(s)) => match Date::parse(s) {
            Some(d) => doc.date = Some(d),
            None => out.push(Item::Warning(Warning {
                origin: format!("{origin}:{line}"),
                message: format!(
                    "date {s:?} is not YYYY-MM-DD, an ISO 8601 or RFC 2822 timestamp, or epoch seconds; treated as unknown"
                ),
            })),
        },
        Some(Value::Number(n)) if Date::parse(&n.to_string()).is_some() => {
            doc.date = Date::parse(&n.to_string());
        }
        Some(other) => out.push(Item::Warning(Warning {
            origin: format!("{origin}:{line}"),
            message: format!(
                "field \"{}\" is {}, not a date string; treated as unknown",
                fields.date,
                kind(other)
            ),
        })),
    }
    doc.source = string_field(&fields.source);
    doc.title = string_field(&fields.title);
    doc.url = string_field(&fields.url);
    doc.record = Some(RecordRef { input, line });
    out.push(Item::Document(doc));
    out
}

pub(super) fn kind(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

/// The records of a feed at the given 1-based `lines` (sorted), parsed as
/// [`read_feed`] parses them; the other lines are counted but neither kept
/// nor parsed, and reading stops after the last one wanted. An error
/// (the input cannot be read, or a wanted line is not a record) ends the
/// items.
pub(super) fn read_feed_lines(
    index: u32,
    input: &Input,
    lines: &[u64],
    fields: &FeedFields,
) -> Vec<Item> {
    let (mut reader, _) = match input.open_detect() {
        Ok(r) => r,
        Err(e) => return vec![Item::Error(e)],
    };
    let origin = input.origin();
    let stem = feed_stem(input);
    let mut items: Vec<Item> = Vec::new();
    let mut batch: Vec<(u64, Vec<u8>)> = Vec::new();
    let mut wanted = lines.iter().copied().peekable();
    let mut line_no: u64 = 0;
    let mut buf = Vec::new();
    while let Some(&next) = wanted.peek() {
        buf.clear();
        let read = read_line_capped(&mut reader, &mut buf);
        line_no += 1;
        let fail = |message: String| Error::FeedLine {
            path: origin.clone(),
            line: next,
            message,
        };
        match read {
            Ok(Line::Read(_)) if line_no == next => {
                batch.push((line_no, std::mem::take(&mut buf)));
                wanted.next();
                // Parsed a batch at a time: raw lines are not held beside
                // all their documents.
                if batch.len() >= BATCH {
                    items.extend(parse_lines(index, &origin, &stem, fields, &mut batch));
                }
            }
            Ok(Line::Read(_) | Line::TooLong(_)) if line_no < next => {}
            Ok(Line::TooLong(_)) => {
                items.extend(parse_lines(index, &origin, &stem, fields, &mut batch));
                items.push(Item::Error(fail(
                    "the line is too long for a record".into(),
                )));
                return items;
            }
            Ok(Line::End | Line::Endless) | Ok(Line::Read(_)) => {
                items.extend(parse_lines(index, &origin, &stem, fields, &mut batch));
                items.push(Item::Error(fail(format!(
                    "the input ends after line {}, before this line: give the inputs that were sketched",
                    line_no - 1
                ))));
                return items;
            }
            Err(source) => {
                items.extend(parse_lines(index, &origin, &stem, fields, &mut batch));
                items.push(Item::Error(Error::Io {
                    path: input.path.clone(),
                    source,
                }));
                return items;
            }
        }
    }
    items.extend(parse_lines(index, &origin, &stem, fields, &mut batch));
    items
}
