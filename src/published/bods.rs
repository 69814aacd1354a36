//! Placeholder while the format is written (issue 11): the file is recorded and reported as not read.

use super::{FileBytes, Staging};

pub(super) fn stage(file: &FileBytes, staging: &mut Staging) {
    file.begin(staging);
    staging.note("1", "format-not-read", "this format's importer is not built yet; nothing of the file is imported");
}
