//! The desktop app end to end, through WebDriver, on temporary stores. Each test launches the real
//! app; they take a lock so only one app runs at a time (the timings are taken on 2 cores).

use serde_json::{Value, json};
use vetta_e2e::{App, LIVE_ORDER, Result, VIEWS};

static ONE_APP_AT_A_TIME: tokio::sync::Mutex<()> = tokio::sync::Mutex::const_new(());

fn text(value: &Value) -> String {
    value.as_str().unwrap_or_default().to_string()
}

/// The text of the Data view's counts card.
const COUNTS: &str = "return document.querySelector('[aria-labelledby=counts-title]')?.innerText ?? '';";

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_procurement_lead_ranks_reweights_imports_and_exports_a_brief() -> Result<()> {
    let _one = ONE_APP_AT_A_TIME.lock().await;
    let dir = tempfile::tempdir()?;
    let app = App::launch(&dir.path().join("vetta.db"), dir.path()).await?;
    println!("launch to first paint: {:?} (page: {:.0} ms after navigation start)", app.launch_to_first_paint, app.page_first_paint_ms);

    // The ranking shows Kaspersky Lab with its band and its prohibited status.
    let row = app
        .wait_for(
            "Kaspersky Lab's row",
            "return [...document.querySelectorAll('tbody tr')].map(r => r.innerText).find(t => t.includes('Kaspersky Lab')) ?? null;",
        )
        .await?;
    let row = text(&row);
    assert!(row.contains("High"), "Kaspersky Lab is in the high band: {row}");
    assert!(row.to_lowercase().contains("prohibited"), "and prohibited: {row}");

    // What-if: moving one weight re-orders the live ranking, with rank-change arrows against the baseline.
    app.open_view("/what-if").await?;
    app.wait_for("the live ranking", "return document.querySelectorAll('ol.list li').length > 3;").await?;
    app.js("[...document.querySelectorAll('.live button')].find(b => b.textContent.includes('Set as baseline')).click();", vec![]).await?;
    let before = app.js(LIVE_ORDER, vec![]).await?;
    app.js("const s = document.querySelector('#w-market'); s.value = '0'; s.dispatchEvent(new Event('input', { bubbles: true }));", vec![])
        .await?;
    let after = app
        .wait_for(
            "a new order",
            &format!(
                "const order = (() => {{ {LIVE_ORDER} }})(); return JSON.stringify(order) !== {:?} ? order : null;",
                before.to_string()
            ),
        )
        .await?;
    assert_ne!(before, after, "setting the market weight to 0 swaps Silkfern and Cedarquill");
    let moved = app.js("return document.querySelectorAll('ol.list .move.up, ol.list .move.down').length;", vec![]).await?;
    assert!(moved.as_u64().unwrap_or(0) > 0, "rank-change arrows show who moved");

    // Data: a bad dataset is reported at file:line:column before anything is written.
    app.open_view("/data").await?;
    let counts_before = text(&app.wait_for("the counts", COUNTS).await?);
    let bad = dir.path().join("bad-dataset");
    std::fs::create_dir(&bad)?;
    std::fs::write(
        bad.join("vendors.csv"),
        "vendor_id,name,hq_country,privilege,source\nacme,Acme,US,kernel,test\nbadco,Bad Co,Russia,kernel,test\n",
    )?;
    app.answer_dialogs(Some(&bad), None).await?;
    app.js("[...document.querySelectorAll('button')].find(b => b.textContent.includes('Choose folder')).click();", vec![]).await?;
    let error = app
        .wait_for("the validation report", "return [...document.querySelectorAll('.report code')].map(c => c.textContent).join('\\n');")
        .await?;
    assert!(text(&error).contains("vendors.csv:3:hq_country"), "the error names file, line and column: {error}");
    let import_disabled = app
        .js("return [...document.querySelectorAll('button.primary')].find(b => b.textContent.trim() === 'Import').disabled;", vec![])
        .await?;
    assert_eq!(import_disabled, json!(true), "Import stays disabled after a failed check");
    assert_eq!(text(&app.js(COUNTS, vec![]).await?), counts_before, "the counts are unchanged");

    // Briefs: a PDF of Kaspersky Lab's brief is written where the save dialog said.
    app.open_view("/briefs").await?;
    let pdf = dir.path().join("kaspersky.pdf");
    app.answer_dialogs(None, Some(&pdf)).await?;
    app.wait_for("the vendor list", "return document.querySelectorAll('label.pick').length > 0;").await?;
    app.js(
        "[...document.querySelectorAll('label.pick')].find(l => l.innerText.includes('Kaspersky Lab')).querySelector('input').click();",
        vec![],
    )
    .await?;
    app.js("[...document.querySelectorAll('button')].find(b => b.textContent.includes('Save PDF')).click();", vec![]).await?;
    app.wait_for("the saved brief", "return document.body.innerText.includes('Last saved');").await?;
    let bytes = std::fs::read(&pdf)?;
    assert!(bytes.starts_with(b"%PDF-") && bytes.len() > 10_000, "a whole PDF was written ({} bytes)", bytes.len());

    app.close().await
}

/// The states the accessibility test opens besides [`VIEWS`], in the same form: what-if's other tabs
/// (SMAA with a result), a full comparison, the keyboard shortcuts, and a confirmation with its danger
/// button. Nothing is confirmed: the test closes every dialog after its check.
const MORE_STATES: &[(&str, &str, &str)] = &[
    (
        "what-if, tornado & stability",
        "/what-if",
        "const tab = [...document.querySelectorAll('[role=tab]')].find(t => t.textContent.includes('Tornado'));
         if (tab?.getAttribute('aria-selected') !== 'true') { tab?.click(); return false; }
         return document.querySelectorAll('[role=tabpanel] table').length > 0;",
    ),
    (
        "what-if, SMAA result",
        "/what-if",
        "const tab = [...document.querySelectorAll('[role=tab]')].find(t => t.textContent.includes('SMAA'));
         if (tab?.getAttribute('aria-selected') !== 'true') { tab?.click(); return false; }
         if (document.querySelector('table.heat')) return true;
         const run = [...document.querySelectorAll('[role=tabpanel] button')].find(b => b.textContent.trim() === 'Run');
         if (run && !run.disabled) run.click();
         return false;",
    ),
    (
        "what-if, AHP weights",
        "/what-if",
        "const tab = [...document.querySelectorAll('[role=tab]')].find(t => t.textContent.includes('AHP'));
         if (tab?.getAttribute('aria-selected') !== 'true') { tab?.click(); return false; }
         return document.querySelectorAll('[role=tabpanel] select').length > 0;",
    ),
    (
        "compare, five vendors",
        "/compare?ids=kaspersky,jadeport,lotusgate,silkfern,cedarquill",
        "return document.querySelectorAll('label.pick input:checked').length === 5 && document.querySelectorAll('img').length > 0;",
    ),
    (
        "keyboard shortcuts dialog",
        "/",
        "if (document.querySelector('dialog[open]')) return true; document.querySelector('nav.rail button.help')?.click(); return false;",
    ),
    (
        "data, what changed",
        "/data",
        "const tab = [...document.querySelectorAll('[role=tab]')].find(t => t.textContent.includes('What changed')); if (tab?.getAttribute('aria-selected') === 'true') return true; tab?.click(); return false;",
    ),
    (
        "screening, decided links",
        "/screening",
        "const tab = [...document.querySelectorAll('[role=tab]')].find(t => t.textContent.includes('Decided links')); if (tab?.getAttribute('aria-selected') === 'true') return true; tab?.click(); return false;",
    ),
    (
        "undo import dialog",
        "/data",
        "if (document.querySelector('dialog[open]')) return true; [...document.querySelectorAll('button')].find(b => b.textContent.includes('Undo…'))?.click(); return false;",
    ),
];

/// Section 508 (WCAG 2.1 A and AA): axe-core finds no violation in any view or state of
/// [`VIEWS`] and [`MORE_STATES`], in the light theme and in the dark one.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_view_passes_axe_in_both_themes() -> Result<()> {
    let _one = ONE_APP_AT_A_TIME.lock().await;
    let dir = tempfile::tempdir()?;
    let app = App::launch(&dir.path().join("vetta.db"), dir.path()).await?;
    let mut violations = Vec::new();
    let mut checked = 0;
    for theme in ["light", "dark"] {
        app.use_theme(theme).await?;
        for (name, path, ready) in VIEWS.iter().chain(MORE_STATES) {
            app.go(path).await?;
            app.wait_for(name, ready).await?;
            app.settle().await?;
            violations.extend(app.axe_violations().await?.into_iter().map(|v| format!("{name} ({theme}): {v}")));
            app.js("document.querySelector('dialog[open]')?.close();", vec![]).await?;
            checked += 1;
        }
    }
    println!("axe-core, WCAG 2.1 A and AA: {checked} views and states checked, {} violations", violations.len());
    app.close().await?;
    assert!(violations.is_empty(), "axe-core finds WCAG 2.1 A/AA violations:\n{}", violations.join("\n"));
    Ok(())
}

/// Times what the issue names, on a store of 1,000 vendors (`VETTA_E2E_VENDORS=10000` for the
/// speed targets' size): launch to first paint, a slider move to the re-sorted ranking on screen
/// (measured in the page: input event → the frame after the DOM update has been painted), and a
/// click on a vendor to its factor cards painted.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn timings_with_a_thousand_vendors() -> Result<()> {
    let _one = ONE_APP_AT_A_TIME.lock().await;
    let vendors: usize = std::env::var("VETTA_E2E_VENDORS").ok().and_then(|n| n.parse().ok()).unwrap_or(1_000);
    let label = format!("{vendors} vendors");
    let dir = tempfile::tempdir()?;
    let data = dir.path().join("data");
    std::fs::create_dir(&data)?;
    vetta_e2e::write_large_dataset(&data, vendors)?;
    let db = dir.path().join("vetta.db");
    vetta_e2e::vetta(&["--db".as_ref(), db.as_os_str(), "init".as_ref(), "--empty".as_ref()])?;
    vetta_e2e::vetta(&["--db".as_ref(), db.as_os_str(), "import".as_ref(), data.as_os_str()])?;

    let app = App::launch(&db, dir.path()).await?;
    // Thirty moves at 10,000 vendors in a debug build can outlast WebDriver's default 30 s.
    let timeouts = fantoccini::wd::TimeoutConfiguration::new(Some(std::time::Duration::from_secs(300)), None, None);
    app.client.update_timeouts(timeouts).await?;
    let launch = app.launch_to_first_paint;
    let page = app.page_first_paint_ms;
    // Where the page's share of the first paint goes: the document and its scripts, then the first
    // ranking asked for and answered (score and vendors over IPC), then rendered and painted.
    let split = app
        .js(
            r#"
        const at = (name) => Math.round(performance.getEntriesByName(name)[0]?.startTime ?? NaN);
        const nav = performance.getEntriesByType('navigation')[0];
        const scripts = performance.getEntriesByType('resource').filter(r => r.name.endsWith('.js'));
        return `document ${Math.round(nav?.responseEnd ?? NaN)} ms, DOM ready ${Math.round(nav?.domContentLoadedEventEnd ?? NaN)} ms, `
            + `${scripts.length} scripts loaded by ${Math.round(Math.max(0, ...scripts.map(r => r.responseEnd)))} ms, `
            + `ranking asked ${at('vetta:ranking-asked')} ms, answered ${at('vetta:ranking-answered')} ms, painted ${at('vetta:first-paint')} ms`;
    "#,
            vec![],
        )
        .await?;
    println!("{label}: the page's first paint: {}", split.as_str().unwrap_or("?"));
    app.open_view("/what-if").await?;
    // The list is virtualised: the rows in view, not all of them, are in the DOM.
    app.wait_for("the live ranking", "return document.querySelectorAll('ol.list li').length >= 10;").await?;

    // Each move: input event → the DOM holds the new order (the app's work: IPC, re-scoring,
    // re-sorting, rendering) → the next frame has been painted (adds WebKit's layout and paint, in
    // software under Xvfb). The next move starts once the last one is on screen.
    let script = r#"
        const done = arguments[arguments.length - 1];
        const slider = document.querySelector('#w-privilege');
        const order = () => [...document.querySelectorAll('ol.list li a.name')].map(a => a.textContent).join('|');
        // The list says which answer it shows: the DOM holds the move's result once it changes.
        const version = () => document.querySelector('ol.list').dataset.version;
        const dom = [], painted = [];
        let changed = 0;
        const step = (k) => {
            if (k === 30) return done({ dom, painted, changed });
            const before = order();
            const shown = version();
            const t0 = performance.now();
            slider.value = k % 2 ? '0' : '50';
            slider.dispatchEvent(new Event('input', { bubbles: true }));
            const poll = () => {
                if (version() === shown && performance.now() - t0 < 5000) return setTimeout(poll, 0);
                dom.push(performance.now() - t0);
                if (order() !== before) changed += 1;
                requestAnimationFrame(() => setTimeout(() => {
                    painted.push(performance.now() - t0);
                    setTimeout(() => step(k + 1), 50);
                }));
            };
            poll();
        };
        step(0);
    "#;
    let result = app.js_async(script, vec![]).await?;
    // WebKit's own floor under this display: the same cadence, with the least change a page can make
    // (one character of text), so the slider's figures can be read against it.
    let floor = r#"
        const done = arguments[arguments.length - 1];
        const probe = document.body.appendChild(document.createElement('span'));
        const painted = [];
        const step = (k) => {
            if (k === 30) { probe.remove(); return done({ painted }); }
            const t0 = performance.now();
            probe.textContent = k % 2 ? 'a' : 'b';
            requestAnimationFrame(() => setTimeout(() => {
                painted.push(performance.now() - t0);
                setTimeout(() => step(k + 1), 50);
            }));
        };
        step(0);
    "#;
    let floor = app.js_async(floor, vec![]).await?;
    // The backend's share: one round trip over IPC (Rust, serialisation, transfer, parse) of what a
    // slider move asks for (`rescore`, bytes) and of the full report (`score`, JSON).
    let round_trip = |command: &str| {
        format!(
            r#"
        const done = arguments[arguments.length - 1];
        const times = [];
        const run = async () => {{
            for (let k = 0; k < 21; k++) {{
                const t0 = performance.now();
                const answer = await window.__TAURI_INTERNALS__.invoke('{command}', {{ scenario: {{ weights: {{ privilege: k % 2 ? 50 : 0 }} }} }});
                times.push(performance.now() - t0);
                const n = answer instanceof ArrayBuffer ? new DataView(answer).getUint32(4, true) : answer.vendors.length;
                if (n !== {vendors}) throw new Error('not {vendors} vendors');
            }}
            times.sort((a, b) => a - b);
            return times[10];
        }};
        run().then(done, (e) => done(String(e)));
    "#
        )
    };
    for command in ["rescore", "score"] {
        let median = app.js_async(&round_trip(command), vec![]).await?;
        println!("{label}, one `{command}` round trip over IPC: median {:.1} ms ({median})", median.as_f64().unwrap_or(f64::NAN));
    }
    // A vendor's page: click on the first row of the ranking → its eight factor cards painted.
    app.open_view("/").await?;
    app.wait_for("the ranking", "return document.querySelectorAll('tbody tr a').length > 0;").await?;
    let vendor_page = app
        .js_async(
            r#"
        const done = arguments[arguments.length - 1];
        const t0 = performance.now();
        document.querySelector('tbody tr a').click();
        const poll = () => {
            if (document.querySelectorAll('article.factor').length < 8) return performance.now() - t0 > 20000 ? done(null) : setTimeout(poll, 0);
            requestAnimationFrame(() => setTimeout(() => done(performance.now() - t0)));
        };
        poll();
    "#,
            vec![],
        )
        .await?;
    println!("{label}, click on a vendor → its factor cards painted: {:.0} ms", vendor_page.as_f64().unwrap_or(f64::NAN));
    let summary = |key: &str| {
        let mut times: Vec<f64> = result[key].as_array().expect("times").iter().filter_map(Value::as_f64).collect();
        times.sort_by(f64::total_cmp);
        let p95 = times[(times.len() * 95).div_ceil(100) - 1];
        format!("median {:.0} ms, p95 {p95:.0} ms, max {:.0} ms", times[times.len() / 2], times[times.len() - 1])
    };
    let changed = result["changed"].as_u64().unwrap_or(0);
    println!("{label}: launch to first paint {launch:?} (page {page:.0} ms after navigation start)");
    println!("{label}, slider move → re-sorted ranking in the DOM: {}", summary("dom"));
    println!("{label}, slider move → that ranking painted: {}", summary("painted"));
    let mut times: Vec<f64> = floor["painted"].as_array().expect("times").iter().filter_map(Value::as_f64).collect();
    times.sort_by(f64::total_cmp);
    println!(
        "{label}, WebKit's floor (one character changed → painted, same cadence): median {:.0} ms, p95 {:.0} ms",
        times[times.len() / 2],
        times[(times.len() * 95).div_ceil(100) - 1]
    );
    if vendors == 1_000 {
        assert_eq!(changed, 30, "every move between the extremes re-orders the ranking in view");
    }
    app.close().await
}
