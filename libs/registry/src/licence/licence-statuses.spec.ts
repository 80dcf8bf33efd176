import { publicList } from '../lists/public-list';
import { EDITABLE_STATUSES, FREEZABLE_STATUSES, INSTITUTION_STATUSES, LICENCE_TRANSITIONS, REGISTERED_STATUSES } from './licence-state-machine';

/**
 * The status groups the services read (who may edit, who appears publicly, whose funds may be frozen)
 * agree with the life cycle itself, so a new state cannot join one without the other.
 */
describe('licence status groups', () => {
  it('lets the owner edit exactly where the owner may (re)submit from', () => {
    expect([...EDITABLE_STATUSES].sort()).toEqual([...LICENCE_TRANSITIONS.submit.from].sort());
  });

  it('puts every registered institution, and no application, on a public list (a closure by order included)', () => {
    for (const status of INSTITUTION_STATUSES) {
      const facts = { status, frozen: false, riskLevel: 'green' as const, licenceValidUntil: null, renewalPending: false, closedByOrder: true };
      const listed = publicList(facts, '2026-11-29') !== null;
      expect({ status, listed }).toEqual({ status, listed: REGISTERED_STATUSES.includes(status) });
    }
  });

  it('gives an institution closed at its own request no colour', () => {
    const facts = {
      status: 'closed' as const,
      frozen: false,
      riskLevel: 'green' as const,
      licenceValidUntil: null,
      renewalPending: false,
      closedByOrder: false,
    };
    expect(publicList(facts, '2026-11-29')).toBeNull();
  });

  it('freezes funds only while a licence is in force: the states a regulator may revoke from', () => {
    expect([...FREEZABLE_STATUSES].sort()).toEqual([...LICENCE_TRANSITIONS.revoke.from].sort());
  });
});
