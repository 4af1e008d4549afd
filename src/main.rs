fn main() -> std::process::ExitCode {
    journeymap::cli::main()
}
