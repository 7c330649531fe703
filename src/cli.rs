//! The command line: parses arguments, runs a command, prints what happened
//! and returns the exit status (0 success, 1 errors in the site, 2 bad usage).

use std::path::{Path, PathBuf};

use clap::{Parser, Subcommand, ValueEnum};

use crate::error::{self, Diagnostic};
use crate::output::{DiskSink, NullSink};
use crate::render::{self, BuildOptions};
use crate::scaffold;

#[derive(Parser)]
#[command(
    name = "pamphlet",
    version,
    about = "Build policy education sites (explainers, glossaries, events, tool catalogs) from Markdown",
    after_help = "Run `pamphlet <command> --help` for the options of a command."
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Build the site into an output folder (public/ unless -o says otherwise)
    Build {
        /// The site's folder: the one holding site.toml
        #[arg(long, default_value = ".", value_name = "DIR")]
        root: PathBuf,
        /// Where to write the site (replaced as a whole, only once the build succeeds)
        #[arg(short, long, value_name = "DIR")]
        output: Option<PathBuf>,
        /// Use this base URL instead of site.toml's base_url
        #[arg(long, value_name = "URL", value_parser = parse_base_url)]
        base_url: Option<crate::paths::BaseUrl>,
        /// Include pages and sections marked `draft = true`
        #[arg(long)]
        drafts: bool,
        /// Judge upcoming and past events against this date instead of today
        #[arg(long, value_name = "YYYY-MM-DD", value_parser = parse_date)]
        today: Option<jiff::civil::Date>,
    },
    /// Preview the site: build it into memory, serve it, and rebuild and reload on every change
    Serve {
        #[arg(long, default_value = ".", value_name = "DIR")]
        root: PathBuf,
        /// The address to listen on (loopback unless you mean to share the preview)
        #[arg(long, default_value = "127.0.0.1", value_name = "ADDRESS")]
        bind: std::net::IpAddr,
        /// The port to listen on (0 picks a free one)
        #[arg(short, long, default_value_t = 1111)]
        port: u16,
        /// Open the preview in a browser
        #[arg(long)]
        open: bool,
        /// Include pages and sections marked `draft = true`
        #[arg(long)]
        drafts: bool,
        /// Also answer requests whose Host is NAME (repeatable); without it, only
        /// this machine's own names and addresses are answered
        #[arg(long = "allow-host", value_name = "NAME", value_parser = crate::serve::parse_allowed_host)]
        allow_host: Vec<String>,
    },
    /// Check the site and render it without writing anything
    Check {
        #[arg(long, default_value = ".", value_name = "DIR")]
        root: PathBuf,
        /// How to print findings: text for people, json for tools
        #[arg(long, value_enum, default_value_t = Format::Text)]
        format: Format,
        #[arg(long)]
        drafts: bool,
        #[arg(long, value_name = "YYYY-MM-DD", value_parser = parse_date)]
        today: Option<jiff::civil::Date>,
    },
    /// Start a new page of a kind, in the section that holds that kind
    New {
        #[arg(value_enum)]
        kind: scaffold::NewKind,
        /// The page's title; its file name is made from it
        title: String,
        #[arg(long, default_value = ".", value_name = "DIR")]
        root: PathBuf,
    },
    /// Create a new site in DIR (which must not exist or be empty)
    Init {
        #[arg(value_name = "DIR")]
        dir: PathBuf,
    },
}

#[derive(Clone, Copy, ValueEnum)]
enum Format {
    Text,
    Json,
}

fn parse_date(s: &str) -> Result<jiff::civil::Date, String> {
    s.parse().map_err(|_| format!("`{s}` is not a date like 2026-03-02"))
}

fn parse_base_url(s: &str) -> Result<crate::paths::BaseUrl, String> {
    crate::paths::BaseUrl::parse(s).map_err(|why| format!("`{s}` {why}"))
}

/// Runs pamphlet with the process's arguments and returns the exit status.
pub fn main() -> i32 {
    run(std::env::args_os())
}

pub fn run<I, T>(args: I) -> i32
where
    I: IntoIterator<Item = T>,
    T: Into<std::ffi::OsString> + Clone,
{
    let cli = match Cli::try_parse_from(args) {
        Ok(cli) => cli,
        Err(e) => {
            let _ = e.print();
            return if e.use_stderr() { 2 } else { 0 };
        }
    };
    match cli.command {
        Command::Build { root, output, base_url, drafts, today } => {
            let options = BuildOptions { drafts, today, base_url };
            build_command(&root, output.as_deref(), &options)
        }
        Command::Serve { root, bind, port, open, drafts, allow_host } => {
            let options = crate::serve::ServeOptions { root, bind, port, open, drafts, allow_hosts: allow_host };
            crate::serve::run(&options)
        }
        Command::Check { root, format, drafts, today } => {
            let options = BuildOptions { drafts, today, base_url: None };
            check_command(&root, format, &options)
        }
        Command::New { kind, title, root } => report_one(scaffold::new_page(&root, kind, &title), "created"),
        Command::Init { dir } => report_one(scaffold::init(&dir), "created a new site in"),
    }
}

fn plural(n: usize) -> &'static str {
    if n == 1 { "" } else { "s" }
}

fn build_command(root: &Path, output: Option<&Path>, options: &BuildOptions) -> i32 {
    // A folder that is not a site gets nothing written into it, not even
    // the output's lock or staging folder.
    let target = output.map_or_else(|| root.join("public"), Path::to_path_buf);
    if let Err(diagnostics) = crate::config::load(root, options.base_url.as_ref()) {
        error::print(&diagnostics);
        eprintln!("build failed; {} was left as it was", target.display());
        return 1;
    }
    let sink = match DiskSink::new(root, &target) {
        Ok(s) => s,
        Err(problem) => {
            error::print(&[Diagnostic::global(problem)]);
            return 1;
        }
    };
    let report = render::run(root, options, &sink);
    error::print(&report.diagnostics);
    if report.has_errors() {
        sink.abandon();
        eprintln!("build failed; {} was left as it was", target.display());
        return 1;
    }
    if let Err(problems) = sink.commit() {
        error::print(&problems.into_iter().map(Diagnostic::global).collect::<Vec<_>>());
        return 1;
    }
    println!(
        "built {} page{} and {} section{} ({} files) into {} in {:.2} s",
        report.pages,
        plural(report.pages),
        report.sections,
        plural(report.sections),
        report.files,
        target.display(),
        report.elapsed.as_secs_f64()
    );
    0
}

fn check_command(root: &Path, format: Format, options: &BuildOptions) -> i32 {
    let report = render::run(root, options, &NullSink::default());
    match format {
        Format::Text => {
            error::print(&report.diagnostics);
            if !report.has_errors() {
                println!("checked {} pages and {} sections: no errors", report.pages, report.sections);
            }
        }
        Format::Json => println!("{}", error::to_json(&report.diagnostics)),
    }
    i32::from(report.has_errors())
}

fn report_one(result: Result<PathBuf, Diagnostic>, verb: &str) -> i32 {
    match result {
        Ok(path) => {
            println!("{verb} {}", path.display());
            0
        }
        Err(d) => {
            error::print(&[d]);
            1
        }
    }
}
