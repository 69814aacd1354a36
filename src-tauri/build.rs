fn main() {
    // UI edits must rebuild the binary that embeds them.
    println!("cargo:rerun-if-changed=../ui/build");
    tauri_build::build()
}
