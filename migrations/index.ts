import { Foundation1764400000000 } from './1764400000000-Foundation';
import { Registry1764500000000 } from './1764500000000-Registry';
import { Divisions1764550000000 } from './1764550000000-Divisions';
import { Ledger1764600000000 } from './1764600000000-Ledger';
import { Tuition1764700000000 } from './1764700000000-Tuition';

/** Every migration, in order. A new migration is added here as well as written (explicit beats a glob). */
export const ALL_MIGRATIONS = [Foundation1764400000000, Registry1764500000000, Divisions1764550000000, Ledger1764600000000, Tuition1764700000000];
