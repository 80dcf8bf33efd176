export * from './bank/bank.service';
export * from './contracts/contracts.service';
export * from './lessons/lessons.service';
export * from './refunds/refunds.service';
export * from './settlement/settlement-period';
export * from './settlement/settlement.service';
export * from './tuition-check.service';
export * from './tuition.module';
