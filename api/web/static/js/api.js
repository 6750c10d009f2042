// api.js: calls to the JSON API. Errors come back as RFC 9457 problems
// whose "detail" is French and safe to show; every failure becomes an
// ApiError with such a message, so the page never shows a blank area.

// ApiError is a failed call with a message for the user.
export class ApiError extends Error {
  constructor(message, status, problem) {
    super(message);
    this.status = status;
    this.problem = problem;
  }
}

// request sends one call and decodes the JSON answer. An aborted call
// rejects with the AbortError untouched, which callers ignore: a newer
// request replaced it.
async function request(url, init) {
  let resp;
  try {
    resp = await fetch(url, { headers: { Accept: 'application/json' }, ...init });
  } catch (err) {
    if (err.name === 'AbortError') throw err;
    throw new ApiError('Le service ne répond pas : vérifier la connexion puis réessayer.', 0);
  }
  const type = resp.headers.get('Content-Type') || '';
  let body = null;
  if (type.includes('json')) {
    try {
      body = await resp.json();
    } catch (err) {
      if (err.name === 'AbortError') throw err;
    }
  }
  if (!resp.ok) {
    const detail = body && (body.detail || body.title);
    let msg = detail || `Le service a répondu ${resp.status}${resp.statusText ? ' ' + resp.statusText : ''}.`;
    if (resp.status === 503 && !detail) msg = 'Le répertoire est en cours de chargement : réessayer dans quelques secondes.';
    throw new ApiError(msg, resp.status, body);
  }
  if (body === null) throw new ApiError('Réponse inattendue du service.', resp.status);
  return body;
}

// getJSON fetches url; pass an AbortSignal to cancel it.
export function getJSON(url, signal) {
  return request(url, { signal });
}

// postJSON sends data as JSON.
export function postJSON(url, data, signal) {
  return request(url, {
    method: 'POST',
    signal,
    headers: { Accept: 'application/json', 'Content-Type': 'application/json' },
    body: JSON.stringify(data),
  });
}

// Latest runs one request at a time for one purpose (a suggestion list, the
// results): starting a new one aborts the previous, so a slow stale answer
// can never overwrite a newer one.
export class Latest {
  constructor() {
    this.ctrl = null;
  }

  // run calls fn(signal) and resolves with its result, or with undefined
  // when a newer run superseded it.
  async run(fn) {
    if (this.ctrl) this.ctrl.abort();
    const ctrl = new AbortController();
    this.ctrl = ctrl;
    try {
      const out = await fn(ctrl.signal);
      return ctrl.signal.aborted ? undefined : out;
    } catch (err) {
      if (err.name === 'AbortError' || ctrl.signal.aborted) return undefined;
      throw err;
    } finally {
      if (this.ctrl === ctrl) this.ctrl = null;
    }
  }

  // cancel aborts the running request, if any.
  cancel() {
    if (this.ctrl) this.ctrl.abort();
    this.ctrl = null;
  }
}

// The parameters of the page's URL that the API does not read: the view,
// the display label of the criterion, the fiche shown.
export const pageOnly = ['vue', 'libelle', 'eg'];

// apiParams copies the page's URL parameters minus the page-only ones.
export function apiParams(params) {
  const out = new URLSearchParams(params);
  for (const k of pageOnly) out.delete(k);
  return out;
}
