//! `cargo xtask screenshots`: a PNG of every view of the app on the demo store, in the light and the
//! dark theme, into `target/screenshots/` (or the folder given as the first argument). Needs a
//! display (the xtask starts Xvfb).

use std::path::PathBuf;
use std::time::Duration;

use vetta_e2e::{App, Result, VIEWS};

#[tokio::main(flavor = "multi_thread", worker_threads = 2)]
async fn main() -> Result<()> {
    let out = std::env::args().nth(1).map(PathBuf::from).unwrap_or_else(|| vetta_e2e::workspace_root().join("target/screenshots"));
    std::fs::create_dir_all(&out)?;
    for theme in ["light", "dark"] {
        let dir = tempfile::tempdir()?;
        let app = App::launch(&dir.path().join("vetta.db"), dir.path()).await?;
        app.client.set_window_size(1440, 900).await?;
        app.use_theme(theme).await?;
        for (name, path, ready) in VIEWS {
            app.go(path).await?;
            app.wait_for(name, ready).await?;
            // Charts arrive as images after their own IPC call; give them a moment to decode.
            tokio::time::sleep(Duration::from_millis(300)).await;
            let file = out.join(format!("{name}-{theme}.png"));
            std::fs::write(&file, app.screenshot().await?)?;
            println!("{}", file.display());
        }
        // The Data view with the report of a published file checked (the OFAC fixture: notes
        // grouped by code, the largest group opened to its lines).
        app.go("/data").await?;
        app.wait_for("data", "return document.body.innerText.includes('Import history');").await?;
        let fixture = vetta_e2e::workspace_root().join("tests/fixtures/published/ofac-sdn");
        app.answer_dialogs(Some(&fixture), None).await?;
        app.js("[...document.querySelectorAll('button')].find(b => b.textContent.includes('Choose folder')).click();", vec![]).await?;
        app.wait_for(
            "the import report",
            "const d = document.querySelector('.notes .groups details'); if (!d) return false; d.open = true; \
             d.scrollIntoView(); return d.querySelectorAll('ol.lines li').length > 0;",
        )
        .await?;
        tokio::time::sleep(Duration::from_millis(300)).await;
        let file = out.join(format!("data-report-{theme}.png"));
        std::fs::write(&file, app.screenshot().await?)?;
        println!("{}", file.display());
        app.close().await?;
    }
    Ok(())
}
