import { exceedsGuidedPrice, highestGuidedPrice } from './district-policy';

describe('guided price of the standard lesson, prorated in integers', () => {
  const offline = (priceFen: number, minutes: number) => ({ priceFen, minutes, delivery: 'offline' as const });

  it('allows the prorated cap plus the margin exactly, and not one fen more', () => {
    // 9000 per 45 minutes, 10%: 30 minutes → 6600; 40 minutes → 8800 (no float rounding at the edge).
    expect(exceedsGuidedPrice(offline(6600, 30), 9000, 1000)).toBe(false);
    expect(exceedsGuidedPrice(offline(6601, 30), 9000, 1000)).toBe(true);
    expect(exceedsGuidedPrice(offline(8800, 40), 9000, 1000)).toBe(false);
    expect(exceedsGuidedPrice(offline(8801, 40), 9000, 1000)).toBe(true);
    expect(highestGuidedPrice({ minutes: 40, delivery: 'offline' }, 9000, 1000)).toBe(8800);
  });

  it('prorates online lessons from 30 minutes, and rounds the highest price down', () => {
    expect(exceedsGuidedPrice({ priceFen: 6600, minutes: 20, delivery: 'online' }, 9000, 1000)).toBe(false);
    expect(exceedsGuidedPrice({ priceFen: 6601, minutes: 20, delivery: 'online' }, 9000, 1000)).toBe(true);
    expect(highestGuidedPrice({ minutes: 25, delivery: 'offline' }, 1000, 0)).toBe(555);
    expect(exceedsGuidedPrice(offline(556, 25), 1000, 0)).toBe(true);
    expect(exceedsGuidedPrice(offline(555, 25), 1000, 0)).toBe(false);
  });

  it('has no cap where the district set no guided price', () => {
    expect(exceedsGuidedPrice(offline(1_000_000, 45), undefined, 0)).toBe(false);
  });
});
