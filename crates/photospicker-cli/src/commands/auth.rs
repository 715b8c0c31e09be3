//! `photospicker auth login|status|logout`: the OAuth flows and the stored
//! login of `photospicker::login`, with the CLI's output and exit codes.

use crate::cli::AuthCommand;
use crate::exit::{CliError, Exit};
use crate::ui::Ui;
use photospicker::login::{Auth, ClientSecrets, LoginError, LoginMethod, LoginStatus, Prompt};
use photospicker::CancellationToken;
use serde_json::json;

pub async fn run(command: AuthCommand, ui: Ui, cancel: &CancellationToken) -> Result<(), CliError> {
    let auth = Auth::from_env().map_err(login_error)?;
    match command {
        AuthCommand::Login { client_secrets, device } => {
            let client = ClientSecrets::locate(client_secrets.as_deref(), auth.endpoints()).map_err(login_error)?;
            let method = if device { LoginMethod::Device } else { LoginMethod::Loopback };
            let login = auth.login(&client, method, |prompt| show(&ui, prompt));
            let status = tokio::select! {
                status = login => status.map_err(login_error)?,
                _ = cancel.cancelled() => return Err(CliError::interrupted()),
            };
            report(&ui, "logged_in", &status);
        }
        AuthCommand::Status => {
            let status = auth.status().await.map_err(login_error)?;
            report(&ui, "status", &status);
        }
        AuthCommand::Logout => {
            let logout = auth.logout().await.map_err(login_error)?;
            ui.event("logged_out", json!({"removed": logout.removed, "revoked": logout.revoked, "revokeError": logout.revoke_error}));
            ui.say(match (logout.removed, logout.revoked) {
                (false, _) => "No login was stored.".to_string(),
                (true, true) => "Logged out: the login was revoked and deleted.".to_string(),
                (true, false) => match &logout.revoke_error {
                    Some(why) => format!("Logged out: the login was deleted (revoking it failed: {why})."),
                    None => "Logged out: the login was deleted (it was already revoked).".to_string(),
                },
            });
        }
    }
    Ok(())
}

fn show(ui: &Ui, prompt: Prompt<'_>) {
    match prompt {
        Prompt::OpenUrl { url } => {
            ui.event("open_url", json!({"url": url}));
            ui.say(format!("Open this link in your browser to log in:\n\n  {url}\n"));
        }
        Prompt::EnterCode { verification_url, user_code, expires_in } => {
            ui.event("enter_code", json!({"verificationUrl": verification_url, "userCode": user_code, "expiresInSeconds": expires_in.as_secs()}));
            ui.say(format!("On any device, open {verification_url} and enter the code:\n\n  {user_code}\n"));
            ui.say(format!("(it works for {})", crate::format::duration(expires_in)));
        }
        _ => {}
    }
}

fn report(ui: &Ui, event: &str, status: &LoginStatus) {
    ui.event(
        event,
        json!({
            "account": status.account,
            "scopes": status.scopes,
            "clientId": status.client_id,
            "expiresInSeconds": status.expires_in.map(|d| d.as_secs()),
            "storePath": status.store_path,
        }),
    );
    ui.say(status.to_string().trim_end());
}

/// One line and a hint, sorted into the CLI's exit codes.
fn login_error(error: LoginError) -> CliError {
    let exit = match &error {
        LoginError::Http(_) => Exit::Unreachable,
        LoginError::ClientSecrets(_) | LoginError::Config(_) => Exit::Usage,
        LoginError::Io { .. } => Exit::Files,
        _ => Exit::NotAuthorized,
    };
    CliError::new(exit, error.to_string()).hint(error.hint())
}
