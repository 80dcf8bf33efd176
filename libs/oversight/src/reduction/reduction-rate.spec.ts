import { reductionRate, reductionRates, scaledRatio } from './reduction-rate';

describe('reduction rates', () => {
  describe('reductionRate', () => {
    it('gives the ratio and the printed form of a reduction', () => {
      expect(reductionRate(1234, 185)).toEqual({ baseline: 1234, current: 185, rate: -0.8501, display: '1,234 → 185 (−85.0%)' });
      expect(reductionRate(15_600, 6_400)).toMatchObject({ rate: -0.5897, display: '15,600 → 6,400 (−59.0%)' });
    });

    it('matches the hand-worked district: 13 → 2 institutions, 15,600 → 6,400 pupils', () => {
      // (2 − 13) / 13 = −0.846153… → −8462 bp; (6,400 − 15,600) / 15,600 = −0.589743… → −5897 bp.
      expect(reductionRate(13, 2)).toEqual({ baseline: 13, current: 2, rate: -0.8462, display: '13 → 2 (−84.6%)' });
      expect(reductionRate(15_600, 6_400)).toEqual({ baseline: 15_600, current: 6_400, rate: -0.5897, display: '15,600 → 6,400 (−59.0%)' });
    });

    it('rounds half away from zero in integers', () => {
      expect(scaledRatio(-1, 8, 1_000)).toBe(-125);
      expect(scaledRatio(-1, 16, 1_000)).toBe(-63);
      expect(scaledRatio(1, 16, 1_000)).toBe(63);
      expect(reductionRate(20_000, 19_999).rate).toBe(-0.0001);
      expect(reductionRate(20_000, 19_999).display).toBe('20,000 → 19,999 (±0.0%)');
    });

    it('signs a growth with a plus and no change with ±', () => {
      expect(reductionRate(10, 12).display).toBe('10 → 12 (+20.0%)');
      expect(reductionRate(10, 10)).toMatchObject({ rate: 0, display: '10 → 10 (±0.0%)' });
    });

    it('has no rate against a zero baseline', () => {
      expect(reductionRate(0, 3)).toEqual({ baseline: 0, current: 3, rate: null, display: '0 → 3' });
      expect(reductionRate(0, 1).rate).toBeNull();
      expect(reductionRate(0, 0).rate).toBeNull();
    });
  });

  describe('reductionRates', () => {
    it('sums offline and online into subject institutions', () => {
      const rates = reductionRates({ subjectOffline: 1000, subjectOnline: 234, students: 100 }, { subjectOffline: 150, subjectOnline: 35, students: 50 });
      expect(rates.subjectInstitutions).toMatchObject({ baseline: 1234, current: 185, display: '1,234 → 185 (−85.0%)' });
      expect(rates.students.rate).toBe(-0.5);
    });
  });
});
