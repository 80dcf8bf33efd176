// The one way the pages talk to the JSON API: the token, fetch, and problem+json errors.
import { has, lang, t } from './i18n.js';

const SESSION_KEY = 'session';

/**
 * The logged-in user ({accessToken, role, expiresAt, username}), or null when absent or expired.
 * Kept in localStorage so a new tab is still logged in; it ends when the token does (its `exp`).
 */
export function session() {
  try {
    const value = JSON.parse(localStorage.getItem(SESSION_KEY) ?? sessionStorage.getItem(SESSION_KEY) ?? 'null');
    if (value && value.expiresAt > Date.now()) return value;
    if (value) clearSession();
    return null;
  } catch {
    return null;
  }
}

/** The token's own expiry (JWT `exp`, seconds) when it can be read, else now + expiresIn. */
function expiryOf(login) {
  try {
    const payload = JSON.parse(atob(login.accessToken.split('.')[1].replace(/-/g, '+').replace(/_/g, '/')));
    if (typeof payload.exp === 'number') return payload.exp * 1000;
  } catch {
    // not a JWT we can read: fall back to the answer's expiresIn
  }
  return Date.now() + login.expiresIn * 1000;
}

export function saveSession(login, username) {
  localStorage.setItem(SESSION_KEY, JSON.stringify({ accessToken: login.accessToken, role: login.role, username, expiresAt: expiryOf(login) }));
}

export function clearSession() {
  localStorage.removeItem(SESSION_KEY);
  sessionStorage.removeItem(SESSION_KEY);
}

/** To the login page, saying why (`expired`, `role`) and coming back here after. */
function toLogin(reason) {
  location.assign(`/login?next=${encodeURIComponent(location.pathname + location.search)}${reason ? `&reason=${reason}` : ''}`);
}

/** The page each role starts on. */
export const HOME = { parent: '/parent', institution: '/org', regulator: '/regulator', admin: '/regulator' };

/** The session when its role is one of `roles`; otherwise off to the login page (coming back here after). */
export function requireRole(...roles) {
  const current = session();
  if (current && roles.includes(current.role)) return current;
  toLogin(current ? 'role' : null);
  return null;
}

/** An error the API answered (problem+json), or a network failure (status 0). */
export class ApiError extends Error {
  constructor(status, problem) {
    super(problem.detail ?? problem.title ?? `HTTP ${status}`);
    this.status = status;
    this.code = problem.code ?? null;
    this.detail = problem.detail ?? '';
    this.errors = problem.errors ?? [];
    this.retryAfter = problem.retryAfter ?? null;
    this.problem = problem;
  }
}

/** A fresh Idempotency-Key. Keep it for retries of the same request; crypto.randomUUID needs a secure context, so fall back. */
export function newKey() {
  if (crypto.randomUUID) return `web-${crypto.randomUUID()}`;
  return `web-${Array.from(crypto.getRandomValues(new Uint8Array(16)), (byte) => byte.toString(16).padStart(2, '0')).join('')}`;
}

/**
 * Calls the API: JSON in and out, the bearer token when logged in, an Idempotency-Key when given.
 * Throws ApiError; a 401 on a logged-in call ends the session and goes to the login page.
 */
export async function api(method, path, { body, query, idempotencyKey } = {}) {
  const url = new URL(path, location.origin);
  for (const [name, value] of Object.entries(query ?? {})) if (value !== undefined && value !== null && value !== '') url.searchParams.set(name, value);
  const headers = { Accept: 'application/json, application/problem+json' };
  const current = session();
  if (current) headers.Authorization = `Bearer ${current.accessToken}`;
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  if (idempotencyKey) headers['Idempotency-Key'] = idempotencyKey;
  let response;
  try {
    // no-cache: always ask the API (a 304 when nothing changed), never a cached copy a CDN's
    // stale-while-revalidate would let the browser show (public answers, apps/api/src/registry/public.controller.ts).
    response = await fetch(url, { method, headers, cache: 'no-cache', body: body === undefined ? undefined : JSON.stringify(body) });
  } catch {
    throw new ApiError(0, { code: 'NETWORK', detail: t('error.network') });
  }
  const text = await response.text();
  const data = text ? safeJson(text) : null;
  if (response.ok) return data;
  // An expired or invalid token (not a wrong password typed at the login form): log in again.
  if (response.status === 401 && current && data?.code !== 'AUTH.INVALID_CREDENTIALS') {
    clearSession();
    toLogin('expired');
  }
  const problem = data ?? { detail: response.statusText };
  if (response.status === 429) problem.retryAfter = retryAfterSeconds(response.headers.get('retry-after'));
  throw new ApiError(response.status, problem);
}

/** Retry-After as whole seconds (it may be seconds or an HTTP date); 60 when absent. */
function retryAfterSeconds(header) {
  if (!header) return 60;
  const seconds = /^\d+$/.test(header.trim()) ? Number(header) : Math.ceil((Date.parse(header) - Date.now()) / 1000);
  return Number.isFinite(seconds) && seconds > 0 ? seconds : 1;
}

const safeJson = (text) => {
  try {
    return JSON.parse(text);
  } catch {
    return { detail: text };
  }
};

export const get = (path, query) => api('GET', path, { query });
export const post = (path, body = {}, options = {}) => api('POST', path, { ...options, body });

/**
 * For an API that may not exist yet (oversight, being built): its answer when it answers 200,
 * otherwise null, so the page hides the panel rather than showing made-up figures.
 */
export async function optional(path, query) {
  try {
    return await get(path, query);
  } catch {
    return null;
  }
}

/**
 * A person's message for an API error: our own wording of its code (every code the API can answer has
 * one, in both languages), else a sentence for its status. The API's English detail is shown only in
 * the English view, never a raw code in the Chinese one.
 */
export function messageOf(error) {
  if (!(error instanceof ApiError)) return lang() === 'en' ? t('error.generic', { detail: String(error?.message ?? error) }) : t('error.unexpected');
  if (error.status === 0) return t('error.network');
  // A limit with a sentence of its own (a parent's daily complaints) says so; any other 429 says when to retry.
  if (error.status === 429)
    return t(error.code && has(`error.${error.code}`) ? `error.${error.code}` : 'error.RATE_LIMITED', { seconds: error.retryAfter ?? 60 });
  if (error.code && has(`error.${error.code}`)) return t(`error.${error.code}`);
  if (lang() === 'en' && error.detail) return t('error.generic', { detail: error.detail });
  const byStatus = `error.status.${error.status}`;
  return has(byStatus) ? t(byStatus) : t(error.status >= 500 ? 'error.status.500' : 'error.unexpected');
}

/**
 * A field error in words: the API's message in English; in Chinese the sentence of the rule the field
 * is checked by in the browser (ui.js field({ check })), else our sentence for that field, else a general one.
 */
function fieldMessage(fieldError, input) {
  if (lang() === 'en') return fieldError.message;
  const name = String(fieldError.field ?? '').split('.')[0];
  const check = input.dataset?.check;
  if (check && has(`form.check.${check}`)) return t(`form.check.${check}`);
  return has(`error.field.${name}`) ? t(`error.field.${name}`) : t('error.field.invalid');
}

/**
 * Shows an error in `box` (a role="alert" element) and, for field errors, marks each named input of
 * `form` (aria-invalid, with the API's message below it) and moves the focus to the first.
 */
export function showProblem(box, error, form) {
  box.hidden = false;
  box.className = 'notice notice-error';
  box.textContent = messageOf(error);
  if (lang() === 'en' && error instanceof ApiError && error.detail && box.textContent !== error.detail && error.code !== 'NETWORK') {
    const detail = document.createElement('small');
    detail.className = 'problem-detail';
    detail.textContent = `${error.code ?? error.status}: ${error.detail}`;
    box.append(detail);
  }
  if (!form) return;
  clearFieldErrors(form);
  let first = null;
  for (const fieldError of error.errors ?? []) {
    const input = form.elements.namedItem(fieldError.field.split('.')[0]);
    if (!input || !(input instanceof HTMLElement)) continue;
    input.setAttribute('aria-invalid', 'true');
    const message = document.createElement('small');
    message.className = 'field-error';
    message.id = `${input.id || input.name}-error`;
    message.textContent = fieldMessage(fieldError, input);
    input.setAttribute('aria-describedby', message.id);
    input.insertAdjacentElement('afterend', message);
    first ??= input;
  }
  first?.focus();
}

export function clearFieldErrors(form) {
  for (const element of form.querySelectorAll('[aria-invalid]')) {
    element.removeAttribute('aria-invalid');
    element.removeAttribute('aria-describedby');
  }
  for (const element of form.querySelectorAll('.field-error')) element.remove();
}

export function showNotice(box, text, kind = 'ok') {
  box.hidden = false;
  box.className = `notice notice-${kind}`;
  box.textContent = text;
}
