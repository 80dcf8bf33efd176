import { Foundation1764400000000 } from './1764400000000-Foundation';

/** Every migration, in order. A new migration is added here as well as written (explicit beats a glob). */
export const ALL_MIGRATIONS = [Foundation1764400000000];
