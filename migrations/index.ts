import { Foundation1764400000000 } from './1764400000000-Foundation';
import { Registry1764500000000 } from './1764500000000-Registry';
import { Divisions1764550000000 } from './1764550000000-Divisions';
import { Ledger1764600000000 } from './1764600000000-Ledger';
import { Tuition1764700000000 } from './1764700000000-Tuition';
import { ReportsReduction1764800000000 } from './1764800000000-ReportsReduction';
import { Oversight1764850000000 } from './1764850000000-Oversight';
import { RiskIndexes1764900000000 } from './1764900000000-RiskIndexes';
import { PublicRegisterNotifications1764950000000 } from './1764950000000-PublicRegisterNotifications';
import { LedgerApply1765000000000 } from './1765000000000-LedgerApply';
import { BusinessTime1765100000000 } from './1765100000000-BusinessTime';
import { BankTruth1765200000000 } from './1765200000000-BankTruth';
import { LicenceLifeCycle1765300000000 } from './1765300000000-LicenceLifeCycle';
import { SubjectsAndBackgroundChecks1765300000001 } from './1765300000001-SubjectsAndBackgroundChecks';
import { ComplaintHandling1765350000000 } from './1765350000000-ComplaintHandling';
import { ComplaintWorkingDays1765360000000 } from './1765360000000-ComplaintWorkingDays';
import { AccountSecurity1765400000000 } from './1765400000000-AccountSecurity';
import { RetentionIndexes1765450000000 } from './1765450000000-RetentionIndexes';
import { CityPolicy1765520000000 } from './1765520000000-CityPolicy';

/** Every migration, in order. A new migration is added here as well as written (explicit beats a glob). */
export const ALL_MIGRATIONS = [
  Foundation1764400000000,
  Registry1764500000000,
  Divisions1764550000000,
  Ledger1764600000000,
  Tuition1764700000000,
  ReportsReduction1764800000000,
  Oversight1764850000000,
  RiskIndexes1764900000000,
  PublicRegisterNotifications1764950000000,
  LedgerApply1765000000000,
  BusinessTime1765100000000,
  BankTruth1765200000000,
  LicenceLifeCycle1765300000000,
  SubjectsAndBackgroundChecks1765300000001,
  ComplaintHandling1765350000000,
  ComplaintWorkingDays1765360000000,
  AccountSecurity1765400000000,
  RetentionIndexes1765450000000,
  CityPolicy1765520000000,
];
