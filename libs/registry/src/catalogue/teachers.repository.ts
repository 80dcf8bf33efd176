import { Injectable } from '@nestjs/common';
import { Db, firstRow, rows } from '@app/core';

export interface Teacher {
  id: string;
  institutionId: string;
  name: string;
  fullTime: boolean;
  /** 教师资格证 number; required to teach subject courses; never shown in full publicly. */
  qualificationNo: string | null;
  subjects: string[];
  /** Date of the no-criminal-record check (无犯罪记录查询), YYYY-MM-DD; null when none is on file. */
  backgroundCheckedAt: string | null;
  createdAt: Date;
}

const COLUMNS = `id, institution_id AS "institutionId", name, full_time AS "fullTime", qualification_no AS "qualificationNo", subjects,
  to_char(background_checked_at, 'YYYY-MM-DD') AS "backgroundCheckedAt", created_at AS "createdAt"`;

@Injectable()
export class TeachersRepository {
  async insert(db: Db, teacher: Omit<Teacher, 'id'>): Promise<Teacher> {
    const inserted = await firstRow<Teacher>(
      db,
      `INSERT INTO teachers (institution_id, name, full_time, qualification_no, subjects, background_checked_at, created_at)
       VALUES ($1, $2, $3, $4, $5::text[], $6::date, $7)
       RETURNING ${COLUMNS}`,
      [teacher.institutionId, teacher.name, teacher.fullTime, teacher.qualificationNo, teacher.subjects, teacher.backgroundCheckedAt, teacher.createdAt],
    );
    return inserted!;
  }

  /** In the order they were filed. */
  ofInstitution(db: Db, institutionId: string): Promise<Teacher[]> {
    return rows<Teacher>(db, `SELECT ${COLUMNS} FROM teachers WHERE institution_id = $1 ORDER BY created_at, id`, [institutionId]);
  }

  /** Whether the institution has a teacher with a qualification certificate who teaches `subject`. */
  async anyQualifiedFor(db: Db, institutionId: string, subject: string): Promise<boolean> {
    return Boolean(
      await firstRow(db, `SELECT 1 FROM teachers WHERE institution_id = $1 AND qualification_no IS NOT NULL AND $2 = ANY(subjects) LIMIT 1`, [
        institutionId,
        subject,
      ]),
    );
  }
}
