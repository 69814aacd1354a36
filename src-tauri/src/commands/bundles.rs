//! Signed bundles and the keys this workspace trusts (Settings → Trusted keys; the Data view's
//! "Export bundle"). Every file goes through a path a dialog returned.

use std::path::PathBuf;

use tauri::State;
use vetta::api::{self, BundleCheck};
use vetta::bundle::{self, Manifest, TrustedKey};

use crate::error::CommandResult;
use crate::state::AppState;

#[tauri::command]
pub fn trusted_keys(state: State<'_, AppState>) -> CommandResult<Vec<TrustedKey>> {
    Ok(api::trusted_keys(&state.store())?)
}

/// Trusts a public key pasted as text (a `.pub` file's text or the bare key).
#[tauri::command]
pub fn trust_key(state: State<'_, AppState>, public_key: String, label: String) -> CommandResult<TrustedKey> {
    Ok(api::trust_key(&mut state.store(), &public_key, &label)?)
}

/// Trusts the public key in a `.pub` file the open dialog returned.
#[tauri::command]
pub fn trust_key_file(state: State<'_, AppState>, path: PathBuf, label: String) -> CommandResult<TrustedKey> {
    state.require_readable(std::slice::from_ref(&path))?;
    let text = std::fs::read_to_string(&path).map_err(|e| vetta::Error::io(&path, e))?;
    Ok(api::trust_key(&mut state.store(), &text, &label)?)
}

/// Stops trusting a key; answers it, so the view can offer to trust it again (undo).
#[tauri::command]
pub fn untrust_key(state: State<'_, AppState>, key_id: String) -> CommandResult<TrustedKey> {
    Ok(api::untrust_key(&mut state.store(), &key_id)?)
}

/// Writes the store as a bundle to a path the save dialog returned, signed with the secret key at
/// a path the open dialog returned (its password, when it has one, held only for this call).
#[tauri::command]
pub async fn write_bundle(
    state: State<'_, AppState>,
    path: PathBuf,
    sign_with: Option<PathBuf>,
    password: Option<String>,
) -> CommandResult<Manifest> {
    crate::state::blocking(|| {
        state.require_writable(&path)?;
        let signer = match sign_with {
            Some(key) => {
                state.require_readable(std::slice::from_ref(&key))?;
                let bundle_error = |error| vetta::Error::Bundle { path: key.clone(), error };
                let password = if bundle::is_encrypted(&key).map_err(bundle_error)? { Some(password.unwrap_or_default()) } else { None };
                Some(bundle::load_signer(&key, password).map_err(bundle_error)?)
            }
            None => None,
        };
        Ok(api::create_bundle(&state.store(), &path, signer.as_ref())?)
    })
}

/// Checks a bundle without importing it: signed by a trusted key, unchanged, and its files give the
/// manifest's dataset.
#[tauri::command]
pub async fn verify_bundle(state: State<'_, AppState>, path: PathBuf, allow_unsigned: Option<bool>) -> CommandResult<BundleCheck> {
    crate::state::blocking(|| {
        state.require_readable(std::slice::from_ref(&path))?;
        Ok(api::verify_bundle(&state.store(), &path, allow_unsigned.unwrap_or(false))?)
    })
}
