import { ROLES } from '@app/core';
import { INSTITUTION_STATUSES, InstitutionStatus, LICENCE_TRANSITIONS, LicenceAction, checkTransition } from './licence-state-machine';

type Actor = (typeof ROLES)[number] | 'system';
const ACTORS: readonly Actor[] = [...ROLES, 'system'];

/**
 * Every allowed (action, from, actor) of docs/domain.md, “Licences”, and where it leads. The exhaustive
 * test below checks each (state, action, role) against this list: anything not here is refused.
 */
const ALLOWED: Array<[LicenceAction, InstitutionStatus, Actor, InstitutionStatus]> = [
  ['submit', 'draft', 'institution', 'submitted'],
  ['submit', 'returned', 'institution', 'submitted'],
  ['approve', 'submitted', 'regulator', 'licensed'],
  ['return', 'submitted', 'regulator', 'returned'],
  ['reject', 'submitted', 'regulator', 'rejected'],
  ['suspend', 'licensed', 'regulator', 'suspended'],
  ['reinstate', 'suspended', 'regulator', 'licensed'],
  ['stop_enrolment', 'licensed', 'regulator', 'enrolment_stopped'],
  ['resume_enrolment', 'enrolment_stopped', 'regulator', 'licensed'],
  ['revoke', 'licensed', 'regulator', 'revoked'],
  ['revoke', 'suspended', 'regulator', 'revoked'],
  ['revoke', 'enrolment_stopped', 'regulator', 'revoked'],
  ['expire', 'licensed', 'system', 'expired'],
  ['renew', 'expired', 'regulator', 'licensed'],
  ['apply_renewal', 'licensed', 'institution', 'licensed'],
  ['grant_renewal', 'licensed', 'regulator', 'licensed'],
  ['refuse_renewal', 'licensed', 'regulator', 'licensed'],
  ['deem_renewal', 'licensed', 'system', 'licensed'],
  ['close', 'licensed', 'regulator', 'closed'],
  ['close', 'licensed', 'institution', 'closed'],
];

describe('checkTransition', () => {
  it.each(ALLOWED)('allows %s from %s by a %s, to %s', (action, from, actor, to) => {
    expect(checkTransition(action, from, actor)).toEqual({ ok: true, to });
  });

  it('refuses every other (state, action, role): by state when the role may act at all, else by actor', () => {
    const actions = Object.keys(LICENCE_TRANSITIONS) as LicenceAction[];
    let checked = 0;
    for (const action of actions) {
      for (const from of INSTITUTION_STATUSES) {
        for (const actor of ACTORS) {
          checked++;
          const allowed = ALLOWED.find(([a, f, r]) => a === action && f === from && r === actor);
          const result = checkTransition(action, from, actor);
          if (allowed) expect(result).toEqual({ ok: true, to: allowed[3] });
          else expect(result.ok).toBe(false);
        }
      }
    }
    expect(checked).toBe(actions.length * INSTITUTION_STATUSES.length * ACTORS.length);
  });

  it('answers a refusal by state with the states the action is allowed from', () => {
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
    expect(checkTransition('stop_enrolment', 'licensed', 'institution')).toMatchObject({ ok: false, reason: 'actor' });
    expect(checkTransition('deem_renewal', 'licensed', 'regulator')).toMatchObject({ ok: false, reason: 'actor' });
    expect(checkTransition('apply_renewal', 'licensed', 'regulator')).toMatchObject({ ok: false, reason: 'actor' });
    expect(checkTransition('revoke', 'suspended', 'parent')).toMatchObject({ ok: false, reason: 'actor' });
  });

  it('never lets a revoked, rejected or closed institution back in', () => {
    for (const action of Object.keys(LICENCE_TRANSITIONS) as LicenceAction[]) {
      for (const from of ['revoked', 'rejected', 'closed'] as const) {
        for (const actor of ACTORS) expect(checkTransition(action, from, actor).ok).toBe(false);
      }
    }
  });
});
