export * from './ledger-check.service';
export * from './ledger-facts.service';
export * from './ledger.errors';
export * from './ledger.module';
export * from './ledger.service';
export * from './ledger.types';
