//! Writes a generated map of N cards (the benchmarks' maps) as a map file, for
//! measuring the editor and the exporter on large maps:
//! `cargo run --release --example sample_map -- 10000 big.journey.json`.

use std::process::ExitCode;

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let (Some(count), Some(path)) = (args.first(), args.get(1)) else {
        eprintln!("usage: sample_map CARDS FILE");
        return ExitCode::from(2);
    };
    let Ok(count) = count.parse::<usize>() else {
        eprintln!("error: '{count}' is not a number of cards");
        return ExitCode::from(2);
    };
    let map = journeymap::sample::generated_map(count);
    match std::fs::write(path, journeymap::model::format::to_json(&map)) {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) => {
            eprintln!("error: {path}: {err}");
            ExitCode::from(1)
        }
    }
}
