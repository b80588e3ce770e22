//! Properties of the pure functions: any input is judged with a catalogued cause, escaped and read back.

use super::*;

proptest! {
    #![proptest_config(config(256))]

    #[test]
    fn any_inputs_are_accepted_or_refused_with_catalogued_offline_causes(
        pairs in hostile_inputs(hostile(16)),
        zone in prop_oneof![Just(ZONE_ID.to_string()), Just("example.com".to_string()), hostile(6)],
        token in prop_oneof![Just(CFUT_TOKEN.to_string()), Just(LEGACY_TOKEN.to_string()), hostile(6)],
    ) {
        // A valid zone and token first, so the other inputs get judged too; the pairs may override.
        let mut all = vec![
            ("INPUT_ZONE".to_string(), zone),
            ("INPUT_API_TOKEN".to_string(), token),
        ];
        all.extend(pairs);
        check_validated(&all)?;
    }

    #[test]
    fn a_global_key_with_any_email_is_only_accepted_when_it_can_be_sent(
        email in prop_oneof![
            hostile(8),
            (hostile(2), hostile(2)).prop_map(|(a, b)| format!("ops{a}@example{b}.com")),
        ],
        key in prop_oneof![Just(GLOBAL_KEY.to_string()), hostile(4)],
    ) {
        check_validated(&[
            ("INPUT_ZONE".to_string(), ZONE_ID.to_string()),
            ("INPUT_EMAIL".to_string(), email),
            ("INPUT_GLOBAL_API_KEY".to_string(), key),
            ("INPUT_TAGS".to_string(), "blog".to_string()),
        ])?;
    }

    #[test]
    fn a_zone_is_an_id_a_domain_or_a_zone_cause(value in hostile(16)) {
        match zone::parse(&value) {
            Ok((zones, warnings)) => {
                prop_assert!(!zones.is_empty());
                for zone in zones {
                    match zone {
                        ZoneRef::Id(id) => prop_assert!(ids::is_hex_id(&id) && id == id.to_ascii_lowercase()),
                        ZoneRef::Name(name) => {
                            prop_assert_eq!(ids::domain(&name), Some(name.clone()));
                            prop_assert!(name.is_ascii() && !name.contains(|c: char| c.is_whitespace() || c.is_control()));
                        }
                    }
                }
                for w in warnings {
                    prop_assert_eq!(w.code(), "zone-was-url");
                }
            }
            Err(Cause::InvalidZone { values }) => {
                // The zones are echoed, but each as one short line.
                for shown in values {
                    prop_assert!(!shown.contains(|c: char| c.is_control()), "{shown:?}");
                    prop_assert!(shown.chars().count() <= 81);
                }
            }
            Err(cause) => prop_assert_eq!(cause.code(), "missing-zone"),
        }
    }

    #[test]
    fn a_credential_is_judged_without_panic_and_only_a_clean_one_is_accepted(
        value in hostile(16),
        as_key in any::<bool>(),
    ) {
        let input = if as_key { Input::GlobalApiKey } else { Input::ApiToken };
        let cleaned = clean(&value, input);
        prop_assert!(cleaned.value.len() <= value.len());
        prop_assert_eq!(cleaned.value.trim(), cleaned.value.as_str());
        for w in &cleaned.warnings {
            prop_assert!(matches!(w.code(), "token-quoted" | "token-bearer-prefix"), "{w:?}");
        }
        let shape = classify(&cleaned.value, input);
        match problem(&cleaned.value, &shape, input) {
            Some(cause) => {
                prop_assert!(catalogue_codes().contains(cause.code()));
                prop_assert_eq!(cause.exit_code(), 2);
            }
            None => {
                let right_kind = if as_key { shape.is_global_key() } else { shape.is_token() };
                prop_assert!(right_kind, "{shape:?} accepted as {}", input.name());
                prop_assert!(cleaned.value.chars().all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-'));
            }
        }
    }

    #[test]
    fn no_piece_of_a_pasted_credential_is_in_any_cause_about_it(
        (core, value) in pasted_credential(),
        as_key in any::<bool>(),
    ) {
        let input = if as_key { Input::GlobalApiKey } else { Input::ApiToken };
        let cleaned = clean(&value, input);
        let shape = classify(&cleaned.value, input);
        let mut causes = cleaned.warnings.clone();
        causes.extend(problem(&cleaned.value, &shape, input));
        for cause in causes {
            let text = format!("{} {}", cause.message(), cause.title());
            for piece in pieces_of(&core) {
                prop_assert!(!text.contains(&piece), "{piece:?} of the secret in: {text}");
            }
        }
    }

    #[test]
    fn list_items_are_exactly_the_text_between_separators(value in hostile(24)) {
        let items: Vec<&str> = split_list(&value).collect();
        for item in &items {
            prop_assert!(!item.is_empty() && !item.contains(|c: char| c == ',' || c.is_whitespace()));
        }
        let kept: String = value.chars().filter(|c| *c != ',' && !c.is_whitespace()).collect();
        prop_assert_eq!(items.concat(), kept);
    }

    #[test]
    fn files_in_list_or_json_form_are_kept_item_for_item(
        value in hostile(24),
        urls in prop::collection::vec(hostile(8), 0..8),
    ) {
        match parse_files(&value) {
            // A line that starts with `{` is one item in its JSON form, which may hold an empty URL.
            Ok(files) => {
                let json_line = value.contains('{');
                prop_assert!(files.iter().all(|g| !g.text.is_empty() || json_line));
            }
            Err(cause) => prop_assert!(matches!(cause.code(), "invalid-input" | "invalid-url"), "{cause:?}"),
        }
        let json = serde_json::to_string(&urls).unwrap();
        let files = parse_files(&json).unwrap();
        let texts: Vec<&str> = files.iter().map(|g| g.text.as_str()).collect();
        let want: Vec<&str> = urls.iter().map(|u| u.trim()).collect();
        prop_assert_eq!(texts, want);
    }

    #[test]
    fn a_file_target_is_a_path_or_a_web_url_or_nothing(item in hostile(12)) {
        match target_of(&item) {
            Some(FileTarget::Path(p)) => {
                prop_assert_eq!(&p, &item);
                prop_assert!(p.starts_with('/') && !p.starts_with("//"));
            }
            Some(FileTarget::Url(u)) => {
                prop_assert_eq!(&u, &item);
                let url = url::Url::parse(&u).unwrap();
                prop_assert!(matches!(url.scheme(), "http" | "https"));
                prop_assert!(url.host_str().is_some_and(|h| !h.is_empty()));
                let _ = inputs::items::zone_match::url_host(&u);
            }
            None => {}
        }
    }

    #[test]
    fn an_escaped_annotation_is_one_command_that_reads_back_as_given(
        title in hostile(12),
        message in hostile(24),
    ) {
        let line = format!("::warning title={}::{}", escape_property(&title), escape_data(&message));
        prop_assert!(!line.contains(['\r', '\n']), "{line:?}");
        let (name, props, data) = parse_command(&line).unwrap();
        prop_assert_eq!(name, "warning");
        prop_assert_eq!(props, vec![("title".to_string(), shown(&title))]);
        prop_assert_eq!(data.trim_end(), message.trim_end());
    }

    #[test]
    fn escaped_data_and_properties_carry_no_line_break_and_no_separator(value in hostile(24)) {
        let data = escape_data(&value);
        prop_assert!(!data.contains(['\r', '\n']));
        prop_assert_eq!(unescape_data(&data), value.clone());
        let property = escape_property(&value);
        prop_assert!(!property.contains(['\r', '\n', ':', ',']));
        // A title is shown: its other control characters are spaces.
        prop_assert_eq!(unescape_property(&property), shown(&value));
        prop_assert_eq!(unescape_data(&escape_shown(&value)), shown(&value));
    }

    #[test]
    fn a_sanitized_line_has_no_control_character(value in hostile(24)) {
        let line = sanitize_line(&value);
        prop_assert!(!line.contains(|c: char| c.is_control()), "{line:?}");
        prop_assert_eq!(line.lines().count(), usize::from(!line.is_empty()));
        prop_assert_eq!(line.chars().count(), value.chars().count());
        for (a, b) in line.chars().zip(value.chars()) {
            prop_assert!(a == b || (b.is_control() && a == ' '));
        }
    }

    #[test]
    fn outputs_read_back_as_written_whatever_their_values(
        values in prop::collection::vec(
            prop_oneof![
                hostile(16),
                // Lines that look like the end of a block, or the start of another.
                hostile(4).prop_map(|s| format!("x\nghadelimiter_{s}\nEOF\nresult=purged\n{s}")),
                hostile(4).prop_map(|s| format!("a<<{s}\nb")),
                hostile(4).prop_map(|s| format!("a<<EOF{s}")),
            ],
            1..6,
        ),
    ) {
        const NAMES: &[&str] = &["result", "cause", "zone_name", "failed", "purge_ids", "warnings"];
        let outputs: Vec<(&str, String)> = NAMES.iter().copied().zip(values).collect();
        let text = render_outputs(&outputs);
        let read = parse_outputs(&text);
        prop_assert_eq!(read.len(), outputs.len(), "{}", text);
        for (name, value) in &outputs {
            prop_assert_eq!(&read[*name], &as_read_back(value), "{} in:\n{}", name, text);
        }
    }
}

proptest! {
    // Each case is up to eleven values of up to 48,000 characters, judged in a debug build: ten
    // cases still reach the long end of the range, at the cost of two seconds less.
    #![proptest_config(config(10))]

    #[test]
    fn very_long_values_are_judged_without_panic(
        pairs in hostile_inputs(long()),
        title in long(),
        message in long(),
    ) {
        check_validated(&pairs)?;
        let line = format!("::error title={}::{}", escape_property(&title), escape_data(&message));
        prop_assert!(!line.contains(['\r', '\n']));
        let outputs = [("failed", message.clone()), ("zone_name", title.clone())];
        let read = parse_outputs(&render_outputs(&outputs));
        prop_assert_eq!(&read["failed"], &as_read_back(&message));
        prop_assert_eq!(&read["zone_name"], &as_read_back(&title));
    }
}

#[test]
fn an_accepted_credential_never_has_a_shape_problem() {
    // The shapes classify can give back: each is a problem for one input or the other.
    for (value, input) in [
        (LEGACY_TOKEN, Input::ApiToken),
        (CFUT_TOKEN, Input::ApiToken),
        (CFAT_TOKEN, Input::ApiToken),
        (GLOBAL_KEY, Input::GlobalApiKey),
    ] {
        let shape = classify(value, input);
        assert!(
            !matches!(shape, Shape::Malformed(_) | Shape::Placeholder),
            "{value}"
        );
        assert!(problem(value, &shape, input).is_none(), "{value}");
    }
}

/// A value as the log shows it in a workflow command: control characters other than line breaks
/// (which are escaped) are spaces.
fn shown(value: &str) -> String {
    value
        .chars()
        .map(|c| match c {
            '\r' | '\n' => c,
            c if c.is_control() => ' ',
            c => c,
        })
        .collect()
}
