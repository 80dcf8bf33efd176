import { INSTITUTION_STATUSES, LICENCE_TRANSITIONS, LicenceAction, checkTransition } from './licence-state-machine';

describe('checkTransition', () => {
  const table: Array<[LicenceAction, string, string, string]> = [
    ['submit', 'draft', 'institution', 'submitted'],
    ['submit', 'returned', 'institution', 'submitted'],
    ['approve', 'submitted', 'regulator', 'licensed'],
    ['return', 'submitted', 'regulator', 'returned'],
    ['reject', 'submitted', 'regulator', 'rejected'],
    ['suspend', 'licensed', 'regulator', 'suspended'],
    ['reinstate', 'suspended', 'regulator', 'licensed'],
    ['revoke', 'suspended', 'regulator', 'revoked'],
    ['expire', 'licensed', 'system', 'expired'],
    ['renew', 'expired', 'regulator', 'licensed'],
    ['close', 'licensed', 'regulator', 'closed'],
    ['close', 'licensed', 'institution', 'closed'],
  ];

  it.each(table)('allows %s from %s by a %s, to %s', (action, from, actor, to) => {
    expect(checkTransition(action, from as never, actor as never)).toEqual({ ok: true, to });
  });

  it('refuses every action from every state it does not list', () => {
    for (const [action, transition] of Object.entries(LICENCE_TRANSITIONS) as Array<[LicenceAction, (typeof LICENCE_TRANSITIONS)[LicenceAction]]>) {
      for (const from of INSTITUTION_STATUSES.filter((status) => !transition.from.includes(status))) {
        expect(checkTransition(action, from, transition.by[0])).toEqual({ ok: false, reason: 'state', allowedFrom: transition.from });
      }
    }
  });

  it('refuses an action to an actor it does not list, whatever the state', () => {
    expect(checkTransition('approve', 'submitted', 'institution')).toMatchObject({ ok: false, reason: 'actor' });
    expect(checkTransition('submit', 'draft', 'regulator')).toMatchObject({ ok: false, reason: 'actor' });
    expect(checkTransition('expire', 'licensed', 'regulator')).toMatchObject({ ok: false, reason: 'actor' });
    expect(checkTransition('revoke', 'suspended', 'parent')).toMatchObject({ ok: false, reason: 'actor' });
  });

  it('never lets a revoked, rejected or closed institution back in', () => {
    for (const action of Object.keys(LICENCE_TRANSITIONS) as LicenceAction[]) {
      for (const from of ['revoked', 'rejected', 'closed'] as const) {
        for (const actor of ['regulator', 'institution', 'system'] as const) expect(checkTransition(action, from, actor).ok).toBe(false);
      }
    }
  });
});
