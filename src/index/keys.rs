//! What documents are filed and looked up by: band keys, sampled
//! character grams, ids, and the table entries made of them.

use super::*;

/// The high halves of a document's sampled character grams (all its
/// paragraphs: boilerplate is not known when it is filed; grams carried by
/// very many documents are left out when they are looked up), sorted and
/// distinct.
pub(super) fn gram_keys(d: &ShingledDocument) -> Result<Vec<u64>> {
    Ok(sampled_grams(d, |_| false)?
        .into_iter()
        .map(u64::from)
        .collect())
}

pub(super) fn id_key(id: &str) -> u64 {
    xxh3_64(id.as_bytes())
}

/// The unit bits of a band table value (the rest is the document number).
pub(super) const UNIT_MASK: u64 = (1 << UNIT_BITS) - 1;

pub(super) fn band_key(band: usize, key: u32) -> u64 {
    ((band as u64) << 32) | u64::from(key)
}

/// What a batch's documents are looked up and filed by, computed once per
/// document: each fingerprinted unit's band keys, and the high halves of
/// the sampled character grams.
#[derive(Default)]
pub(super) struct BatchKeys {
    pub(super) bands: Vec<Vec<(u32, Vec<u32>)>>,
    pub(super) grams: Vec<Vec<u64>>,
}

pub(super) fn batch_keys(detector: &Detector, batch: &[ShingledDocument]) -> Result<BatchKeys> {
    let grams = batch.par_iter().map(gram_keys).collect::<Result<_>>()?;
    let bands = batch
        .par_iter()
        .map(|d| detector.unit_band_keys(d))
        .collect();
    Ok(BatchKeys { bands, grams })
}

/// `(band key, seq << 16 | unit)` for each band of each fingerprinted unit
/// (units past 65,535 of one document are not filed).
pub(super) fn band_entries(units: &[(u32, Vec<u32>)], seq: u64) -> Vec<(u64, u64)> {
    units
        .iter()
        .filter(|(u, _)| u64::from(*u) <= UNIT_MASK)
        .flat_map(|(u, keys)| {
            keys.iter()
                .enumerate()
                .map(move |(b, &k)| (band_key(b, k), (seq << UNIT_BITS) | u64::from(*u)))
        })
        .collect()
}

/// The entries of `batch`'s documents, numbered from `first_seq`, with
/// their keys `keys`; undated ones on day `today`.
pub(super) fn entries_of(
    batch: &[ShingledDocument],
    keys: &BatchKeys,
    first_seq: u64,
    today: i64,
) -> Result<Vec<DocEntries>> {
    batch
        .par_iter()
        .enumerate()
        .map(|(i, d)| {
            let seq = first_seq + i as u64;
            doc_entries(d, seq, today, &keys.bands[i], &keys.grams[i])
        })
        .collect()
}

/// One new document's record and keys.
pub(super) struct DocEntries {
    pub(super) seq: u64,
    pub(super) day: i64,
    pub(super) record: Vec<u8>,
    pub(super) bands: Vec<(u64, u64)>,
    pub(super) units: Vec<u64>,
    pub(super) words: Option<u64>,
    pub(super) id: u64,
    pub(super) grams: Vec<(u64, u64)>,
}

pub(super) fn doc_entries(
    d: &ShingledDocument,
    seq: u64,
    today: i64,
    units: &[(u32, Vec<u32>)],
    grams: &[u64],
) -> Result<DocEntries> {
    let record = Record {
        id: d.id.clone(),
        origin: d.origin.clone(),
        date: d.date.as_ref().map(|x| x.as_str().to_string()),
        source: d.source.clone(),
        title: d.title.clone(),
        url: d.url.clone(),
        body_start: d.body_start,
        text: KeptText::read_or_empty(d.text.as_ref())?.into_owned(),
    };
    let json = serde_json::to_vec(&record)?;
    let mut enc = flate2::write::DeflateEncoder::new(Vec::new(), Compression::fast());
    std::io::Write::write_all(&mut enc, &json)?;
    let record =
        store::DocBlob::write(&enc.finish()?, d.paragraphs.iter().map(|p| &p.shingles[..]));
    let bands = band_entries(units, seq);
    let mut units: Vec<u64> = d.paragraphs.iter().filter_map(|p| p.set_key()).collect();
    units.sort_unstable();
    units.dedup();
    let n = (grams.len() as u64).min(UNIT_MASK);
    Ok(DocEntries {
        grams: grams.iter().map(|&g| (g, (seq << UNIT_BITS) | n)).collect(),
        seq,
        day: d.date.as_ref().map_or(today, Date::day),
        record,
        bands,
        units,
        words: d.words_key,
        id: id_key(&d.id),
    })
}
