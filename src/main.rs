fn main() {
    std::process::exit(pamphlet::cli::main());
}
