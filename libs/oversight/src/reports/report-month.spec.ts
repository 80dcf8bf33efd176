import { addMonths, monthInstants, monthOf, reportDueDate } from './report-month';

describe('report months', () => {
  describe('addMonths', () => {
    it('moves across year ends both ways', () => {
      expect(addMonths('2026-12', 1)).toBe('2027-01');
      expect(addMonths('2026-01', -1)).toBe('2025-12');
      expect(addMonths('2026-05', -17)).toBe('2024-12');
    });

    it('refuses a month that is not YYYY-MM', () => {
      expect(() => addMonths('2026-13', 1)).toThrow(RangeError);
    });
  });

  describe('monthInstants', () => {
    it('spans the month on the Shanghai wall clock', () => {
      const { from, to } = monthInstants('2026-11');
      expect(from.toISOString()).toBe('2026-10-31T16:00:00.000Z');
      expect(to.toISOString()).toBe('2026-11-30T16:00:00.000Z');
    });
  });

  describe('reportDueDate', () => {
    it('is the due day of the following month', () => {
      expect(reportDueDate('2026-12', 10)).toBe('2027-01-10');
      expect(reportDueDate('2026-01', 28)).toBe('2026-02-28');
    });
  });

  describe('monthOf', () => {
    it('is the first seven characters of a real date', () => {
      expect(monthOf('2026-11-30')).toBe('2026-11');
      expect(() => monthOf('2026-02-30')).toThrow(RangeError);
    });
  });
});
