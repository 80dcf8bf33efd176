import { Foundation1764400000000 } from './1764400000000-Foundation';
import { Registry1764500000000 } from './1764500000000-Registry';

/** Every migration, in order. A new migration is added here as well as written (explicit beats a glob). */
export const ALL_MIGRATIONS = [Foundation1764400000000, Registry1764500000000];
