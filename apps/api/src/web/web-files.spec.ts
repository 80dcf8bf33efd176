import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { contentTypeOf, listAssets, webRoot } from './web-files';

describe('web files', () => {
  describe('webRoot', () => {
    it('finds apps/api/web from the source folder and from the built one alike', () => {
      const fromSource = webRoot(__dirname);
      expect(fromSource).toMatch(/apps[\\/]api[\\/]web$/);
      expect(existsSync(join(fromSource, 'page.html'))).toBe(true);
      expect(webRoot(join(fromSource, '..', '..', '..', 'dist', 'apps', 'api', 'src', 'web'))).toBe(fromSource);
    });
  });

  describe('listAssets', () => {
    const sut = listAssets(webRoot(__dirname));

    it('lists every file under assets by its URL path, and Chart.js from node_modules', () => {
      expect(sut.get('/assets/js/api.js')).toMatch(/assets[\\/]js[\\/]api\.js$/);
      expect(sut.get('/assets/js/pages/regulator.js')).toBeDefined();
      expect(sut.get('/assets/vendor/chart.umd.min.js')).toMatch(/chart\.js[\\/]dist[\\/]chart\.umd\.min\.js$/);
      expect(existsSync(sut.get('/assets/vendor/chart.umd.min.js')!)).toBe(true);
    });

    it('holds nothing outside assets, so no URL reaches another file', () => {
      expect([...sut.keys()].every((path) => path.startsWith('/assets/'))).toBe(true);
      expect(sut.has('/assets/../page.html')).toBe(false);
    });
  });

  describe('contentTypeOf', () => {
    it('answers JavaScript for modules (browsers refuse other types for type="module")', () => {
      expect(contentTypeOf('/x/app.js')).toBe('text/javascript; charset=utf-8');
      expect(contentTypeOf('/x/page.html')).toBe('text/html; charset=utf-8');
      expect(contentTypeOf('/x/unknown.bin')).toBe('application/octet-stream');
    });
  });
});
