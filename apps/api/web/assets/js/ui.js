// Small DOM helpers shared by the pages: elements, the header, forms, tables, dialogs, badges.
import { HOME, clearSession, session } from './api.js';
import { applyI18n, dateTime, has, lang, setLang, t } from './i18n.js';

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
 * A labelled form field. options: [[value, label]] makes a select; type 'checkbox' puts the label after.
 * Extra attributes (required, min, step, pattern, autocomplete, inputmode…) go on the control.
 */
export function field({ name, label, type = 'text', value, options, hint, ...attributes }) {
  const id = `f-${name}-${++fieldCount}`;
  let control;
  if (options) {
    control = h(
      'select',
      { id, name, ...attributes },
      options.map(([optionValue, text]) => h('option', { value: optionValue, selected: String(optionValue) === String(value ?? '') }, text)),
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
        { method: 'dialog' },
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
