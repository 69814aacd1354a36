//! Connecting to a team store on PostgreSQL: the URL as libpq reads it, where the `postgres` crate
//! reads less (`sslmode=verify-ca|verify-full`, `sslrootcert`); the login's password from libpq's
//! places; and TLS that verifies the server's certificate.
//!
//! TLS (decided here, and in the README): whenever the connection is encrypted, the server's
//! certificate is verified — against the system's trusted authorities, plus `sslrootcert` when
//! given — and so is its host name, except under `verify-ca`. libpq's `require` would encrypt without
//! verifying; Vetta does not connect to a server it cannot verify, since procurement evidence must
//! not reach an impostor. `prefer` (the default, as in libpq) uses TLS when the server offers it and
//! plain TCP when the server has none; `disable` never uses TLS.
//!
//! Passwords are never stored by Vetta: the URL, `PGPASSWORD`, or the password file (`PGPASSFILE`,
//! else `~/.pgpass`, read only when no one else may read it), as libpq does. Like libpq, the open
//! store keeps the connection's settings in memory, to open its second connection (parallel reads).

use std::path::PathBuf;
use std::time::Duration;

use postgres::config::{Host, SslMode};

use super::db::{Db, Reconnect};
use super::{Result, StoreError};

/// How long to wait for the server before giving up (libpq's `connect_timeout`), unless the URL says.
const CONNECT_TIMEOUT: Duration = Duration::from_secs(5);

/// Connects as the URL says (see the module's documentation); `password`, when given, is the
/// login's password for this connection only (the app's Settings → Workspace asks for it; it is
/// never written anywhere), ahead of the URL's and libpq's places.
pub(super) fn connect(url: &str, given: Option<&str>) -> Result<Db> {
    let (url, tls) = split_tls(url)?;
    let mut config: postgres::Config = url.parse().map_err(|e: postgres::Error| StoreError::Url(format!("{e}")))?;
    if config.get_connect_timeout().is_none() {
        config.connect_timeout(CONNECT_TIMEOUT);
    }
    if config.get_user().is_none() {
        let user = std::env::var("PGUSER").ok().filter(|u| !u.is_empty()).or_else(super::os_user);
        config.user(&user.ok_or_else(|| StoreError::Url("the URL names no user, and neither does PGUSER".into()))?);
    }
    if let Some(password) = given.filter(|p| !p.is_empty()) {
        config.password(password);
    } else if config.get_password().is_none()
        && let Some(password) = password(&config)
    {
        config.password(password);
    }
    config.ssl_mode(tls.mode);
    // The way to connect is kept, settings and password with it, for as long as the store is open
    // (as libpq keeps them for `PQreset`): reads open a second connection to run in parallel.
    let reconnect: Reconnect = if tls.mode == SslMode::Disable {
        Box::new(move || config.connect(postgres::NoTls))
    } else {
        let mut builder = native_tls::TlsConnector::builder();
        if let Some(root) = &tls.root {
            let pem = std::fs::read(root).map_err(|e| StoreError::Url(format!("sslrootcert {}: {e}", root.display())))?;
            let certificate = native_tls::Certificate::from_pem(&pem)
                .map_err(|e| StoreError::Url(format!("sslrootcert {}: not a PEM certificate ({e})", root.display())))?;
            builder.add_root_certificate(certificate);
        }
        builder.danger_accept_invalid_hostnames(!tls.verify_host);
        let connector = postgres_native_tls::MakeTlsConnector::new(builder.build().map_err(|e| StoreError::Url(format!("TLS: {e}")))?);
        Box::new(move || config.connect(connector.clone()))
    };
    Ok(Db::postgres(reconnect()?, Some(reconnect)))
}

struct Tls {
    mode: SslMode,
    verify_host: bool,
    root: Option<PathBuf>,
}

/// Takes `sslmode` and `sslrootcert` out of the URL's query (the `postgres` crate knows only
/// `disable`, `prefer` and `require`, and no `sslrootcert`); the rest stays for it to read.
fn split_tls(url: &str) -> Result<(String, Tls)> {
    let mut tls = Tls { mode: SslMode::Prefer, verify_host: true, root: None };
    let Some((base, query)) = url.split_once('?') else { return Ok((url.to_string(), tls)) };
    let mut kept = Vec::new();
    for pair in query.split('&').filter(|p| !p.is_empty()) {
        let (key, value) = pair.split_once('=').unwrap_or((pair, ""));
        match key {
            "sslmode" => {
                (tls.mode, tls.verify_host) = match value {
                    "disable" => (SslMode::Disable, true),
                    "allow" | "prefer" => (SslMode::Prefer, true),
                    "require" | "verify-full" => (SslMode::Require, true),
                    "verify-ca" => (SslMode::Require, false),
                    other => {
                        return Err(StoreError::Url(format!("sslmode={other:?}: use disable, prefer, require, verify-ca or verify-full")));
                    }
                }
            }
            "sslrootcert" => tls.root = Some(PathBuf::from(percent_decode(value))),
            _ => kept.push(pair),
        }
    }
    let url = if kept.is_empty() { base.to_string() } else { format!("{base}?{}", kept.join("&")) };
    Ok((url, tls))
}

fn percent_decode(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%'
            && let Some(byte) = text.get(i + 1..i + 3).and_then(|h| u8::from_str_radix(h, 16).ok())
        {
            out.push(byte);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// The password libpq would use: `PGPASSWORD`, else the first matching line of the password file.
fn password(config: &postgres::Config) -> Option<String> {
    if let Ok(password) = std::env::var("PGPASSWORD") {
        return Some(password);
    }
    let file = std::env::var_os("PGPASSFILE").map(PathBuf::from).or_else(|| dirs::home_dir().map(|h| h.join(".pgpass")))?;
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        // libpq ignores a password file others may read.
        if std::fs::metadata(&file).ok()?.permissions().mode() & 0o077 != 0 {
            return None;
        }
    }
    let text = std::fs::read_to_string(&file).ok()?;
    let host = match config.get_hosts().first() {
        Some(Host::Tcp(name)) => name.clone(),
        _ => "localhost".to_string(),
    };
    let port = config.get_ports().first().copied().unwrap_or(5432).to_string();
    let user = config.get_user()?.to_string();
    let database = config.get_dbname().map_or_else(|| user.clone(), str::to_string);
    passfile_lookup(&text, [&host, &port, &database, &user])
}

/// The password of the first line of a password file (`host:port:database:user:password`, `*`
/// matching anything, `\` escaping `:` and `\`) that matches.
fn passfile_lookup(text: &str, wanted: [&str; 4]) -> Option<String> {
    text.lines().filter(|l| !l.trim_start().starts_with('#')).find_map(|line| {
        let mut fields = Vec::new();
        let mut field = String::new();
        let mut chars = line.chars();
        while let Some(c) = chars.next() {
            match c {
                '\\' => field.extend(chars.next()),
                ':' if fields.len() < 4 => fields.push(std::mem::take(&mut field)),
                c => field.push(c),
            }
        }
        fields.push(field);
        (fields.len() == 5 && fields[..4].iter().zip(wanted).all(|(f, w)| f == "*" || f == w)).then(|| fields[4].clone())
    })
}

/// A refusal to create the group roles, said as what to ask the administrator for.
pub(super) fn roles_error(error: StoreError) -> StoreError {
    match error {
        StoreError::Postgres(e) if e.code() == Some(&postgres::error::SqlState::INSUFFICIENT_PRIVILEGE) => StoreError::Url(
            "creating the group roles vetta_analyst and vetta_viewer needs the CREATEROLE privilege: ask the server's administrator \
             to create them (CREATE ROLE vetta_analyst NOLOGIN; CREATE ROLE vetta_viewer NOLOGIN;), then run init again"
                .into(),
        ),
        other => other,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn libpq_tls_options_are_taken_out_of_the_url() {
        let (url, tls) = split_tls("postgres://a@h/db?sslmode=verify-ca&sslrootcert=%2Ftmp%2Fca.pem&application_name=x").unwrap();
        assert_eq!(url, "postgres://a@h/db?application_name=x");
        assert_eq!((tls.mode, tls.verify_host, tls.root), (SslMode::Require, false, Some(PathBuf::from("/tmp/ca.pem"))));
        let (_, tls) = split_tls("postgres://a@h/db").unwrap();
        assert_eq!((tls.mode, tls.verify_host), (SslMode::Prefer, true));
        assert!(split_tls("postgres://a@h/db?sslmode=sometimes").is_err());
    }

    #[test]
    fn the_password_file_matches_as_libpq_reads_it() {
        let text = "# team\nother:5432:*:ana:nope\nh\\:x:*:vetta:ana:pa\\:ss\n*:*:*:ben:benpw\n";
        assert_eq!(passfile_lookup(text, ["h:x", "5432", "vetta", "ana"]).as_deref(), Some("pa:ss"));
        assert_eq!(passfile_lookup(text, ["db.example", "6543", "vetta", "ben"]).as_deref(), Some("benpw"));
        assert_eq!(passfile_lookup(text, ["db.example", "5432", "vetta", "cy"]), None);
    }
}
