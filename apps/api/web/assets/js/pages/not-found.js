// The page for a URL that names no page (the server answers it with status 404; /api/... keeps problem+json).
import { t } from '../i18n.js';
import { fill, h, mountPage } from '../ui.js';

mountPage('');
fill(
  document.getElementById('main'),
  h('section', { class: 'card' }, h('h1', {}, t('notFound.title')), h('p', {}, t('notFound.text')), h('p', {}, h('a', { href: '/' }, t('notFound.search')))),
);
