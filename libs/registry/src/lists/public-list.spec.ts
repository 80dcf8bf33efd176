import { ListFacts, publicList } from './public-list';

describe('publicList', () => {
  const today = '2026-11-29';
  const licensed: ListFacts = { status: 'licensed', frozen: false, riskLevel: 'green', licenceValidUntil: '2028-11-28' };

  it('puts a valid licence in good standing on the white list', () => {
    expect(publicList(licensed, today)).toBe('white');
  });

  it.each([
    ['suspended', { ...licensed, status: 'suspended' as const }],
    ['frozen', { ...licensed, frozen: true }],
    ['at red risk', { ...licensed, riskLevel: 'red' as const }],
    ['expiring within 30 days', { ...licensed, licenceValidUntil: '2026-12-29' }],
  ])('puts a licensed institution that is %s on the grey list', (_, facts) => {
    expect(publicList(facts, today)).toBe('grey');
  });

  it('keeps a licence expiring in 31 days white and a yellow risk white', () => {
    expect(publicList({ ...licensed, licenceValidUntil: '2026-12-30' }, today)).toBe('white');
    expect(publicList({ ...licensed, riskLevel: 'yellow' }, today)).toBe('white');
  });

  it.each(['revoked', 'expired', 'closed'] as const)('puts a %s institution on the black list', (status) => {
    expect(publicList({ ...licensed, status }, today)).toBe('black');
  });

  it.each(['draft', 'submitted', 'returned', 'rejected'] as const)('puts a %s application on no list', (status) => {
    expect(publicList({ ...licensed, status, licenceValidUntil: null }, today)).toBeNull();
  });
});
