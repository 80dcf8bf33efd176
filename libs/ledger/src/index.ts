export * from './ledger-check.service';
export * from './ledger-facts.service';
export * from './ledger.errors';
export * from './ledger.module';
export type { CodeBalance } from './ledger.repository';
export * from './ledger.service';
export * from './ledger.types';
