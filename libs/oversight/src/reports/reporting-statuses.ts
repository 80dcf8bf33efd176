import type { InstitutionStatus } from '@app/registry';

/** Institutions that owe monthly reports: the ones operating under a licence, suspended or not. */
export const REPORTING_STATUSES: readonly InstitutionStatus[] = ['licensed', 'suspended', 'enrolment_stopped'];
