//! Parquet files of a sketch, written and read with the parquet crate's
//! column API (arrow-rs without Arrow arrays: a few flat columns need no
//! more).
//!
//! 64-bit hashes are stored as signed INT64 (their bits unchanged): Spark
//! reads Parquet's unsigned 64-bit type as `decimal(20,0)`, and other
//! engines wrap it silently.

use std::fs::File;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use parquet::basic::Compression;
use parquet::data_type::{ByteArray, ByteArrayType, Int32Type, Int64Type};
use parquet::file::metadata::KeyValue;
use parquet::file::properties::WriterProperties;
use parquet::file::reader::{FileReader, SerializedFileReader};
use parquet::file::writer::SerializedFileWriter;
use parquet::record::Field;
use parquet::schema::parser::parse_message_type;

use crate::error::{Error, Result};

/// One column's values, in the order of the schema's fields.
pub(crate) enum Column<'a> {
    /// `required int64`.
    Long(Vec<i64>),
    /// `required int32`.
    Int(Vec<i32>),
    /// `required binary (STRING)`.
    Str(Vec<&'a str>),
    /// `optional binary (STRING)`.
    OptStr(Vec<Option<&'a str>>),
    /// `optional int64`.
    OptLong(Vec<Option<i64>>),
}

impl Column<'_> {
    /// Rows of the column.
    fn len(&self) -> usize {
        match self {
            Column::Long(v) => v.len(),
            Column::Int(v) => v.len(),
            Column::Str(v) => v.len(),
            Column::OptStr(v) => v.len(),
            Column::OptLong(v) => v.len(),
        }
    }
}

/// Most rows of a row group written by [`write_table`].
const ROW_GROUP_ROWS: usize = 1 << 20;

pub(crate) fn sketch_error(path: &Path, message: impl Into<String>) -> Error {
    Error::Sketch {
        path: path.to_path_buf(),
        message: message.into(),
    }
}

fn parquet_error(path: &Path, e: impl std::fmt::Display) -> Error {
    let e = e.to_string();
    // Only snappy (Spark's default) and uncompressed parts are read.
    let hint = if e.contains("Disabled feature at compile time") {
        "; write the join's output with snappy compression or none \
         (Spark: spark.sql.parquet.compression.codec=snappy)"
    } else {
        ""
    };
    sketch_error(path, format!("Parquet: {e}{hint}"))
}

/// A temporary file in `dir`, to be renamed to a part's name once written,
/// with the usual mode of a new file (0666 less the umask) rather than a
/// temporary file's private 0600: a cluster's other users read the parts.
pub(super) fn part_file_in(dir: &Path) -> Result<tempfile::NamedTempFile> {
    use std::os::unix::fs::PermissionsExt;
    tempfile::Builder::new()
        .prefix(".part-")
        .permissions(std::fs::Permissions::from_mode(0o666))
        .tempfile_in(dir)
        .map_err(|source| Error::Io {
            path: dir.to_path_buf(),
            source,
        })
}

/// Writes one row group of `columns` (matching `schema`, a Parquet message
/// type) to `path`, with `metadata` as key-value metadata. The file appears
/// whole or not at all: it is written under a temporary name and renamed.
pub(crate) fn write_table(
    path: &Path,
    schema: &str,
    columns: Vec<Column<'_>>,
    metadata: &[(String, String)],
) -> Result<()> {
    write_table_grouped(path, schema, columns, metadata, ROW_GROUP_ROWS)
}

/// [`write_table`] in row groups of at most `group_rows` rows.
fn write_table_grouped(
    path: &Path,
    schema: &str,
    columns: Vec<Column<'_>>,
    metadata: &[(String, String)],
    group_rows: usize,
) -> Result<()> {
    let dir = path.parent().unwrap_or(Path::new("."));
    let err = |e: parquet::errors::ParquetError| parquet_error(path, e);
    let schema = Arc::new(parse_message_type(schema).map_err(err)?);
    let props = WriterProperties::builder()
        .set_compression(Compression::SNAPPY)
        .set_key_value_metadata(Some(
            metadata
                .iter()
                .map(|(k, v)| KeyValue::new(k.clone(), v.clone()))
                .collect(),
        ))
        .build();
    let tmp = part_file_in(dir)?;
    let file = tmp.as_file().try_clone().map_err(|source| Error::Io {
        path: path.to_path_buf(),
        source,
    })?;
    let mut writer = SerializedFileWriter::new(file, schema, Arc::new(props)).map_err(err)?;
    let rows = columns.first().map_or(0, Column::len);
    if columns.iter().any(|c| c.len() != rows) {
        return Err(sketch_error(path, "columns of different lengths"));
    }
    // Row groups of at most `group_rows` rows (one, empty, for no rows),
    // so that a reader of a range of rows skips the others.
    let mut from = 0;
    loop {
        let to = (from + group_rows.max(1)).min(rows);
        let mut group = writer.next_row_group().map_err(err)?;
        let mut values = columns.iter();
        while let Some(mut col) = group.next_column().map_err(err)? {
            let Some(column) = values.next() else {
                return Err(sketch_error(path, "more fields in the schema than columns"));
            };
            match column {
                Column::Long(v) => col
                    .typed::<Int64Type>()
                    .write_batch(&v[from..to], None, None),
                Column::Int(v) => col
                    .typed::<Int32Type>()
                    .write_batch(&v[from..to], None, None),
                Column::Str(v) => {
                    let v: Vec<ByteArray> =
                        v[from..to].iter().map(|&s| ByteArray::from(s)).collect();
                    col.typed::<ByteArrayType>().write_batch(&v, None, None)
                }
                Column::OptStr(v) => {
                    let v = &v[from..to];
                    let levels: Vec<i16> = v.iter().map(|x| i16::from(x.is_some())).collect();
                    let v: Vec<ByteArray> =
                        v.iter().flatten().map(|&s| ByteArray::from(s)).collect();
                    col.typed::<ByteArrayType>()
                        .write_batch(&v, Some(&levels), None)
                }
                Column::OptLong(v) => {
                    let v = &v[from..to];
                    let levels: Vec<i16> = v.iter().map(|x| i16::from(x.is_some())).collect();
                    let v: Vec<i64> = v.iter().flatten().copied().collect();
                    col.typed::<Int64Type>()
                        .write_batch(&v, Some(&levels), None)
                }
            }
            .map_err(err)?;
            col.close().map_err(err)?;
        }
        group.close().map_err(err)?;
        from = to;
        if from >= rows {
            break;
        }
    }
    writer.close().map_err(err)?;
    tmp.persist(path).map_err(|e| Error::Io {
        path: path.to_path_buf(),
        source: e.error,
    })?;
    Ok(())
}

/// The `.parquet` files directly in `dir` (a table written by `reprint`
/// or by an engine such as Spark, whose `_SUCCESS` and `.crc` files are
/// skipped), sorted by name.
pub(crate) fn table_files(dir: &Path) -> Result<Vec<PathBuf>> {
    let entries = std::fs::read_dir(dir).map_err(|source| match source.kind() {
        std::io::ErrorKind::NotFound => Error::NotFound {
            path: dir.to_path_buf(),
        },
        _ => Error::Io {
            path: dir.to_path_buf(),
            source,
        },
    })?;
    let mut files = Vec::new();
    for e in entries {
        let e = e.map_err(|source| Error::Io {
            path: dir.to_path_buf(),
            source,
        })?;
        let name = e.file_name();
        let name = name.to_string_lossy();
        if name.ends_with(".parquet") && !name.starts_with('.') && !name.starts_with('_') {
            files.push(e.path());
        }
    }
    files.sort();
    Ok(files)
}

fn open(path: &Path) -> Result<SerializedFileReader<File>> {
    let file = File::open(path).map_err(|source| Error::Io {
        path: path.to_path_buf(),
        source,
    })?;
    SerializedFileReader::new(file).map_err(|e| parquet_error(path, e))
}

/// The number of rows of a Parquet file, from its footer.
pub(crate) fn row_count(path: &Path) -> Result<usize> {
    Ok(open(path)?.metadata().file_metadata().num_rows().max(0) as usize)
}

/// The key-value metadata of a Parquet file.
pub(crate) fn key_values(path: &Path) -> Result<Vec<(String, String)>> {
    let reader = open(path)?;
    Ok(reader
        .metadata()
        .file_metadata()
        .key_value_metadata()
        .map(|kv| {
            kv.iter()
                .map(|k| (k.key.clone(), k.value.clone().unwrap_or_default()))
                .collect()
        })
        .unwrap_or_default())
}

/// A value read back: integers of any width, strings, or null.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Value {
    Long(i64),
    Str(String),
    Null,
}

/// Calls `each` with the values of the named columns, row by row, in the
/// order of `names`. Integer columns of any width are read as longs; a
/// missing column is an error that names the file and the columns it has.
pub(crate) fn read_rows(
    path: &Path,
    names: &[&str],
    each: impl FnMut(&[Value]) -> Result<()>,
) -> Result<()> {
    read_rows_in(path, names, 0..usize::MAX, each).map(|_| ())
}

/// [`read_rows`] of the rows in `range` (by position in the file) only:
/// row groups outside it are not read. Returns the number of rows in the
/// file.
pub(crate) fn read_rows_in(
    path: &Path,
    names: &[&str],
    range: std::ops::Range<usize>,
    mut each: impl FnMut(&[Value]) -> Result<()>,
) -> Result<usize> {
    let reader = open(path)?;
    let fields = reader.metadata().file_metadata().schema().get_fields();
    let positions: Vec<usize> = names
        .iter()
        .map(|n| {
            fields.iter().position(|f| f.name() == *n).ok_or_else(|| {
                let have: Vec<&str> = fields.iter().map(|f| f.name()).collect();
                sketch_error(
                    path,
                    format!("no column '{n}' (columns: {})", have.join(", ")),
                )
            })
        })
        .collect::<Result<_>>()?;
    let mut values = vec![Value::Null; names.len()];
    let mut first = 0usize;
    for g in 0..reader.num_row_groups() {
        let rows = reader.metadata().row_group(g).num_rows().max(0) as usize;
        let group = first..first + rows;
        first += rows;
        if group.end <= range.start || group.start >= range.end {
            continue;
        }
        let group_reader = reader
            .get_row_group(g)
            .map_err(|e| parquet_error(path, e))?;
        let rows = group_reader
            .get_row_iter(None)
            .map_err(|e| parquet_error(path, e))?;
        for (at, row) in group.zip(rows) {
            if !range.contains(&at) {
                continue;
            }
            let row = row.map_err(|e| parquet_error(path, e))?;
            let cols: Vec<&Field> = row.get_column_iter().map(|(_, f)| f).collect();
            for (slot, &p) in values.iter_mut().zip(&positions) {
                *slot = match cols.get(p) {
                    Some(Field::Long(v)) => Value::Long(*v),
                    Some(Field::Int(v)) => Value::Long(i64::from(*v)),
                    Some(Field::Short(v)) => Value::Long(i64::from(*v)),
                    Some(Field::Str(s)) => Value::Str(s.clone()),
                    Some(Field::Null) | None => Value::Null,
                    Some(other) => {
                        return Err(sketch_error(
                            path,
                            format!(
                                "column '{}' holds {other:?}, not an integer or a string",
                                names[0]
                            ),
                        ));
                    }
                };
            }
            each(&values)?;
        }
    }
    Ok(first)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_range_of_rows_is_read_across_row_groups() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("t.parquet");
        let schema = "message t { required int64 a; optional binary s (STRING); }";
        let names: Vec<String> = (0..10).map(|i| format!("n{i}")).collect();
        write_table_grouped(
            &path,
            schema,
            vec![
                Column::Long((0..10).collect()),
                Column::OptStr(
                    names
                        .iter()
                        .enumerate()
                        .map(|(i, n)| (i % 2 == 0).then_some(n.as_str()))
                        .collect(),
                ),
            ],
            &[],
            3,
        )
        .unwrap();
        let rows_of = |range: std::ops::Range<usize>| {
            let mut got = Vec::new();
            let n = read_rows_in(&path, &["a", "s"], range, |r| {
                got.push(r.to_vec());
                Ok(())
            })
            .unwrap();
            (n, got)
        };
        let (n, got) = rows_of(2..7);
        assert_eq!(n, 10);
        let want: Vec<Vec<Value>> = (2..7)
            .map(|i| {
                vec![
                    Value::Long(i),
                    if i % 2 == 0 {
                        Value::Str(format!("n{i}"))
                    } else {
                        Value::Null
                    },
                ]
            })
            .collect();
        assert_eq!(got, want);
        assert_eq!(rows_of(0..usize::MAX).1.len(), 10);
        assert_eq!(rows_of(10..20), (10, Vec::new()));
        // No rows: one empty row group, read as none.
        write_table_grouped(
            &path,
            schema,
            vec![Column::Long(vec![]), Column::OptStr(vec![])],
            &[],
            3,
        )
        .unwrap();
        assert_eq!(rows_of(0..5), (0, Vec::new()));
    }
}
