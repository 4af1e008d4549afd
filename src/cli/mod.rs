//! The command line: the same binary, without a window.
//!
//! Exit status 0 on success, 1 when the input is bad (one `error: FILE: problem` line
//! on stderr, no output file written or touched), 2 on a usage error (wrong flags).
//! Every piece of file text printed goes through [`crate::model::escape`], so what is
//! printed is our own lines only.

use crate::export::vector::pdf::{Paper, PdfOptions};
use crate::export::{self, Background, ExportOptions, Format, Slide};
use crate::model::escape::{self, Escaped, Quoted};
use crate::model::{LaneId, Map, ThemeMode, format};
use crate::storage;
use crate::table;
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
    /// A .journey.json file, or a PNG, SVG, PDF or PowerPoint deck exported by
    /// journeymap, to open in the editor.
    pub file: Option<PathBuf>,
    /// The graphics backend of the window: glow (OpenGL, the default on Linux) or
    /// wgpu (the default elsewhere). Also JOURNEYMAP_RENDERER.
    #[arg(long, value_name = "wgpu|glow")]
    pub renderer: Option<String>,
    /// Print the time from start to the first painted frame, then close (for startup
    /// measurements).
    #[arg(long, hide = true)]
    pub exit_after_first_frame: bool,
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
    /// Export a map (or an exported PNG, SVG, PDF or deck) as a PNG image (.png), an
    /// SVG drawing (.svg), a PDF document (.pdf), a PowerPoint deck (.pptx), a CSV
    /// table of its cards (.csv) or normalised JSON (.json).
    Export {
        file: PathBuf,
        #[arg(long, short)]
        output: PathBuf,
        #[command(flatten)]
        png: PngArgs,
    },
    /// Make a map from a CSV file of cards (one per row, with a header row naming the
    /// columns: stage, lane, title, notes, channel, ...), as `export --output x.csv`
    /// writes it or a spreadsheet saves it.
    Import {
        file: PathBuf,
        #[arg(long, short)]
        output: PathBuf,
        /// Start from this template's stages, lanes and personas (without its cards);
        /// without it, the map has the stages and lanes the file names.
        #[arg(long)]
        template: Option<String>,
        /// Replace the output file if it exists.
        #[arg(long)]
        force: bool,
    },
    /// Holds data read on stdin on the X11 clipboard until something else is copied
    /// (the editor's Copy as PNG starts it, so the image outlives the editor).
    #[command(hide = true)]
    ServeClipboard {
        #[arg(long = "type", default_value = "image/png")]
        mime: String,
    },
}

/// Options of a PNG export (ignored for JSON).
#[derive(Debug, clap::Args)]
pub struct PngArgs {
    /// Pixels per point, 1 to 4.
    #[arg(long, default_value_t = 2.0, value_parser = parse_scale)]
    scale: f32,
    /// Space around the map, in points.
    #[arg(long, default_value_t = 32.0, value_parser = parse_padding)]
    padding: f32,
    /// Light or dark map, whatever the file says.
    #[arg(long, value_enum)]
    theme: Option<ThemeArg>,
    /// theme, white, transparent or #rrggbb.
    #[arg(long, default_value = "theme")]
    background: Background,
    /// Only these stages: positions or names, as FROM..TO (for example 2..4 or Ask..Act).
    #[arg(long, value_name = "FROM..TO")]
    stages: Option<String>,
    /// Only these lanes: ids or names, separated by commas.
    #[arg(long, value_delimiter = ',')]
    lanes: Option<Vec<String>>,
    /// Letterbox the map into a slide: 16:9 (13.33×7.5 in, 1920×1080 pixels at 2x) or 4:3.
    #[arg(long)]
    slide: Option<Slide>,
    /// Leave out the title block.
    #[arg(long)]
    no_title: bool,
    /// Add the persona strip under the title.
    #[arg(long)]
    personas: bool,
    /// Add a legend of the channels used.
    #[arg(long)]
    legend: bool,
    /// PDF only: fit (one page the size of the map), or a paper size the map is scaled
    /// into: a4, a3, a2, a1, a0, letter, tabloid.
    #[arg(long, value_name = "fit|a4|a3|a2|a1|a0|letter|tabloid", value_parser = parse_page)]
    page: Option<PageArg>,
    /// PDF only: the paper turned sideways.
    #[arg(long)]
    landscape: bool,
    /// PDF only: `stages` gives the whole map on page 1, then one page per stage.
    #[arg(long, value_enum)]
    pages: Option<PagesArg>,
    /// The presentation's steps as a deck: a PNG per step (16:9, 1920×1080 pixels at
    /// 2x) into the --output folder, or a PDF with a page per step (a .pdf name).
    /// Takes --scale and --theme only.
    #[arg(long)]
    deck: bool,
    /// PowerPoint only (a .pptx name): `storyboard` (the default) gives the
    /// presentation's steps as editable slides, `map` one slide with the whole map.
    #[arg(long, value_enum)]
    slides: Option<SlidesArg>,
}

#[derive(Debug, Clone, Copy, clap::ValueEnum)]
enum SlidesArg {
    Storyboard,
    Map,
}

/// `--page`: the map's own size, or a paper size.
#[derive(Debug, Clone, Copy)]
struct PageArg(Option<Paper>);

fn parse_page(text: &str) -> Result<PageArg, String> {
    match text.eq_ignore_ascii_case("fit") {
        true => Ok(PageArg(None)),
        false => text.parse().map(|paper| PageArg(Some(paper))),
    }
}

#[derive(Debug, Clone, Copy, clap::ValueEnum)]
enum PagesArg {
    Stages,
}

impl PngArgs {
    /// The first flag given that is not in `allowed`, for outputs that take few.
    fn flag_other_than(&self, allowed: &[&str]) -> Option<&'static str> {
        let used = [
            (self.scale != 2.0, "--scale"),
            (self.padding != 32.0, "--padding"),
            (self.theme.is_some(), "--theme"),
            (self.background != Background::Theme, "--background"),
            (self.stages.is_some(), "--stages"),
            (self.lanes.is_some(), "--lanes"),
            (self.slide.is_some(), "--slide"),
            (self.no_title, "--no-title"),
            (self.personas, "--personas"),
            (self.legend, "--legend"),
            (self.page.is_some(), "--page"),
            (self.landscape, "--landscape"),
            (self.pages.is_some(), "--pages"),
            (self.slides.is_some(), "--slides"),
        ];
        used.into_iter()
            .find(|&(is_used, flag)| is_used && !allowed.contains(&flag))
            .map(|(_, flag)| flag)
    }

    /// The PDF's paging, refusing PDF flags on other outputs.
    fn pdf_options(&self, is_pdf: bool) -> Result<PdfOptions, Failure> {
        let used = self.page.is_some() || self.landscape || self.pages.is_some();
        if used && !is_pdf {
            return Err(Failure::Usage(
                "--page, --landscape and --pages are for PDF output (a .pdf name)".into(),
            ));
        }
        let paper = self.page.and_then(|page| page.0);
        if self.landscape && paper.is_none() {
            return Err(Failure::Usage(
                "--landscape needs a paper size (--page a4, a3, a2, a1, a0, letter or tabloid)"
                    .into(),
            ));
        }
        Ok(PdfOptions {
            paper,
            landscape: self.landscape,
            stage_pages: self.pages.is_some(),
        })
    }
}

#[derive(Debug, Clone, Copy, clap::ValueEnum)]
enum ThemeArg {
    Light,
    Dark,
}

fn parse_scale(text: &str) -> Result<f32, String> {
    match text.parse::<f32>() {
        Ok(scale) if (1.0..=4.0).contains(&scale) => Ok(scale),
        _ => Err(format!("'{text}' is not a scale from 1 to 4")),
    }
}

fn parse_padding(text: &str) -> Result<f32, String> {
    match text.parse::<f32>() {
        Ok(padding) if (0.0..=1000.0).contains(&padding) => Ok(padding),
        _ => Err(format!("'{text}' is not a padding from 0 to 1000 points")),
    }
}

/// A failure of a command: a bad input (exit 1) or a usage error (exit 2).
#[derive(Debug)]
pub enum Failure {
    Input(String),
    Usage(String),
}

impl Failure {
    fn input(path: &Path, problem: impl std::fmt::Display) -> Self {
        Failure::Input(format!("{}: {problem}", escape::path(path)))
    }
}

pub fn main() -> ExitCode {
    let started = std::time::Instant::now();
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(err) if err.use_stderr() => {
            // clap quotes the arguments it complains about, raw.
            eprint!("{}", escape_lines(&err.render().to_string()));
            return ExitCode::from(2);
        }
        Err(help_or_version) => {
            let _ = help_or_version.print();
            return ExitCode::SUCCESS;
        }
    };
    if cli.command.is_none() {
        let first_frame_timer = cli.exit_after_first_frame.then_some(started);
        return crate::app::run(cli.file, cli.renderer, first_frame_timer);
    }
    match run(cli) {
        Ok(()) => ExitCode::SUCCESS,
        Err(Failure::Input(message)) => {
            eprintln!("error: {}", Escaped(&message));
            ExitCode::from(1)
        }
        Err(Failure::Usage(message)) => {
            eprintln!("error: {}", Escaped(&message));
            ExitCode::from(2)
        }
    }
}

/// Text of several lines with every control character but the line ends escaped.
fn escape_lines(text: &str) -> String {
    text.split_inclusive('\n')
        .map(|line| match line.strip_suffix('\n') {
            Some(line) => format!("{}\n", Escaped(line)),
            None => Escaped(line).to_string(),
        })
        .collect()
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
        (Some(Command::Export { file, output, png }), _) => export(&file, &output, &png),
        (
            Some(Command::Import {
                file,
                output,
                template,
                force,
            }),
            _,
        ) => import_csv(&file, &output, template.as_deref(), force),
        (Some(Command::ServeClipboard { mime }), _) => serve_clipboard(&mime),
        (None, _) => Err(Failure::Usage(
            "no command: run `journeymap` without one to open the editor".to_owned(),
        )),
    }
}

#[cfg(all(unix, not(target_os = "macos")))]
fn serve_clipboard(mime: &str) -> Result<(), Failure> {
    crate::app::x11_clipboard::serve_stdin(mime).map_err(Failure::Input)
}

#[cfg(not(all(unix, not(target_os = "macos"))))]
fn serve_clipboard(_mime: &str) -> Result<(), Failure> {
    Err(Failure::Usage(
        "there is no X11 clipboard on this platform".to_owned(),
    ))
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
    let template = find_template(template_id)?;
    check_output(output)?;
    if !force && output.exists() {
        return Err(Failure::input(
            output,
            "already exists; choose another name or pass --force",
        ));
    }
    let map = template
        .map()
        .map_err(|err| Failure::Input(format!("template {template_id}: {err}")))?;
    storage::save_map(output, &map).map_err(|err| cannot_write(output, err))?;
    println!(
        "{}: new map from template {} ({})",
        escape::path(output),
        template.id,
        template.name
    );
    Ok(())
}

fn find_template(template_id: &str) -> Result<&'static templates::Template, Failure> {
    templates::find(template_id).ok_or_else(|| {
        let ids: Vec<_> = TEMPLATES.iter().map(|t| t.id).collect();
        Failure::Usage(format!(
            "unknown template {}; the templates are: {}",
            Quoted(template_id),
            ids.join(", ")
        ))
    })
}

/// `import`: a CSV file of cards into a new map, all or nothing.
fn import_csv(
    file: &Path,
    output: &Path,
    template_id: Option<&str>,
    force: bool,
) -> Result<(), Failure> {
    let template = template_id.map(find_template).transpose()?;
    if !output
        .to_string_lossy()
        .to_ascii_lowercase()
        .ends_with(".json")
    {
        return Err(Failure::Usage(format!(
            "{}: a map is a .journey.json file; give such a name",
            escape::path(output)
        )));
    }
    check_output(output)?;
    if !force && output.exists() {
        return Err(Failure::input(
            output,
            "already exists; choose another name or pass --force",
        ));
    }
    let mut map = match template {
        Some(template) => {
            let mut map = (template.map())
                .map_err(|err| Failure::Input(format!("template {}: {err}", template.id)))?;
            map.cards.clear();
            map
        }
        None => Map::default(),
    };
    let limits = format::Limits::default();
    let sheet = table::csv::read_file(file, &limits).map_err(|err| Failure::input(file, err))?;
    let mapping = table::csv::Mapping::guess(&sheet.headers);
    for (header, column) in sheet.headers.iter().zip(&mapping.0) {
        if column.is_none() && !header.is_empty() {
            eprintln!(
                "warning: {}: the column {} is not a card field and is left out",
                escape::path(file),
                Quoted(header)
            );
        }
    }
    let (edit, imported) = table::csv::import(&map, &sheet, &mapping, &limits)
        .map_err(|err| Failure::input(file, err))?;
    edit.apply(&mut map)
        .map_err(|err| Failure::input(file, err))?;
    if map.title.is_empty() {
        map.title = csv_title(file);
    }
    storage::save_map(output, &map).map_err(|err| cannot_write(output, err))?;
    println!("{}: {}", escape::path(output), imported.summary());
    Ok(())
}

/// A map's title from its CSV file's name: `interviews-q3.csv` gives "interviews-q3".
fn csv_title(file: &Path) -> String {
    (file.file_stem())
        .map(|stem| stem.to_string_lossy().into_owned())
        .unwrap_or_else(|| "Imported cards".to_owned())
}

/// `export --output cards.csv`: every card of the map, one per row.
fn export_csv(file: &Path, output: &Path, args: &PngArgs) -> Result<(), Failure> {
    if let Some(flag) = args.flag_other_than(&[]) {
        return Err(Failure::Usage(format!(
            "{flag} is not for CSV output: a .csv takes no options"
        )));
    }
    check_output(output)?;
    let loaded = storage::load_file(file).map_err(|err| Failure::Input(err.to_string()))?;
    print_warnings(file, &loaded.warnings);
    let bytes = table::csv::write(&loaded.map, &loaded.map.cards);
    storage::write_output(output, &bytes).map_err(|err| cannot_write(output, err))
}

fn check(file: &Path) -> Result<(), Failure> {
    let loaded = storage::load_file(file).map_err(|err| Failure::Input(err.to_string()))?;
    let map = &loaded.map;
    use crate::render::layout::plural;
    // Counted as the map's subtitle and the editor's status bar count them.
    let points = map.emotion_points();
    let mut counts = vec![
        plural(map.stages.len(), "stage"),
        plural(map.lanes.len(), "lane"),
        plural(map.cards.len() - points, "card"),
    ];
    if points > 0 {
        counts.push(plural(points, "emotion point"));
    }
    counts.push(plural(map.personas.len(), "persona"));
    println!(
        "{}: {}, {}",
        escape::path(file),
        Quoted(&map.title),
        counts.join(", ")
    );
    if let Some(version) = loaded.migrated_from {
        eprintln!(
            "note: {}: format version {version}; saving it writes version {}",
            escape::path(file),
            format::CURRENT_VERSION
        );
    }
    print_warnings(file, &loaded.warnings);
    match loaded.warnings.len() {
        0 => Ok(()),
        n => Err(Failure::input(
            file,
            format!("{} (listed above)", plural(n, "problem")),
        )),
    }
}

/// What an export writes, by the output's extension: an image or document, or the map.
fn output_format(output: &Path) -> Result<Option<Format>, Failure> {
    if let Some(format) = Format::of_path(output) {
        return Ok(Some(format));
    }
    match output
        .to_string_lossy()
        .to_ascii_lowercase()
        .ends_with(".json")
    {
        true => Ok(None),
        false => Err(Failure::Usage(format!(
            "{}: unknown output type; use a .png, .svg, .pdf, .pptx, .csv or .journey.json name",
            escape::path(output)
        ))),
    }
}

fn export(file: &Path, output: &Path, args: &PngArgs) -> Result<(), Failure> {
    if args.deck {
        return export_deck(file, output, args);
    }
    if Format::of_path(output) == Some(Format::Pptx) {
        return export_pptx(file, output, args);
    }
    if output
        .to_string_lossy()
        .to_ascii_lowercase()
        .ends_with(".csv")
    {
        return export_csv(file, output, args);
    }
    if args.slides.is_some() {
        return Err(Failure::Usage(
            "--slides is for PowerPoint output (a .pptx name)".into(),
        ));
    }
    let format = output_format(output)?;
    if format.is_some()
        && let Some(spec) = &args.stages
    {
        stage_spec(spec)?;
    }
    let pdf = args.pdf_options(format == Some(Format::Pdf))?;
    check_output(output)?;
    let loaded = storage::load_file(file).map_err(|err| Failure::Input(err.to_string()))?;
    print_warnings(file, &loaded.warnings);
    let Some(format) = format else {
        let bytes = format::to_json(&loaded.map).into_bytes();
        return storage::save_atomic(output, &bytes).map_err(|err| cannot_write(output, err));
    };
    let options = png_options(&loaded.map, args).map_err(|failure| match failure {
        Failure::Input(problem) => Failure::input(file, problem),
        usage => usage,
    })?;
    let options = ExportOptions {
        format,
        pdf,
        ..options
    };
    // Whatever the export refuses (nothing left to draw, too large) is about the map.
    let bytes = export::render(&loaded.map, &options).map_err(|err| Failure::input(file, err))?;
    if format == Format::Png {
        warn_if_illegible(file, &loaded.map, &options);
    }
    storage::write_output(output, &bytes).map_err(|err| cannot_write(output, err))?;
    Ok(())
}

/// `--deck`: the storyboard as a folder of PNG slides, or as one PDF.
fn export_deck(file: &Path, output: &Path, args: &PngArgs) -> Result<(), Failure> {
    if let Some(flag) = args.flag_other_than(&["--scale", "--theme"]) {
        return Err(Failure::Usage(format!(
            "{flag} is not for a deck: --deck takes --scale and --theme only"
        )));
    }
    let pdf = match Format::of_path(output) {
        Some(Format::Pdf) => true,
        Some(Format::Pptx) => {
            return Err(Failure::Usage(format!(
                "{}: a .pptx holds the storyboard already; leave out --deck",
                escape::path(output)
            )));
        }
        None if !output
            .to_string_lossy()
            .to_ascii_lowercase()
            .ends_with(".json") =>
        {
            false
        }
        _ => {
            return Err(Failure::Usage(format!(
                "{}: a deck is a folder of PNG files or a .pdf file; give a folder or a .pdf name",
                escape::path(output)
            )));
        }
    };
    if pdf {
        check_output(output)?;
    } else {
        check_deck_folder(output)?;
    }
    let loaded = storage::load_file(file).map_err(|err| Failure::Input(err.to_string()))?;
    print_warnings(file, &loaded.warnings);
    let options = export::deck::DeckOptions {
        scale: args.scale,
        mode: args.theme.map(|theme| match theme {
            ThemeArg::Light => ThemeMode::Light,
            ThemeArg::Dark => ThemeMode::Dark,
        }),
    };
    let map = &loaded.map;
    if pdf {
        let bytes =
            export::deck::render_pdf(map, &options).map_err(|err| Failure::input(file, err))?;
        return storage::write_output(output, &bytes).map_err(|err| cannot_write(output, err));
    }
    let files =
        export::deck::render_pngs(map, &options).map_err(|err| Failure::input(file, err))?;
    if !output.exists() {
        std::fs::create_dir(output)
            .map_err(|err| Failure::input(output, format!("cannot make the folder: {err}")))?;
    }
    for deck_file in &files {
        let path = output.join(&deck_file.name);
        storage::write_output(&path, &deck_file.bytes).map_err(|err| cannot_write(&path, err))?;
    }
    warn_of_stale_slides(output, &files);
    Ok(())
}

/// A `.pptx`: the storyboard, or the whole map on one slide, as native shapes.
fn export_pptx(file: &Path, output: &Path, args: &PngArgs) -> Result<(), Failure> {
    if let Some(flag) = args.flag_other_than(&["--slides", "--theme"]) {
        return Err(Failure::Usage(format!(
            "{flag} is not for PowerPoint output: a .pptx takes --slides and --theme only"
        )));
    }
    check_output(output)?;
    let loaded = storage::load_file(file).map_err(|err| Failure::Input(err.to_string()))?;
    print_warnings(file, &loaded.warnings);
    let options = ExportOptions {
        format: Format::Pptx,
        pptx_slides: match args.slides {
            Some(SlidesArg::Map) => export::pptx::PptxSlides::Map,
            _ => export::pptx::PptxSlides::Storyboard,
        },
        mode: args.theme.map(|theme| match theme {
            ThemeArg::Light => ThemeMode::Light,
            ThemeArg::Dark => ThemeMode::Dark,
        }),
        ..ExportOptions::default()
    };
    let bytes = export::render(&loaded.map, &options).map_err(|err| Failure::input(file, err))?;
    storage::write_output(output, &bytes).map_err(|err| cannot_write(output, err))
}

/// A deck folder: one that exists, or a new one in a folder that exists.
fn check_deck_folder(output: &Path) -> Result<(), Failure> {
    match std::fs::metadata(output) {
        Ok(meta) if meta.is_dir() => return Ok(()),
        Ok(_) => {
            return Err(Failure::input(
                output,
                "is a file; a deck of PNG files goes into a folder (or give a .pdf name)",
            ));
        }
        Err(_) => {}
    }
    let parent = match output.parent() {
        Some(parent) if !parent.as_os_str().is_empty() => parent,
        _ => Path::new("."),
    };
    if !parent.is_dir() {
        return Err(Failure::input(
            output,
            format!("the folder {} does not exist", escape::path(parent)),
        ));
    }
    Ok(())
}

/// Slides of an earlier deck left in the folder (a stage since renamed or removed) are
/// named, not deleted: they may be the user's own.
fn warn_of_stale_slides(folder: &Path, written: &[export::deck::DeckFile]) {
    let Ok(entries) = std::fs::read_dir(folder) else {
        return;
    };
    let mut stale: Vec<String> = entries
        .filter_map(|entry| entry.ok()?.file_name().into_string().ok())
        .filter(|name| looks_like_a_slide(name) && !written.iter().any(|f| &f.name == name))
        .collect();
    stale.sort();
    if !stale.is_empty() {
        eprintln!(
            "warning: {}: {} not part of this deck (left as they are): {}",
            escape::path(folder),
            match stale.len() {
                1 => "this slide is",
                _ => "these slides are",
            },
            Escaped(&stale.join(", "))
        );
    }
}

/// `03-aware.png`: a number, a dash, a name, `.png`.
fn looks_like_a_slide(name: &str) -> bool {
    let Some(stem) = name.strip_suffix(".png") else {
        return false;
    };
    let digits = stem.chars().take_while(char::is_ascii_digit).count();
    digits >= 2 && stem[digits..].starts_with('-')
}

fn print_warnings(file: &Path, warnings: &[String]) {
    for warning in warnings {
        eprintln!("warning: {}: {}", escape::path(file), Escaped(warning));
    }
}

/// Refuses, before any work, an output that cannot be a file we write: a folder, a
/// device or pipe, or a name in a folder that does not exist.
fn check_output(output: &Path) -> Result<(), Failure> {
    match std::fs::metadata(output) {
        Ok(meta) if meta.is_dir() => {
            return Err(Failure::input(output, "is a folder; give a file name"));
        }
        Ok(meta) if !meta.is_file() => {
            return Err(Failure::input(
                output,
                "is not a regular file (a device or pipe); give a file name",
            ));
        }
        _ => {}
    }
    let folder = match output.parent() {
        Some(folder) if !folder.as_os_str().is_empty() => folder,
        _ => Path::new("."),
    };
    if !folder.is_dir() {
        return Err(Failure::input(
            output,
            format!("the folder {} does not exist", escape::path(folder)),
        ));
    }
    Ok(())
}

fn cannot_write(output: &Path, err: std::io::Error) -> Failure {
    Failure::input(output, format!("cannot write it: {err}"))
}

/// A slide whose card text is too small to read is still written, with a warning.
fn warn_if_illegible(file: &Path, map: &Map, options: &ExportOptions) {
    let mut measure = crate::render::text::Measure::new();
    let Ok(Some(points)) = export::slides::slide_text_points(map, options, &mut measure) else {
        return;
    };
    if points < export::slides::LEGIBLE_POINTS {
        eprintln!(
            "warning: {}: card text will be {points:.0} pt on the slide, too small to read ({:.0} pt or more reads); export fewer --stages or --lanes",
            escape::path(file),
            export::slides::LEGIBLE_POINTS
        );
    }
}

fn png_options(map: &Map, args: &PngArgs) -> Result<ExportOptions, Failure> {
    let stages = args
        .stages
        .as_deref()
        .map(|spec| stage_range(map, spec))
        .transpose()?;
    let lanes = args
        .lanes
        .as_ref()
        .map(|names| {
            names
                .iter()
                .map(|name| lane_id(map, name))
                .collect::<Result<Vec<_>, _>>()
        })
        .transpose()?;
    Ok(ExportOptions {
        scale: args.scale,
        padding: args.padding,
        background: args.background,
        mode: args.theme.map(|theme| match theme {
            ThemeArg::Light => ThemeMode::Light,
            ThemeArg::Dark => ThemeMode::Dark,
        }),
        stages,
        lanes,
        selection: None,
        title: !args.no_title,
        personas: args.personas,
        legend: args.legend,
        slide: args.slide,
        embed_map: true,
        ..ExportOptions::default()
    })
}

/// The two ends of `2..4` (positions from 1) or `Ask..Act` (ids or names); a malformed
/// range is a usage error, whatever the map.
fn stage_spec(spec: &str) -> Result<(&str, &str), Failure> {
    let (from, to) = spec.split_once("..").unwrap_or((spec, spec));
    let (from, to) = (from.trim(), to.trim());
    let malformed = |why: &str| {
        Failure::Usage(format!(
            "--stages {}: {why}; use FROM..TO, as 2..4 or Ask..Act",
            Quoted(spec)
        ))
    };
    if from.is_empty() || to.is_empty() {
        return Err(malformed("a stage is missing"));
    }
    if let (Ok(a), Ok(b)) = (from.parse::<usize>(), to.parse::<usize>())
        && (a == 0 || b == 0 || a > b)
    {
        return Err(malformed("positions start at 1 and go left to right"));
    }
    Ok((from, to))
}

/// The stages of `spec` in this map, both ends included; one it does not have is a bad
/// input.
fn stage_range(map: &Map, spec: &str) -> Result<(usize, usize), Failure> {
    let (from, to) = stage_spec(spec)?;
    let find = |part: &str| -> Result<usize, Failure> {
        if let Ok(position) = part.parse::<usize>() {
            return (1..=map.stages.len())
                .contains(&position)
                .then(|| position - 1)
                .ok_or_else(|| {
                    Failure::Input(format!(
                        "--stages: there is no stage {position} (the map has {})",
                        map.stages.len()
                    ))
                });
        }
        map.stages
            .iter()
            .position(|s| s.id.as_str() == part || s.name.eq_ignore_ascii_case(part))
            .ok_or_else(|| Failure::Input(format!("--stages: there is no stage {}", Quoted(part))))
    };
    let (from_index, to_index) = (find(from)?, find(to)?);
    if from_index > to_index {
        return Err(Failure::Input(format!(
            "--stages: {} comes after {} in this map",
            Quoted(from),
            Quoted(to)
        )));
    }
    Ok((from_index, to_index))
}

fn lane_id(map: &Map, name: &str) -> Result<LaneId, Failure> {
    let name = name.trim();
    map.lanes
        .iter()
        .find(|l| l.id.as_str() == name || l.name.eq_ignore_ascii_case(name))
        .map(|l| l.id.clone())
        .ok_or_else(|| Failure::Input(format!("--lanes: there is no lane {}", Quoted(name))))
}
