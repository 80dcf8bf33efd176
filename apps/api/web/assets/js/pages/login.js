// Log in (any role) and register a parent or an institution account. The token goes to localStorage
// (a new tab stays logged in until the token's exp; api.js).
import { HOME, post, saveSession, showNotice, showProblem } from '../api.js';
import { t } from '../i18n.js';
import { safeNext } from '../safe-next.js';
import { alertBox, busy, field, formValues, h, mountPage } from '../ui.js';

mountPage('login');
const main = document.getElementById('main');
/** Only a page of this site: never send a user on to another origin after login. */
const next = safeNext(new URLSearchParams(location.search).get('next'));

/** A role's own pages, or a public one: never bounce a parent to the regulator's page and back to login. */
const mayOpen = (role, path) => path.startsWith(HOME[role]) || !Object.values(HOME).some((home) => path.startsWith(home));

/** Why the user was sent here (api.js: an ended session, or a page for another role), in words. */
const reason = new URLSearchParams(location.search).get('reason');

function loginForm() {
  const errors = alertBox();
  if (reason === 'expired' || reason === 'role') showNotice(errors, t(`login.reason.${reason}`), 'warn');
  const form = h(
    'form',
    { novalidate: true, 'aria-labelledby': 'login-title' },
    h('h1', { id: 'login-title' }, t('login.title')),
    field({ name: 'username', label: t('login.username'), required: true, maxlength: 100, autocomplete: 'username', autocapitalize: 'none' }),
    field({ name: 'password', label: t('login.password'), type: 'password', required: true, maxlength: 200, autocomplete: 'current-password' }),
    errors,
    h('div', { class: 'buttons' }, h('button', { type: 'submit' }, t('login.button'))),
  );
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    const values = formValues(form);
    busy(
      form.querySelector('button[type=submit]'),
      async () => {
        const login = await post('/api/v1/auth/login', { username: values.username ?? '', password: values.password ?? '' });
        saveSession(login, values.username);
        location.assign(next && mayOpen(login.role, next) ? next : (HOME[login.role] ?? '/'));
      },
      (error) => showProblem(errors, error, form),
    );
  });
  return h('section', { class: 'card' }, form);
}

/** A new account's password: 8 to 200 characters (apps/api/src/common/fields.ts NewPasswordField). */
const newPassword = () =>
  field({ name: 'password', label: t('login.password'), type: 'password', required: true, minlength: 8, maxlength: 200, autocomplete: 'new-password' });

function registerForm(title, path, fields, toBody) {
  const errors = alertBox();
  const form = h(
    'form',
    { novalidate: true },
    fields,
    errors,
    h('div', { class: 'buttons' }, h('button', { type: 'submit', class: 'secondary' }, t('login.registerButton'))),
  );
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    busy(
      form.querySelector('button[type=submit]'),
      async () => {
        await post(path, toBody(formValues(form)));
        form.reset();
        showNotice(errors, t('login.registered'));
        main.querySelector('input[name=username]').focus();
      },
      (error) => showProblem(errors, error, form),
    );
  });
  return h('details', { class: 'card' }, h('summary', {}, title), form);
}

main.replaceChildren(
  h(
    'div',
    { class: 'two-columns' },
    loginForm(),
    h(
      'div',
      {},
      registerForm(
        t('login.register.parent'),
        '/api/v1/auth/parents',
        [
          field({
            name: 'phone',
            label: t('login.phone'),
            type: 'tel',
            required: true,
            inputmode: 'numeric',
            autocomplete: 'tel',
            maxlength: 11,
            check: 'mobile',
          }),
          field({ name: 'name', label: t('login.name'), required: true, maxlength: 100, autocomplete: 'name' }),
          newPassword(),
        ],
        (values) => ({ phone: values.phone ?? '', name: values.name ?? '', password: values.password ?? '' }),
      ),
      registerForm(
        t('login.register.org'),
        '/api/v1/auth/institution-accounts',
        [
          field({ name: 'username', label: t('login.username'), required: true, maxlength: 50, autocomplete: 'username', check: 'username' }),
          field({ name: 'contactName', label: t('login.contactName'), required: true, maxlength: 100 }),
          field({ name: 'phone', label: t('login.phone'), type: 'tel', required: true, inputmode: 'numeric', maxlength: 11, check: 'mobile' }),
          newPassword(),
        ],
        (values) => ({ username: values.username ?? '', contactName: values.contactName ?? '', phone: values.phone ?? '', password: values.password ?? '' }),
      ),
    ),
  ),
);
main.querySelector('input[name=username]').focus();
