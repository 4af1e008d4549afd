//! The command line: the same binary, without a window.
//!
//! Exit status 0 on success, 1 when the input is bad (one `error: FILE: problem` line
//! on stderr, no output file written or touched), 2 on a usage error.

use crate::model::format;
use crate::storage;
use crate::templates::{self, TEMPLATES};
use clap::{Parser, Subcommand};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

#[derive(Debug, Parser)]
#[command(
    name = "journeymap",
    version,
    about = "A desktop editor for customer journey maps",
    args_conflicts_with_subcommands = true
)]
pub struct Cli {
    /// A .journey.json file to open.
    pub file: Option<PathBuf>,
    #[command(subcommand)]
    pub command: Option<Command>,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// List the starter templates.
    Templates,
    /// Start a new map from a template.
    New {
        /// Template id, as `journeymap templates` lists them.
        #[arg(long, default_value = "5a")]
        template: String,
        /// Where to write the map.
        #[arg(long, short)]
        output: PathBuf,
        /// Replace the output file if it exists.
        #[arg(long)]
        force: bool,
    },
    /// Validate a map: summary on stdout, problems on stderr.
    Check { file: PathBuf },
    /// Write a map out again: as normalised JSON (.json).
    Export {
        file: PathBuf,
        #[arg(long, short)]
        output: PathBuf,
    },
}

/// A failure of a command: a bad input (exit 1) or a usage error (exit 2).
#[derive(Debug)]
pub enum Failure {
    Input(String),
    Usage(String),
}

impl Failure {
    fn input(path: &Path, problem: impl std::fmt::Display) -> Self {
        Failure::Input(format!("{}: {problem}", path.display()))
    }
}

pub fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(err) => {
            let _ = err.print();
            return ExitCode::from(if err.use_stderr() { 2 } else { 0 });
        }
    };
    match run(cli) {
        Ok(()) => ExitCode::SUCCESS,
        Err(Failure::Input(message)) => {
            eprintln!("error: {message}");
            ExitCode::from(1)
        }
        Err(Failure::Usage(message)) => {
            eprintln!("error: {message}");
            ExitCode::from(2)
        }
    }
}

pub fn run(cli: Cli) -> Result<(), Failure> {
    match (cli.command, cli.file) {
        (Some(Command::Templates), _) => {
            list_templates();
            Ok(())
        }
        (
            Some(Command::New {
                template,
                output,
                force,
            }),
            _,
        ) => new_map(&template, &output, force),
        (Some(Command::Check { file }), _) => check(&file),
        (Some(Command::Export { file, output }), _) => export(&file, &output),
        (None, Some(file)) => Err(Failure::Usage(format!(
            "{}: this build has no editor window yet; try `journeymap check {}`",
            file.display(),
            file.display()
        ))),
        (None, None) => {
            use clap::CommandFactory;
            let _ = Cli::command().print_help();
            Ok(())
        }
    }
}

fn list_templates() {
    let width = TEMPLATES.iter().map(|t| t.id.len()).max().unwrap_or(0);
    for template in &TEMPLATES {
        println!(
            "{:width$}  {} — {}",
            template.id, template.name, template.summary
        );
    }
}

fn new_map(template_id: &str, output: &Path, force: bool) -> Result<(), Failure> {
    let template = templates::find(template_id).ok_or_else(|| {
        let ids: Vec<_> = TEMPLATES.iter().map(|t| t.id).collect();
        Failure::Usage(format!(
            "unknown template '{template_id}'; the templates are: {}",
            ids.join(", ")
        ))
    })?;
    if !force && output.exists() {
        return Err(Failure::input(
            output,
            "already exists; choose another name or pass --force",
        ));
    }
    let map = template
        .map()
        .map_err(|err| Failure::Input(format!("template {template_id}: {err}")))?;
    storage::save_map(output, &map).map_err(|err| Failure::input(output, err))?;
    println!(
        "{}: new map from template {} ({})",
        output.display(),
        template.id,
        template.name
    );
    Ok(())
}

fn check(file: &Path) -> Result<(), Failure> {
    let loaded = storage::load_file(file).map_err(|err| Failure::Input(err.to_string()))?;
    let map = &loaded.map;
    let plural = |n: usize, what: &str| format!("{n} {what}{}", if n == 1 { "" } else { "s" });
    println!(
        "{}: \"{}\", {}, {}, {}, {}",
        file.display(),
        map.title,
        plural(map.stages.len(), "stage"),
        plural(map.lanes.len(), "lane"),
        plural(map.cards.len(), "card"),
        plural(map.personas.len(), "persona"),
    );
    if let Some(version) = loaded.migrated_from {
        eprintln!(
            "note: {}: format version {version}; saving it writes version {}",
            file.display(),
            format::CURRENT_VERSION
        );
    }
    for warning in &loaded.warnings {
        eprintln!("warning: {}: {warning}", file.display());
    }
    match loaded.warnings.len() {
        0 => Ok(()),
        n => Err(Failure::input(
            file,
            format!("{} (listed above)", plural(n, "problem")),
        )),
    }
}

fn export(file: &Path, output: &Path) -> Result<(), Failure> {
    let output_name = output.to_string_lossy().to_ascii_lowercase();
    if !output_name.ends_with(".json") {
        return Err(Failure::Usage(format!(
            "{}: unknown output type; use a .journey.json name",
            output.display()
        )));
    }
    let loaded = storage::load_file(file).map_err(|err| Failure::Input(err.to_string()))?;
    for warning in &loaded.warnings {
        eprintln!("warning: {}: {warning}", file.display());
    }
    storage::save_map(output, &loaded.map).map_err(|err| Failure::input(output, err))?;
    Ok(())
}
