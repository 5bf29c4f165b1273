// The scenario editor: talks to the JSON API; user text only ever goes into textContent.
"use strict";

const root = document.getElementById("editor");
const csrf = document.body.dataset.csrf;
const state = {
  sid: root.dataset.scenario,
  version: Number(root.dataset.version),
  snapshot: null,
  grid: null,
  table: null,
  pending: null,
  models: [],
  job: null,
  partial: new Map(),
};

function el(tag, attrs, ...children) {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v === null || v === undefined || v === false) continue;
    if (k === "text") node.textContent = v;
    else if (k === "className") node.className = v;
    else if (k.startsWith("on")) node.addEventListener(k.slice(2), v);
    else node.setAttribute(k, v === true ? "" : v);
  }
  for (const c of children) if (c !== null && c !== undefined) node.append(c);
  return node;
}

async function api(method, path, body) {
  const init = { method, headers: { "X-CSRF-Token": csrf } };
  if (body !== undefined) {
    init.headers["Content-Type"] = "application/json";
    init.body = JSON.stringify(body);
  }
  const res = await fetch("/api" + path, init);
  let data = null;
  try { data = await res.json(); } catch (e) { data = { error: res.statusText }; }
  return { ok: res.ok, status: res.status, data };
}

function say(text, kind) {
  const m = document.getElementById("message");
  m.textContent = text;
  m.className = "message " + (kind || "");
}

function num(x, digits) {
  if (x === null || x === undefined || Number.isNaN(x)) return "–";
  return Number(x).toFixed(digits === undefined ? 1 : digits);
}

function short(x) { return String(Number(Number(x).toFixed(2))); }

function parseNum(text) {
  if (text === null || text === undefined) return null;
  const t = String(text).trim();
  if (t === "") return null;
  const x = Number(t);
  return Number.isFinite(x) ? x : t;  // a non-number goes to the server, which refuses it
}

// ------------------------------------------------------------------ saving

async function save(edits, note, snapshotAfter) {
  const res = await api("POST", `/scenarios/${encodeURIComponent(state.sid)}/edits`,
                        { based_on: state.version, edits, note });
  if (res.ok) {
    state.version = res.data.version;
    if (snapshotAfter !== undefined) state.snapshot = snapshotAfter;
    await load();
    document.getElementById("version").textContent = state.version;
    say(`Saved as version ${state.version}.`, "ok");
    return true;
  }
  if (res.status === 409) {
    state.pending = edits;
    document.getElementById("conflict-message").textContent = res.data.error;
    document.getElementById("conflict").hidden = false;
    say("Not saved: the scenario changed since you opened it.", "bad");
    return false;
  }
  say("Refused: " + (res.data.error || res.status), "bad");
  await load();
  return false;
}

document.getElementById("conflict-reload").addEventListener("click", async () => {
  state.pending = null;
  document.getElementById("conflict").hidden = true;
  await load(true);
  say(`Reloaded version ${state.version}.`, "ok");
});

document.getElementById("conflict-merge").addEventListener("click", async () => {
  const edits = state.pending;
  state.pending = null;
  document.getElementById("conflict").hidden = true;
  await load(true);
  if (edits) await save(edits, "merged after a conflict");
});

document.getElementById("undo").addEventListener("click", async () => {
  const res = await api("POST", `/scenarios/${encodeURIComponent(state.sid)}/restore`,
                        { based_on: state.version });
  if (res.ok) {
    state.version = res.data.version;
    document.getElementById("version").textContent = state.version;
    say(`Undone: ${res.data.note} (now version ${state.version}).`, "ok");
    await load();
  } else if (res.status === 409) {
    document.getElementById("conflict-message").textContent = res.data.error;
    document.getElementById("conflict").hidden = false;
  } else say("Cannot undo: " + res.data.error, "bad");
});

document.getElementById("history-toggle").addEventListener("click", async () => {
  const box = document.getElementById("history");
  box.hidden = !box.hidden;
  if (box.hidden) return;
  const res = await api("GET", `/scenarios/${encodeURIComponent(state.sid)}/history`);
  box.replaceChildren(el("ol", { reversed: true },
    ...res.data.map(v => el("li", { text: `version ${v.version}, ${v.saved_at.slice(0, 19)}: ${v.note || ""}` }))));
});

// ------------------------------------------------------------------ loading

async function load(latest) {
  const q = state.snapshot === null ? "" : `?snapshot=${state.snapshot}`;
  const res = await api("GET", `/scenarios/${encodeURIComponent(state.sid)}/grid${q}`);
  if (!res.ok) { say(res.data.error, "bad"); return; }
  const g = res.data;
  if (latest || g.version > state.version) {
    state.version = g.version;
    document.getElementById("version").textContent = g.version;
  }
  state.grid = g;
  state.snapshot = g.snapshot;
  document.getElementById("title").textContent = g.title;
  drawSnapshots(g);
  drawGrid(g);
  drawActors(g);
  drawIssues(g);
  drawLeverage(g);
  drawModelChoice();
  drawSettings(g);
}

// ------------------------------------------------------------------ the stance grid

function colour(x, lo, hi) {
  if (x === null || x === undefined) return "";
  const t = Math.max(0, Math.min(1, (x - lo) / (hi - lo || 1)));
  // blue (low end of the scale) to orange (high end), light enough for dark text
  const r = Math.round(120 + 130 * t), g = Math.round(170 + 20 * (1 - Math.abs(t - 0.5) * 2)),
        b = Math.round(240 - 150 * t);
  return `rgb(${r}, ${g}, ${b})`;
}

function cellKey(actor, issue) { return actor + "\u0000" + issue; }

function drawGrid(g) {
  const cells = new Map(g.cells.map(c => [cellKey(c.actor, c.issue), c]));
  state.cells = cells;
  const rows = g.actors.map(a => {
    const row = { _actor: a.id, _name: a.name };
    for (const i of g.issues) {
      const c = cells.get(cellKey(a.id, i.id));
      const part = state.partial.get(cellKey(a.id, i.id)) || {};
      row[`p:${i.id}`] = c ? c.position.value : (part.position ?? null);
      row[`s:${i.id}`] = c ? c.salience.value : (part.salience ?? null);
    }
    return row;
  });
  const format = (issue, kind) => cell => {
    const actor = cell.getRow().getData()._actor;
    const c = cells.get(cellKey(actor, issue.id));
    const node = cell.getElement();
    node.classList.toggle("no-evidence", !!c && c.evidence.length === 0);
    node.classList.toggle("inherited", !!c && !c.own);
    node.classList.toggle("empty", !c);
    node.dataset.actor = actor;
    node.dataset.issue = issue.id;
    node.dataset.kind = kind;
    const v = cell.getValue();
    if (kind === "p") node.style.backgroundColor = colour(v, issue.min, issue.max);
    if (v === null || v === undefined) return "";
    const est = c ? (kind === "p" ? c.position : c.salience) : null;
    const sd = est && est.sd !== null ? ` ±${short(est.sd)}` : "";
    return (typeof v === "number" ? short(v) : String(v)) + sd;
  };
  const columns = [{ title: "Actor", field: "_name", headerSort: false,
                     formatter: c => c.getValue() }];
  for (const i of g.issues) {
    columns.push({
      title: i.name, headerSort: false, headerTooltip: i.name,
      columns: [
        { title: "position", field: `p:${i.id}`, editor: "input", hozAlign: "right",
          formatter: format(i, "p"), headerSort: false, width: 96 },
        { title: "salience", field: `s:${i.id}`, editor: "input", hozAlign: "right",
          formatter: format(i, "s"), headerSort: false, width: 86 },
      ],
    });
  }
  if (state.table) state.table.destroy();
  const table = new Tabulator("#grid", {
    data: rows,
    columns,
    layout: "fitData",
    columnDefaults: { headerTooltip: true },
    index: "_actor",
    selectableRange: 1,
    selectableRangeColumns: false,
    selectableRangeRows: false,
    editTriggerEvent: "dblclick",
    clipboard: true,
    clipboardCopyRowRange: "range",
    clipboardPasteParser: "range",
    clipboardPasteAction: "range",
  });
  table.on("cellEdited", cell => {
    if (state.pasting) return;
    const edit = cellEdit(cell.getRow().getData()._actor, cell.getField(), cell.getValue());
    if (edit) save([edit]);
  });
  table.on("clipboardPasted", () => {
    const edits = [];
    for (const row of table.getData()) {
      for (const i of g.issues) {
        for (const kind of ["p", "s"]) {
          const c = cells.get(cellKey(row._actor, i.id));
          const before = c ? (kind === "p" ? c.position.value : c.salience.value) : null;
          const now = row[`${kind}:${i.id}`];
          if (now !== before && now !== null && now !== "") {
            const e = cellEdit(row._actor, `${kind}:${i.id}`, now);
            if (e) edits.push(e);
          }
        }
      }
    }
    if (edits.length) save(edits, `pasted ${edits.length} cells`);
  });
  table.on("cellClick", (e, cell) => {
    const field = cell.getField();
    if (field === "_name") return;
    openPanel(cell.getRow().getData()._actor, field.slice(2));
  });
  state.table = table;
  document.getElementById("legend").textContent =
    "Position colour: blue at the low end of each issue's scale, orange at the high end. " +
    "Italic: inherited from an earlier snapshot.";
}

function cellEdit(actor, field, value) {
  const kind = field[0], issue = field.slice(2);
  const x = parseNum(value);
  if (x === null) return null;
  const name = kind === "p" ? "position" : "salience";
  const edit = { op: "set_stance", snapshot: state.snapshot, actor, issue };
  edit[name] = x;
  if (!state.cells.has(cellKey(actor, issue))) {
    // a new stance needs both numbers: keep the first until the second comes
    const key = cellKey(actor, issue);
    const partial = Object.assign(state.partial.get(key) || {}, { [name]: x });
    state.partial.set(key, partial);
    if (partial.position === undefined || partial.salience === undefined) {
      say(`Now give ${actor}'s ${partial.position === undefined ? "position" : "salience"} on ${issue}: ` +
          "a new stance is saved once it has both numbers.", "");
      return null;
    }
    state.partial.delete(key);
    Object.assign(edit, partial);
  }
  return edit;
}

// ------------------------------------------------------------------ the evidence panel

function openPanel(actor, issue) {
  const c = state.cells.get(cellKey(actor, issue));
  const a = state.grid.actors.find(x => x.id === actor);
  const i = state.grid.issues.find(x => x.id === issue);
  state.panel = { actor, issue };
  document.getElementById("panel").hidden = false;
  document.getElementById("panel-title").textContent = `${a.name} on ${i.name}`;
  const set = (id, v) => { document.getElementById(id).value = v === null || v === undefined ? "" : v; };
  set("panel-position", c ? c.position.value : null);
  set("panel-position-sd", c ? c.position.sd : null);
  set("panel-salience", c ? c.salience.value : null);
  set("panel-salience-sd", c ? c.salience.sd : null);
  document.getElementById("panel-own").textContent = !c ? "No stance yet." :
    c.own ? "Stated in this snapshot." : "Inherited from an earlier snapshot.";
  const box = document.getElementById("panel-evidence");
  box.replaceChildren();
  for (const ev of (c ? c.evidence : [])) box.append(evidenceRow(ev));
  if (!c || c.evidence.length === 0) box.append(el("p", { className: "muted", text: "No evidence yet." }));
}

function evidenceRow(ev) {
  const sources = state.grid.sources.map(s => s.id);
  const select = el("select", { "aria-label": "source", className: "ev-source" },
    el("option", { value: "", text: "(no source)" }),
    ...sources.map(s => el("option", { value: s, text: s, selected: ev.source === s })));
  return el("div", { className: "evidence" },
    el("select", { "aria-label": "basis", className: "ev-basis" },
      el("option", { value: "source", text: "source", selected: ev.basis !== "judgement" }),
      el("option", { value: "judgement", text: "judgement", selected: ev.basis === "judgement" })),
    select,
    el("input", { className: "ev-date", type: "date", value: ev.date || "", "aria-label": "date" }),
    el("input", { className: "ev-locator", placeholder: "locator", value: ev.locator || "", "aria-label": "locator" }),
    el("textarea", { className: "ev-paraphrase", placeholder: "paraphrase", "aria-label": "paraphrase", text: ev.paraphrase || "" }),
    el("button", { type: "button", text: "Remove", onclick: e => e.target.parentElement.remove() }));
}

document.getElementById("panel-add-evidence").addEventListener("click", () => {
  const box = document.getElementById("panel-evidence");
  box.querySelectorAll("p.muted").forEach(p => p.remove());
  box.append(evidenceRow({ basis: "judgement" }));
});
document.getElementById("panel-close").addEventListener("click", () => {
  document.getElementById("panel").hidden = true;
});
document.getElementById("panel-save").addEventListener("click", () => {
  const { actor, issue } = state.panel;
  const v = id => parseNum(document.getElementById(id).value);
  const stance = { op: "set_stance", snapshot: state.snapshot, actor, issue,
                   position: v("panel-position"), position_sd: v("panel-position-sd"),
                   salience: v("panel-salience"), salience_sd: v("panel-salience-sd") };
  const evidence = [...document.querySelectorAll("#panel-evidence .evidence")].map(row => {
    const e = { basis: row.querySelector(".ev-basis").value,
                paraphrase: row.querySelector(".ev-paraphrase").value };
    const src = row.querySelector(".ev-source").value;
    if (src) e.source = src;
    const d = row.querySelector(".ev-date").value;
    if (d) e.date = d;
    const loc = row.querySelector(".ev-locator").value;
    if (loc) e.locator = loc;
    return e;
  });
  save([stance, { op: "set_evidence", snapshot: state.snapshot, actor, issue, evidence }],
       `cell ${actor}/${issue}`);
});

// ------------------------------------------------------------------ actors

function drawActors(g) {
  const body = document.querySelector("#actors tbody");
  body.replaceChildren();
  for (const a of g.actors) {
    const input = (name, value, type) => el("input", { name, value: value ?? "", type: type || "text",
                                                         "aria-label": `${a.id} ${name}` });
    const row = el("tr", { "data-actor": a.id },
      el("td", {}, input("new_id", a.id)),
      el("td", {}, input("name", a.name)),
      el("td", {}, input("capability", a.capability.value)),
      el("td", {}, input("capability_sd", a.capability.sd)),
      el("td", {}, input("bloc", a.bloc)),
      el("td", {}, input("colour", a.colour || "#4c78a8", "color")),
      el("td", {},
        el("button", { type: "button", text: "Save", onclick: () => {
          const f = n => row.querySelector(`[name=${n}]`).value;
          save([{ op: "update_actor", actor: a.id, new_id: f("new_id"), name: f("name"),
                  capability: parseNum(f("capability")), capability_sd: parseNum(f("capability_sd")),
                  bloc: f("bloc") || null, colour: f("colour") }], `actor ${a.id}`);
        } }),
        el("button", { type: "button", text: "Remove", onclick: () => {
          if (confirm(`Remove ${a.name} and all its stances?`))
            save([{ op: "remove_actor", actor: a.id }], `removed ${a.id}`);
        } })));
    body.append(row);
  }
}

document.getElementById("add-actor").addEventListener("submit", e => {
  e.preventDefault();
  const f = new FormData(e.target);
  save([{ op: "add_actor", id: f.get("id"), name: f.get("name") || null,
          capability: parseNum(f.get("capability")), capability_sd: parseNum(f.get("capability_sd")),
          bloc: f.get("bloc") || null, colour: f.get("colour") || null }], `added ${f.get("id")}`)
    .then(ok => { if (ok) e.target.reset(); });
});

// ------------------------------------------------------------------ issues

function anchorsText(i) { return i.anchors.map(a => `${a.value} = ${a.label}`).join("\n"); }
function questionsText(i) { return i.questions.map(q => `${q.id} | ${q.text} | ${q.op} | ${q.threshold}`).join("\n"); }

function drawIssues(g) {
  const box = document.getElementById("issues");
  box.replaceChildren();
  for (const i of g.issues) {
    const form = el("form", { className: "issue grid-form", "data-issue": i.id },
      el("h3", { text: `${i.name} (${i.id})` }),
      el("label", { text: "Name " }, el("input", { name: "name", value: i.name })),
      el("label", { text: "Scale from " }, el("input", { name: "min", value: i.min })),
      el("label", { text: "to " }, el("input", { name: "max", value: i.max })),
      el("label", { text: "Unit " }, el("input", { name: "unit", value: i.unit || "" })),
      el("label", { text: "Status quo " }, el("input", { name: "status_quo", value: i.status_quo ?? "" })),
      el("label", { text: "Anchors (value = label, one a line) " },
         el("textarea", { name: "anchors", text: anchorsText(i) })),
      el("label", { text: "Questions (id | text | op | threshold) " },
         el("textarea", { name: "questions", text: questionsText(i) })),
      el("label", { text: "Recorded outcome " }, el("input", { name: "outcome", value: i.outcome ? i.outcome.value : "" })),
      el("label", { text: "What happened " }, el("input", { name: "outcome_text", value: i.outcome ? i.outcome.description : "" })),
      el("div", {},
        el("button", { type: "submit", text: "Save issue" }),
        el("button", { type: "button", text: "Remove issue", onclick: () => {
          if (confirm(`Remove ${i.name} and its stances?`))
            save([{ op: "remove_issue", issue: i.id }], `removed ${i.id}`);
        } })));
    form.addEventListener("submit", e => {
      e.preventDefault();
      const f = new FormData(form);
      const anchors = String(f.get("anchors")).split("\n").filter(l => l.trim()).map(l => {
        const [v, ...rest] = l.split("=");
        return { value: parseNum(v), label: rest.join("=").trim() };
      });
      const questions = String(f.get("questions")).split("\n").filter(l => l.trim()).map(l => {
        const [id, text, op, t] = l.split("|").map(s => (s || "").trim());
        return { id, text, op: op || ">=", threshold: parseNum(t) };
      });
      const out = parseNum(f.get("outcome"));
      const edit = { op: "update_issue", issue: i.id, name: f.get("name"),
                     min: parseNum(f.get("min")), max: parseNum(f.get("max")),
                     unit: f.get("unit") || null, status_quo: parseNum(f.get("status_quo")),
                     anchors, questions,
                     outcome: out === null ? null : { value: out, description: f.get("outcome_text") || "recorded" } };
      save([edit], `issue ${i.id}`);
    });
    box.append(form);
  }
}

document.getElementById("add-issue").addEventListener("submit", e => {
  e.preventDefault();
  const f = new FormData(e.target);
  save([{ op: "add_issue", id: f.get("id"), name: f.get("name"), min: parseNum(f.get("min")) ?? 0,
          max: parseNum(f.get("max")) ?? 100, status_quo: parseNum(f.get("status_quo")) }],
       `added ${f.get("id")}`).then(ok => { if (ok) e.target.reset(); });
});

// ------------------------------------------------------------------ leverage

function drawLeverage(g) {
  const lev = g.leverage;
  const head = el("tr", {}, el("th", { text: "on →" }), ...lev.actors.map(a => el("th", { text: a })));
  const rows = lev.actors.map((a, r) => el("tr", {}, el("th", { text: a }),
    ...lev.actors.map((b, c) => el("td", {}, a === b ? "—" : el("input", {
      className: "lev", value: lev.weights[r][c], size: 4, "aria-label": `leverage of ${a} on ${b}`,
      onchange: e => {
        const w = parseNum(e.target.value);
        save([{ op: "set_leverage", source: a, target: b, weight: w === 1 ? null : w }],
             `leverage ${a} on ${b}`);
      } })))));
  document.getElementById("leverage").replaceChildren(el("table", { className: "list matrix" },
    el("thead", {}, head), el("tbody", {}, ...rows)));
}

// ------------------------------------------------------------------ snapshots and diff

function drawSnapshots(g) {
  const label = s => `${s.index}: ${s.as_of || "undated"}${s.label ? " · " + s.label : ""}`;
  for (const id of ["snapshot", "diff-a", "diff-b"]) {
    const sel = document.getElementById(id);
    const keep = sel.value;
    sel.replaceChildren(...g.snapshots.map(s => el("option", { value: s.index, text: label(s) })));
    if (id === "snapshot") sel.value = g.snapshot;
    else if (keep !== "") sel.value = keep;
    else sel.value = id === "diff-a" ? 0 : g.snapshots.length - 1;
  }
  document.getElementById("snapshots").replaceChildren(...g.snapshots.map(s => {
    const date = el("input", { type: "date", value: s.as_of || "", "aria-label": `date of snapshot ${s.index}` });
    const name = el("input", { value: s.label || "", placeholder: "label", "aria-label": `label of snapshot ${s.index}` });
    return el("li", { className: "inline-form" }, el("span", { text: `${s.index}:` }), date, name,
      el("span", { className: "muted", text: `${s.changes} stance changes` }),
      el("button", { type: "button", text: "Save", onclick: () => save([{ op: "update_snapshot",
        snapshot: s.index, as_of: date.value || null, label: name.value || null }], `snapshot ${s.index}`) }),
      g.snapshots.length > 1 ? el("button", { type: "button", text: "Remove", onclick: () => {
        if (confirm(`Remove snapshot ${label(s)}?`))
          save([{ op: "remove_snapshot", snapshot: s.index }], `removed snapshot ${s.index}`, g.snapshots.length - 2);
      } }) : null);
  }));
}

document.getElementById("snapshot").addEventListener("change", e => {
  state.snapshot = Number(e.target.value);
  load();
});

document.getElementById("new-snapshot").addEventListener("submit", e => {
  e.preventDefault();
  const f = new FormData(e.target);
  save([{ op: "new_snapshot", from_snapshot: state.snapshot, as_of: f.get("as_of"),
          label: f.get("label") || null }], "new snapshot", state.grid.snapshots.length);
});

document.getElementById("diff-form").addEventListener("submit", async e => {
  e.preventDefault();
  const a = document.getElementById("diff-a").value, b = document.getElementById("diff-b").value;
  const res = await api("GET", `/scenarios/${encodeURIComponent(state.sid)}/diff?a=${a}&b=${b}`);
  const box = document.getElementById("diff");
  if (!res.ok) { box.replaceChildren(el("p", { className: "problem", text: res.data.error })); return; }
  const d = res.data;
  const move = m => m ? `${num(m.from)} → ${num(m.to)}${m.by !== null ? ` (${m.by > 0 ? "+" : ""}${num(m.by)})` : ""}` : "";
  const rows = d.stances.map(s => el("tr", {},
    el("td", { text: s.actor }), el("td", { text: s.issue }),
    el("td", { className: s.position ? "moved" : "", text: move(s.position) }),
    el("td", { className: s.salience ? "moved" : "", text: move(s.salience) }),
    el("td", { text: s.evidence.map(ev => `${ev.source || ev.basis || ""} ${ev.locator || ""}: ${ev.paraphrase}`).join(" · ") })));
  const extra = [...d.capabilities.map(c => el("li", { text: `capability of ${c.actor}: ${num(c.from)} → ${num(c.to)}` })),
                 ...d.status_quo.map(s => el("li", { text: `status quo of ${s.issue}: ${num(s.from)} → ${num(s.to)}` }))];
  box.replaceChildren(
    el("table", { className: "list", id: "diff-table" },
      el("thead", {}, el("tr", {}, ...["Actor", "Issue", "Position", "Salience", "Evidence for the move"].map(t => el("th", { text: t })))),
      el("tbody", {}, ...rows)),
    rows.length ? null : el("p", { text: "No stance moved." }),
    extra.length ? el("ul", {}, ...extra) : null);
});

// ------------------------------------------------------------------ model settings

async function loadModels() {
  const res = await api("GET", "/models");
  state.models = res.ok ? res.data : [];
}

function drawModelChoice() {
  const box = document.getElementById("model-choice");
  if (box.childElementCount) return;
  for (const m of state.models) {
    box.append(el("label", { title: m.label }, el("input", { type: "checkbox", name: "model", value: m.name,
      checked: ["compromise", "median", "eum"].includes(m.name) }), " " + m.name));
  }
  const pick = document.getElementById("explain-model");
  pick.replaceChildren(...state.models.filter(m => m.tags.includes("batched"))
    .map(m => el("option", { value: m.name, text: m.name })));
}

function chosenModels() {
  return [...document.querySelectorAll("#model-choice input:checked")].map(i => i.value);
}

function drawSettings(g) {
  const box = document.getElementById("models");
  box.replaceChildren();
  const issuePick = document.getElementById("explain-issue");
  issuePick.replaceChildren(...g.issues.map(i => el("option", { value: i.id, text: i.name })));
  for (const m of state.models) {
    const set = g.models[m.name] || {};
    const fields = m.parameters.map(p => {
      const value = set[p.name] ?? "";
      let input;
      if (p.choices && p.choices.length) {
        input = el("select", { name: p.name }, el("option", { value: "", text: `default (${p.default})` }),
          ...p.choices.map(c => el("option", { value: c, text: c, selected: String(value) === String(c) })));
      } else if (p.kind === "bool") {
        input = el("select", { name: p.name }, el("option", { value: "", text: `default (${p.default})` }),
          el("option", { value: "true", text: "true", selected: value === true }),
          el("option", { value: "false", text: "false", selected: value === false }));
      } else {
        input = el("input", { name: p.name, value, placeholder: String(p.default) });
      }
      const unit = p.unit ? `, ${p.unit}` : "";
      return el("label", { title: p.help }, `${p.name} (${p.kind}${unit}) `, input,
                el("span", { className: "muted", text: " " + p.help }));
    });
    const presets = Object.keys(m.presets);
    if (presets.length) {
      fields.unshift(el("label", {}, "preset ", el("select", { name: "preset" },
        el("option", { value: "", text: "none" }),
        ...presets.map(p => el("option", { value: p, text: p, selected: set.preset === p })))));
    }
    const form = el("form", { className: "model-form", "data-model": m.name },
      el("h3", { text: `${m.name}: ${m.label}` }), ...fields,
      el("button", { type: "submit", text: `Save ${m.name} settings` }));
    form.addEventListener("submit", e => {
      e.preventDefault();
      const values = {};
      for (const [k, v] of new FormData(form).entries()) if (v !== "") values[k] = v;
      save([{ op: "set_model", model: m.name, values }], `settings of ${m.name}`);
    });
    box.append(el("details", {}, el("summary", { text: `${m.name}${Object.keys(set).length ? " (changed)" : ""}` }), form));
  }
}

// ------------------------------------------------------------------ running

function embed(target, spec) {
  return vegaEmbed(target, spec, { actions: false, ast: true, expr: vega.expressionInterpreter,
                                   defaultStyle: false, tooltip: { disableDefaultStyle: true } })
    .catch(err => { target.textContent = "chart failed: " + err; });
}

function forecastTable(doc) {
  const models = Object.keys(doc.models);
  const head = el("tr", {}, el("th", { text: "Issue" }), el("th", { text: "Status quo" }),
    ...models.map(m => el("th", { text: m })), el("th", { text: "Recorded" }));
  const rows = doc.issues.map(i => el("tr", { "data-issue": i.id }, el("td", { text: i.name }),
    el("td", { className: "num", text: num(i.status_quo) }),
    ...models.map(m => {
      const f = i.forecasts[m];
      return el("td", { className: "num forecast", "data-model": m },
        el("strong", { text: num(f.outcome) }), f.label ? el("div", { className: "muted", text: f.label }) : null);
    }),
    el("td", { className: "num", text: i.known_outcome ? num(i.known_outcome.value) : "–" })));
  return el("table", { className: "list", id: "forecast-table" }, el("thead", {}, head), el("tbody", {}, ...rows));
}

document.getElementById("forecast").addEventListener("click", async () => {
  say("Forecasting…");
  const res = await api("POST", `/scenarios/${encodeURIComponent(state.sid)}/forecast`,
                        { snapshot: state.snapshot, models: chosenModels() });
  if (!res.ok) { say("Forecast failed: " + res.data.error, "bad"); return; }
  const doc = res.data;
  const runs = Object.entries(doc.runs).map(([m, r]) => `${m} run ${r.run}${r.reused ? " (reused)" : ""}`).join(", ");
  say(`Forecast of version ${doc.version}: ${runs}.`, "ok");
  drawRuns();
  document.getElementById("forecast-result").replaceChildren(forecastTable(doc));
  drawTrades(doc);
  await embed(document.getElementById("forecast-chart"), doc.charts.forecasts);
  const rounds = document.getElementById("rounds-charts");
  rounds.replaceChildren();
  for (const spec of Object.values(doc.charts.rounds)) {
    const box = el("div", { className: "chart" });
    rounds.append(box);
    await embed(box, spec);
  }
});

function drawTrades(doc) {
  const trades = [];
  for (const i of doc.issues) {
    const f = i.forecasts.exchange;
    if (f && f.trades) for (const t of f.trades) if (t.demand_issue === i.id) trades.push(t);
  }
  const box = document.getElementById("trades");
  if (!trades.length) { box.replaceChildren(); return; }
  const head = ["Round", "Demander", "gets a move on", "Supplier", "in return for a move on", "Supplier moves", "Demander moves", "Gain each"];
  box.replaceChildren(el("h3", { text: `The exchange model's trades (${trades.length})` }),
    el("table", { className: "list", id: "trades-table" },
      el("thead", {}, el("tr", {}, ...head.map(t => el("th", { text: t })))),
      el("tbody", {}, ...trades.slice(0, 60).map(t => el("tr", {},
        el("td", { text: t.round }), el("td", { text: t.demander }), el("td", { text: t.demand_issue }),
        el("td", { text: t.supplier }), el("td", { text: t.supply_issue }),
        el("td", { className: "num", text: num(t.supplier_move) }), el("td", { className: "num", text: num(t.demander_move) }),
        el("td", { className: "num", text: num(t.demander_gain, 2) }))))));
}

document.getElementById("timeline").addEventListener("click", async () => {
  const box = document.getElementById("timeline-charts");
  say("Forecasting every snapshot…");
  const res = await api("POST", `/scenarios/${encodeURIComponent(state.sid)}/timeline`,
                        { models: chosenModels() });
  if (!res.ok) { say("Timeline failed: " + res.data.error, "bad"); return; }
  say(`Timeline over ${res.data.snapshots.length} snapshots.`, "ok");
  box.replaceChildren(el("h3", { text: "Forecasts across snapshots" }));
  const row = el("div", { className: "chart-row" });
  box.append(row);
  for (const spec of Object.values(res.data.charts)) {
    const c = el("div", { className: "chart" });
    row.append(c);
    await embed(c, spec);
  }
});

document.getElementById("simulate").addEventListener("click", async () => {
  const draws = Number(document.getElementById("draws").value);
  const models = chosenModels().filter(m => (state.models.find(x => x.name === m) || { tags: [] }).tags.includes("batched"));
  const res = await api("POST", `/scenarios/${encodeURIComponent(state.sid)}/simulate`,
                        { snapshot: state.snapshot, models: models.length ? models : null, draws });
  if (!res.ok) { say("Simulation refused: " + res.data.error, "bad"); return; }
  state.job = res.data.job;
  const bar = document.getElementById("progress");
  bar.hidden = false; bar.value = 0;
  document.getElementById("cancel").hidden = false;
  poll();
});

async function poll() {
  if (!state.job) return;
  const res = await api("GET", `/jobs/${state.job}`);
  const j = res.data;
  const bar = document.getElementById("progress");
  const text = document.getElementById("progress-text");
  if (j.total) bar.value = j.done / j.total;
  text.textContent = `${j.state}: ${j.done} of ${j.total || "?"} draws, ${num(j.elapsed_s, 1)} s`;
  if (j.state === "running") { setTimeout(poll, 200); return; }
  state.job = null;
  document.getElementById("cancel").hidden = true;
  if (j.state === "done") {
    bar.value = 1;
    showSimulation(j.result);
  } else if (j.state === "failed") say("Simulation failed: " + j.error, "bad");
  else say("Simulation cancelled; nothing was recorded.", "");
}

document.getElementById("cancel").addEventListener("click", async () => {
  if (state.job) await api("DELETE", `/jobs/${state.job}`);
});

async function showSimulation(doc) {
  const models = Object.keys(doc.models);
  const rows = [];
  for (const i of doc.issues) {
    for (const m of models) {
      const f = i.forecasts[m];
      const qs = Object.entries(f.questions || {}).map(([q, p]) => `${q}: ${num(p.p, 3)} ± ${num(p.se, 3)}`).join("; ");
      rows.push(el("tr", {}, el("td", { text: i.name }), el("td", { text: m }),
        el("td", { className: "num", text: num(f.mean) }), el("td", { className: "num", text: `${num(f.interval[0])} – ${num(f.interval[1])}` }),
        el("td", { text: qs })));
    }
  }
  document.getElementById("simulation-result").replaceChildren(
    el("h3", { text: `Simulation: ${doc.draws} draws` }),
    el("table", { className: "list", id: "simulation-table" },
      el("thead", {}, el("tr", {}, ...["Issue", "Model", "Mean", "5–95 %", "P(yes) ± se"].map(t => el("th", { text: t })))),
      el("tbody", {}, ...rows)));
  say(`Simulation recorded: ${Object.entries(doc.runs).map(([m, r]) => `${m} run ${r.run}`).join(", ")}.`, "ok");
  drawRuns();
  await embed(document.getElementById("questions-chart"), doc.charts.questions);
  const box = document.getElementById("distribution-charts");
  box.replaceChildren();
  for (const spec of Object.values(doc.charts.distributions)) {
    const c = el("div", { className: "chart" });
    box.append(c);
    await embed(c, spec);
  }
}

document.getElementById("explain").addEventListener("click", async () => {
  const res = await api("POST", `/scenarios/${encodeURIComponent(state.sid)}/explain`,
    { snapshot: state.snapshot, model: document.getElementById("explain-model").value,
      issue: document.getElementById("explain-issue").value });
  const box = document.getElementById("explain-chart");
  if (!res.ok) { box.textContent = res.data.error; return; }
  if (!res.data.bars.length) { box.textContent = "No input of this issue states an uncertainty."; return; }
  await embed(box, res.data.chart);
});

document.getElementById("backtest").addEventListener("click", async () => {
  const res = await api("POST", `/scenarios/${encodeURIComponent(state.sid)}/backtest`,
                        { models: chosenModels() });
  const box = document.getElementById("backtest-result");
  if (!res.ok) { box.replaceChildren(el("p", { className: "problem", text: res.data.error })); return; }
  const scores = res.data.snapshots || [];
  box.replaceChildren(el("h3", { text: "Backtest" }), el("pre", { text: JSON.stringify(scores.map(s => ({ as_of: s.as_of, scores: s.scores || s.models })), null, 1) }));
});

async function drawRuns() {
  const res = await api("GET", `/runs?scenario=${encodeURIComponent(state.sid)}`);
  if (!res.ok || !res.data.length) return;
  const rows = res.data.slice(0, 30).map((r, k) => el("tr", {},
    el("td", {}, el("input", { type: "radio", name: "a", value: r.run, checked: k === 1, "aria-label": `run ${r.run} as A` })),
    el("td", {}, el("input", { type: "radio", name: "b", value: r.run, checked: k === 0, "aria-label": `run ${r.run} as B` })),
    el("td", { text: r.run }), el("td", { text: r.kind }),
    el("td", { text: r.as_of || "" }), el("td", { text: r.model }), el("td", { text: r.draws || "" }),
    el("td", { text: r.created_at.slice(0, 19).replace("T", " ") })));
  document.getElementById("runs").replaceChildren(el("table", { className: "list", id: "runs-table" },
    el("thead", {}, el("tr", {}, ...["A", "B", "Run", "Kind", "As of", "Model", "Draws", "When"].map(t => el("th", { text: t })))),
    el("tbody", {}, ...rows)));
}

loadModels().then(() => load()).then(drawRuns);
