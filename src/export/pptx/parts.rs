//! The package: the minimal part set PowerPoint, Keynote, Google Slides, LibreOffice and
//! python-pptx open (content types, relationships, presentation, one master, one blank
//! layout, a theme, the slides, their notes, document properties), zipped in a fixed
//! order with fixed timestamps, and the map as a part of its own.

use super::slide::{SLIDE_EMU, escape};
use super::{MAP_PART, Slide};
use crate::model::Map;
use crate::render::theme::Theme;
use egui::Color32;
use std::fmt::Write as _;
use std::io::{Cursor, Read, Write};

const REL: &str = "http://schemas.openxmlformats.org/officeDocument/2006/relationships";
const PKG_REL: &str = "http://schemas.openxmlformats.org/package/2006/relationships";
const NS: &str = r#"xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships" xmlns:p="http://schemas.openxmlformats.org/presentationml/2006/main""#;
/// The relationship from the package to the map it was made from.
pub const MAP_RELATIONSHIP: &str = "urn:journeymap:map";
const HEAD: &str = r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
"#;

/// The largest map part read back, and the most any part may unpack to.
const MAX_MAP_BYTES: u64 = 32 * 1024 * 1024;
/// A package with more entries than this is not one we wrote.
const MAX_ENTRIES: usize = 10_000;

fn hex(color: Color32) -> String {
    let [r, g, b, _] = color.to_srgba_unmultiplied();
    format!("{r:02X}{g:02X}{b:02X}")
}

/// The parts of the package, in the order they are zipped.
pub fn parts(map: &Map, slides: &[Slide], theme: &Theme, map_json: &str) -> Vec<(String, String)> {
    let count = slides.len();
    let mut parts = Vec::new();
    let mut types = format!(
        r#"{HEAD}<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Default Extension="json" ContentType="application/json"/><Override PartName="/ppt/presentation.xml" ContentType="application/vnd.openxmlformats-officedocument.presentationml.presentation.main+xml"/><Override PartName="/ppt/slideMasters/slideMaster1.xml" ContentType="application/vnd.openxmlformats-officedocument.presentationml.slideMaster+xml"/><Override PartName="/ppt/slideLayouts/slideLayout1.xml" ContentType="application/vnd.openxmlformats-officedocument.presentationml.slideLayout+xml"/><Override PartName="/ppt/notesMasters/notesMaster1.xml" ContentType="application/vnd.openxmlformats-officedocument.presentationml.notesMaster+xml"/><Override PartName="/ppt/theme/theme1.xml" ContentType="application/vnd.openxmlformats-officedocument.theme+xml"/><Override PartName="/ppt/theme/theme2.xml" ContentType="application/vnd.openxmlformats-officedocument.theme+xml"/><Override PartName="/docProps/core.xml" ContentType="application/vnd.openxmlformats-package.core-properties+xml"/><Override PartName="/docProps/app.xml" ContentType="application/vnd.openxmlformats-officedocument.extended-properties+xml"/>"#
    );
    for n in 1..=count {
        let _ = write!(
            types,
            r#"<Override PartName="/ppt/slides/slide{n}.xml" ContentType="application/vnd.openxmlformats-officedocument.presentationml.slide+xml"/><Override PartName="/ppt/notesSlides/notesSlide{n}.xml" ContentType="application/vnd.openxmlformats-officedocument.presentationml.notesSlide+xml"/>"#
        );
    }
    types.push_str("</Types>");
    parts.push(("[Content_Types].xml".to_owned(), types));
    parts.push((
        "_rels/.rels".to_owned(),
        format!(
            r#"{HEAD}<Relationships xmlns="{PKG_REL}"><Relationship Id="rId1" Type="{REL}/officeDocument" Target="ppt/presentation.xml"/><Relationship Id="rId2" Type="http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties" Target="docProps/core.xml"/><Relationship Id="rId3" Type="{REL}/extended-properties" Target="docProps/app.xml"/><Relationship Id="rId4" Type="{MAP_RELATIONSHIP}" Target="{MAP_PART}"/></Relationships>"#
        ),
    ));
    parts.push((
        "docProps/core.xml".to_owned(),
        format!(
            r#"{HEAD}<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"><dc:title>{}</dc:title><dc:description>{}</dc:description><dc:creator>journeymap</dc:creator></cp:coreProperties>"#,
            escape(&map.title),
            escape(&map.description)
        ),
    ));
    parts.push((
        "docProps/app.xml".to_owned(),
        format!(
            r#"{HEAD}<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-properties"><Application>journeymap</Application><Slides>{count}</Slides><Notes>{count}</Notes></Properties>"#
        ),
    ));
    // The presentation: its master, notes master and theme, then the slides.
    let mut rels = format!(
        r#"{HEAD}<Relationships xmlns="{PKG_REL}"><Relationship Id="rId1" Type="{REL}/slideMaster" Target="slideMasters/slideMaster1.xml"/><Relationship Id="rId2" Type="{REL}/theme" Target="theme/theme1.xml"/><Relationship Id="rId3" Type="{REL}/notesMaster" Target="notesMasters/notesMaster1.xml"/>"#
    );
    let mut list = String::new();
    for n in 1..=count {
        let _ = write!(
            rels,
            r#"<Relationship Id="rId{}" Type="{REL}/slide" Target="slides/slide{n}.xml"/>"#,
            n + 3
        );
        let _ = write!(list, r#"<p:sldId id="{}" r:id="rId{}"/>"#, 255 + n, n + 3);
    }
    rels.push_str("</Relationships>");
    let (cx, cy) = SLIDE_EMU;
    parts.push((
        "ppt/presentation.xml".to_owned(),
        format!(
            r#"{HEAD}<p:presentation {NS} saveSubsetFonts="1"><p:sldMasterIdLst><p:sldMasterId id="2147483648" r:id="rId1"/></p:sldMasterIdLst><p:notesMasterIdLst><p:notesMasterId r:id="rId3"/></p:notesMasterIdLst><p:sldIdLst>{list}</p:sldIdLst><p:sldSz cx="{cx}" cy="{cy}"/><p:notesSz cx="{cy}" cy="{cx}"/></p:presentation>"#
        ),
    ));
    parts.push(("ppt/_rels/presentation.xml.rels".to_owned(), rels));
    parts.push((
        "ppt/slideMasters/slideMaster1.xml".to_owned(),
        format!(
            r#"{HEAD}<p:sldMaster {NS}><p:cSld><p:bg><p:bgRef idx="1001"><a:schemeClr val="bg1"/></p:bgRef></p:bg>{}</p:cSld><p:clrMap bg1="lt1" tx1="dk1" bg2="lt2" tx2="dk2" accent1="accent1" accent2="accent2" accent3="accent3" accent4="accent4" accent5="accent5" accent6="accent6" hlink="hlink" folHlink="folHlink"/><p:sldLayoutIdLst><p:sldLayoutId id="2147483649" r:id="rId1"/></p:sldLayoutIdLst><p:txStyles><p:titleStyle/><p:bodyStyle/><p:otherStyle/></p:txStyles></p:sldMaster>"#,
            empty_tree()
        ),
    ));
    parts.push((
        "ppt/slideMasters/_rels/slideMaster1.xml.rels".to_owned(),
        format!(
            r#"{HEAD}<Relationships xmlns="{PKG_REL}"><Relationship Id="rId1" Type="{REL}/slideLayout" Target="../slideLayouts/slideLayout1.xml"/><Relationship Id="rId2" Type="{REL}/theme" Target="../theme/theme1.xml"/></Relationships>"#
        ),
    ));
    parts.push((
        "ppt/slideLayouts/slideLayout1.xml".to_owned(),
        format!(
            r#"{HEAD}<p:sldLayout {NS} type="blank" preserve="1"><p:cSld name="Blank">{}</p:cSld><p:clrMapOvr><a:masterClrMapping/></p:clrMapOvr></p:sldLayout>"#,
            empty_tree()
        ),
    ));
    parts.push((
        "ppt/slideLayouts/_rels/slideLayout1.xml.rels".to_owned(),
        format!(
            r#"{HEAD}<Relationships xmlns="{PKG_REL}"><Relationship Id="rId1" Type="{REL}/slideMaster" Target="../slideMasters/slideMaster1.xml"/></Relationships>"#
        ),
    ));
    parts.push((
        "ppt/notesMasters/notesMaster1.xml".to_owned(),
        format!(
            r#"{HEAD}<p:notesMaster {NS}><p:cSld>{}</p:cSld><p:clrMap bg1="lt1" tx1="dk1" bg2="lt2" tx2="dk2" accent1="accent1" accent2="accent2" accent3="accent3" accent4="accent4" accent5="accent5" accent6="accent6" hlink="hlink" folHlink="folHlink"/></p:notesMaster>"#,
            empty_tree()
        ),
    ));
    parts.push((
        "ppt/notesMasters/_rels/notesMaster1.xml.rels".to_owned(),
        format!(
            r#"{HEAD}<Relationships xmlns="{PKG_REL}"><Relationship Id="rId1" Type="{REL}/theme" Target="../theme/theme2.xml"/></Relationships>"#
        ),
    ));
    parts.push((
        "ppt/theme/theme1.xml".to_owned(),
        theme_xml(theme, "journeymap"),
    ));
    parts.push((
        "ppt/theme/theme2.xml".to_owned(),
        theme_xml(theme, "journeymap notes"),
    ));
    for (index, slide) in slides.iter().enumerate() {
        let n = index + 1;
        parts.push((
            format!("ppt/slides/slide{n}.xml"),
            slide.xml.xml(theme.page),
        ));
        parts.push((
            format!("ppt/slides/_rels/slide{n}.xml.rels"),
            format!(
                r#"{HEAD}<Relationships xmlns="{PKG_REL}"><Relationship Id="rId1" Type="{REL}/slideLayout" Target="../slideLayouts/slideLayout1.xml"/><Relationship Id="rId2" Type="{REL}/notesSlide" Target="../notesSlides/notesSlide{n}.xml"/></Relationships>"#
            ),
        ));
        parts.push((
            format!("ppt/notesSlides/notesSlide{n}.xml"),
            notes_xml(&slide.notes),
        ));
        parts.push((
            format!("ppt/notesSlides/_rels/notesSlide{n}.xml.rels"),
            format!(
                r#"{HEAD}<Relationships xmlns="{PKG_REL}"><Relationship Id="rId1" Type="{REL}/notesMaster" Target="../notesMasters/notesMaster1.xml"/><Relationship Id="rId2" Type="{REL}/slide" Target="../slides/slide{n}.xml"/></Relationships>"#
            ),
        ));
    }
    parts.push((MAP_PART.to_owned(), map_json.to_owned()));
    parts
}

fn empty_tree() -> &'static str {
    r#"<p:spTree><p:nvGrpSpPr><p:cNvPr id="1" name=""/><p:cNvGrpSpPr/><p:nvPr/></p:nvGrpSpPr><p:grpSpPr><a:xfrm><a:off x="0" y="0"/><a:ext cx="0" cy="0"/><a:chOff x="0" y="0"/><a:chExt cx="0" cy="0"/></a:xfrm></p:grpSpPr></p:spTree>"#
}

/// Speaker notes: a slide image placeholder and the notes text, a paragraph per line.
fn notes_xml(notes: &str) -> String {
    let paragraphs: String = notes
        .lines()
        .map(|line| {
            format!(
                r#"<a:p><a:r><a:rPr lang="en-US" dirty="0"/><a:t>{}</a:t></a:r></a:p>"#,
                escape(line)
            )
        })
        .collect();
    let paragraphs = if paragraphs.is_empty() {
        "<a:p/>".to_owned()
    } else {
        paragraphs
    };
    format!(
        r#"{HEAD}<p:notes {NS}><p:cSld><p:spTree><p:nvGrpSpPr><p:cNvPr id="1" name=""/><p:cNvGrpSpPr/><p:nvPr/></p:nvGrpSpPr><p:grpSpPr/><p:sp><p:nvSpPr><p:cNvPr id="2" name="Slide Image"/><p:cNvSpPr><a:spLocks noGrp="1" noRot="1" noChangeAspect="1"/></p:cNvSpPr><p:nvPr><p:ph type="sldImg"/></p:nvPr></p:nvSpPr><p:spPr/></p:sp><p:sp><p:nvSpPr><p:cNvPr id="3" name="Notes"/><p:cNvSpPr><a:spLocks noGrp="1"/></p:cNvSpPr><p:nvPr><p:ph type="body" idx="1"/></p:nvPr></p:nvSpPr><p:spPr/><p:txBody><a:bodyPr/><a:lstStyle/>{paragraphs}</p:txBody></p:sp></p:spTree></p:cSld><p:clrMapOvr><a:masterClrMapping/></p:clrMapOvr></p:notes>"#
    )
}

/// The theme: the map's colours as the scheme, Inter as both fonts, and the plain
/// format scheme every theme must carry.
fn theme_xml(theme: &Theme, name: &str) -> String {
    let accents: String = (0..6)
        .map(|i| {
            let color = theme.stage_palette.get(i).copied().unwrap_or(theme.accent);
            format!(
                r#"<a:accent{}><a:srgbClr val="{}"/></a:accent{}>"#,
                i + 1,
                hex(color),
                i + 1
            )
        })
        .collect();
    let fill = r#"<a:solidFill><a:schemeClr val="phClr"/></a:solidFill>"#;
    let line = r#"<a:ln w="6350"><a:solidFill><a:schemeClr val="phClr"/></a:solidFill></a:ln>"#;
    format!(
        r#"{HEAD}<a:theme xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main" name="{name}"><a:themeElements><a:clrScheme name="{name}"><a:dk1><a:srgbClr val="{}"/></a:dk1><a:lt1><a:srgbClr val="{}"/></a:lt1><a:dk2><a:srgbClr val="{}"/></a:dk2><a:lt2><a:srgbClr val="{}"/></a:lt2>{accents}<a:hlink><a:srgbClr val="{}"/></a:hlink><a:folHlink><a:srgbClr val="{}"/></a:folHlink></a:clrScheme><a:fontScheme name="Inter"><a:majorFont><a:latin typeface="Inter"/><a:ea typeface=""/><a:cs typeface=""/></a:majorFont><a:minorFont><a:latin typeface="Inter"/><a:ea typeface=""/><a:cs typeface=""/></a:minorFont></a:fontScheme><a:fmtScheme name="journeymap"><a:fillStyleLst>{fill}{fill}{fill}</a:fillStyleLst><a:lnStyleLst>{line}{line}{line}</a:lnStyleLst><a:effectStyleLst><a:effectStyle><a:effectLst/></a:effectStyle><a:effectStyle><a:effectLst/></a:effectStyle><a:effectStyle><a:effectLst/></a:effectStyle></a:effectStyleLst><a:bgFillStyleLst>{fill}{fill}{fill}</a:bgFillStyleLst></a:fmtScheme></a:themeElements></a:theme>"#,
        hex(theme.text),
        hex(theme.board),
        hex(theme.text_muted),
        hex(theme.page),
        hex(theme.accent),
        hex(theme.accent),
    )
}

/// Zips the parts in order, each with the same fixed time, so a map gives the same bytes.
pub fn package(
    map: &Map,
    slides: &[Slide],
    theme: &Theme,
    map_json: &str,
) -> Result<Vec<u8>, zip::result::ZipError> {
    let mut writer = zip::ZipWriter::new(Cursor::new(Vec::new()));
    let options = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated)
        .last_modified_time(zip::DateTime::default());
    for (name, text) in parts(map, slides, theme, map_json) {
        writer.start_file(name, options)?;
        writer.write_all(text.as_bytes())?;
    }
    Ok(writer.finish()?.into_inner())
}

/// A part's name as OOXML has them: relative, forward slashes, no `.` or `..` step.
fn is_part_name(name: &str) -> bool {
    !name.is_empty()
        && !name.starts_with('/')
        && !name.contains('\\')
        && !name.contains(':')
        && name.split('/').all(|step| step != ".." && step != ".")
}

/// The map part of a package, within limits.
pub fn read_map(bytes: &[u8]) -> Result<String, String> {
    let mut archive = zip::ZipArchive::new(Cursor::new(bytes))
        .map_err(|err| format!("is not a PowerPoint file ({err})"))?;
    if archive.len() > MAX_ENTRIES {
        return Err(format!(
            "holds {} parts, more than a deck has",
            archive.len()
        ));
    }
    // Nothing is unpacked to disk, but a package whose names climb out of it was made
    // to attack some reader: it is refused whole.
    for name in archive.file_names() {
        let name = name.map_err(|err| format!("holds a part whose name cannot be read ({err})"))?;
        if !is_part_name(&name) {
            return Err(format!(
                "holds a part named {} that points outside the package",
                crate::model::escape::Quoted(&name)
            ));
        }
    }
    let mut entry = archive
        .by_name(MAP_PART)
        .map_err(|_| "holds no journeymap map (it was not exported by journeymap)".to_owned())?;
    if entry.size() > MAX_MAP_BYTES {
        return Err(format!(
            "its map would unpack to {} MB, over the limit of {} MB",
            entry.size() / 1_000_000,
            MAX_MAP_BYTES / 1_000_000
        ));
    }
    // The size in the header may lie: stop reading at the limit whatever it says.
    let mut text = String::new();
    let read = (&mut entry)
        .take(MAX_MAP_BYTES + 1)
        .read_to_string(&mut text)
        .map_err(|err| format!("its map cannot be read ({err})"))?;
    if read as u64 > MAX_MAP_BYTES {
        return Err(format!(
            "its map unpacks to more than {} MB",
            MAX_MAP_BYTES / 1_000_000
        ));
    }
    Ok(text)
}
