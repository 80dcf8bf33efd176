import { Injectable } from '@nestjs/common';
import { Db } from '@app/core';

/** One pupil of a bulk enrolment: a parent's account, a contract paid in full, its order confirmed by the bank. */
export interface BulkEnrolment {
  parentUsername: string;
  parentName: string;
  contractId: string;
  studentName: string;
  paymentId: string;
  reference: string;
}

/**
 * The bulk SQL of the demo's thousands of pupils (docs/demo.md): the rows a contract, its order and the
 * bank's receipt would leave, in three statements a day. The money itself moves through the ledger
 * (LedgerService.apply), so its invariants are the ledger's own.
 */
@Injectable()
export class DemoEnrolmentsRepository {
  async insert(
    db: Db,
    course: { institutionId: string; courseId: string; districtCode: string; lessons: number; lessonPriceFen: number; startDate: string; endDate: string },
    bank: { id: string; passwordHash: string; at: Date; expiresAt: Date },
    pupils: BulkEnrolment[],
  ): Promise<void> {
    const column = <K extends keyof BulkEnrolment>(key: K) => pupils.map((pupil) => pupil[key]);
    await db.query(
      `INSERT INTO users (username, password_hash, role, name, phone, created_at)
       SELECT DISTINCT username, $2, 'parent', name, username, $3::timestamptz FROM unnest($1::text[], $4::text[]) AS p(username, name)
       ON CONFLICT DO NOTHING`,
      [column('parentUsername'), bank.passwordHash, bank.at, column('parentName')],
    );
    const totalFen = course.lessons * course.lessonPriceFen;
    await db.query(
      `INSERT INTO contracts (id, parent_user_id, institution_id, course_id, district_code, student_name, lessons, lesson_price_fen, total_fen, paid_fen, start_date, end_date, status, created_at)
       SELECT c.id, u.id, $3, $4, $5, c.student_name, $6, $7, $8, $8, $9, $10, 'active', $11
       FROM unnest($1::uuid[], $2::text[], $12::text[]) AS c(id, username, student_name) JOIN users u ON u.username = c.username`,
      [
        column('contractId'),
        column('parentUsername'),
        course.institutionId,
        course.courseId,
        course.districtCode,
        course.lessons,
        course.lessonPriceFen,
        totalFen,
        course.startDate,
        course.endDate,
        bank.at,
        column('studentName'),
      ],
    );
    await db.query(
      `INSERT INTO payments (id, contract_id, reference, amount_fen, channel, status, expires_at, created_at, bank_client_id, bank_ref, received_at, settled_at)
       SELECT p.id, p.contract_id, p.reference, $4, 'bank_transfer', 'confirmed', $5, $6, $7, 'SANDBOX-' || p.reference, $6, $6
       FROM unnest($1::uuid[], $2::uuid[], $3::text[]) AS p(id, contract_id, reference)`,
      [column('paymentId'), column('contractId'), column('reference'), totalFen, bank.expiresAt, bank.at, bank.id],
    );
  }
}
