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

  it('puts every registered institution, and no application, on a public list', () => {
    for (const status of INSTITUTION_STATUSES) {
      const listed = publicList({ status, frozen: false, riskLevel: 'green', licenceValidUntil: null }, '2026-11-29') !== null;
      expect({ status, listed }).toEqual({ status, listed: REGISTERED_STATUSES.includes(status) });
    }
  });

  it('freezes funds only of a live or suspended licence: the states a regulator suspends or reinstates', () => {
    expect([...FREEZABLE_STATUSES].sort()).toEqual([...LICENCE_TRANSITIONS.suspend.from, ...LICENCE_TRANSITIONS.reinstate.from].sort());
  });
});
