//! Reading the TimelineJS Google Sheets template, exported as CSV, into a
//! [`TimelineJs`]. The first row names the columns (matched without regard to
//! case or surrounding spaces; columns the template does not have are
//! ignored); each later row is a slide, its `Type` saying `title`, `era` or
//! nothing (an event). A cell that should hold a number and does not is an
//! error at its line and column.

use std::collections::HashMap;
use std::path::Path;

use super::Problem;
use super::source::{DateParts, MediaRef, Slide, TimelineJs, nonempty};

const COLUMNS: [&str; 18] = [
    "year",
    "month",
    "day",
    "time",
    "end year",
    "end month",
    "end day",
    "end time",
    "display date",
    "headline",
    "text",
    "media",
    "media credit",
    "media caption",
    "media thumbnail",
    "type",
    "group",
    "background",
];

/// One row, with the columns found by name.
struct Row<'a> {
    record: &'a csv::StringRecord,
    columns: &'a HashMap<&'static str, usize>,
    path: &'a Path,
    line: u64,
}

impl Row<'_> {
    fn get(&self, column: &str) -> Option<String> {
        let i = *self.columns.get(column)?;
        nonempty(self.record.get(i).map(|s| s.trim().to_string()))
    }

    /// A problem in a cell: its line, and its column named as a
    /// spreadsheet names it (`C`), since a CSV column is a field, not a
    /// character position.
    fn problem(&self, column: &str, message: String, hint: &str) -> Problem {
        let letter = self.columns.get(column).map_or(String::new(), |i| {
            format!(" (column {})", column_letter(*i))
        });
        Problem {
            path: self.path.to_path_buf(),
            line: Some(self.line),
            column: None,
            message: format!("{message}{letter}"),
            hint: Some(hint.into()),
        }
    }

    fn number(&self, column: &str) -> Result<Option<i64>, Problem> {
        let Some(text) = self.get(column) else {
            return Ok(None);
        };
        text.replace(',', "").parse::<i64>().map(Some).map_err(|_| {
            self.problem(
                column,
                format!(
                    "the `{column}` cell must hold a whole number, found `{}`",
                    super::text::cut(&text, 40)
                ),
                "write the year as 2023 or -44, the month as 1 to 12 and the day as 1 to 31",
            )
        })
    }

    fn parts(&self, prefix: &str) -> Result<Option<DateParts>, Problem> {
        let year = self.number(&format!("{prefix}year"))?;
        let month = self.number(&format!("{prefix}month"))?;
        let day = self.number(&format!("{prefix}day"))?;
        let time_column = format!("{prefix}time");
        let time = match self.get(&time_column) {
            None => [None; 4],
            Some(text) => parse_time(&text).ok_or_else(|| {
                self.problem(
                    &time_column,
                    format!(
                        "the `{time_column}` cell must hold a time of day, found `{}`",
                        super::text::cut(&text, 40)
                    ),
                    "write the time as 14:30, 14:30:15 or 2:30 PM",
                )
            })?,
        };
        if year.is_none() && month.is_none() && day.is_none() && time[0].is_none() {
            return Ok(None);
        }
        Ok(Some(DateParts {
            year,
            month,
            day,
            hour: time[0],
            minute: time[1],
            second: time[2],
            millisecond: time[3],
            display_date: None,
        }))
    }

    fn slide(&self) -> Result<Slide, Problem> {
        Ok(Slide {
            start: self.parts("")?,
            end: self.parts("end ")?,
            display_date: self.get("display date"),
            headline: self.get("headline").unwrap_or_default(),
            text: self.get("text").unwrap_or_default(),
            media: self.get("media").map(|url| MediaRef {
                url,
                caption: self.get("media caption"),
                credit: self.get("media credit"),
                thumbnail: self.get("media thumbnail"),
                alt: self.get("alt text"),
                title: None,
                link: None,
            }),
            group: self.get("group"),
            unique_id: None,
            background: self.get("background").is_some(),
            line: Some(self.line),
        })
    }
}

/// A spreadsheet's name for the column at `index`: A, B, …, Z, AA, AB, …
fn column_letter(index: usize) -> String {
    let mut n = index + 1;
    let mut out = Vec::new();
    while n > 0 {
        n -= 1;
        out.push(b'A' + (n % 26) as u8);
        n /= 26;
    }
    out.reverse();
    String::from_utf8(out).unwrap_or_default()
}

/// A time of day as the template takes it: `14:30`, `14:30:15`,
/// `14:30:15.250`, `2:30 PM`, `2 p.m.`; hour, minute, second, millisecond.
pub fn parse_time(text: &str) -> Option<[Option<i64>; 4]> {
    let lower = text.trim().to_ascii_lowercase().replace('.', "");
    let (clock, pm) = match lower.strip_suffix("pm").or_else(|| lower.strip_suffix('p')) {
        Some(rest) => (rest.trim().to_string(), Some(true)),
        None => match lower.strip_suffix("am").or_else(|| lower.strip_suffix('a')) {
            Some(rest) => (rest.trim().to_string(), Some(false)),
            None => (text.trim().to_string(), None),
        },
    };
    let (clock, millis) = match (pm, clock.split_once('.')) {
        (None, Some((c, ms))) => (c.to_string(), Some(ms)),
        _ => (clock, None),
    };
    let mut out = [None; 4];
    for (i, part) in clock.split(':').enumerate() {
        let n = part.trim().parse::<i64>().ok().filter(|n| *n >= 0)?;
        if i >= 3 {
            return None;
        }
        out[i] = Some(n);
    }
    if let Some(ms) = millis {
        let digits = format!("{ms:0<3}");
        out[3] = Some(digits.get(..3)?.parse().ok()?);
    }
    match (pm, out[0]) {
        (Some(_), Some(h)) if !(1..=12).contains(&h) => return None,
        (Some(true), Some(h)) if h < 12 => out[0] = Some(h + 12),
        (Some(false), Some(12)) => out[0] = Some(0),
        _ => {}
    }
    Some(out)
}

/// Reads a sheet's CSV text; every bad row is reported, not the first.
pub fn read(path: &Path, text: &str) -> Result<TimelineJs, Vec<Problem>> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let unclosed = quotes(path, text);
    if !unclosed.is_empty() {
        return Err(unclosed);
    }
    let mut reader = csv::ReaderBuilder::new()
        .flexible(true)
        .from_reader(text.as_bytes());
    let headers = reader.headers().map_err(|e| vec![csv_problem(path, &e)])?;
    let columns = columns(path, headers).map_err(|p| vec![p])?;
    let mut timeline = TimelineJs::default();
    let mut problems = Vec::new();
    for record in reader.records() {
        let record = match record {
            Ok(record) => record,
            Err(e) => {
                problems.push(csv_problem(path, &e));
                continue;
            }
        };
        if record.iter().all(|cell| cell.trim().is_empty()) {
            continue;
        }
        let line = record.position().map_or(0, |p| p.line());
        let row = Row {
            record: &record,
            columns: &columns,
            path,
            line,
        };
        let slide = match row.slide() {
            Ok(slide) => slide,
            Err(p) => {
                problems.push(p);
                continue;
            }
        };
        match row.get("type").map(|t| t.to_ascii_lowercase()).as_deref() {
            Some("title") if timeline.title.is_none() => timeline.title = Some(slide),
            Some("era") => timeline.eras.push(slide),
            _ => timeline.events.push(slide),
        }
    }
    if problems.is_empty() {
        Ok(timeline)
    } else {
        Err(problems)
    }
}

/// Quotes as a CSV reader takes them (a cell that starts with `"` runs to
/// the next `"` not doubled), checked before the rows are read: a quote
/// never closed would make the rest of the file one cell, and text after a
/// closing quote means the quote was not meant to open a cell. Each is
/// reported at the row and column where the quote opened. One scan over
/// the bytes, a small state machine: it must be long to be read whole.
fn quotes(path: &Path, text: &str) -> Vec<Problem> {
    let bytes = text.as_bytes();
    let mut problems = Vec::new();
    let (mut line, mut field, mut at_start) = (1u64, 0usize, true);
    let mut i = 0;
    while i < bytes.len() {
        let b = bytes[i];
        if at_start && b == b'"' {
            let (opened, column) = (line, field);
            i += 1;
            loop {
                match bytes.get(i) {
                    None => {
                        problems.push(quote_problem(
                            path,
                            opened,
                            column,
                            "is never closed: the rest of the file would be one cell",
                        ));
                        return problems;
                    }
                    Some(b'"') if bytes.get(i + 1) == Some(&b'"') => i += 2,
                    Some(b'"') => {
                        i += 1;
                        break;
                    }
                    Some(b'\n') => {
                        line += 1;
                        i += 1;
                    }
                    Some(_) => i += 1,
                }
            }
            if !matches!(bytes.get(i), None | Some(b',' | b'\n' | b'\r')) {
                problems.push(quote_problem(
                    path,
                    opened,
                    column,
                    "closes before the end of its cell: the cell would end there",
                ));
            }
            at_start = false;
            continue;
        }
        match b {
            b',' => {
                field += 1;
                at_start = true;
            }
            b'\n' => {
                line += 1;
                field = 0;
                at_start = true;
            }
            b'\r' => {}
            _ => at_start = false,
        }
        i += 1;
    }
    problems
}

fn quote_problem(path: &Path, line: u64, field: usize, what: &str) -> Problem {
    Problem {
        path: path.to_path_buf(),
        line: Some(line),
        column: None,
        message: format!(
            "the quote that opens the cell in column {} {what}",
            column_letter(field)
        ),
        hint: Some(
            "close the cell's quote after its text; a quote inside a quoted cell is written twice (\"\")".into(),
        ),
    }
}

/// Where each known column is; the template's date and headline columns
/// must be there.
fn columns(
    path: &Path,
    headers: &csv::StringRecord,
) -> Result<HashMap<&'static str, usize>, Problem> {
    let mut found = HashMap::new();
    for (i, name) in headers.iter().enumerate() {
        let name = name.trim().to_ascii_lowercase();
        if let Some(known) = COLUMNS
            .iter()
            .chain(["alt text"].iter())
            .find(|c| **c == name)
        {
            found.entry(*known).or_insert(i);
        }
    }
    let missing: Vec<&str> = ["year", "headline"]
        .into_iter()
        .filter(|c| !found.contains_key(c))
        .collect();
    if missing.is_empty() {
        return Ok(found);
    }
    Err(Problem {
        path: path.to_path_buf(),
        line: Some(1),
        column: None,
        message: format!(
            "the first row must name the TimelineJS template's columns; `{}` is not among them",
            missing.join("`, `")
        ),
        hint: Some(
            "export the sheet made from the TimelineJS template as CSV, with its header row: Year, Month, Day, Time, End Year, End Month, End Day, End Time, Display Date, Headline, Text, Media, Media Credit, Media Caption, Media Thumbnail, Type, Group, Background".into(),
        ),
    })
}

fn csv_problem(path: &Path, e: &csv::Error) -> Problem {
    Problem {
        path: path.to_path_buf(),
        line: e.position().map(|p| p.line()),
        column: None,
        message: format!("not a CSV file the TimelineJS template makes: {e}"),
        hint: Some("save the sheet as CSV (comma-separated, UTF-8)".into()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn times_as_the_template_takes_them() {
        assert_eq!(parse_time("14:30"), Some([Some(14), Some(30), None, None]));
        assert_eq!(
            parse_time("2:30 PM"),
            Some([Some(14), Some(30), None, None])
        );
        assert_eq!(parse_time("12 a.m."), Some([Some(0), None, None, None]));
        assert_eq!(
            parse_time("10:30:15.25"),
            Some([Some(10), Some(30), Some(15), Some(250)])
        );
        assert_eq!(parse_time("noon"), None);
        assert_eq!(parse_time("1:2:3:4"), None);
        assert_eq!(parse_time("13 pm"), None);
    }

    #[test]
    fn columns_are_found_by_name_whatever_their_case_and_order() {
        let csv = "Headline, YEAR ,Extra,Type\nA,2023,x,\nThe title,,,title\nAn era,2020,,era\n";
        let t = read(Path::new("s.csv"), csv).unwrap();
        assert_eq!(t.events.len(), 1);
        assert_eq!(t.events[0].start.as_ref().unwrap().year, Some(2023));
        assert_eq!(t.events[0].line, Some(2));
        assert_eq!(t.title.unwrap().headline, "The title");
        assert_eq!(t.eras.len(), 1);
    }

    #[test]
    fn a_bad_cell_is_located() {
        let e = read(Path::new("s.csv"), "Year,Month,Headline\n2023,Aug,A\n").unwrap_err();
        let e = &e[0];
        assert_eq!(e.line, Some(2));
        assert!(
            e.message.ends_with("found `Aug` (column B)"),
            "{}",
            e.message
        );
        assert_eq!(column_letter(27), "AB");
        let e = read(Path::new("s.csv"), "Date,Title\n2023,A\n").unwrap_err();
        assert_eq!(e[0].line, Some(1));
        let e = &e[0];
        assert!(e.message.contains("`year`"), "{}", e.message);
    }

    /// Regression (issue 28, item 8): an unclosed quote swallowed the rest
    /// of the file into one cell, and only the first bad row was reported.
    #[test]
    fn quotes_that_do_not_close_are_refused_where_they_open() {
        let e = read(
            Path::new("s.csv"),
            "Year,Headline,Text\n2020,\"Unclosed,a\n2021,B,b\n",
        )
        .unwrap_err();
        assert_eq!(e.len(), 1);
        assert_eq!(e[0].line, Some(2));
        assert!(
            e[0].message.contains("column B is never closed"),
            "{}",
            e[0].message
        );
        let e = read(
            Path::new("s.csv"),
            "Year,Headline\n\"2020\"x,A\n2021,\"B \"\"q\"\"\"\n2022,\"C\nline\"\n",
        )
        .unwrap_err();
        assert_eq!(e.len(), 1, "{e:?}");
        assert_eq!(e[0].line, Some(2));
        let many = format!(
            "Year,Month,Headline\n2023,Aug,A\n2023,1,B\n2024,{},C\n",
            "x".repeat(10 << 20)
        );
        let e = read(Path::new("s.csv"), &many).unwrap_err();
        assert_eq!(
            e.iter().map(|p| p.line).collect::<Vec<_>>(),
            [Some(2), Some(4)]
        );
        assert!(e[1].message.len() < 200, "{} bytes", e[1].message.len());
    }
}
