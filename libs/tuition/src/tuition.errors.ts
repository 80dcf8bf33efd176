import { DomainError, conflict } from '@app/core';

export const TuitionErrors = {
  prepaidLimit: (limit: string, detail: string, allowed: number, requested: number) =>
    new DomainError(422, 'POLICY.PREPAID_LIMIT', detail, { limit, allowed, requested }),
  overpayment: (remainingFen: number) =>
    new DomainError(422, 'CONTRACT.OVERPAYMENT', `The payment would take the contract beyond its price: at most ${remainingFen} fen remain to pay.`, {
      remainingFen,
    }),
  notActive: (status: string) => conflict('CONTRACT.NOT_ACTIVE', `The contract is ${status}.`, { currentStatus: status }),
};
