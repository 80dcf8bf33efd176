import { Global, Module } from '@nestjs/common';
import { LedgerModule, LedgerService } from '@app/ledger';
import { CLOSURE_CHECK, ClosureCheck } from '@app/registry';

/**
 * An institution may close only when no contract's escrow still holds money (posted or pending).
 * Global so that the registry, which may not import tuition, receives the check through its port.
 */
@Global()
@Module({
  imports: [LedgerModule],
  providers: [
    {
      provide: CLOSURE_CHECK,
      inject: [LedgerService],
      useFactory:
        (ledger: LedgerService): ClosureCheck =>
        async (db, id) =>
          !(await ledger.escrowHeld(db, id)),
    },
  ],
  exports: [CLOSURE_CHECK],
})
export class ClosureCheckModule {}
