import { ListFacts, publicList, publicRiskLevel } from './public-list';

describe('publicList', () => {
  const today = '2026-11-29';
  const licensed: ListFacts = {
    status: 'licensed',
    frozen: false,
    riskLevel: 'green',
    licenceValidUntil: '2028-11-28',
    renewalPending: false,
    closedByOrder: false,
  };

  it('puts a valid licence in good standing on the white list', () => {
    expect(publicList(licensed, today)).toBe('white');
  });

  it.each([
    ['suspended', { ...licensed, status: 'suspended' as const }],
    ['not enrolling', { ...licensed, status: 'enrolment_stopped' as const }],
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

  it('keeps a licence expiring within 30 days white while its renewal is pending', () => {
    expect(publicList({ ...licensed, licenceValidUntil: '2026-12-01', renewalPending: true }, today)).toBe('white');
  });

  it.each(['revoked', 'expired'] as const)('puts a %s institution on the black list', (status) => {
    expect(publicList({ ...licensed, status }, today)).toBe('black');
  });

  it('puts an institution closed by order on the black list, one closed at its own request on none', () => {
    expect(publicList({ ...licensed, status: 'closed', closedByOrder: true }, today)).toBe('black');
    expect(publicList({ ...licensed, status: 'closed', closedByOrder: false }, today)).toBeNull();
  });

  it('shows one colour: black is red, grey at least yellow, white as computed', () => {
    expect(publicRiskLevel('green', 'black')).toBe('red');
    expect(publicRiskLevel('yellow', 'black')).toBe('red');
    expect(publicRiskLevel('green', 'grey')).toBe('yellow');
    expect(publicRiskLevel('red', 'grey')).toBe('red');
    expect(publicRiskLevel('yellow', 'white')).toBe('yellow');
    expect(publicRiskLevel('green', null)).toBe('green');
  });

  it.each(['draft', 'submitted', 'returned', 'rejected'] as const)('puts a %s application on no list', (status) => {
    expect(publicList({ ...licensed, status, licenceValidUntil: null }, today)).toBeNull();
  });
});
