//! Generated documentation: both action files' inputs/outputs and the README tables, rendered from the input table.

use crate::diagnosis::{Entry, Severity};
use crate::inputs::table::{INPUTS, OUTPUTS};

pub const BEGIN: &str = "# BEGIN generated from src/inputs/table.rs";
pub const END: &str = "# END generated";
pub const README_BEGIN: &str = "<!-- BEGIN generated from src/inputs/table.rs -->";
pub const README_END: &str = "<!-- END generated -->";

pub const ENV_BEGIN: &str = "# BEGIN env generated from src/inputs/table.rs";
pub const ENV_END: &str = "# END env generated";

/// The `inputs:` and `outputs:` sections of action.yml.
pub fn action_yml_io() -> String {
    io(None)
}

/// The same sections of native/action.yml: its outputs take their values from the step `run`.
pub fn native_action_io() -> String {
    io(Some("run"))
}

/// The native action's step environment: every input as `INPUT_<NAME>`, as the runner passes it
/// to a container action.
pub fn native_env() -> String {
    INPUTS
        .iter()
        .map(|i| {
            format!(
                "        INPUT_{}: ${{{{ inputs.{} }}}}\n",
                i.name.to_uppercase(),
                i.name
            )
        })
        .collect()
}

fn io(step: Option<&str>) -> String {
    let mut y = String::from("inputs:\n");
    for input in INPUTS {
        y.push_str(&format!(
            "  {}:\n    description: {}\n    required: {}\n",
            input.name,
            yaml_str(&input.about()),
            input.required
        ));
        if !input.default.is_empty() {
            y.push_str(&format!("    default: {}\n", yaml_str(input.default)));
        }
    }
    y.push_str("outputs:\n");
    for output in OUTPUTS {
        y.push_str(&format!(
            "  {}:\n    description: {}\n",
            output.name,
            yaml_str(output.description)
        ));
        if let Some(step) = step {
            let value = format!("${{{{ steps.{step}.outputs.{} }}}}", output.name);
            y.push_str(&format!("    value: {value}\n"));
        }
    }
    y
}

/// The README's input and output tables.
pub fn readme_tables() -> String {
    let mut md = String::from("| input | default | description |\n|---|---|---|\n");
    for input in INPUTS {
        let default = match (input.required, input.default) {
            (true, _) => "required".to_string(),
            (false, "") => String::new(),
            (false, d) => format!("`{d}`"),
        };
        let local = if input.fallback.is_empty() {
            String::new()
        } else {
            format!(
                " Locally: {}.",
                input
                    .fallback
                    .iter()
                    .map(|f| format!("`{f}`"))
                    .collect::<Vec<_>>()
                    .join(" or ")
            )
        };
        md.push_str(&format!(
            "| `{}` | {default} | {}{local} |\n",
            input.name,
            input.about().replace('|', "\\|")
        ));
    }
    md.push_str("\n| output | value |\n|---|---|\n");
    for output in OUTPUTS {
        md.push_str(&format!("| `{}` | {} |\n", output.name, output.description));
    }
    md
}

/// Replace the text between two marker lines (markers kept); `None` if a marker is missing.
pub fn splice(text: &str, begin: &str, end: &str, body: &str) -> Option<String> {
    let start = text.find(begin)? + begin.len();
    let stop = start + text[start..].find(end)?;
    Some(format!("{}\n{}{}", &text[..start], body, &text[stop..]))
}

fn yaml_str(s: &str) -> String {
    format!("'{}'", s.replace('\'', "''"))
}

/// The README's table of causes, from the catalogue: one row per cause and title, its exit status
/// (or statuses: a cause that warns in one mode and fails in another), and its general fix.
pub fn readme_causes() -> String {
    let mut rows: Vec<(Entry, Vec<String>)> = Vec::new();
    for cause in crate::diagnosis::examples() {
        let row = cause.entry();
        let exit = match cause.severity() {
            Severity::Warning => "warning".to_string(),
            Severity::Error => cause.exit_code().to_string(),
        };
        match rows.last_mut() {
            Some((last, exits)) if last.code == row.code && last.title == row.title => {
                if !exits.contains(&exit) {
                    exits.push(exit);
                }
            }
            _ => rows.push((row, vec![exit])),
        }
    }
    let mut md = String::from("| cause | exit | title | what to do |\n|---|---|---|---|\n");
    for (row, exits) in rows {
        md.push_str(&format!(
            "| `{}` | {} | {} | {} |\n",
            row.code,
            exits.join(" / "),
            row.title,
            row.general.replace('|', "\\|")
        ));
    }
    md
}

pub const CAUSES_BEGIN: &str = "<!-- BEGIN causes generated from src/diagnosis/catalogue.rs -->";
