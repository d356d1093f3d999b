// The Brownout admin page: reads the admin API of the page's own origin, follows its event stream,
// and sends switch changes and shift actions with the token. No framework, no build step, nothing from another origin;
// every value from the service reaches the page as text (textContent), never as markup.
"use strict";

(() => {
  // Relative to the page's own address: {base}/ and {base}/index.html alike ({base} redirects).
  const API = new URL("api/v1/", document.baseURI);
  const TOKEN_KEY = "brownout.admin.token";
  const SPARK_POINTS = 120; // two minutes of once-a-second summaries
  const sparks = new Map(); // breaker name -> failure rates, oldest first
  let lastEventId = null;
  let stream = null;
  let resetting = false;

  const $ = (id) => document.getElementById(id);

  function token() {
    return sessionStorage.getItem(TOKEN_KEY) || "";
  }

  async function api(path, options = {}) {
    const headers = Object.assign({ Authorization: "Bearer " + token() }, options.headers || {});
    const response = await fetch(new URL(path, API), Object.assign({}, options, { headers, cache: "no-store" }));
    if (!response.ok) {
      let detail = response.status + " " + response.statusText;
      try {
        const problem = await response.json();
        detail = problem.detail || problem.title || detail;
      } catch (ignored) {
        // not a problem document
      }
      const error = new Error(detail);
      error.status = response.status;
      throw error;
    }
    return response.json();
  }

  function cell(row, text, className) {
    const td = document.createElement("td");
    td.textContent = text === null || text === undefined ? "–" : String(text);
    if (className) {
      td.className = className;
    }
    row.appendChild(td);
    return td;
  }

  function percent(share) {
    return share === null || share === undefined ? "–" : (share * 100).toFixed(1) + " %";
  }

  function bar(row, share) {
    const td = cell(row, "");
    const outer = document.createElement("span");
    outer.className = "bar";
    const inner = document.createElement("span");
    inner.style.width = Math.max(0, Math.min(1, share || 0)) * 100 + "%";
    outer.appendChild(inner);
    td.appendChild(outer);
    td.appendChild(document.createTextNode(percent(share)));
  }

  function fill(tableId, rows, render) {
    const body = $(tableId).tBodies[0];
    body.replaceChildren();
    for (const item of rows) {
      const row = document.createElement("tr");
      render(row, item);
      body.appendChild(row);
    }
  }

  function showLevel(level, cause) {
    $("level").textContent = String(level);
    $("level-cause").textContent = cause ? "(" + cause + ")" : "";
  }

  function renderFeatures(features) {
    fill("features", features, (row, f) => {
      row.dataset.feature = f.name;
      cell(row, f.name);
      cell(row, f.priority);
      cell(row, f["switch"] + (f.percent !== null && f.percent !== undefined ? " " + f.percent + "%" : ""));
      cell(row, f.effective, "state-" + String(f.effective).split(" ")[0]).dataset.effective = f.effective;
      cell(row, f.cause, "reason");
      cell(row, f.source);
      const action = document.createElement("td");
      const button = document.createElement("button");
      button.type = "button";
      button.textContent = "Switch…";
      button.setAttribute("aria-label", "Switch " + f.name);
      button.addEventListener("click", () => openDialog(f));
      action.appendChild(button);
      row.appendChild(action);
    });
  }

  function drawSpark(canvas, values) {
    const ratio = window.devicePixelRatio || 1;
    const width = 120;
    const height = 24;
    canvas.width = width * ratio;
    canvas.height = height * ratio;
    const g = canvas.getContext("2d");
    g.scale(ratio, ratio);
    g.clearRect(0, 0, width, height);
    g.strokeStyle = "#b3261e";
    g.lineWidth = 1.5;
    g.beginPath();
    const start = SPARK_POINTS - values.length;
    values.forEach((v, i) => {
      const x = ((start + i) / (SPARK_POINTS - 1)) * (width - 2) + 1;
      const y = height - 2 - Math.max(0, Math.min(1, v || 0)) * (height - 4);
      if (i === 0) {
        g.moveTo(x, y);
      } else {
        g.lineTo(x, y);
      }
    });
    g.stroke();
  }

  function renderBreakers(breakers) {
    fill("breakers", breakers, (row, b) => {
      row.dataset.breaker = b.name;
      cell(row, b.name);
      cell(row, b.state, "state-" + b.state).dataset.state = b.state;
      cell(row, percent(b.failureRate));
      cell(row, b.calls);
      cell(row, b.rejected);
      const td = cell(row, "");
      const canvas = document.createElement("canvas");
      canvas.className = "spark";
      canvas.setAttribute("role", "img");
      canvas.setAttribute("aria-label", "failure rate of " + b.name + " over the last two minutes");
      td.appendChild(canvas);
      drawSpark(canvas, sparks.get(b.name) || []);
    });
  }

  function renderExecutors(executors) {
    const rows = [];
    for (const e of executors) {
      rows.push(Object.assign({ label: e.name }, e));
      for (const p of e.partitions || []) {
        rows.push(Object.assign({ label: e.name + " / " + p.name }, p));
      }
    }
    fill("executors", rows, (row, e) => {
      cell(row, e.label);
      cell(row, e.active);
      cell(row, e.queued);
      cell(row, e.capacity);
      bar(row, e.saturation);
      cell(row, e.rejected);
    });
  }

  function renderLimiters(limiters) {
    fill("limiters", limiters, (row, l) => {
      cell(row, l.name);
      cell(row, l.limit);
      cell(row, l.inFlight);
      bar(row, l.pressure);
    });
  }

  function renderIncidents(incidents) {
    fill("incidents", incidents.slice().reverse(), (row, i) => {
      cell(row, i.time);
      cell(row, i.id);
      cell(row, i.kind);
      cell(row, i.place);
      cell(row, i.summary, "reason");
    });
  }

  function renderHistory(history) {
    fill("history", history.slice().reverse().slice(0, 200), (row, h) => {
      cell(row, h.time);
      cell(row, h.feature);
      cell(row, h.from);
      cell(row, h.to);
      cell(row, h.reason, "reason");
      cell(row, h.by || h.source);
    });
  }

  // The actions that mean something in each state of a shift (the server refuses the others).
  const SHIFT_ACTIONS = {
    COMPARING: ["start", "promote", "rollback"],
    SHIFTING: ["pause", "promote", "rollback"],
    PAUSED: ["resume", "promote", "rollback"],
    ROLLED_BACK: ["resume", "promote"],
    PROMOTED: ["rollback"],
    DONE: [],
  };

  function renderShifts(shifts) {
    $("shifts-section").hidden = shifts.length === 0;
    fill("shifts", shifts, (row, s) => {
      row.dataset.shift = s.name;
      cell(row, s.name);
      cell(row, s.state + (s.safeToRetire ? " (old path safe to retire)" : ""), "state-" + s.state).dataset.state = s.state;
      cell(row, s.share + " %");
      cell(row, s.oldCalls + " / " + s.oldErrors);
      cell(row, s.newCalls + " / " + s.newErrors);
      cell(row, s.fellBack);
      cell(row, s.lastDecision ? s.lastDecision.text : null, "reason");
      const action = document.createElement("td");
      const allowed = SHIFT_ACTIONS[s.state] || [];
      if (allowed.length > 0) {
        const button = document.createElement("button");
        button.type = "button";
        button.textContent = "Act…";
        button.setAttribute("aria-label", "Act on shift " + s.name);
        button.addEventListener("click", () => openShiftDialog(s));
        action.appendChild(button);
      }
      row.appendChild(action);
    });
  }

  function renderExperiments(experiments) {
    $("experiments-section").hidden = experiments.length === 0;
    fill("experiments", experiments, (row, e) => {
      row.dataset.experiment = e.name;
      cell(row, e.name);
      cell(row, e.sampling);
      cell(
        row,
        Object.entries(e.verdicts)
          .filter(([, count]) => count > 0)
          .map(([verdict, count]) => verdict + " " + count)
          .join(" · ") || "none yet",
        "reason",
      );
      const paths = e.noise
        ? e.noise.paths.map((p) => p.path + " " + p.finding + " (" + p.oldVsNew + " vs " + p.oldVsOld + ")").join("; ")
        : "no noise cancellation";
      cell(row, paths || "none", "reason");
    });
  }

  let state = null;

  function render() {
    showLevel(state.level.level, state.level.cause);
    renderFeatures(state.features);
    renderBreakers(state.breakers);
    renderExecutors(state.executors);
    renderLimiters(state.limiters);
    renderIncidents(state.incidents);
    renderShifts(state.shifts || []);
    renderExperiments(state.experiments || []);
    renderHistory(state.history);
  }

  async function loadState() {
    state = await api("state");
    // The stream starts after the last event this view includes: nothing changed between the
    // read and the stream's start is lost (a change made during the read may come again).
    lastEventId = state.lastEventId;
    render();
  }

  function replace(list, item, key) {
    const index = list.findIndex((x) => x[key] === item[key]);
    if (index >= 0) {
      list[index] = item;
    } else {
      list.push(item);
    }
  }

  // Adds a change to the history unless the state read already had it (an event made while the
  // state was read comes again on the stream).
  function addChange(change) {
    if (!change) {
      return false;
    }
    const text = JSON.stringify(change);
    if (state.history.some((known) => JSON.stringify(known) === text)) {
      return false;
    }
    state.history.push(change);
    return true;
  }

  function onEvent(name, data) {
    if (!state) {
      return;
    }
    switch (name) {
      case "feature":
        replace(state.features, data, "name");
        if (addChange(data.change)) {
          renderHistory(state.history);
        }
        renderFeatures(state.features);
        break;
      case "level":
        state.level = data;
        showLevel(data.level, data.cause);
        if (addChange(data.change)) {
          renderHistory(state.history);
        }
        break;
      case "breaker":
        replace(state.breakers, data, "name");
        renderBreakers(state.breakers);
        break;
      case "shift":
        state.shifts = state.shifts || [];
        replace(state.shifts, data, "name");
        renderShifts(state.shifts);
        break;
      case "incident":
        if (!state.incidents.some((known) => known.id === data.id)) {
          state.incidents.push(data);
          renderIncidents(state.incidents);
        }
        break;
      case "summary":
        onSummary(data);
        break;
      case "reset":
        // Events were missed: read the state again and follow the stream from that state's id,
        // rather than apply live events to a state that is about to be replaced.
        resetting = true;
        state = null;
        stream.abort();
        break;
      default:
      // an event this page does not know: newer servers may send more
    }
  }

  function onSummary(summary) {
    showLevel(summary.level, state.level.cause);
    for (const [name, calls] of Object.entries(summary.breakerCalls || {})) {
      const values = sparks.get(name) || [];
      values.push(calls && calls.failureRate !== null ? calls.failureRate : 0);
      while (values.length > SPARK_POINTS) {
        values.shift();
      }
      sparks.set(name, values);
    }
    for (const breaker of state.breakers) {
      const state_ = summary.breakers ? summary.breakers[breaker.name] : undefined;
      if (state_) {
        breaker.state = state_;
      }
    }
    renderBreakers(state.breakers);
  }

  function showDown(error) {
    const connection = $("connection");
    connection.textContent = "disconnected: " + error.message;
    connection.className = "connection down";
    if (error.status === 401) {
      sessionStorage.removeItem(TOKEN_KEY);
      $("sections").hidden = true;
      $("token-form").hidden = false;
      $("token-error").textContent = "The token was refused.";
    }
  }

  // The stream, read with fetch so that the token goes in a header (EventSource cannot send one).
  async function follow() {
    const controller = new AbortController();
    stream = controller;
    const headers = { Authorization: "Bearer " + token(), Accept: "text/event-stream" };
    if (lastEventId !== null) {
      headers["Last-Event-ID"] = lastEventId;
    }
    const response = await fetch(new URL("events", API), { headers, signal: controller.signal, cache: "no-store" });
    if (!response.ok) {
      const error = new Error("the stream answered " + response.status);
      error.status = response.status;
      throw error;
    }
    const connection = $("connection");
    connection.textContent = "live";
    connection.className = "connection live";
    const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
    let buffer = "";
    for (;;) {
      const { value, done } = await reader.read();
      if (done) {
        throw new Error("the stream ended");
      }
      buffer += value;
      let end;
      while ((end = buffer.search(/\r?\n\r?\n/)) >= 0) {
        const block = buffer.slice(0, end);
        buffer = buffer.slice(end).replace(/^\r?\n\r?\n/, "");
        dispatch(block);
      }
    }
  }

  function dispatch(block) {
    let name = "message";
    let id = null;
    const data = [];
    for (const line of block.split(/\r?\n/)) {
      if (line.startsWith(":")) {
        continue; // a keep-alive comment
      }
      const colon = line.indexOf(":");
      const field = colon < 0 ? line : line.slice(0, colon);
      const value = colon < 0 ? "" : line.slice(colon + 1).replace(/^ /, "");
      if (field === "event") {
        name = value;
      } else if (field === "id") {
        id = value;
      } else if (field === "data") {
        data.push(value);
      }
    }
    if (id !== null) {
      lastEventId = id;
    }
    if (data.length > 0) {
      onEvent(name, JSON.parse(data.join("\n")));
    }
  }

  async function run() {
    $("token-form").hidden = true;
    $("sections").hidden = false;
    for (;;) {
      try {
        if (!state) {
          await loadState();
        }
        await follow();
      } catch (error) {
        if (resetting) {
          resetting = false;
          continue; // a reset ended the stream: read the state again at once
        }
        showDown(error);
        if (error.status === 401) {
          return;
        }
      }
      await new Promise((resolve) => setTimeout(resolve, 1000));
    }
  }

  // The switch dialog: a native modal dialog (focus stays inside, Escape closes it).
  let dialogFeature = null;

  function openDialog(feature) {
    dialogFeature = feature;
    $("switch-feature").textContent = feature.name;
    $("switch-error").textContent = "";
    $("switch-reason").value = "";
    for (const radio of document.querySelectorAll('input[name="switch"]')) {
      radio.checked = radio.value === (feature["switch"] === "ON" ? "OFF" : "ON");
    }
    $("switch-dialog").showModal();
    $("switch-reason").focus();
  }

  // Sends a dialog's write; on success hands the answer to done and closes the dialog, else shows
  // the server's problem in the dialog.
  async function submit(prefix, path, body, done) {
    try {
      done(
        await api(path, {
          method: "POST",
          headers: { "Content-Type": "application/json" },
          body: JSON.stringify(body),
        }),
      );
      $(prefix + "-dialog").close();
    } catch (error) {
      $(prefix + "-error").textContent = error.message;
    }
  }

  async function applySwitch(event) {
    event.preventDefault();
    const form = $("switch-form");
    if (!form.reportValidity()) {
      return;
    }
    const chosen = form.querySelector('input[name="switch"]:checked').value;
    const body = { switch: chosen, reason: $("switch-reason").value.trim() };
    if (chosen === "ROLLOUT") {
      body.percent = Number($("switch-percent").value);
    }
    await submit("switch", "features/" + encodeURIComponent(dialogFeature.name), body, (feature) => {
      replace(state.features, feature, "name");
      renderFeatures(state.features);
    });
  }

  // The shift dialog: the actions the shift's state allows, and a reason.
  let dialogShift = null;

  function openShiftDialog(shift) {
    dialogShift = shift;
    const allowed = SHIFT_ACTIONS[shift.state] || [];
    $("shift-name").textContent = shift.name;
    $("shift-now").textContent = shift.state + " at " + shift.share + " %";
    $("shift-error").textContent = "";
    $("shift-reason").value = "";
    let first = true;
    for (const radio of document.querySelectorAll('input[name="action"]')) {
      const shown = allowed.includes(radio.value);
      radio.parentElement.hidden = !shown;
      radio.disabled = !shown;
      radio.checked = shown && first;
      first = first && !shown;
    }
    $("shift-dialog").showModal();
    $("shift-reason").focus();
  }

  async function applyShift(event) {
    event.preventDefault();
    const form = $("shift-form");
    const chosen = form.querySelector('input[name="action"]:checked');
    if (!form.reportValidity() || !chosen) {
      return;
    }
    const body = { action: chosen.value, reason: $("shift-reason").value.trim() };
    await submit("shift", "shifts/" + encodeURIComponent(dialogShift.name), body, (shift) => {
      replace(state.shifts, shift, "name");
      renderShifts(state.shifts);
    });
  }

  document.addEventListener("DOMContentLoaded", () => {
    $("token-form").addEventListener("submit", (event) => {
      event.preventDefault();
      sessionStorage.setItem(TOKEN_KEY, $("token").value.trim());
      $("token").value = "";
      $("token-error").textContent = "";
      run();
    });
    $("switch-form").addEventListener("submit", applySwitch);
    $("switch-cancel").addEventListener("click", () => $("switch-dialog").close());
    $("shift-form").addEventListener("submit", applyShift);
    $("shift-cancel").addEventListener("click", () => $("shift-dialog").close());
    if (token()) {
      run();
    }
  });
})();
