//! The cache reader: any bytes in `.newsmark_cache` are a miss or
//! records, never a panic, an abort or a huge allocation.
#![no_main]
use newsmark_cli::cache::{self, SummaryStore};

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    // The first byte says how much of the rest is the file's text, which
    // cached ranges are checked against; the rest is the cache file.
    let split = data
        .first()
        .map_or(0, |&n| usize::from(n))
        .min(data.len().saturating_sub(1));
    let (text, bytes) = data.get(1..).unwrap_or_default().split_at(split);
    let text = String::from_utf8_lossy(text);
    // Whole files (magic, key 0, checksum), then bare payloads, which a
    // fuzzer cannot reach through the checksum.
    let records = [
        cache::decode_findings(bytes, 0),
        cache::decode_records(bytes),
    ];
    for record in records.iter().flatten().flatten() {
        let _ = record.fits(&text);
    }
    if let Some(store) = SummaryStore::parse(bytes.to_vec(), 0) {
        let hashes: Vec<u128> = store.hashes().collect();
        for hash in hashes {
            let _ = store.get(hash, &text);
        }
    }
    let _ = cache::decode_summary(bytes);
});
