// gestion-api.js: the calls of the espace de gestion. The session cookie is
// HttpOnly; its CSRF token comes from GET /api/v1/session and goes back in
// X-CSRF-Token on every write, which the server refuses without it.
import { ApiError } from './api.js';

let csrf = '';

// setCSRF keeps the token of the signed-in session.
export function setCSRF(token) { csrf = token || ''; }

// call sends one request and decodes its JSON answer; failures become an
// ApiError with the French detail of the problem (and its fields).
export async function call(method, url, data) {
  const headers = { Accept: 'application/json' };
  const init = { method, headers, credentials: 'same-origin' };
  if (method !== 'GET' && method !== 'HEAD') headers['X-CSRF-Token'] = csrf;
  if (data !== undefined) {
    headers['Content-Type'] = 'application/json';
    init.body = JSON.stringify(data);
  }
  let resp;
  try {
    resp = await fetch(url, init);
  } catch {
    throw new ApiError('Le service ne répond pas : vérifier la connexion puis réessayer.', 0);
  }
  let body = null;
  if ((resp.headers.get('Content-Type') || '').includes('json')) {
    try { body = await resp.json(); } catch { body = null; }
  }
  if (!resp.ok && resp.status !== 207 && !(resp.status === 422 && body && body.rejetees)) {
    const msg = (body && (body.detail || body.title)) || `Le service a répondu ${resp.status}.`;
    throw new ApiError(msg, resp.status, body);
  }
  return body === null ? {} : body;
}

// fieldOf returns the JSON pointer or parameter a problem names, '' when none.
export function fieldOf(err) {
  const e = err && err.problem && err.problem.errors && err.problem.errors[0];
  return e ? (e.pointer || e.parameter || '') : '';
}

const dateTime = new Intl.DateTimeFormat('fr-FR', { dateStyle: 'short', timeStyle: 'short', timeZone: 'Europe/Paris' });

// formatDate writes an RFC 3339 time the French way, '—' when absent.
export function formatDate(s) {
  if (!s || s.startsWith('0001')) return '—';
  const d = new Date(s);
  return isNaN(d) ? '—' : dateTime.format(d);
}
