// Small DOM helpers shared by the pages: elements, the header, forms, tables, dialogs, badges.
import { HOME, clearFieldErrors, clearSession, session } from './api.js';
import { applyI18n, dateTime, fenOf, has, lang, money, setLang, t } from './i18n.js';

/** h('p', {class: 'x'}, 'text', child) → element. Attributes starting with "on" become listeners; null/false are skipped. */
export function h(tag, attributes = {}, ...children) {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes ?? {})) {
    if (value === null || value === undefined || value === false) continue;
    if (name.startsWith('on') && typeof value === 'function') element.addEventListener(name.slice(2).toLowerCase(), value);
    else if (name === 'dataset') Object.assign(element.dataset, value);
    else if (value === true) element.setAttribute(name, '');
    else element.setAttribute(name, String(value));
  }
  for (const child of children.flat(Infinity)) {
    if (child === null || child === undefined || child === false) continue;
    element.append(child instanceof Node ? child : String(child));
  }
  return element;
}

/** Appends children like h() does: arrays flattened, null/false skipped (native append would print "null"). */
export function add(parent, ...children) {
  for (const child of children.flat(Infinity))
    if (child !== null && child !== undefined && child !== false) parent.append(child instanceof Node ? child : String(child));
  return parent;
}

/** Replaces the children, with add()'s rules. */
export function fill(parent, ...children) {
  parent.replaceChildren();
  return add(parent, ...children);
}

/** The page frame: translate the static HTML, then draw the header with navigation, language switch and logout. */
export function mountPage(active) {
  applyI18n();
  checkFormsBeforeSending();
  if (['parent', 'org', 'regulator'].includes(active)) keepSectionNav(document.getElementById('main'));
  const current = session();
  const links = [['search', '/']];
  if (current) links.push([{ parent: 'parent', institution: 'org', regulator: 'regulator', admin: 'regulator' }[current.role], HOME[current.role]]);
  const header = document.getElementById('site-header');
  header.replaceChildren(
    h('a', { class: 'brand', href: '/' }, h('span', { class: 'brand-mark', 'aria-hidden': 'true' }, '校'), t('app.name')),
    h(
      'nav',
      { 'aria-label': 'main' },
      links.filter(([key]) => key).map(([key, href]) => h('a', { href, 'aria-current': key === active ? 'page' : null }, t(`nav.${key}`))),
      h(
        'button',
        {
          type: 'button',
          class: 'link-button',
          lang: lang() === 'zh' ? 'en' : 'zh',
          'aria-label': t('app.switchLangLabel'),
          onclick: () => (setLang(lang() === 'zh' ? 'en' : 'zh'), location.reload()),
        },
        t('app.switchLang'),
      ),
      current
        ? h('button', { type: 'button', class: 'link-button', onclick: () => (clearSession(), location.assign('/')) }, t('nav.logout'))
        : h('a', { href: '/login', 'aria-current': active === 'login' ? 'page' : null }, t('nav.login')),
    ),
  );
}

let fieldCount = 0;

/**
 * The long desks get a line of links to their sections at the top (sticky on a phone, app.css),
 * rebuilt whenever the page adds or removes a section: the sections appear as their API answers arrive.
 */
function keepSectionNav(main) {
  const nav = h('nav', { class: 'section-nav', 'aria-label': t('common.sections') });
  let shown = '';
  const update = () => {
    const sections = [...main.querySelectorAll('section.card[id]')].filter((element) => !element.parentElement.closest('section'));
    const entries = sections.map((element) => [element.id, element.querySelector('h2')?.textContent ?? element.id]);
    const signature = JSON.stringify(entries);
    if (signature !== shown) {
      shown = signature;
      nav.replaceChildren(...entries.map(([id, title]) => h('a', { href: `#${id}` }, title)));
      nav.hidden = entries.length < 2;
    }
    // A page that refills main (fill) drops the nav: put it back first.
    if (main.firstElementChild !== nav) main.prepend(nav);
  };
  new MutationObserver(update).observe(main, { childList: true, subtree: true });
}

/**
 * A labelled form field. options: [[value, label]] makes a select ([[group, [[value, label]…]]] with
 * optgroups); type 'checkbox' puts the label after. Extra attributes (required, min, max, maxlength,
 * step, pattern, autocomplete, inputmode…) go on the control and are checked before the form is sent
 * (checkForm), as are `check` (a named rule of CHECKS: 'mobile', 'phone', 'uscc', 'licence', 'yuan'…;
 * an amount in yuan may say its bounds in fen with data-min-fen, default 1, and data-max-fen) and `after`
 * (the name of a date field this one may not come before).
 */
export function field({ name, label, type = 'text', value, options, hint, check, after, ...attributes }) {
  const id = `f-${name}-${++fieldCount}`;
  if (check) attributes['data-check'] = check;
  if (after) attributes['data-after'] = after;
  let control;
  if (options) {
    const option = ([optionValue, text]) => h('option', { value: optionValue, selected: String(optionValue) === String(value ?? '') }, text);
    control = h(
      'select',
      { id, name, ...attributes },
      options.map((entry) => (Array.isArray(entry[1]) ? h('optgroup', { label: entry[0] }, entry[1].map(option)) : option(entry))),
    );
  } else if (type === 'textarea') {
    control = h('textarea', { id, name, rows: 3, ...attributes }, value ?? '');
  } else {
    control = h('input', { id, name, type, value: type === 'checkbox' ? null : value, checked: type === 'checkbox' && Boolean(value), ...attributes });
  }
  const labelElement = h('label', { for: id }, label, attributes.required ? h('span', { class: 'required', 'aria-hidden': 'true' }, ' *') : null);
  return h(
    'div',
    { class: `field${type === 'checkbox' ? ' field-check' : ''}` },
    type === 'checkbox' ? [control, labelElement] : [labelElement, control],
    hint ? h('small', { class: 'hint' }, hint) : null,
  );
}

/** A table with a header row; each row is an array of cells (strings or nodes). Scrolls sideways on a phone. */
export function table(headers, rows, attributes = {}) {
  const wrap = h(
    'div',
    { class: 'table-wrap' },
    h(
      'table',
      attributes,
      h(
        'thead',
        {},
        h(
          'tr',
          {},
          headers.map((header) => h('th', { scope: 'col' }, header)),
        ),
      ),
      h(
        'tbody',
        {},
        rows.map((row) =>
          row instanceof Node
            ? row
            : h(
                'tr',
                {},
                row.map((cell) => h('td', {}, cell)),
              ),
        ),
      ),
    ),
  );
  // Each cell names its column, so on a phone (app.css) a row reads as a card: "金额 ¥300.00".
  for (const row of wrap.querySelectorAll('tbody tr'))
    [...row.children].forEach((cell, index) => {
      if (!cell.hasAttribute('data-label') && headers[index] !== undefined && cell.colSpan === 1) cell.setAttribute('data-label', String(headers[index]));
    });
  return wrap;
}

/** An empty-or-error message box that screen readers announce. */
export const alertBox = () => h('div', { role: 'alert', class: 'notice', hidden: true });

/** The white/grey/black list in words and in colour. */
export const listBadge = (list) =>
  h('span', { class: `badge list-${list}`, dataset: { list } }, h('span', { class: 'swatch', 'aria-hidden': 'true' }), t(`list.${list}`));
export const riskBadge = (level) => h('span', { class: `badge risk-${level}` }, t(`risk.${level}`));
/**
 * Whether parents may buy from an institution as the public answer shows it: only from the white list
 * (docs/domain.md "Licences": good standing; the API refuses the rest, 422 INSTITUTION.NOT_ENROLLING).
 */
export const purchasable = (place) => place.list === 'white' && place.escrowSupervised !== false;

/**
 * Why an institution offers no purchase, in a warning box: its licence state when that is the reason
 * (enrolment stopped, suspended, closed), otherwise the colour of its list and what that colour means.
 */
export function noPurchaseNotice(place) {
  const status = place.licence?.status;
  const byState = ['enrolment_stopped', 'suspended', 'closed'].includes(status);
  return h(
    'div',
    { class: 'notice notice-warn', role: 'alert', 'data-testid': 'no-purchase', 'data-status': status ?? null },
    h(
      'strong',
      {},
      byState
        ? t(`buy.stopped.${status}`, { name: place.name })
        : t('parent.buy.refused', { name: place.name, list: place.list ? t(`list.${place.list}`) : t('parent.buy.unlisted') }),
    ),
    byState ? null : h('p', {}, t(`list.${place.list ?? 'none'}.explain`)),
  );
}

/** A complaint's handling deadline (`dueOn`), marked when it has passed undecided (`overdue`, docs/domain.md "Complaints"). */
export const dueCell = (complaint) =>
  h(
    'span',
    { class: 'due' },
    complaint.dueOn ?? '—',
    complaint.overdue ? [' ', h('span', { class: 'badge risk-red', 'data-overdue': 'true' }, t('complaint.overdue'))] : null,
  );

export const statusBadge = (prefix, status) => h('span', { class: `badge status status-${status}` }, t(`${prefix}.${status}`));

/**
 * Asks "are you sure?" before a step that moves money, in a modal dialog saying what will happen;
 * resolves to true only when the user confirms (Esc or Cancel answer false).
 */
export function confirmStep({ title, text, confirm = t('common.ok') }) {
  return new Promise((resolve) => {
    const dialog = h(
      'dialog',
      { class: 'ask', 'aria-labelledby': 'confirm-title', 'aria-describedby': 'confirm-text' },
      h(
        'form',
        { method: 'dialog' },
        h('h2', { id: 'confirm-title' }, title),
        h('p', { id: 'confirm-text' }, text),
        h(
          'div',
          { class: 'buttons' },
          h('button', { type: 'submit', value: 'cancel', class: 'secondary' }, t('common.cancel')),
          h('button', { type: 'submit', value: 'ok' }, confirm),
        ),
      ),
    );
    dialog.addEventListener('close', () => {
      dialog.remove();
      resolve(dialog.returnValue === 'ok');
    });
    document.body.append(dialog);
    dialog.showModal();
  });
}

/**
 * Asks for a reason (or note) in a modal dialog, saying first what the step does (`text`) when given;
 * resolves to the text, or null when cancelled.
 * Keyboard: focus starts in the text box, Esc cancels, Enter in the box does not submit (multi-line).
 */
export function ask({ title, text = null, label = t('common.reason'), required = true, confirm = t('common.ok'), value = '' }) {
  return new Promise((resolve) => {
    const input = h('textarea', { id: 'ask-input', name: 'text', rows: 3, required, maxlength: 1000 }, value);
    const dialog = h(
      'dialog',
      { class: 'ask', 'aria-labelledby': 'ask-title' },
      h(
        'form',
        { method: 'dialog', novalidate: true },
        h('h2', { id: 'ask-title' }, title),
        text ? h('p', { class: 'ask-text' }, text) : null,
        h('div', { class: 'field' }, h('label', { for: 'ask-input' }, label), input),
        h(
          'div',
          { class: 'buttons' },
          h('button', { type: 'submit', value: 'cancel', formnovalidate: true, class: 'secondary' }, t('common.cancel')),
          h('button', { type: 'submit', value: 'ok' }, confirm),
        ),
      ),
    );
    dialog.addEventListener('close', () => {
      const text = input.value.trim();
      dialog.remove();
      resolve(dialog.returnValue === 'ok' ? text : null);
    });
    document.body.append(dialog);
    dialog.showModal();
    input.focus();
  });
}

/** Runs an action with the button disabled (no double submissions), reporting failures to onError. */
export async function busy(button, action, onError) {
  button.disabled = true;
  button.setAttribute('aria-busy', 'true');
  try {
    return await action();
  } catch (error) {
    if (onError) onError(error);
    else throw error;
  } finally {
    button.disabled = false;
    button.removeAttribute('aria-busy');
  }
}

/** A figure: label above, value below, e.g. for money totals. `id` lets tests and people find it. */
export const figure = (label, value, attributes = {}) =>
  h('div', { class: 'figure', ...attributes }, h('span', { class: 'figure-label' }, label), h('strong', { class: 'figure-value' }, value));

/** A section with a heading; returns [section, body]. */
export function section(title, attributes = {}) {
  const body = h('div', { class: 'section-body' });
  const headingId = `h-${++fieldCount}`;
  const element = h('section', { class: 'card', 'aria-labelledby': headingId, ...attributes }, h('h2', { id: headingId }, title), body);
  return [element, body];
}

/** Form values as an object (numbers for type=number, booleans for checkboxes, empty strings dropped). */
export function formValues(form) {
  const values = {};
  for (const element of form.elements) {
    if (!element.name || element.disabled || element.type === 'submit' || element.type === 'button') continue;
    if (element.type === 'checkbox') values[element.name] = element.checked;
    else if (element.value === '') continue;
    else if (element.type === 'number') values[element.name] = Number(element.value);
    else values[element.name] = element.value.trim();
  }
  return values;
}

/**
 * The user's latest notifications, each headed by its `kind` in the reader's language (the API's
 * title when the kind is new to the pages); null when the API does not answer.
 */
export async function notificationsSection(load) {
  const answer = await load();
  if (!answer) return null;
  const [element, body] = section(t('notifications.title'), { id: 'notifications' });
  const items = answer.items ?? [];
  add(
    body,
    items.length
      ? h(
          'ul',
          { class: 'notifications' },
          items
            .slice(0, 10)
            .map((item) =>
              h(
                'li',
                { 'data-kind': item.kind, class: item.readAt ? 'read' : 'unread' },
                h('strong', {}, has(`notification.${item.kind}`) ? t(`notification.${item.kind}`) : item.title),
                ' ',
                h('small', { class: 'muted' }, dateTime(item.at)),
                item.body ? h('div', {}, item.body) : null,
              ),
            ),
        )
      : h('p', { class: 'muted' }, t('notifications.none')),
  );
  return element;
}

// ── Forms checked in the browser before they are sent ─────────────────────────────────────────────
// The same rules as the API's DTOs (docs/architecture.md "Web pages"): a form that breaks one is not sent; each
// offending field gets a sentence below it, in the reader's language, and the first takes the focus.

/** Named rules for `field({ check })`: a pattern, or a function answering whether the value is right. */
const CHECKS = {
  mobile: /^1[3-9]\d{9}$/, // apps/api/src/common/fields.ts MAINLAND_MOBILE
  phone: /^(1[3-9]\d{9}|0\d{2,3}-?\d{7,8})$/, // a mobile or a landline such as 0731-88881234
  username: /^[a-zA-Z][a-zA-Z0-9_.-]{2,49}$/,
  qualification: /^[0-9A-Za-z-]{6,30}$/,
  licence: /^\d{6}-?\d{4}-?\d{5}$/, // 430104-2026-00017
  uscc: isUscc,
  yuan: (value) => Number.isFinite(fenOf(value)),
  wholeYuan: (value) => /^\d{1,9}$/.test(value.replace(/,/g, '')),
};

const USCC_CHARSET = '0123456789ABCDEFGHJKLMNPQRTUWXY';
const USCC_WEIGHTS = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28];

/** A unified social credit code of GB 32100-2015: 18 characters of its charset, a division, and its check character. */
function isUscc(code) {
  if (!/^[0-9A-HJ-NPQRTUWXY]{2}\d{6}[0-9A-HJ-NPQRTUWXY]{10}$/.test(code)) return false;
  const sum = [...code.slice(0, 17)].reduce((total, char, index) => total + USCC_CHARSET.indexOf(char) * USCC_WEIGHTS[index], 0);
  return USCC_CHARSET[(31 - (sum % 31)) % 31] === code[17];
}

/** The label's own words (without the "*" of a required field), to name another field in a message. */
const labelOf = (control) => (control.labels?.[0]?.firstChild?.textContent ?? control.name).trim();

/** What is wrong with one control's value, as [i18n key, vars]; null when it may be sent. */
function problemOf(control) {
  if (control.disabled || control.type === 'submit' || control.type === 'button' || control.type === 'hidden') return null;
  if (control.type === 'checkbox') return control.required && !control.checked ? ['form.tick'] : null;
  if (control.validity?.badInput) return ['form.number'];
  const value = control.value.trim();
  if (value === '') return control.required ? [control.tagName === 'SELECT' ? 'form.choose' : 'form.required'] : null;
  const most = Number(control.getAttribute('maxlength') ?? Infinity);
  if (value.length > most) return ['form.tooLong', { n: most }];
  const least = Number(control.getAttribute('minlength') ?? 0);
  if (value.length < least) return ['form.tooShort', { n: least }];
  const check = control.dataset.check;
  if (check === 'yuan' || check === 'wholeYuan') {
    if (!CHECKS[check](value)) return [`form.check.${check}`];
    const fen = fenOf(value);
    const minFen = Number(control.dataset.minFen ?? 1);
    if (fen < minFen) return ['form.yuanMin', { amount: money(minFen) }];
    if (control.dataset.maxFen && fen > Number(control.dataset.maxFen)) return ['form.yuanMax', { amount: money(Number(control.dataset.maxFen)) }];
  } else if (check) {
    const rule = CHECKS[check];
    if (rule && !(typeof rule === 'function' ? rule(value) : rule.test(value))) return [`form.check.${check}`];
  }
  if (control.type === 'number') {
    const n = Number(value);
    if (!Number.isFinite(n)) return ['form.number'];
    const step = control.getAttribute('step');
    if ((!step || step === '1') && !Number.isInteger(n)) return ['form.integer'];
    if (control.min !== '' && n < Number(control.min)) return ['form.min', { n: control.min }];
    if (control.max !== '' && n > Number(control.max)) return ['form.max', { n: control.max }];
  }
  if (['date', 'month', 'datetime-local'].includes(control.type)) {
    if (control.min && value < control.min) return ['form.dateMin', { date: control.min.replace('T', ' ') }];
    if (control.max && value > control.max) return ['form.dateMax', { date: control.max.replace('T', ' ') }];
  }
  const earlier = control.dataset.after ? control.form?.elements.namedItem(control.dataset.after) : null;
  if (earlier?.value && value < earlier.value) return ['form.after', { label: labelOf(earlier) }];
  if (control.pattern && !new RegExp(`^(?:${control.pattern})$`).test(value)) return ['form.pattern'];
  return null;
}

/** Puts `message` below the control (or at the end of a fieldset) and marks it invalid for screen readers. */
export function markInvalid(control, message) {
  unmark(control);
  const note = h('small', { class: 'field-error', id: `${control.id || control.name || `c-${++fieldCount}`}-error` }, message);
  control.setAttribute('aria-invalid', 'true');
  control.setAttribute('aria-describedby', note.id);
  if (control.tagName === 'FIELDSET') control.append(note);
  else control.insertAdjacentElement('afterend', note);
}

function unmark(control) {
  const id = control.getAttribute('aria-describedby');
  if (id && id.endsWith('-error')) document.getElementById(id)?.remove();
  control.removeAttribute('aria-invalid');
  control.removeAttribute('aria-describedby');
}

/** A fieldset with data-min-checked="n" wants at least n of its boxes ticked (e.g. the pupils of a roll call). */
function groupProblem(fieldset) {
  const least = Number(fieldset.dataset.minChecked);
  const boxes = fieldset.querySelectorAll('input[type=checkbox]');
  return boxes.length && fieldset.querySelectorAll('input[type=checkbox]:checked').length < least ? ['form.pickOne'] : null;
}

/**
 * Checks every field of the form against its constraints; marks each offending field with its sentence,
 * says so in the form's own alert box, focuses the first, and answers whether the form may be sent.
 */
export function checkForm(form) {
  clearFieldErrors(form);
  const found = [];
  for (const control of form.elements) {
    const problem = control.tagName === 'FIELDSET' ? (control.dataset.minChecked ? groupProblem(control) : null) : problemOf(control);
    if (problem) found.push([control, problem]);
  }
  const box = [...form.querySelectorAll('[role=alert]')].find((element) => element.closest('form') === form);
  if (!found.length) {
    if (box?.classList.contains('notice-error')) box.hidden = true;
    return true;
  }
  for (const [control, [key, vars]] of found) markInvalid(control, t(key, vars));
  if (box) {
    box.hidden = false;
    box.className = 'notice notice-error';
    box.textContent = t('error.fields');
  }
  (found[0][0].tagName === 'FIELDSET' ? found[0][0].querySelector('input') : found[0][0])?.focus();
  return false;
}

let checking = false;

/**
 * Every form of the page is checked before its own submit handler runs (a listener in the capture phase
 * on the document comes first): an invalid form stops there, and no request is sent. A button with
 * formnovalidate (Cancel in a dialog) is let through. A field marked invalid is checked again as it is corrected.
 * A form the browser checks itself (no novalidate) shows our sentences rather than the browser's bubble.
 */
function checkFormsBeforeSending() {
  if (checking) return;
  checking = true;
  document.addEventListener(
    'submit',
    (event) => {
      if (!(event.target instanceof HTMLFormElement) || event.submitter?.formNoValidate) return;
      if (checkForm(event.target)) return;
      event.preventDefault();
      event.stopImmediatePropagation();
    },
    true,
  );
  // A form without novalidate is stopped by the browser's own check before any submit event, with the
  // browser's bubble in the browser's language: take it over with our sentences instead.
  const queued = new Set();
  document.addEventListener(
    'invalid',
    (event) => {
      event.preventDefault();
      const form = event.target.form;
      if (!form || queued.has(form)) return;
      queued.add(form);
      queueMicrotask(() => (queued.delete(form), checkForm(form)));
    },
    true,
  );
  const recheck = (event) => {
    const control = event.target;
    const group = control.closest?.('fieldset[aria-invalid]');
    if (group && !groupProblem(group)) unmark(group);
    if (!(control instanceof HTMLElement) || control.getAttribute('aria-invalid') !== 'true') return;
    const problem = problemOf(control);
    if (!problem) unmark(control);
    else if (control.getAttribute('aria-describedby')) document.getElementById(control.getAttribute('aria-describedby')).textContent = t(...problem);
  };
  document.addEventListener('input', recheck);
  document.addEventListener('change', recheck);
}

/**
 * A district picker by name (the API wants the six-digit code; nobody knows it by heart): the served
 * districts of GET /api/v1/districts grouped under their city. `within` keeps one city's (a regulator's scope).
 */
export function districtField({ name = 'districtCode', label, districts, value, within, required = true, ...attributes }) {
  const nameOf = (area) => (lang() === 'en' && area.nameEn ? area.nameEn : area.name);
  const cities = districts.filter((area) => !area.cityCode);
  const groups = cities
    .map((city) => [nameOf(city), districts.filter((area) => area.cityCode === city.code && (!within || area.cityCode === within || area.code === within))])
    .filter(([, members]) => members.length)
    .map(([city, members]) => [city, members.map((area) => [area.code, nameOf(area)])]);
  // A district whose city is not served on its own (a county under its province) is listed by itself.
  const cityCodes = new Set(cities.map((city) => city.code));
  const single = districts
    .filter((area) => area.cityCode && !cityCodes.has(area.cityCode) && (!within || area.code === within || area.cityCode === within))
    .map((area) => [area.code, nameOf(area)]);
  return field({ name, label, value, required, options: [['', t('form.pickDistrict')], ...groups, ...single], ...attributes });
}
