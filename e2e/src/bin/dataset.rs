//! Writes the fictional dataset of the speed targets — `dataset DIR N` gives N vendors with owners,
//! ties, sales and notes as CSV files in DIR — for benchmarks and by-hand timing:
//! `vetta --db big.db init --empty && vetta --db big.db import DIR`.

fn main() -> std::process::ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let [dir, n] = &args[..] else {
        eprintln!("usage: dataset DIR N");
        return std::process::ExitCode::from(2);
    };
    let Ok(n) = n.parse::<usize>() else {
        eprintln!("dataset: N must be a number of vendors, not {n:?}");
        return std::process::ExitCode::from(2);
    };
    let dir = std::path::Path::new(dir);
    match std::fs::create_dir_all(dir).map_err(Into::into).and_then(|()| vetta_e2e::write_large_dataset(dir, n)) {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("dataset: {error}");
            std::process::ExitCode::FAILURE
        }
    }
}
