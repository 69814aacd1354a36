//! Signed bundles: a store's facts in one file that proves who made it and that nobody changed it,
//! for analysts who exchange evidence on removable media rather than over a network.
//!
//! A bundle is a zip file (readable with any unzip tool) holding
//! - `manifest.json`: the [`Manifest`] — format and version, the Vetta that wrote it, who made it
//!   and when, the store's `dataset_sha256`, and each data file with its SHA-256, size and rows;
//! - `dataset/<table>.csv`: the store's dump (`vetta dump`), which imports into an empty store with
//!   the same `dataset_sha256`.
//!
//! **The signature** is a minisign signature (Ed25519, prehashed with BLAKE2b: the `minisign`
//! crate) kept as the zip's archive comment, the last bytes of the file. It signs every byte before
//! it — every entry, header and the manifest — so a changed byte anywhere is refused, not only a
//! changed value: the signature bytes themselves must be the canonical text of a valid signature
//! whose untrusted comment is [`UNTRUSTED_COMMENT`]. The signed range can be checked with the
//! `minisign` tool: `minisign -Vm` on the file truncated before the comment, with the comment as
//! the `.minisig`. An unsigned bundle has no comment.
//!
//! Reading a bundle checks, in order: it is a zip with a Vetta manifest; it is signed (or the
//! caller accepts unsigned ones knowingly); the signing key is trusted; the signature holds; every
//! entry is in the manifest and every manifest file is present with its SHA-256 and size; each is a
//! Vetta table. The first failure is the error, and nothing of the bundle is returned.
//!
//! This module is the format only: no store. `api` dumps and imports.

use std::io::{Cursor, Read, Seek, Write};
use std::path::{Path, PathBuf};

use minisign::{KeyPair, PublicKey, PublicKeyBox, SecretKey, SecretKeyBox, SignatureBox};
use sha2::{Digest, Sha256};

use crate::ingest::tables::{self, Table};

pub const MANIFEST: &str = "manifest.json";
pub const FORMAT: &str = "vetta-bundle";
pub const VERSION: u32 = 1;
/// The file name ending `vetta bundle create` suggests; bundles are recognised by content.
pub const EXTENSION: &str = "vetta-bundle";
/// The signature's untrusted comment: fixed, so that it too is checked byte for byte.
pub const UNTRUSTED_COMMENT: &str = "signature of a Vetta bundle: every byte before this comment";
/// The environment variable a secret key's password may come from (otherwise it is asked for).
pub const PASSWORD_VAR: &str = "VETTA_KEY_PASSWORD";
/// Largest manifest read (a manifest lists at most one file per table).
const MANIFEST_LIMIT: u64 = 1 << 20;

#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize, ts_rs::TS)]
pub struct Manifest {
    /// Always `vetta-bundle`.
    pub format: String,
    pub version: u32,
    /// The Vetta that wrote it.
    pub vetta_version: String,
    /// Who made it: the store's user (the OS user locally).
    pub created_by: Option<String>,
    /// When, UTC, `YYYY-MM-DDTHH:MM:SSZ`.
    pub created_at: String,
    /// The `dataset_sha256` of the store it was made from, which its files import back to.
    pub dataset_sha256: String,
    pub files: Vec<ManifestFile>,
}

#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize, ts_rs::TS)]
pub struct ManifestFile {
    /// The entry's name in the zip: `dataset/<table>.csv`.
    pub name: String,
    pub sha256: String,
    #[ts(type = "number")]
    pub bytes: u64,
    #[ts(type = "number")]
    pub rows: u64,
}

/// A public key the store trusts to sign bundles (Settings → Trusted keys; `vetta key trust`).
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize, ts_rs::TS)]
pub struct TrustedKey {
    /// minisign's key id: 16 hexadecimal digits.
    pub key_id: String,
    /// The key as minisign prints it (the base64 line of a `.pub` file).
    pub public_key: String,
    /// Whose key it is, as the person who trusted it wrote.
    pub label: String,
    pub added_at: String,
}

/// Why a bundle was refused. Each names what it found; the caller adds the file.
#[derive(Debug, thiserror::Error)]
pub enum BundleError {
    #[error("cannot read the bundle: {0}")]
    Io(#[from] std::io::Error),
    #[error("not a Vetta bundle: {0}")]
    NotABundle(String),
    #[error("the bundle is version {found}; this Vetta reads version {VERSION} and older: update Vetta")]
    TooNew { found: u32 },
    #[error(
        "the bundle is not signed, so nothing shows who made it or that it is unchanged; import it with --allow-unsigned (in the app: \"Import anyway\") only if you know where it came from"
    )]
    Unsigned,
    #[error(
        "the bundle is signed with key {key_id}, which is not among this workspace's trusted keys; if you know whose key it is, add its public key (vetta key trust FILE.pub, or Settings → Trusted keys)"
    )]
    UnknownKey { key_id: String },
    #[error("the signature by key {key_id} ({label}) does not match: the bundle was changed after it was signed ({reason})")]
    BadSignature { key_id: String, label: String, reason: String },
    #[error("{entry}: {reason}")]
    Tampered { entry: String, reason: String },
    #[error("{entry}: {reason}")]
    Malformed { entry: String, reason: String },
    /// A secret key that cannot sign (the caller names the file).
    #[error("{0}")]
    Key(String),
}

impl BundleError {
    /// A short code for the app: `unsigned`, `unknown-key`, `bad-signature`, `tampered`, `malformed`,
    /// `not-a-bundle`, `too-new` or `io`.
    pub fn code(&self) -> &'static str {
        match self {
            BundleError::Io(_) => "io",
            BundleError::NotABundle(_) => "not-a-bundle",
            BundleError::TooNew { .. } => "too-new",
            BundleError::Unsigned => "unsigned",
            BundleError::UnknownKey { .. } => "unknown-key",
            BundleError::BadSignature { .. } => "bad-signature",
            BundleError::Tampered { .. } => "tampered",
            BundleError::Malformed { .. } => "malformed",
            BundleError::Key(_) => "key",
        }
    }
}

/// What a reader accepts.
pub struct Trust<'a> {
    pub keys: &'a [TrustedKey],
    /// Accept a bundle without a signature (`--allow-unsigned`); a signed one is still checked.
    pub allow_unsigned: bool,
}

/// A bundle that passed every check.
#[derive(Debug)]
pub struct Opened {
    pub manifest: Manifest,
    /// The trusted key that signed it; None for an unsigned bundle accepted knowingly.
    pub signed_by: Option<TrustedKey>,
    /// Each data file: its table and bytes, in the manifest's order.
    pub files: Vec<(String, &'static Table, std::sync::Arc<[u8]>)>,
}

/// A data file to bundle: its table and CSV bytes, with its rows.
pub struct DataFile {
    pub table: &'static Table,
    pub bytes: Vec<u8>,
    pub rows: u64,
}

/// A decrypted secret key, ready to sign.
pub struct Signer {
    secret: SecretKey,
    public: PublicKey,
}

impl Signer {
    pub fn key_id(&self) -> String {
        key_id(self.public.keynum())
    }
}

/// minisign's key id: the 8-byte key number, little-endian, as 16 upper-case hex digits.
fn key_id(keynum: &[u8]) -> String {
    let mut bytes = [0u8; 8];
    bytes.copy_from_slice(&keynum[..8]);
    format!("{:016X}", u64::from_le_bytes(bytes))
}

fn sha256_hex(bytes: &[u8]) -> String {
    Sha256::digest(bytes).iter().map(|b| format!("{b:02x}")).collect()
}

/// The quick test import uses to tell a bundle from other files: a zip whose entries include
/// `manifest.json`. Reads only the zip's directory.
pub fn is_bundle(path: &Path) -> bool {
    let Ok(mut file) = std::fs::File::open(path) else { return false };
    let mut magic = [0u8; 4];
    if file.read_exact(&mut magic).is_err() || magic != *b"PK\x03\x04" || file.rewind().is_err() {
        return false;
    }
    zip::ZipArchive::new(std::io::BufReader::new(file)).is_ok_and(|archive| archive.index_for_name(MANIFEST).is_some())
}

/// Writes a bundle to `out`, whole or not at all (a partial file beside it takes its place in one
/// rename). The manifest lists `files` in the order given.
pub fn write(
    out: &Path,
    files: &[DataFile],
    dataset_sha256: &str,
    created_by: Option<&str>,
    created_at: &str,
    signer: Option<&Signer>,
) -> Result<Manifest, BundleError> {
    let manifest = Manifest {
        format: FORMAT.into(),
        version: VERSION,
        vetta_version: env!("CARGO_PKG_VERSION").into(),
        created_by: created_by.map(str::to_string),
        created_at: created_at.into(),
        dataset_sha256: dataset_sha256.into(),
        files: files
            .iter()
            .map(|f| ManifestFile {
                name: format!("dataset/{}.csv", f.table.name),
                sha256: sha256_hex(&f.bytes),
                bytes: f.bytes.len() as u64,
                rows: f.rows,
            })
            .collect(),
    };
    let manifest_json = serde_json::to_vec_pretty(&manifest).expect("the manifest serialises");
    // One line of the trusted comment: what was signed, in words a person checking it can read.
    let trusted_comment = format!(
        "vetta bundle; dataset_sha256={dataset_sha256}; created_at={created_at}; created_by={}",
        created_by.unwrap_or("unknown").chars().filter(|c| !c.is_control()).take(64).collect::<String>()
    );
    let comment_len = match signer {
        Some(signer) => signature_text(signer, &mut Cursor::new(b""), &trusted_comment)?.len(),
        None => 0,
    };

    let mut partial = out.as_os_str().to_owned();
    partial.push(".partial");
    let partial = PathBuf::from(partial);
    let written = (|| -> Result<(), BundleError> {
        let file = std::fs::OpenOptions::new().read(true).write(true).create(true).truncate(true).open(&partial)?;
        let mut zip = zip::ZipWriter::new(file);
        let options = zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Deflated);
        let zip_error = |e: zip::result::ZipError| BundleError::Io(std::io::Error::other(e));
        zip.start_file(MANIFEST, options).map_err(zip_error)?;
        zip.write_all(&manifest_json)?;
        for (file, listed) in files.iter().zip(&manifest.files) {
            zip.start_file(listed.name.as_str(), options).map_err(zip_error)?;
            zip.write_all(&file.bytes)?;
        }
        // A placeholder as long as the signature; replaced once every byte before it is known.
        zip.set_comment(" ".repeat(comment_len)).map_err(zip_error)?;
        let mut file = zip.finish().map_err(zip_error)?;
        if let Some(signer) = signer {
            let end = file.seek(std::io::SeekFrom::End(0))?;
            let signed_len = end - comment_len as u64;
            file.rewind()?;
            let text = signature_text(signer, &mut (&mut file).take(signed_len), &trusted_comment)?;
            assert_eq!(text.len(), comment_len, "a minisign signature's length depends only on its comments");
            file.seek(std::io::SeekFrom::Start(signed_len))?;
            file.write_all(text.as_bytes())?;
        }
        file.sync_all()?;
        drop(file);
        std::fs::rename(&partial, out)?;
        Ok(())
    })();
    if written.is_err() {
        let _ = std::fs::remove_file(&partial);
    }
    written.map(|()| manifest)
}

fn signature_text(signer: &Signer, data: &mut impl Read, trusted_comment: &str) -> Result<String, BundleError> {
    let signature = minisign::sign(Some(&signer.public), &signer.secret, data, Some(trusted_comment), Some(UNTRUSTED_COMMENT))
        .map_err(|e| BundleError::Io(std::io::Error::other(format!("cannot sign: {e}"))))?;
    Ok(signature.to_string())
}

/// Reads and checks a bundle (the module's documentation lists the checks). The whole file is read
/// into memory: the signature covers all of it.
pub fn open(path: &Path, trust: &Trust) -> Result<Opened, BundleError> {
    let bytes = std::fs::read(path)?;
    let mut archive =
        zip::ZipArchive::new(Cursor::new(bytes.as_slice())).map_err(|e| BundleError::NotABundle(format!("not a zip file ({e})")))?;
    let manifest_json = {
        let entry = archive.by_name(MANIFEST).map_err(|_| BundleError::NotABundle(format!("no {MANIFEST} in the zip")))?;
        read_entry(entry, MANIFEST_LIMIT, MANIFEST)?
    };
    let manifest: Manifest = serde_json::from_slice(&manifest_json)
        .map_err(|e| BundleError::Malformed { entry: MANIFEST.into(), reason: format!("not a Vetta manifest ({e})") })?;
    if manifest.format != FORMAT {
        return Err(BundleError::NotABundle(format!("{MANIFEST} says format {:?}, not {FORMAT:?}", manifest.format)));
    }
    if manifest.version > VERSION {
        return Err(BundleError::TooNew { found: manifest.version });
    }

    let comment = archive.comment().to_vec();
    let signed_by = if comment.is_empty() {
        if !trust.allow_unsigned {
            return Err(BundleError::Unsigned);
        }
        None
    } else {
        Some(check_signature(&bytes, &comment, trust.keys)?)
    };

    let listed: std::collections::HashMap<&str, &ManifestFile> = manifest.files.iter().map(|f| (f.name.as_str(), f)).collect();
    for name in archive.file_names_raw() {
        let name = String::from_utf8_lossy(name);
        if name != MANIFEST && !listed.contains_key(name.as_ref()) {
            return Err(BundleError::Tampered { entry: name.into_owned(), reason: format!("not listed in {MANIFEST}") });
        }
    }
    let mut files = Vec::with_capacity(manifest.files.len());
    for file in &manifest.files {
        let table =
            file.name.strip_prefix("dataset/").and_then(|n| n.strip_suffix(".csv")).and_then(tables::by_name).ok_or_else(|| {
                BundleError::Malformed { entry: file.name.clone(), reason: "not a Vetta table (dataset/<table>.csv)".into() }
            })?;
        if files.iter().any(|(_, t, _): &(String, &Table, _)| t.name == table.name) {
            return Err(BundleError::Malformed { entry: file.name.clone(), reason: format!("listed twice in {MANIFEST}") });
        }
        let entry = archive.by_name(&file.name).map_err(|_| BundleError::Tampered {
            entry: file.name.clone(),
            reason: format!("listed in {MANIFEST} but missing from the bundle"),
        })?;
        let data = read_entry(entry, file.bytes, &file.name)?;
        let sha256 = sha256_hex(&data);
        if data.len() as u64 != file.bytes || sha256 != file.sha256 {
            return Err(BundleError::Tampered {
                entry: file.name.clone(),
                reason: format!(
                    "{} bytes with SHA-256 {sha256}, where {MANIFEST} says {} bytes with {}: the file was changed after the bundle was made",
                    data.len(),
                    file.bytes,
                    file.sha256
                ),
            });
        }
        files.push((file.name.clone(), table, std::sync::Arc::from(data)));
    }
    Ok(Opened { manifest, signed_by, files })
}

/// Reads an entry, at most `limit` bytes (one more tells it is longer than its manifest says);
/// a failed read (a changed byte in compressed data fails its CRC) is tampering.
fn read_entry(entry: zip::read::ZipFile<'_, impl Read>, limit: u64, name: &str) -> Result<Vec<u8>, BundleError> {
    let mut data = Vec::new();
    entry
        .take(limit.saturating_add(1))
        .read_to_end(&mut data)
        .map_err(|e| BundleError::Tampered { entry: name.to_string(), reason: format!("cannot be read: {e}") })?;
    Ok(data)
}

/// The signature in the zip's comment must be the canonical text of a minisign signature with our
/// untrusted comment, by a trusted key, over every byte before it.
fn check_signature(bytes: &[u8], comment: &[u8], keys: &[TrustedKey]) -> Result<TrustedKey, BundleError> {
    let malformed = |reason: String| BundleError::Malformed { entry: "signature (the zip's comment)".into(), reason };
    let text = std::str::from_utf8(comment).map_err(|_| malformed("not text".into()))?;
    let signature = SignatureBox::from_string(text).map_err(|e| malformed(format!("not a minisign signature ({e})")))?;
    let key_id = key_id(signature.keynum());
    let key = keys.iter().find(|k| k.key_id == key_id).ok_or_else(|| BundleError::UnknownKey { key_id: key_id.clone() })?;
    let bad = |reason: String| BundleError::BadSignature { key_id: key_id.clone(), label: key.label.clone(), reason };
    if signature.untrusted_comment().ok().as_deref() != Some(UNTRUSTED_COMMENT) || signature.to_string() != text {
        return Err(bad("the signature's text is not as Vetta writes it".into()));
    }
    // The comment must be the file's last bytes, and its length field the two bytes before it.
    let signed_len = bytes.len() - comment.len();
    if !bytes.ends_with(comment) || bytes.get(signed_len.wrapping_sub(2)..signed_len) != Some(&(comment.len() as u16).to_le_bytes()[..]) {
        return Err(bad("bytes follow the signature".into()));
    }
    let public = PublicKey::from_base64(&key.public_key).map_err(|e| bad(format!("the trusted key does not read ({e})")))?;
    minisign::verify(&public, &signature, Cursor::new(&bytes[..signed_len]), true, false, false).map_err(|e| bad(e.to_string()))?;
    Ok(key.clone())
}

/// A new key pair, written as `secret` (the minisign secret key file, readable by its owner only)
/// and `secret.pub` (the public key to hand to whoever will trust it). Refuses to overwrite either.
/// With a password the secret key is encrypted (scrypt, as minisign does); without, it is not.
pub fn new_key(secret: &Path, password: Option<String>) -> Result<TrustedKey, BundleError> {
    let public_path = public_path(secret);
    for path in [secret, public_path.as_path()] {
        if path.exists() {
            return Err(BundleError::Io(std::io::Error::new(
                std::io::ErrorKind::AlreadyExists,
                format!("{} already exists: choose another name, or move it away first", path.display()),
            )));
        }
    }
    let KeyPair { pk, sk } = match password {
        Some(password) => KeyPair::generate_encrypted_keypair(Some(password)),
        None => KeyPair::generate_unencrypted_keypair(),
    }
    .map_err(|e| BundleError::Io(std::io::Error::other(format!("cannot make a key: {e}"))))?;
    let key_id = key_id(pk.keynum());
    let comment = format!("Vetta signing key {key_id}");
    let secret_text = sk.to_box(Some(&comment)).map_err(|e| BundleError::Io(std::io::Error::other(e.to_string())))?.to_string();
    let public_text = pk.to_box().map_err(|e| BundleError::Io(std::io::Error::other(e.to_string())))?.to_string();
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    if let Some(folder) = secret.parent().filter(|p| !p.as_os_str().is_empty()) {
        std::fs::create_dir_all(folder)?;
    }
    options.open(secret)?.write_all(secret_text.as_bytes())?;
    if let Err(error) =
        std::fs::OpenOptions::new().write(true).create_new(true).open(&public_path).and_then(|mut f| f.write_all(public_text.as_bytes()))
    {
        let _ = std::fs::remove_file(secret);
        return Err(error.into());
    }
    Ok(TrustedKey { key_id, public_key: pk.to_base64(), label: String::new(), added_at: String::new() })
}

/// Where [`new_key`] writes the public key of `secret`: beside it, with `.pub` added.
pub fn public_path(secret: &Path) -> PathBuf {
    let mut name = secret.as_os_str().to_owned();
    name.push(".pub");
    PathBuf::from(name)
}

/// Whether the secret key file is encrypted (needs a password to sign).
pub fn is_encrypted(secret: &Path) -> Result<bool, BundleError> {
    let text = std::fs::read_to_string(secret)?;
    match SecretKeyBox::from_string(&text).and_then(|b| b.into_unencrypted_secret_key()) {
        Ok(_) => Ok(false),
        Err(e) if e.to_string().contains("encrypted") => Ok(true),
        Err(e) => Err(BundleError::Key(format!("not a minisign secret key ({e})"))),
    }
}

/// Loads a secret key to sign with; `password` decrypts an encrypted one (None: unencrypted).
pub fn load_signer(secret: &Path, password: Option<String>) -> Result<Signer, BundleError> {
    let text = std::fs::read_to_string(secret)?;
    let unreadable = |e: minisign::PError| BundleError::Key(format!("not a minisign secret key ({e})"));
    let key_box = SecretKeyBox::from_string(&text).map_err(unreadable)?;
    let secret_key = match password {
        Some(password) if password.is_empty() => {
            return Err(BundleError::Key(format!("the key is encrypted: give its password ({PASSWORD_VAR}, or at the prompt)")));
        }
        Some(password) => key_box.into_secret_key(Some(password)),
        None => key_box.into_unencrypted_secret_key(),
    }
    .map_err(|e| {
        BundleError::Key(if e.to_string().contains("Wrong password") {
            "wrong password for this key".into()
        } else if e.to_string().contains("encrypted") {
            format!("the key is encrypted: give its password ({PASSWORD_VAR}, or at the prompt)")
        } else {
            format!("not a minisign secret key ({e})")
        })
    })?;
    let public = PublicKey::from_secret_key(&secret_key).map_err(unreadable)?;
    Ok(Signer { secret: secret_key, public })
}

/// Reads a public key as minisign writes it: a `.pub` file's text (comment line and key) or the
/// bare base64 key line.
pub fn parse_public_key(text: &str) -> Result<TrustedKey, BundleError> {
    let text = text.trim();
    let malformed =
        |e: minisign::PError| BundleError::Malformed { entry: "public key".into(), reason: format!("not a minisign public key ({e})") };
    let key = if text.starts_with("untrusted comment:") {
        PublicKeyBox::from_string(&format!("{text}\n")).and_then(PublicKey::from_box).map_err(malformed)?
    } else {
        PublicKey::from_base64(text).map_err(malformed)?
    };
    Ok(TrustedKey { key_id: key_id(key.keynum()), public_key: key.to_base64(), label: String::new(), added_at: String::new() })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn data() -> Vec<DataFile> {
        vec![
            DataFile {
                table: &tables::ENTITIES,
                bytes: b"entity_id,name,kind,country,source\ne1,Acme,company,GB,test\n".to_vec(),
                rows: 1,
            },
            DataFile { table: &tables::LINKS, bytes: b"entity_id,other_id\n".to_vec(), rows: 0 },
        ]
    }

    fn key(dir: &Path) -> (Signer, TrustedKey) {
        let secret = dir.join("alice.key");
        let mut trusted = new_key(&secret, None).unwrap();
        trusted.label = "Alice".into();
        (load_signer(&secret, None).unwrap(), trusted)
    }

    #[test]
    fn every_changed_byte_of_a_signed_bundle_is_refused() {
        let dir = tempfile::tempdir().unwrap();
        let (signer, trusted) = key(dir.path());
        let out = dir.path().join("b.vetta-bundle");
        write(&out, &data(), "abc", Some("alice"), "2026-12-06T00:00:00Z", Some(&signer)).unwrap();
        let keys = [trusted];
        let trust = Trust { keys: &keys, allow_unsigned: false };
        let opened = open(&out, &trust).unwrap();
        assert_eq!(opened.signed_by.unwrap().label, "Alice");
        assert_eq!(opened.files.len(), 2);
        assert_eq!(&*opened.files[0].2, data()[0].bytes.as_slice());

        let good = std::fs::read(&out).unwrap();
        let tampered = dir.path().join("t.vetta-bundle");
        for at in 0..good.len() {
            let mut bytes = good.clone();
            bytes[at] ^= 0x01;
            std::fs::write(&tampered, &bytes).unwrap();
            assert!(open(&tampered, &trust).is_err(), "a change at byte {at} of {} was accepted", good.len());
        }
        // Bytes added after the signature, too.
        let mut longer = good.clone();
        longer.push(b'\n');
        std::fs::write(&tampered, &longer).unwrap();
        assert!(open(&tampered, &trust).is_err());
    }

    #[test]
    fn unsigned_unknown_and_changed_bundles_say_why() {
        let dir = tempfile::tempdir().unwrap();
        let (signer, trusted) = key(dir.path());
        let unsigned = dir.path().join("u.vetta-bundle");
        write(&unsigned, &data(), "abc", None, "2026-12-06T00:00:00Z", None).unwrap();
        let keys = [trusted.clone()];
        let strict = Trust { keys: &keys, allow_unsigned: false };
        assert!(matches!(open(&unsigned, &strict), Err(BundleError::Unsigned)));
        let lenient = Trust { keys: &keys, allow_unsigned: true };
        assert!(open(&unsigned, &lenient).unwrap().signed_by.is_none());

        let signed = dir.path().join("s.vetta-bundle");
        write(&signed, &data(), "abc", None, "2026-12-06T00:00:00Z", Some(&signer)).unwrap();
        let nobody = Trust { keys: &[], allow_unsigned: true };
        match open(&signed, &nobody) {
            Err(BundleError::UnknownKey { key_id }) => assert_eq!(key_id, trusted.key_id),
            other => panic!("{other:?}"),
        }
        // The key must be the one that signed, not only carry its id.
        let other = parse_public_key(&key(&dir.path().join("other")).1.public_key).unwrap();
        let impostor = [TrustedKey { key_id: trusted.key_id.clone(), label: "Mallory".into(), ..other }];
        let error = open(&signed, &Trust { keys: &impostor, allow_unsigned: false }).unwrap_err();
        assert!(matches!(error, BundleError::BadSignature { .. }), "{error}");

        // An unsigned bundle whose file no longer matches its manifest.
        let bytes = std::fs::read(&unsigned).unwrap();
        let mut archive = zip::ZipArchive::new(Cursor::new(&bytes)).unwrap();
        let rewritten = dir.path().join("r.vetta-bundle");
        let mut zip = zip::ZipWriter::new(std::fs::File::create(&rewritten).unwrap());
        for i in 0..archive.len() {
            let mut entry = archive.by_index(i).unwrap();
            let name = entry.name().unwrap().to_string();
            let mut content = Vec::new();
            entry.read_to_end(&mut content).unwrap();
            if name == "dataset/entities.csv" {
                content = String::from_utf8(content).unwrap().replace("GB", "RU").into_bytes();
            }
            zip.start_file(name, zip::write::SimpleFileOptions::default()).unwrap();
            zip.write_all(&content).unwrap();
        }
        zip.finish().unwrap();
        let error = open(&rewritten, &lenient).unwrap_err();
        assert!(matches!(&error, BundleError::Tampered { entry, .. } if entry == "dataset/entities.csv"), "{error}");
    }

    #[test]
    fn keys_read_back_from_their_files_and_bare_lines() {
        let dir = tempfile::tempdir().unwrap();
        let secret = dir.path().join("k");
        let made = new_key(&secret, None).unwrap();
        let from_file = parse_public_key(&std::fs::read_to_string(public_path(&secret)).unwrap()).unwrap();
        assert_eq!(from_file.key_id, made.key_id);
        assert_eq!(parse_public_key(&made.public_key).unwrap().public_key, made.public_key);
        assert!(parse_public_key("not a key").is_err());
        assert!(!is_encrypted(&secret).unwrap());
        assert!(new_key(&secret, None).is_err(), "an existing key is never overwritten");
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            assert_eq!(std::fs::metadata(&secret).unwrap().permissions().mode() & 0o777, 0o600);
        }
    }
}
