import { addDays } from '@app/core/calendar/shanghai-time';
import type { InstitutionStatus } from '../licence/licence-state-machine';

export type PublicList = 'white' | 'grey' | 'black';

export interface ListFacts {
  status: InstitutionStatus;
  frozen: boolean;
  riskLevel: 'green' | 'yellow' | 'red';
  licenceValidUntil: string | null;
  /** A renewal applied for and undecided: the licence is not "expiring" while the regulator decides. */
  renewalPending: boolean;
  /** Closed by the regulator's order (black) rather than at the institution's own request (no colour). */
  closedByOrder: boolean;
}

/** Days before the end of validity from which a licence counts as expiring (grey). */
export const EXPIRING_WITHIN_DAYS = 30;

/**
 * The list a parent sees (docs/domain.md, “Licences”), always derived from state, never stored:
 * black — revoked, expired, closed by the regulator's order (no longer licensed: do not pay); grey —
 * suspended, enrolment stopped, or licensed but expiring within 30 days with no renewal pending, frozen,
 * or at red risk; white — licensed, valid and in good standing. Unregistered applications, and an
 * institution closed at its own request, are on no list (the latter shows only as closed).
 */
export function publicList(facts: ListFacts, today: string): PublicList | null {
  switch (facts.status) {
    case 'revoked':
    case 'expired':
      return 'black';
    case 'closed':
      return facts.closedByOrder ? 'black' : null;
    case 'suspended':
    case 'enrolment_stopped':
      return 'grey';
    case 'licensed': {
      const expiring = !facts.renewalPending && facts.licenceValidUntil !== null && facts.licenceValidUntil <= addDays(today, EXPIRING_WITHIN_DAYS);
      return expiring || facts.frozen || facts.riskLevel === 'red' ? 'grey' : 'white';
    }
    default:
      return null;
  }
}

/**
 * One colour (docs/domain.md, “Licences”): the public risk level never contradicts the list — black is
 * red, grey at least yellow; otherwise the level the risk rules computed.
 */
export function publicRiskLevel(riskLevel: ListFacts['riskLevel'], list: PublicList | null): ListFacts['riskLevel'] {
  if (list === 'black') return 'red';
  if (list === 'grey' && riskLevel === 'green') return 'yellow';
  return riskLevel;
}
