import { reductionRate, reductionRates } from './reduction-rate';

describe('reduction rates', () => {
  describe('reductionRate', () => {
    it('gives the ratio and the printed form of a reduction', () => {
      expect(reductionRate(1234, 185)).toEqual({ baseline: 1234, current: 185, rate: -0.8501, display: '1,234 → 185 (−85.0%)' });
      expect(reductionRate(15_600, 6_400)).toMatchObject({ rate: -0.5897, display: '15,600 → 6,400 (−59.0%)' });
    });

    it('signs a growth with a plus and no change with ±', () => {
      expect(reductionRate(10, 12).display).toBe('10 → 12 (+20.0%)');
      expect(reductionRate(10, 10)).toMatchObject({ rate: 0, display: '10 → 10 (±0.0%)' });
    });

    it('has no rate against a zero baseline', () => {
      expect(reductionRate(0, 3)).toEqual({ baseline: 0, current: 3, rate: null, display: '0 → 3' });
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
