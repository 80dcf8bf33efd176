import { Injectable } from '@nestjs/common';
import { Db, rows } from '@app/core';
import type { InstitutionCategory } from '../institutions/institutions.repository';

/** One entry of the closed national list of training subjects (docs/domain.md, "Courses and teachers"). */
export interface Subject {
  code: string;
  /** The Chinese name, which is what a course's `subject` holds. */
  name: string;
  category: InstitutionCategory;
}

@Injectable()
export class SubjectsRepository {
  /** The whole list, in the order of the national catalogue. */
  all(db: Db): Promise<Subject[]> {
    return rows<Subject>(db, `SELECT code, name, category FROM subjects ORDER BY position`);
  }
}
