import { addDays } from '@app/core/calendar/shanghai-time';
import type { InstitutionStatus } from '../licence/licence-state-machine';

export type PublicList = 'white' | 'grey' | 'black';

export interface ListFacts {
  status: InstitutionStatus;
  frozen: boolean;
  riskLevel: 'green' | 'yellow' | 'red';
  licenceValidUntil: string | null;
}

/** Days before the end of validity from which a licence counts as expiring (grey). */
export const EXPIRING_WITHIN_DAYS = 30;

/**
 * The list a parent sees (docs/domain.md, “Licences”), always derived from state, never stored:
 * black — revoked, expired, closed (no longer licensed: do not pay); grey — licensed but suspended,
 * expiring within 30 days, frozen, or at red risk; white — licensed, valid and in good standing.
 * Unregistered applications are on no list (they never appear publicly).
 */
export function publicList(facts: ListFacts, today: string): PublicList | null {
  switch (facts.status) {
    case 'revoked':
    case 'expired':
    case 'closed':
      return 'black';
    case 'suspended':
      return 'grey';
    case 'licensed': {
      const expiring = facts.licenceValidUntil !== null && facts.licenceValidUntil <= addDays(today, EXPIRING_WITHIN_DAYS);
      return expiring || facts.frozen || facts.riskLevel === 'red' ? 'grey' : 'white';
    }
    default:
      return null;
  }
}
