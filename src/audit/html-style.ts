/** The report's stylesheet, inlined: the file must work offline and from an e-mail attachment. */
export const AUDIT_CSS = `
:root { --fg:#1d2430; --muted:#5b6676; --line:#d9dee5; --bg:#fff; --head:#f4f6f9; --accent:#2457c5;
  --full:#2e9d5b; --filtered:#e0a526; --denied:#b8483e; --none:#e9ecf0; }
* { box-sizing: border-box; }
body { margin:0; font:14px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,Helvetica,Arial,sans-serif; color:var(--fg); background:var(--bg); }
header { padding:16px 24px 0; border-bottom:1px solid var(--line); }
header h1 { margin:0 0 2px; font-size:20px; }
header p { margin:0 0 10px; color:var(--muted); }
nav { display:flex; gap:4px; flex-wrap:wrap; }
nav button { border:1px solid var(--line); border-bottom:none; background:var(--head); padding:6px 14px; border-radius:6px 6px 0 0; cursor:pointer; font:inherit; color:var(--fg); }
nav button[aria-selected="true"] { background:var(--bg); font-weight:600; position:relative; top:1px; }
main { padding:16px 24px 40px; }
section[hidden] { display:none; }
h2 { font-size:17px; margin:18px 0 8px; }
h3 { font-size:15px; margin:14px 0 6px; }
.cards { display:grid; grid-template-columns:repeat(auto-fill,minmax(150px,1fr)); gap:10px; margin:8px 0 16px; }
.card { border:1px solid var(--line); border-radius:8px; padding:10px 12px; background:var(--head); }
.card b { display:block; font-size:22px; }
.card span { color:var(--muted); font-size:12px; }
.toolbar { display:flex; gap:8px; align-items:center; margin:6px 0; flex-wrap:wrap; }
.toolbar input { padding:5px 8px; border:1px solid var(--line); border-radius:6px; min-width:240px; font:inherit; }
.toolbar .count { color:var(--muted); }
table { border-collapse:collapse; width:100%; }
th, td { border-bottom:1px solid var(--line); padding:5px 8px; text-align:left; vertical-align:top; }
th { background:var(--head); position:sticky; top:0; font-weight:600; white-space:nowrap; }
th.sortable { cursor:pointer; user-select:none; }
th.sortable::after { content:" ↕"; color:#a0a8b4; }
th[aria-sort="ascending"]::after { content:" ▲"; color:var(--accent); }
th[aria-sort="descending"]::after { content:" ▼"; color:var(--accent); }
td.num, th.num { text-align:right; font-variant-numeric:tabular-nums; }
tbody tr.clickable { cursor:pointer; }
tbody tr.clickable:hover { background:#eef3fd; }
tbody tr.selected { background:#e2ebfc; }
.pager { display:flex; gap:8px; align-items:center; margin:6px 0; }
.pager button { font:inherit; padding:3px 10px; border:1px solid var(--line); background:var(--head); border-radius:6px; cursor:pointer; }
.pager button:disabled { opacity:.4; cursor:default; }
.badge { display:inline-block; padding:0 7px; border-radius:10px; font-size:12px; line-height:18px; white-space:nowrap; }
.k-full { background:var(--full); color:#fff; }
.k-filtered { background:var(--filtered); color:#1d2430; }
.k-denied { background:var(--denied); color:#fff; }
.k-none { background:var(--none); color:var(--muted); }
.sev-warning { background:#fbe7c6; color:#7a4a00; }
.sev-info { background:#e2ebfc; color:#1f3f86; }
.detail { border:1px solid var(--line); border-radius:8px; padding:10px 14px; margin-top:12px; }
.detail:empty { display:none; }
.detail dl { display:grid; grid-template-columns:max-content 1fr; gap:4px 14px; margin:0; }
.detail dt { color:var(--muted); }
.detail dd { margin:0; }
.chips { display:flex; flex-wrap:wrap; gap:4px; }
.chip { border:1px solid var(--line); border-radius:12px; padding:0 8px; background:var(--head); }
.chip[title] { border-style:dashed; cursor:help; }
details.why { margin:2px 0; }
details.why summary { cursor:pointer; }
details.why ul { margin:2px 0 6px 18px; padding:0; color:var(--muted); }
.muted { color:var(--muted); }
code, .mono { font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,monospace; font-size:12.5px; }
.matrix-wrap { overflow:auto; max-height:75vh; border:1px solid var(--line); }
table.matrix { width:auto; }
table.matrix th.subj { writing-mode:vertical-rl; transform:rotate(180deg); white-space:nowrap; font-weight:500; padding:6px 2px; height:auto; }
table.matrix td.c { width:16px; min-width:16px; height:16px; padding:0; border:1px solid #fff; }
table.matrix td.login { white-space:nowrap; position:sticky; left:0; background:var(--bg); }
.legend { display:flex; gap:12px; align-items:center; flex-wrap:wrap; margin:6px 0; }
.legend i { display:inline-block; width:14px; height:14px; border-radius:3px; vertical-align:-2px; margin-right:4px; }
@media print {
  nav, .toolbar input, .pager { display:none !important; }
  section[hidden] { display:block !important; }
  th { position:static; }
  .matrix-wrap { max-height:none; overflow:visible; }
  body { font-size:11px; }
  .k-full, .k-filtered, .k-denied, .k-none { -webkit-print-color-adjust:exact; print-color-adjust:exact; }
}
`;
