// A single-page app inside Tauri: no server rendering, no prerendered pages (adapter-static falls back
// to index.html for every route).
export const ssr = false;
export const prerender = false;
