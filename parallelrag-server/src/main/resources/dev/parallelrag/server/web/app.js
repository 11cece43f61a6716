// ParallelRAG web page: ask, search, upload and health over the server's own HTTP API.
// Plain browser JavaScript, no dependencies. Text from the server is only ever set as text, never as HTML.
'use strict';

const KEY_STORAGE = 'parallelrag.apiKey';
const HEALTH_EVERY_MS = 10000;
const FILE_STEPS = ['queued', 'reading', 'embedding', 'stored'];
const STATE_LABELS = { not_run: 'not run' };
const JOB_LABELS = { succeeded: 'done' };
const JOB_ENDED = new Set(['succeeded', 'failed', 'cancelled']);

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
  const fromHash = () => $('tab-' + location.hash.slice(1)) || tabs[0];
  window.addEventListener('hashchange', () => select(fromHash(), false));
  select(fromHash(), false);
})();

// ---------------------------------------------------------------- health

(() => {
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
        el('span', { class: 'path', title: c.source, text: c.source }),
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

  /** The answer's mode, who wrote it, its time and tokens: the fields of the final "answer" event. */
  function setMeta(answer) {
    $('answer-mode').textContent = answer.mode;
    const bits = [];
    if (answer.served_by) bits.push('by ' + answer.served_by);
    bits.push(`${answer.timings.total_ms} ms (retrieval ${answer.timings.embed_ms + answer.timings.retrieve_ms} ms)`);
    bits.push(`${answer.usage.total_tokens} tokens`);
    if (answer.fallback_reason) bits.push('extractive because ' + answer.fallback_reason);
    $('answer-meta').replaceChildren(...bits.map((b) => el('span', { text: b })));
  }

  function onEvent(name, raw) {
    const data = parseJson(raw);
    if (!data) return;
    if (name === 'delta') {
      text += data.text;
      renderAnswer();
    } else if (name === 'answer') {
      text = data.answer;
      setCitations(data.citations);
      setMeta(data);
    } else if (name === 'error') {
      showError($('answer-error'), new ApiError(0, data.error.type, data.error.message, data.error.field));
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
      // "Show all" only where the clamp hides something
      requestAnimationFrame(() => { more.hidden = textNode.scrollHeight <= textNode.clientHeight + 1; });
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
      render(body.hits, query, performance.now() - started);
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
    const files = chosen.map((f) => ({ name: f.name, size: f.size }));
    $('upload-submit').disabled = true;
    try {
      const response = await api('/v1/documents', { method: 'POST', body: form, headers: { Accept: 'application/json' } });
      const job = await response.json();
      input.value = '';
      choose([]);
      watchJob(job, files);
    } catch (error) {
      showError($('upload-error'), error);
    } finally {
      $('upload-submit').disabled = false;
    }
  });

  /**
   * Shows one upload job and follows it: the rows come from the files sent, each then moves with the job's
   * event stream ("file" events), and the job's own record gives the final word when the stream ends.
   */
  function watchJob(accepted, files) {
    const id = accepted.job_id;
    const node = $('job-template').content.firstElementChild.cloneNode(true);
    node.dataset.job = id;
    node.querySelector('.job-title').textContent = `Upload of ${files.length} file${files.length === 1 ? '' : 's'}`;
    node.querySelector('.job-id').textContent = 'job ' + id;
    const rows = new Map();
    const tbody = node.querySelector('tbody');
    const cancel = node.querySelector('.job-cancel');
    const sizes = new Map(files.map((f) => [f.name, f.size]));
    $('jobs').prepend(node);

    function row(source) {
      if (!rows.has(source)) {
        const steps = el('ol', { class: 'steps', 'aria-hidden': 'true' }, ...FILE_STEPS.map(() => el('li')));
        const stateNode = el('span', { class: 'state' });
        const detail = el('span', { class: 'fdetail' });
        const error = el('span', { class: 'ferror' });
        const tr = el('tr', { 'data-file': source },
          el('td', {}, el('span', { class: 'fname', text: source }), detail),
          el('td', {}, steps, error),
          el('td', {}, stateNode));
        tbody.append(tr);
        rows.set(source, { tr, steps, stateNode, detail, error, reached: 0 });
      }
      return rows.get(source);
    }

    function setFile(f) {
      const r = row(f.source);
      const state = f.state;
      const at = FILE_STEPS.indexOf(state);
      if (at >= 0) r.reached = Math.max(r.reached, at);
      r.tr.dataset.state = state;
      r.stateNode.dataset.state = state;
      r.stateNode.textContent = STATE_LABELS[state] || state;
      [...r.steps.children].forEach((li, i) => {
        li.className = i < r.reached || state === 'stored' ? 'done' : (i === r.reached && at >= 0 ? 'current' : '');
        if (i === r.reached && (state === 'failed' || state === 'not_run')) li.className = 'current';
      });
      const bits = [];
      if (sizes.has(f.source)) bits.push(formatBytes(sizes.get(f.source)));
      if (f.chunks) {
        bits.push(`${f.chunks} chunk${f.chunks === 1 ? '' : 's'}`
          + (state === 'stored' && f.chunks_added === 0 ? ', already indexed' : ''));
      }
      r.detail.textContent = bits.join(' · ');
      r.error.textContent = f.error ? `${f.error.stage ? f.error.stage + ': ' : ''}${f.error.message}` : '';
    }

    function setJob(job) {
      node.dataset.state = job.state;
      const badge = node.querySelector('.job-state');
      badge.dataset.state = job.state;
      badge.textContent = JOB_LABELS[job.state] || job.state;
      const counts = job.counts;
      if (counts) {
        const ended = counts.stored + counts.failed + counts.not_run;
        const pct = counts.files ? Math.round(100 * ended / counts.files) : 0;
        node.querySelector('.progress span').style.width = pct + '%';
        node.querySelector('.progress').setAttribute('aria-valuenow', String(pct));
        const parts = [`${counts.stored} of ${counts.files} stored`];
        if (counts.failed) parts.push(`${counts.failed} failed`);
        if (counts.not_run) parts.push(`${counts.not_run} not run`);
        parts.push(`${counts.chunks_added} chunk${counts.chunks_added === 1 ? '' : 's'} added`);
        node.querySelector('.job-counts').textContent = parts.join(' · ');
      }
      if (job.error) showError($('upload-error'), new Error(job.error));
      const ended = JOB_ENDED.has(job.state);
      cancel.hidden = ended;
      return ended;
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

    for (const f of files) setFile({ source: f.name, state: 'queued' });
    setJob({ state: accepted.state });
    follow();

    async function follow() {
      try {
        const response = await api(accepted.events_url, { headers: { Accept: 'text/event-stream' } });
        await readEvents(response, (name, raw) => {
          const data = parseJson(raw);
          if (!data) return;
          if (name === 'file') setFile(data);
          else if (name === 'job') setJob(data);
          else if (name === 'error') showError($('upload-error'), new Error(data.error?.message || raw));
        });
        // The stream ends with the job; its record has every file's last state.
        const response2 = await api(accepted.status_url, { headers: { Accept: 'application/json' } });
        const job = await response2.json();
        for (const f of job.files) setFile(f);
        setJob(job);
      } catch (error) {
        showError($('upload-error'), error);
      }
    }
  }
})();
