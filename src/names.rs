//! The names of the action's inputs, at the bottom so that every layer (causes included) can name
//! an input by its enum; what each input is and how it is read is in `inputs::table`.

/// Every input of the action, in the order of `inputs::table::INPUTS`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Input {
    Zone,
    ApiToken,
    Email,
    GlobalApiKey,
    AccountId,
    Files,
    FilesFrom,
    Tags,
    Hosts,
    Prefixes,
    PurgeEverything,
    BaseUrl,
    Mode,
    DryRun,
    ExpiryWarningDays,
    CheckPurgePermission,
    ApiUrl,
    TimeoutSeconds,
    Invalidate,
    WaitFor,
    WaitForText,
    WaitTimeoutSeconds,
    Confirm,
    ConfirmUrls,
    CaCertificates,
}

impl Input {
    /// The name as written in `with:` (and, upper-cased, in `INPUT_<NAME>`).
    pub(crate) const fn name(self) -> &'static str {
        match self {
            Input::Zone => "zone",
            Input::ApiToken => "api_token",
            Input::Email => "email",
            Input::GlobalApiKey => "global_api_key",
            Input::AccountId => "account_id",
            Input::Files => "files",
            Input::FilesFrom => "files_from",
            Input::Tags => "tags",
            Input::Hosts => "hosts",
            Input::Prefixes => "prefixes",
            Input::PurgeEverything => "purge_everything",
            Input::BaseUrl => "base_url",
            Input::Mode => "mode",
            Input::DryRun => "dry_run",
            Input::ExpiryWarningDays => "expiry_warning_days",
            Input::CheckPurgePermission => "check_purge_permission",
            Input::ApiUrl => "api_url",
            Input::TimeoutSeconds => "timeout_seconds",
            Input::Invalidate => "invalidate",
            Input::WaitFor => "wait_for",
            Input::WaitForText => "wait_for_text",
            Input::WaitTimeoutSeconds => "wait_timeout_seconds",
            Input::Confirm => "confirm",
            Input::ConfirmUrls => "confirm_urls",
            Input::CaCertificates => "ca_certificates",
        }
    }
}
