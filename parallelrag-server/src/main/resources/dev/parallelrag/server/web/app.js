// ParallelRAG web page: ask, search, upload and health over the server's own HTTP API.
// Plain browser JavaScript, no dependencies. Text from the server is only ever set as text, never as HTML.
'use strict';

const KEY_STORAGE = 'parallelrag.apiKey';
const HEALTH_EVERY_MS = 10000;
const FILE_STEPS = ['queued', 'reading', 'embedding', 'stored'];
const FINAL_FILE_STATES = new Set(['stored', 'failed', 'cancelled', 'skipped']);

const $ = (id) => document.getElementById(id);

function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs)) {
    if (value === undefined || value === null || value === false) continue;
    if (name === 'class') node.className = value;
    else if (name === 'text') node.textContent = value;
    else if (name.startsWith('on')) node.addEventListener(name.slice(2), value);
    else node.setAttribute(name, value === true ? '' : value);
  }
  for (const child of children) {
    if (child !== null && child !== undefined) node.append(child);
  }
  return node;
}

// ---------------------------------------------------------------- API access

/** An error answered by the server in its one error shape, {"error":{"type","message","field"?}}. */
class ApiError extends Error {
  constructor(status, type, message, field) {
    super(message);
    this.status = status;
    this.type = type;
    this.field = field;
  }
}

const keys = {
  get: () => sessionStorage.getItem(KEY_STORAGE) || '',
  set: (key) => key ? sessionStorage.setItem(KEY_STORAGE, key) : sessionStorage.removeItem(KEY_STORAGE),
};

async function errorOf(response) {
  let type = 'http_' + response.status;
  let message = response.statusText || ('HTTP ' + response.status);
  let field;
  try {
    const body = await response.json();
    if (body && body.error) {
      type = body.error.type || type;
      message = body.error.message || message;
      field = body.error.field;
    }
  } catch (ignored) {
    // not JSON: keep the status line
  }
  if (response.status === 429) {
    const retry = response.headers.get('Retry-After');
    if (retry) message += ` (retry in ${retry} s)`;
  }
  return new ApiError(response.status, type, message, field);
}

/**
 * Fetches an API route with the key as a Bearer token. A 401 asks for a key once and repeats the request
 * with it; any other non-2xx answer throws an ApiError.
 */
async function api(path, options = {}, askedForKey = false) {
  const headers = new Headers(options.headers || {});
  const key = keys.get();
  if (key) headers.set('Authorization', 'Bearer ' + key);
  const response = await fetch(path, { ...options, headers });
  if (response.status === 401 && !askedForKey) {
    const error = await errorOf(response);
    const reason = key ? 'The server did not accept this key (' + error.message + ') Enter another one.'
      : 'This server needs an API key for its /v1 routes.';
    if (await keyDialog.ask(reason)) {
      return api(path, options, true);
    }
    throw error;
  }
  if (!response.ok) throw await errorOf(response);
  return response;
}

function postJson(path, body, accept = 'application/json') {
  return api(path, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', 'Accept': accept },
    body: JSON.stringify(body),
  });
}

/**
 * Reads a text/event-stream response and calls onEvent(name, data) per event. Comments (the server's
 * heartbeats) are skipped; data lines are joined as the SSE specification says. Returns when the stream ends.
 */
async function readEvents(response, onEvent, signal) {
  const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
  if (signal) signal.addEventListener('abort', () => reader.cancel().catch(() => {}), { once: true });
  let buffer = '';
  let name = '';
  let data = [];
  const dispatch = () => {
    if (data.length) onEvent(name || 'message', data.join('\n'));
    name = '';
    data = [];
  };
  for (;;) {
    const { value, done } = await reader.read();
    if (done) break;
    buffer += value;
    let end;
    while ((end = buffer.search(/\r\n|\r|\n/)) >= 0) {
      const line = buffer.slice(0, end);
      buffer = buffer.slice(end + (buffer.startsWith('\r\n', end) ? 2 : 1));
      if (line === '') dispatch();
      else if (line.startsWith(':')) continue;
      else {
        const colon = line.indexOf(':');
        const field = colon < 0 ? line : line.slice(0, colon);
        let val = colon < 0 ? '' : line.slice(colon + 1);
        if (val.startsWith(' ')) val = val.slice(1);
        if (field === 'event') name = val;
        else if (field === 'data') data.push(val);
      }
    }
  }
  dispatch();
}

function parseJson(text) {
  try {
    return JSON.parse(text);
  } catch (ignored) {
    return null;
  }
}

function showError(node, error) {
  if (!error) {
    node.hidden = true;
    node.textContent = '';
    return;
  }
  node.hidden = false;
  node.textContent = error instanceof ApiError && error.field
    ? `${error.message} (field: ${error.field})`
    : (error.message || String(error));
}

// ---------------------------------------------------------------- API key dialog

const keyDialog = (() => {
  const dialog = $('key-dialog');
  const input = $('key-input');
  const button = $('key-button');
  let pending = null;

  function refreshButton() {
    const set = Boolean(keys.get());
    button.textContent = set ? 'API key set' : 'API key';
    button.classList.toggle('key-set', set);
  }

  function open(reason) {
    $('key-reason').textContent = reason || 'This server asks for an API key on its /v1 routes.';
    input.value = keys.get();
    if (!dialog.open) dialog.showModal();
    input.focus();
  }

  function finish(saved) {
    if (dialog.open) dialog.close();
    refreshButton();
    if (pending) {
      pending(saved);
      pending = null;
    }
  }

  $('key-form').addEventListener('submit', (event) => {
    event.preventDefault();
    keys.set(input.value.trim());
    finish(Boolean(input.value.trim()));
  });
  $('key-cancel').addEventListener('click', () => finish(false));
  $('key-forget').addEventListener('click', () => {
    keys.set('');
    input.value = '';
    finish(false);
  });
  dialog.addEventListener('cancel', () => finish(false));
  button.addEventListener('click', () => open());
  refreshButton();

  return {
    /** Opens the dialog; resolves true when a key was saved. */
    ask(reason) {
      if (pending) pending(false);
      open(reason);
      return new Promise((resolve) => { pending = resolve; });
    },
  };
})();

// ---------------------------------------------------------------- tabs

(() => {
  const tabs = [...document.querySelectorAll('[role=tab]')];
  function select(tab, focus) {
    for (const t of tabs) {
      const selected = t === tab;
      t.setAttribute('aria-selected', String(selected));
      t.tabIndex = selected ? 0 : -1;
      $(t.getAttribute('aria-controls')).hidden = !selected;
    }
    if (focus) tab.focus();
    const name = tab.id.replace('tab-', '');
    history.replaceState(null, '', '#' + name);
    const first = $(name === 'documents' ? 'choose-files' : name + '-input');
    if (first && !focus) first.focus({ preventScroll: true });
  }
  tabs.forEach((tab, i) => {
    tab.addEventListener('click', () => select(tab, false));
    tab.addEventListener('keydown', (event) => {
      let next = null;
      if (event.key === 'ArrowRight') next = tabs[(i + 1) % tabs.length];
      else if (event.key === 'ArrowLeft') next = tabs[(i - 1 + tabs.length) % tabs.length];
      else if (event.key === 'Home') next = tabs[0];
      else if (event.key === 'End') next = tabs[tabs.length - 1];
      if (next) {
        event.preventDefault();
        select(next, true);
      }
    });
  });
  const initial = $('tab-' + location.hash.slice(1));
  select(initial || tabs[0], false);
})();

// ---------------------------------------------------------------- health

const health = (() => {
  const root = $('health');
  const label = $('health-label');
  const list = $('health-components');
  const LABELS = { UP: 'Ready', DEGRADED: 'Degraded', DOWN: 'Not ready' };
  const NAMES = { llm: 'LLM' };

  function render(body, httpStatus) {
    const status = (body && body.status) || (httpStatus === 200 ? 'UP' : 'DOWN');
    const ready = body && typeof body.ready === 'boolean' ? body.ready : httpStatus === 200;
    root.dataset.status = ready ? status : 'DOWN';
    label.textContent = ready ? (LABELS[status] || status) : 'Not ready';
    list.replaceChildren();
    for (const reason of (body && body.reasons) || []) {
      list.append(el('li', { class: 'component', 'data-status': 'DOWN' },
        el('span', { class: 'dot', 'aria-hidden': 'true' }),
        el('span', { class: 'cname', text: 'Not ready' }),
        el('span', { class: 'cstatus' }),
        el('span', { class: 'reason', text: reason })));
    }
    const components = (body && body.components) || {};
    for (const [name, c] of Object.entries(components)) {
      const cStatus = c.status || 'UNKNOWN';
      list.append(el('li', { class: 'component', 'data-status': cStatus },
        el('span', { class: 'dot', 'aria-hidden': 'true' }),
        el('span', { class: 'cname', text: NAMES[name] || name }),
        el('span', { class: 'cstatus', text: cStatus }),
        c.reason ? el('span', { class: 'reason', text: c.reason }) : null));
    }
    if (!list.children.length) list.append(el('li', { class: 'muted small', text: 'No components reported.' }));
    $('health-checked').textContent = 'Checked at ' + new Date().toLocaleTimeString();
  }

  async function check() {
    try {
      const response = await fetch('/health/ready', { headers: { Accept: 'application/json' } });
      render(parseJson(await response.text()), response.status);
    } catch (error) {
      root.dataset.status = 'DOWN';
      label.textContent = 'Unreachable';
      list.replaceChildren(el('li', { class: 'muted small', text: 'The server did not answer: ' + error.message }));
    }
  }

  check();
  setInterval(check, HEALTH_EVERY_MS);
  return { check };
})();

// ---------------------------------------------------------------- ask

(() => {
  const form = $('ask-form');
  const input = $('ask-input');
  const submit = $('ask-submit');
  const card = $('answer-card');
  const answerNode = $('answer');
  const sourcesNode = $('sources');
  const passage = $('passage');
  const layout = card.parentElement;
  let text = '';
  let citations = new Map();
  let selected = null;
  let opener = null;
  let controller = null;

  function citeButton(number) {
    const known = citations.has(number);
    return el('button', {
      type: 'button', class: 'cite', 'data-cite': number, text: String(number),
      'aria-label': known ? `Source ${number}: ${citations.get(number).source}` : `Source ${number}`,
      'aria-pressed': String(selected === number),
      onclick: () => showPassage(number),
    });
  }

  function renderAnswer() {
    const parts = text.split(/\[(\d+)\]/);
    const nodes = parts.map((part, i) => i % 2 ? citeButton(Number(part)) : document.createTextNode(part));
    answerNode.replaceChildren(...nodes);
  }

  function lines(c) {
    if (c.line_start && c.line_end) return c.line_start === c.line_end ? `line ${c.line_start}` : `lines ${c.line_start}-${c.line_end}`;
    return '';
  }

  function renderSources() {
    sourcesNode.replaceChildren();
    for (const c of citations.values()) {
      sourcesNode.append(el('li', {},
        el('button', {
          type: 'button', class: 'source', 'data-source': c.number, 'aria-pressed': String(selected === c.number),
          onclick: () => showPassage(c.number),
        },
        el('span', { class: 'cite', 'aria-hidden': 'true', text: String(c.number) }),
        el('span', { class: 'path', text: c.source }),
        el('span', { class: 'where', text: lines(c) }),
        el('span', { class: 'snippet', text: c.text }))));
    }
    $('sources-heading').hidden = citations.size === 0;
  }

  function showPassage(number) {
    const c = citations.get(number);
    if (!c) return;
    selected = number;
    $('passage-heading').textContent = `Passage [${number}]`;
    const where = lines(c);
    $('passage-source').replaceChildren(el('strong', { text: c.source }), where ? ', ' + where : '',
      typeof c.score === 'number' ? ` · score ${c.score.toFixed(3)}` : '');
    $('passage-text').textContent = c.text;
    if (!passage.contains(document.activeElement)) opener = document.activeElement;
    passage.hidden = false;
    layout.classList.add('with-passage');
    for (const b of document.querySelectorAll('[data-cite],[data-source]')) {
      b.setAttribute('aria-pressed', String(Number(b.dataset.cite || b.dataset.source) === number));
    }
    passage.focus({ preventScroll: true });
    if (window.matchMedia('(max-width: 820px)').matches) passage.scrollIntoView({ block: 'start' });
  }

  function closePassage() {
    selected = null;
    passage.hidden = true;
    layout.classList.remove('with-passage');
    for (const b of document.querySelectorAll('[aria-pressed=true]')) b.setAttribute('aria-pressed', 'false');
  }

  function dismissPassage() {
    closePassage();
    if (opener && opener.isConnected) opener.focus();
    opener = null;
  }

  $('passage-close').addEventListener('click', dismissPassage);
  passage.addEventListener('keydown', (event) => { if (event.key === 'Escape') dismissPassage(); });

  function setCitations(list) {
    citations = new Map((list || []).map((c) => [c.number, c]));
    renderAnswer();
    renderSources();
  }

  function setMeta(answer) {
    const meta = $('answer-meta');
    meta.replaceChildren();
    const mode = answer.mode ? String(answer.mode).toLowerCase() : '';
    $('answer-mode').textContent = mode;
    if (answer.served_by) meta.append(el('span', { text: 'by ' + answer.served_by }));
    const timings = answer.timings || {};
    if (typeof timings.total_ms === 'number') meta.append(el('span', { text: `${Math.round(timings.total_ms)} ms` }));
    const usage = answer.usage || {};
    if (usage.total_tokens) meta.append(el('span', { text: `${usage.total_tokens} tokens` }));
    if (answer.fallback_reason) meta.append(el('span', { text: 'extractive because ' + answer.fallback_reason }));
  }

  function onEvent(name, raw) {
    const data = parseJson(raw);
    if (!data) return;
    if (name === 'error' || data.error) {
      showError($('answer-error'), new ApiError(0, data.error?.type, data.error?.message || raw));
    } else if (name === 'citations') {
      setCitations(data.citations);
    } else if (name === 'delta' || name === 'token') {
      text += data.text || '';
      renderAnswer();
    } else if (name === 'answer' || name === 'done') {
      const answer = data.answer || data;
      if (typeof answer.text === 'string') text = answer.text;
      setCitations(answer.citations || [...citations.values()]);
      setMeta(answer);
    }
  }

  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    const question = input.value.trim();
    if (!question) return;
    if (controller) controller.abort();
    controller = new AbortController();
    const mine = controller;
    text = '';
    citations = new Map();
    closePassage();
    $('ask-empty').hidden = true;
    card.hidden = false;
    answerNode.replaceChildren();
    renderSources();
    $('answer-meta').replaceChildren();
    $('answer-mode').textContent = '';
    showError($('answer-error'), null);
    answerNode.setAttribute('aria-busy', 'true');
    submit.disabled = true;
    try {
      const body = { question, k: Number($('ask-k').value), mode: $('ask-mode').value, stream: true };
      const response = await postJson('/v1/ask', body, 'text/event-stream');
      await readEvents(response, onEvent, mine.signal);
    } catch (error) {
      if (error.name !== 'AbortError') showError($('answer-error'), error);
    } finally {
      if (controller === mine) {
        answerNode.setAttribute('aria-busy', 'false');
        submit.disabled = false;
        controller = null;
      }
    }
  });
})();

// ---------------------------------------------------------------- search

(() => {
  const form = $('search-form');
  const hits = $('hits');
  const HINTS = {
    hybrid: 'Hybrid fuses vector and keyword results (reciprocal rank fusion).',
    vector: 'Vector finds passages close in meaning (cosine similarity).',
    keyword: 'Keyword matches the words themselves (BM25).',
  };
  const mode = () => document.querySelector('#search-mode input:checked').value;

  function highlighted(textValue, query) {
    const words = [...new Set(query.toLowerCase().match(/[\p{L}\p{N}]{3,}/gu) || [])];
    if (!words.length) return [document.createTextNode(textValue)];
    const escaped = words.map((w) => w.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'));
    const pattern = new RegExp(`(${escaped.join('|')})`, 'giu');
    return textValue.split(pattern).map((part, i) => i % 2 ? el('mark', { text: part }) : document.createTextNode(part));
  }

  function render(list, query, elapsedMs) {
    hits.replaceChildren();
    $('search-summary').textContent = list.length
      ? `${list.length} result${list.length === 1 ? '' : 's'} in ${Math.round(elapsedMs)} ms (${mode()})`
      : 'No results.';
    for (const h of list) {
      const textNode = el('p', { class: 'text clamped' }, ...highlighted(h.text || '', query));
      const more = el('button', { type: 'button', class: 'more', text: 'Show all', 'aria-expanded': 'false' });
      more.addEventListener('click', () => {
        const open = textNode.classList.toggle('clamped');
        more.textContent = open ? 'Show all' : 'Show less';
        more.setAttribute('aria-expanded', String(!open));
      });
      hits.append(el('li', { class: 'card hit' },
        el('span', { class: 'rank', 'aria-label': 'rank ' + h.rank, text: String(h.rank) }),
        el('div', { class: 'hit-head' },
          el('span', { class: 'path', text: h.source }),
          el('span', { class: 'score', text: 'score ' + Number(h.score).toFixed(4) })),
        textNode, more));
    }
  }

  for (const radio of document.querySelectorAll('#search-mode input')) {
    radio.addEventListener('change', () => {
      $('search-hint').textContent = HINTS[radio.value];
      if ($('search-input').value.trim()) form.requestSubmit();
    });
  }

  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    const query = $('search-input').value.trim();
    if (!query) return;
    showError($('search-error'), null);
    $('search-submit').disabled = true;
    const started = performance.now();
    try {
      const response = await postJson('/v1/search', { query, k: Number($('search-k').value), mode: mode() });
      const body = await response.json();
      render(Array.isArray(body) ? body : body.hits, query, performance.now() - started);
    } catch (error) {
      showError($('search-error'), error);
    } finally {
      $('search-submit').disabled = false;
    }
  });
})();

// ---------------------------------------------------------------- documents

(() => {
  const input = $('file-input');
  const zone = $('dropzone');
  let chosen = [];

  function formatBytes(n) {
    if (n < 1024) return n + ' B';
    if (n < 1024 * 1024) return (n / 1024).toFixed(1) + ' KB';
    return (n / 1024 / 1024).toFixed(1) + ' MB';
  }

  function choose(files) {
    chosen = [...files];
    const total = chosen.reduce((sum, f) => sum + f.size, 0);
    $('selected').hidden = chosen.length === 0;
    $('selected-summary').textContent = chosen.length === 1
      ? `${chosen[0].name} (${formatBytes(total)})`
      : `${chosen.length} files (${formatBytes(total)})`;
  }

  input.addEventListener('change', () => choose(input.files));
  $('choose-files').addEventListener('click', () => input.click());
  $('clear-files').addEventListener('click', () => { input.value = ''; choose([]); });
  zone.addEventListener('dragover', (event) => { event.preventDefault(); zone.classList.add('over'); });
  zone.addEventListener('dragleave', () => zone.classList.remove('over'));
  zone.addEventListener('drop', (event) => {
    event.preventDefault();
    zone.classList.remove('over');
    choose(event.dataTransfer.files);
  });

  $('upload-form').addEventListener('submit', async (event) => {
    event.preventDefault();
    if (!chosen.length) return;
    showError($('upload-error'), null);
    const form = new FormData();
    for (const file of chosen) form.append('files', file, file.name);
    const sizes = new Map(chosen.map((f) => [f.name, f.size]));
    $('upload-submit').disabled = true;
    try {
      const response = await api('/v1/documents', { method: 'POST', body: form, headers: { Accept: 'application/json' } });
      const job = await response.json();
      input.value = '';
      choose([]);
      watchJob(job, sizes);
    } catch (error) {
      showError($('upload-error'), error);
    } finally {
      $('upload-submit').disabled = false;
    }
  });

  function watchJob(accepted, sizes) {
    const id = accepted.id || accepted.job_id;
    const node = $('job-template').content.firstElementChild.cloneNode(true);
    node.dataset.job = id;
    node.querySelector('.job-title').textContent = 'Upload job ' + id;
    const rows = new Map();
    const tbody = node.querySelector('tbody');
    const cancel = node.querySelector('.job-cancel');
    $('jobs').prepend(node);

    function row(name) {
      if (!rows.has(name)) {
        const steps = el('ol', { class: 'steps', 'aria-hidden': 'true' }, ...FILE_STEPS.map(() => el('li')));
        const stateNode = el('span', { class: 'state' });
        const detail = el('span', { class: 'fdetail' });
        const error = el('span', { class: 'ferror', role: 'status' });
        const tr = el('tr', { 'data-file': name },
          el('td', {}, el('span', { class: 'fname', text: name }), detail),
          el('td', {}, steps, error),
          el('td', {}, stateNode));
        tbody.append(tr);
        rows.set(name, { tr, steps, stateNode, detail, error });
      }
      return rows.get(name);
    }

    function setFile(f) {
      const r = row(f.name);
      const state = String(f.state || 'queued').toLowerCase();
      r.tr.dataset.state = state;
      r.stateNode.dataset.state = state;
      r.stateNode.textContent = state;
      const at = FILE_STEPS.indexOf(state);
      const reached = at >= 0 ? at : (state === 'failed' ? Math.max(0, FILE_STEPS.indexOf(r.last || 'queued') + 1) : 0);
      [...r.steps.children].forEach((li, i) => {
        li.className = i < reached || (state === 'stored') ? 'done' : (i === reached ? 'current' : '');
      });
      if (at >= 0) r.last = state;
      const bits = [];
      if (sizes.has(f.name)) bits.push(formatBytes(sizes.get(f.name)));
      if (typeof f.chunks === 'number') bits.push(`${f.chunks} chunk${f.chunks === 1 ? '' : 's'}`);
      r.detail.textContent = bits.join(' · ');
      r.error.textContent = f.error ? (f.error.message || String(f.error)) : '';
    }

    function setJob(job) {
      const state = String(job.state || 'running').toLowerCase();
      node.dataset.state = state;
      const badge = node.querySelector('.job-state');
      badge.dataset.state = state;
      badge.textContent = state;
      for (const f of job.files || []) setFile(f);
      const counts = job.counts || {};
      const total = (job.files || []).length || Object.values(counts).reduce((a, b) => a + b, 0);
      const finished = (counts.stored || 0) + (counts.failed || 0) + (counts.cancelled || 0) + (counts.skipped || 0);
      const pct = total ? Math.round(100 * finished / total) : 0;
      node.querySelector('.progress span').style.width = pct + '%';
      node.querySelector('.progress').setAttribute('aria-valuenow', String(pct));
      node.querySelector('.job-counts').textContent = Object.entries(counts)
        .filter(([, n]) => n > 0).map(([k, n]) => `${n} ${k}`).join(' · ');
      const done = !['queued', 'running'].includes(state);
      cancel.hidden = done;
      return done;
    }

    cancel.addEventListener('click', async () => {
      cancel.disabled = true;
      try {
        await api('/v1/jobs/' + encodeURIComponent(id), { method: 'DELETE' });
      } catch (error) {
        showError($('upload-error'), error);
        cancel.disabled = false;
      }
    });

    setJob(accepted);
    follow();

    async function refresh() {
      const response = await api('/v1/jobs/' + encodeURIComponent(id), { headers: { Accept: 'application/json' } });
      return setJob(await response.json());
    }

    async function follow() {
      try {
        const response = await api('/v1/jobs/' + encodeURIComponent(id) + '/events', { headers: { Accept: 'text/event-stream' } });
        await readEvents(response, (name, raw) => {
          const data = parseJson(raw);
          if (!data) return;
          if (data.files || data.counts) setJob(data);
          else if (data.name && data.state) setFile(data);
        });
      } catch (error) {
        showError($('upload-error'), error);
      }
      // The event stream ends when the job does; the job's own record has the final counts.
      for (let attempt = 0; attempt < 600; attempt++) {
        try {
          if (await refresh()) return;
        } catch (error) {
          showError($('upload-error'), error);
          return;
        }
        await new Promise((resolve) => setTimeout(resolve, 1000));
      }
    }
  }
})();
