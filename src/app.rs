//! The order of work (contract §6): offline checks, masks, verify, zone, purge or verify, report.

use std::sync::Arc;
use std::time::Duration;

use anyhow::Context;
use time::OffsetDateTime;

use crate::cloudflare::{
    endpoints, Auth, CfMessage, Client, PurgeBody, RequestLog, TokenStatus, Zone,
};
use crate::diagnosis::{self, expiry, Cause, TokenRefusal};
use crate::inputs::{
    self, Credential, FileTarget, Mode, PurgeInputs, RawInputs, RunContext, Settings, Shape,
    ZoneRef,
};
use crate::purge::{self, Limits, ResolvedFile, Work};
use crate::runner::{self, thousands, Mark, PurgeReport, Report, Runner};

/// Never served, so purging it evicts nothing real: the permission proof of `mode: verify`.
pub const PERMISSION_CHECK_PATH: &str = "/.well-known/cloudflare-purge-permission-check";

/// Run the action on this environment; returns the exit status.
pub fn main(vars: &[(String, String)]) -> anyhow::Result<i32> {
    let runner = Runner::from_vars(vars);
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .context("starting the runtime")?;
    let report = runtime.block_on(run(vars, &runner, OffsetDateTime::now_utc()));
    finish(vars, &runner, &report)?;
    Ok(report.exit_code())
}

/// Outputs and summary, also on failure; nothing is written where the runner named no file.
fn finish(vars: &[(String, String)], runner: &Runner, report: &Report) -> anyhow::Result<()> {
    let file = |name: &str| {
        vars.iter()
            .find(|(k, v)| k == name && !v.is_empty())
            .map(|(_, v)| v.clone())
    };
    if let Some(path) = file("GITHUB_OUTPUT") {
        runner::write_outputs(path.as_ref(), &report.outputs()).context("writing GITHUB_OUTPUT")?;
    }
    if let Some(path) = file("GITHUB_STEP_SUMMARY") {
        let summary = runner::render_summary(report);
        std::fs::OpenOptions::new()
            .create(true)
            .append(true)
            .open(&path)
            .and_then(|mut f| std::io::Write::write_all(&mut f, summary.as_bytes()))
            .context("writing GITHUB_STEP_SUMMARY")?;
    }
    if !runner.actions {
        for (name, value) in report.outputs() {
            if !value.is_empty() && name != "failed" {
                runner.info(&format!("{name}: {value}"));
            }
        }
    }
    Ok(())
}

/// The whole run, as a report.
pub async fn run(vars: &[(String, String)], runner: &Runner, now: OffsetDateTime) -> Report {
    let raw = RawInputs::from_vars(vars);
    for secret in inputs::secrets(&raw) {
        runner.mask(&secret);
    }
    let validated = inputs::validate(&raw, &RunContext::from_vars(vars));
    let mut flow = Flow {
        runner,
        report: Report::default(),
        now,
    };
    for warning in validated.warnings {
        flow.note(warning);
    }
    let Some(settings) = validated.settings else {
        for error in validated.errors {
            flow.note(error);
        }
        return flow.report;
    };
    flow.report.check(
        "Credential shape",
        Mark::Ok,
        describe_credential(&settings.credential),
    );
    if let Err(cause) = flow.online(settings).await {
        flow.note(cause);
    }
    flow.report
}

fn describe_credential(credential: &Credential) -> String {
    match credential {
        Credential::Token {
            shape: Shape::UserToken,
            ..
        } => "user API token (cfut_)".into(),
        Credential::Token {
            shape: Shape::AccountToken,
            ..
        } => "account API token (cfat_)".into(),
        Credential::Token { .. } => "API token (40 characters)".into(),
        Credential::GlobalKey { .. } => "email + Global API Key".into(),
    }
}

struct Flow<'a> {
    runner: &'a Runner,
    report: Report,
    now: OffsetDateTime,
}

/// A zone as far as the credential could read it (a purge-only token may not read it at all).
#[derive(Debug, Clone)]
struct KnownZone {
    id: String,
    /// Empty when the credential cannot read the zone.
    name: String,
    zone: Option<Zone>,
}

impl<'a> Flow<'a> {
    /// Record a cause and annotate it right away.
    fn note(&mut self, cause: Cause) {
        self.runner.annotate(&cause);
        self.report.record(cause);
    }

    fn client(&self, settings: &Settings) -> Result<Client, Cause> {
        let auth = match &settings.credential {
            Credential::Token { value, .. } => Auth::Token(value.clone()),
            Credential::GlobalKey { email, key } => Auth::GlobalKey {
                email: email.clone(),
                key: key.clone(),
            },
        };
        let host = settings.api_url.host_str().unwrap_or_default().to_string();
        let client =
            Client::new(settings.api_url.clone(), auth, settings.timeout).map_err(|_| {
                Cause::NetworkError {
                    kind: diagnosis::NetKind::Tls,
                    attempts: 0,
                    host,
                }
            })?;
        let runner = *self.runner;
        let log: RequestLog = Arc::new(move |what: &str, status: Option<u16>, took: Duration| {
            let status = status.map_or("no answer".to_string(), |s| s.to_string());
            runner.debug(&format!("{what} → {status} in {} ms", took.as_millis()));
        });
        Ok(client.with_log(log))
    }

    async fn online(&mut self, mut settings: Settings) -> Result<(), Cause> {
        let client = self.client(&settings)?;
        let mut zone = None;
        let lifetime = self
            .verify_credential(&client, &settings, &mut zone)
            .await?;
        let zone = match zone {
            Some(zone) => zone,
            None => self.resolve_zone(&client, &settings).await?,
        };
        self.judge_zone(&zone);
        match settings.mode {
            Mode::Purge => {
                if let Some(warning) = lifetime
                    .as_ref()
                    .and_then(|l| expiry::expiring_soon(l, settings.expiry_warning_days, false))
                {
                    self.note(warning);
                }
                // The lists move into the plan: each item is held once.
                let purge = std::mem::take(&mut settings.purge);
                self.purge(&client, &settings, purge, &zone).await
            }
            Mode::Verify => {
                if settings.check_purge_permission {
                    self.prove_permission(&client, &zone).await?;
                }
                if let Some(cause) = lifetime
                    .as_ref()
                    .and_then(|l| expiry::expiring_soon(l, settings.expiry_warning_days, true))
                {
                    return Err(cause);
                }
                self.report.result = Some("verified");
                Ok(())
            }
        }
    }

    // ---- step 3: the credential

    /// Verify the credential; a token's lifetime comes back (`None` for a Global API Key).
    async fn verify_credential(
        &mut self,
        client: &Client,
        settings: &Settings,
        zone: &mut Option<KnownZone>,
    ) -> Result<Option<expiry::Lifetime>, Cause> {
        let shape = match &settings.credential {
            Credential::GlobalKey { .. } => {
                return self.verify_global_key(client).await.map(|_| None)
            }
            Credential::Token { shape, .. } => shape,
        };
        let status = if *shape == Shape::AccountToken {
            self.verify_account_token(client, settings, zone, Vec::new())
                .await?
        } else {
            match client.call(&endpoints::verify_user_token()).await {
                Ok(answer) => {
                    self.report.credential = "user-token";
                    self.report.check(
                        "Token",
                        Mark::Ok,
                        format!("user API token, {}", answer.result.status),
                    );
                    answer.result
                }
                Err(failure) => match diagnosis::token_verify(&failure, &client.host()) {
                    TokenRefusal::Cause(cause) => return Err(self.failed_check("Token", cause)),
                    TokenRefusal::Unknown(errors) => {
                        self.verify_account_token(client, settings, zone, errors)
                            .await?
                    }
                },
            }
        };
        let (lifetime, cause) = expiry::judge(&status, self.now);
        self.report.token_status = lifetime.status.clone();
        self.report.token_expires_on = lifetime.expires_on.clone().unwrap_or_default();
        self.report.days_until_expiry = lifetime.days_left;
        if let Some(cause) = cause {
            return Err(self.failed_check("Expiry", cause));
        }
        let warn_within = settings.expiry_warning_days;
        let (mark, detail) = match (&lifetime.expires_on, lifetime.days_left) {
            (Some(on), Some(days)) if days < warn_within => (
                Mark::Warn,
                format!("expires on {on}, in {days} days (warning at {warn_within})"),
            ),
            (Some(on), Some(days)) => (Mark::Ok, format!("expires on {on}, in {days} days")),
            _ => (Mark::Ok, "never expires".to_string()),
        };
        if mark == Mark::Warn && settings.mode == Mode::Verify {
            self.report.check("Expiry", Mark::Fail, detail);
        } else {
            self.report.check("Expiry", mark, detail);
        }
        Ok(Some(lifetime))
    }

    /// The user endpoint did not know the token (or it is `cfat_`): try its account.
    async fn verify_account_token(
        &mut self,
        client: &Client,
        settings: &Settings,
        zone: &mut Option<KnownZone>,
        user_errors: Vec<CfMessage>,
    ) -> Result<TokenStatus, Cause> {
        let account = match &settings.account_id {
            Some(account) => account.clone(),
            None => match self.account_from_zone(client, settings, zone).await? {
                Some(account) => account,
                None => {
                    let cause = if matches!(
                        settings.credential,
                        Credential::Token {
                            shape: Shape::AccountToken,
                            ..
                        }
                    ) {
                        Cause::AccountTokenNeedsAccountId {
                            errors: user_errors,
                        }
                    } else {
                        Cause::TokenInvalid {
                            errors: user_errors,
                            account_checked: None,
                        }
                    };
                    return Err(self.failed_check("Token", cause));
                }
            },
        };
        match client
            .call(&endpoints::verify_account_token(&account))
            .await
        {
            Ok(answer) => {
                self.report.credential = "account-token";
                self.report.check(
                    "Token",
                    Mark::Ok,
                    format!(
                        "account API token of account {account}, {}",
                        answer.result.status
                    ),
                );
                Ok(answer.result)
            }
            Err(failure) => {
                let cause = match diagnosis::token_verify(&failure, &client.host()) {
                    TokenRefusal::Cause(cause) => cause,
                    TokenRefusal::Unknown(errors) => {
                        let errors = if user_errors.is_empty() {
                            errors
                        } else {
                            user_errors
                        };
                        Cause::TokenInvalid {
                            errors,
                            account_checked: Some(account),
                        }
                    }
                };
                Err(self.failed_check("Token", cause))
            }
        }
    }

    /// Learn the account from the zone, if the token can read it; `None` when it cannot.
    async fn account_from_zone(
        &mut self,
        client: &Client,
        settings: &Settings,
        zone: &mut Option<KnownZone>,
    ) -> Result<Option<String>, Cause> {
        let found = match &settings.zone {
            ZoneRef::Id(id) => client
                .call(&endpoints::zone(id))
                .await
                .map(|a| Some(a.result)),
            ZoneRef::Name(name) => client.call(&endpoints::zones_named(name)).await.map(|a| {
                a.result
                    .into_iter()
                    .find(|z| z.name.eq_ignore_ascii_case(name))
            }),
        };
        match found {
            Ok(Some(found)) if !found.account.id.is_empty() => {
                let account = found.account.id.clone();
                *zone = Some(known(found)?);
                Ok(Some(account))
            }
            Ok(_) => Ok(None),
            Err(failure) => match diagnosis::transport(&failure, &client.host()) {
                Some(cause) => Err(cause),
                None => Ok(None),
            },
        }
    }

    async fn verify_global_key(&mut self, client: &Client) -> Result<(), Cause> {
        match client.call(&endpoints::user()).await {
            Ok(_) => {
                self.report.credential = "global-key";
                self.report
                    .check("Global API Key", Mark::Ok, "accepted by Cloudflare");
                self.report
                    .check("Expiry", Mark::Ok, "a Global API Key never expires");
                Ok(())
            }
            Err(failure) => {
                let cause = diagnosis::global_key(&failure, &client.host());
                Err(self.failed_check("Global API Key", cause))
            }
        }
    }

    fn failed_check(&mut self, name: &'static str, cause: Cause) -> Cause {
        self.report.check(name, Mark::Fail, cause.title());
        cause
    }

    // ---- step 4: the zone

    async fn resolve_zone(
        &mut self,
        client: &Client,
        settings: &Settings,
    ) -> Result<KnownZone, Cause> {
        let result = match &settings.zone {
            ZoneRef::Id(id) => self.zone_by_id(client, id).await,
            ZoneRef::Name(name) => self.zone_by_name(client, name).await,
        };
        result.map_err(|cause| self.failed_check("Zone", cause))
    }

    async fn zone_by_id(&mut self, client: &Client, id: &str) -> Result<KnownZone, Cause> {
        let failure = match client.call(&endpoints::zone(id)).await {
            Ok(answer) => return known(answer.result),
            Err(failure) => failure,
        };
        if let Some(cause) = diagnosis::transport(&failure, &client.host()) {
            return Err(cause);
        }
        // The reference: an account ID in the zone slot fails there but answers as an account.
        if client.call(&endpoints::account(id)).await.is_ok() {
            return Err(Cause::AccountIdAsZone { id: id.to_string() });
        }
        if diagnosis::is_auth_refusal(&failure) && !failure.has_code(1000) {
            // A token with Cache Purge but no Zone Read cannot read the zone, yet can purge it:
            // go on with the ID, and let the purge (or the permission check) decide.
            return Ok(KnownZone {
                id: id.to_string(),
                name: String::new(),
                zone: None,
            });
        }
        Err(self.zone_not_found(client, id, failure.errors()).await)
    }

    async fn zone_by_name(&mut self, client: &Client, name: &str) -> Result<KnownZone, Cause> {
        match client.call(&endpoints::zones_named(name)).await {
            Ok(answer) => match answer
                .result
                .into_iter()
                .find(|z| z.name.eq_ignore_ascii_case(name))
            {
                Some(zone) => known(zone),
                None => Err(self.zone_not_found(client, name, &[]).await),
            },
            Err(failure) => match diagnosis::transport(&failure, &client.host()) {
                Some(cause) => Err(cause),
                None => Err(self.zone_not_found(client, name, failure.errors()).await),
            },
        }
    }

    /// `zone-not-found`, naming (at most ten of) the zones the credential can see.
    async fn zone_not_found(&mut self, client: &Client, zone: &str, errors: &[CfMessage]) -> Cause {
        let visible = match client.call(&endpoints::zones_visible()).await {
            Ok(answer) => answer.result.into_iter().map(|z| z.name).collect(),
            Err(_) => Vec::new(),
        };
        Cause::ZoneNotFound {
            zone: zone.to_string(),
            visible,
            errors: errors.to_vec(),
        }
    }

    fn judge_zone(&mut self, known: &KnownZone) {
        self.report.zone_id = known.id.clone();
        self.report.zone_name = known.name.clone();
        let Some(zone) = &known.zone else {
            self.report.check("Zone", Mark::Warn, format!("{} (the credential cannot read its details: no Zone Read permission; Free plan limits assumed)", known.id));
            return;
        };
        let plan = if zone.plan.name.is_empty() {
            "unknown plan".to_string()
        } else {
            zone.plan.name.clone()
        };
        if zone.status == "active" || zone.status.is_empty() {
            self.report.check(
                "Zone",
                Mark::Ok,
                format!("{} ({}), {plan}, active", zone.name, zone.id),
            );
        } else {
            self.report.check(
                "Zone",
                Mark::Warn,
                format!("{} ({}), {plan}, {}", zone.name, zone.id, zone.status),
            );
            self.note(Cause::ZoneNotActive {
                name: zone.name.clone(),
                status: zone.status.clone(),
            });
        }
        if !zone.account.id.is_empty() {
            self.report.check(
                "Account",
                Mark::Ok,
                format!("{} ({})", zone.account.name, zone.account.id),
            );
        }
    }

    // ---- step 5: the purge

    async fn prove_permission(&mut self, client: &Client, zone: &KnownZone) -> Result<(), Cause> {
        // Without the zone's name no URL in it can be built; an unused tag proves the same permission.
        let (body, what) = if zone.name.is_empty() {
            (
                PurgeBody::Tags(vec!["cloudflare-purge-permission-check".into()]),
                "tag cloudflare-purge-permission-check".to_string(),
            )
        } else {
            let url = format!("https://{}{PERMISSION_CHECK_PATH}", zone.name);
            (PurgeBody::Files(vec![url.clone().into()]), url)
        };
        match client.call(&endpoints::purge(&zone.id, &body)).await {
            Ok(_) => {
                self.report.check(
                    "Purge permission",
                    Mark::Ok,
                    format!("proven by purging {what}"),
                );
                Ok(())
            }
            Err(failure) => {
                let cause = diagnosis::purge(&failure, &client.host(), zone_label(zone));
                Err(self.failed_check("Purge permission", cause))
            }
        }
    }

    async fn purge(
        &mut self,
        client: &Client,
        settings: &Settings,
        purge: PurgeInputs,
        zone: &KnownZone,
    ) -> Result<(), Cause> {
        let work = Arc::new(self.work(settings, purge, zone)?);
        let limits = zone
            .zone
            .as_ref()
            .map(|z| Limits::for_plan(&z.plan))
            .unwrap_or_else(|| Limits::for_plan(&Default::default()));
        let batches = purge::plan(&work, &limits);
        let mut report = PurgeReport {
            counts: work.counts(),
            plan: limits.plan,
            batches: batches.len(),
            ..PurgeReport::default()
        };
        if settings.dry_run {
            self.print_plan(&work, &batches, &limits);
            self.report.check(
                "Purge",
                Mark::Ok,
                format!(
                    "dry run: {} planned, nothing sent",
                    plural(batches.len(), "request")
                ),
            );
            self.report.purge = Some(report);
            self.report.result = Some("planned");
            return Ok(());
        }
        let total_items = batches.iter().map(|b| b.len).sum::<usize>();
        let long = batches.len() > 1;
        if long {
            self.runner.group(&format!(
                "Purging {} items in {}",
                thousands(total_items),
                plural(batches.len(), "request")
            ));
        }
        let every = batches.len().div_ceil(10).max(1);
        let runner = *self.runner;
        let outcome = purge::execute(
            client,
            &zone.id,
            zone_label(zone),
            work,
            &batches,
            &limits,
            |p| {
                if long && (p.done_batches % every == 0 || p.done_batches == p.total_batches) {
                    runner.info(&format!(
                        "purged {}/{} items, {}",
                        thousands(p.purged),
                        thousands(p.total_items),
                        plural(p.retries as usize, "retry")
                    ));
                }
            },
        )
        .await;
        if long {
            self.runner.end_group();
        }
        report.batches_ok = outcome.batches_ok;
        report.retries = outcome.retries;
        report.purged = outcome.purged;
        report.failed = outcome.failed;
        report.ids = outcome.ids;
        let detail = format!(
            "{} of {} items in {}/{} requests",
            thousands(report.purged),
            thousands(total_items),
            report.batches_ok,
            report.batches
        );
        self.report.purge = Some(report);
        match outcome.cause {
            Some(cause) => {
                self.report.check("Purge", Mark::Fail, detail);
                Err(cause)
            }
            None => {
                self.report.check("Purge", Mark::Ok, detail);
                self.runner.info(&format!(
                    "Purged {} items from {}.",
                    thousands(total_items),
                    zone_label(zone)
                ));
                self.report.result = Some("purged");
                Ok(())
            }
        }
    }

    /// Items with paths joined to the base, checked against the zone now that its name is known.
    fn work(
        &mut self,
        settings: &Settings,
        purge: PurgeInputs,
        zone: &KnownZone,
    ) -> Result<Work, Cause> {
        let base = match (&settings.base_url, zone.name.is_empty()) {
            (Some(base), _) => base.clone(),
            (None, false) => format!("https://{}", zone.name),
            (None, true) => String::new(),
        };
        let has_paths = purge
            .files
            .iter()
            .any(|f| matches!(f.target, FileTarget::Path(_)));
        if has_paths && base.is_empty() {
            return Err(Cause::InvalidInput {
                input: "base_url",
                value: String::new(),
                expected: "set when files has paths and the credential cannot read the zone's name (no Zone Read permission)".into(),
            });
        }
        if !zone.name.is_empty() && matches!(settings.zone, ZoneRef::Id(_)) {
            let base_url = settings.base_url.as_deref();
            if let Some(cause) = inputs::outside_zone(&purge.files, &zone.name, base_url) {
                return Err(cause);
            }
        }
        let files = purge
            .files
            .into_iter()
            .map(|f| ResolvedFile {
                url: inputs::items::into_url(f.target, &base),
                headers: f.headers,
            })
            .collect();
        Ok(Work {
            everything: purge.everything,
            files: inputs::items::dedup(files),
            tags: purge.tags,
            hosts: purge.hosts,
            prefixes: purge.prefixes,
        })
    }

    fn print_plan(&self, work: &Work, batches: &[purge::Batch], limits: &Limits) {
        self.runner.group(&format!(
            "Dry run: {} ({} plan limits), nothing sent",
            plural(batches.len(), "request"),
            limits.plan
        ));
        for (i, batch) in batches.iter().enumerate() {
            let labels = work.labels(batch);
            let first = labels.first().cloned().unwrap_or_default();
            let last = if labels.len() > 1 {
                format!(" … {}", labels[labels.len() - 1])
            } else {
                String::new()
            };
            self.runner.info(&format!(
                "request {}: {} {} ({first}{last})",
                i + 1,
                thousands(batch.len),
                batch.kind.noun()
            ));
        }
        self.runner.end_group();
    }
}

/// A zone from the API, checked: its id goes into purge paths and its name into URLs.
fn known(zone: Zone) -> Result<KnownZone, Cause> {
    let id_ok = inputs::zone::is_hex_id(&zone.id);
    let name_ok =
        inputs::zone::domain(&zone.name).is_some_and(|d| d == zone.name.to_ascii_lowercase());
    if !(id_ok && name_ok) {
        let what = "a zone whose id or name is not the shape of one".to_string();
        return Err(Cause::UnexpectedResponse { what, status: 200 });
    }
    Ok(KnownZone {
        id: zone.id.clone(),
        name: zone.name.clone(),
        zone: Some(zone),
    })
}

fn zone_label(zone: &KnownZone) -> &str {
    if zone.name.is_empty() {
        &zone.id
    } else {
        &zone.name
    }
}

fn plural(n: usize, word: &str) -> String {
    match (n, word) {
        (1, _) => format!("1 {word}"),
        (_, "retry") => format!("{} retries", thousands(n)),
        _ => format!("{} {word}s", thousands(n)),
    }
}
