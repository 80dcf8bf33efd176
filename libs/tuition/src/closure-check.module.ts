import { Global, Module } from '@nestjs/common';
import { CLOSURE_CHECK, ClosureCheck } from '@app/registry';

/** An institution may close only when no contract's escrow still holds money (posted or pending). */
const noContractHoldsMoney: ClosureCheck = async (manager, institutionId) => {
  const [held] = await manager.query(
    `SELECT 1 FROM ledger_accounts WHERE institution_id = $1 AND code = 'escrow' AND (credits_posted - debits_posted > 0 OR debits_pending > 0) LIMIT 1`,
    [institutionId],
  );
  return !held;
};

/** Global so that the registry, which may not import tuition, receives the check through its port. */
@Global()
@Module({ providers: [{ provide: CLOSURE_CHECK, useValue: noContractHoldsMoney }], exports: [CLOSURE_CHECK] })
export class ClosureCheckModule {}
