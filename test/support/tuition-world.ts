import { randomUUID } from 'node:crypto';
import { ADMIN, TestPlatform, loginAs } from './platform';
import { contractWindow, lessonAt } from './dates';
import { createRegulator, newInstitution, openSubjectApprovals, signUpInstitution } from './factories';

/** Bearer headers for a token. */
export const as = (token: string) => ({ Authorization: `Bearer ${token}` });
export const key = () => ({ 'Idempotency-Key': `k-${randomUUID()}` });

export interface School {
  institutionId: string;
  courseId: string;
  lessonPriceFen: number;
}

/** The people of a tuition scenario: admin, a Yuelu regulator, an institution owner, parents on demand. */
export class TuitionWorld {
  admin!: string;
  regulator!: string;
  owner!: string;
  /** The API key of the district's supervising bank: escrow is credited only by its receipts. */
  bankKey!: string;
  private parents = 0;

  constructor(readonly platform: TestPlatform) {}

  async init(): Promise<this> {
    const http = this.platform.http;
    this.admin = await loginAs(this.platform, ADMIN.username, ADMIN.password);
    this.regulator = await createRegulator(this.platform, this.admin, 'yuelu-reg', '430104', '岳麓');
    await openSubjectApprovals(this.platform, this.regulator);
    this.owner = await signUpInstitution(this.platform, 'school-owner');
    this.bankKey = (
      await http().post('/api/v1/bank-clients').set(as(this.admin)).send({ name: '岳麓监管银行', districtCode: '430104' }).expect(201)
    ).body.apiKey;
    return this;
  }

  /** A licensed non-subject offline institution with one course (no rest-day rule, so any date works). */
  async school(lessonPriceFen = 10_000, category: 'subject' | 'non_subject' = 'non_subject'): Promise<School> {
    const http = this.platform.http;
    // A subject-category course names a subject of the national list; a non-subject one may not.
    const subject = category === 'subject' ? '数学' : '美术';
    const created = await http().post('/api/v1/institutions').set(as(this.owner)).send(newInstitution({ category })).expect(201);
    const id = created.body.id;
    await http().post(`/api/v1/institutions/${id}/submit`).set(as(this.owner)).expect(200);
    await http().post(`/api/v1/institutions/${id}/review`).set(as(this.regulator)).send({ decision: 'approve', reason: 'ok' }).expect(200);
    await http()
      .post(`/api/v1/institutions/${id}/teachers`)
      .set(as(this.owner))
      .send({
        name: '李老师',
        fullTime: true,
        qualificationNo: '20194300012345678',
        subjects: [subject],
        backgroundCheckedAt: this.platform.clock.daysFromToday(-30),
      })
      .expect(201);
    const course = await http()
      .post(`/api/v1/institutions/${id}/courses`)
      .set(as(this.owner))
      .send({ name: subject, subject, sizeBand: '10-35', lessonMinutes: 45, lessonPriceFen })
      .expect(201);
    return { institutionId: id, courseId: course.body.id, lessonPriceFen };
  }

  async parent(): Promise<string> {
    const phone = `1390000${String(++this.parents).padStart(4, '0')}`;
    await this.platform.http().post('/api/v1/auth/parents').send({ phone, password: 'password-1', name: '家长' }).expect(201);
    return loginAs(this.platform, phone, 'password-1');
  }

  /** A contract of `lessons` lessons, paid in full: the parent's order, confirmed by the bank's receipt. */
  async paidContract(parent: string, school: School, lessons = 10, studentName = '王小明'): Promise<string> {
    const contract = await this.platform
      .http()
      .post('/api/v1/contracts')
      .set(as(parent))
      .send({ courseId: school.courseId, studentName, lessons, ...contractWindow(this.platform.clock) })
      .expect(201);
    await this.pay(parent, contract.body.id, lessons * school.lessonPriceFen);
    return contract.body.id;
  }

  /** A payment order of the parent's, and the bank's receipt for it: answers the order as the parent saw it. */
  async pay(parent: string, contractId: string, amountFen: number): Promise<{ id: string; reference: string }> {
    const order = await this.platform
      .http()
      .post(`/api/v1/contracts/${contractId}/payments`)
      .set(as(parent))
      .set(key())
      .send({ amountFen, channel: 'bank_transfer' })
      .expect(201);
    await this.receipt(order.body.reference, amountFen).expect(201);
    return order.body;
  }

  /** The bank's receipt for a reference (any reference: tests send wrong ones too). */
  receipt(reference: string, amountFen: number, bankRef = `BK-${randomUUID()}`) {
    return this.platform
      .http()
      .post('/api/v1/bank/receipts')
      .set('X-Api-Key', this.bankKey)
      .set(key())
      .send({ reference, amountFen, bankRef, receivedAt: this.platform.clock.now().toISOString() });
  }

  /** A roll call; by default yesterday at 10:00, inside every fixture contract's window. */
  recordLesson(school: School, contractIds: string[], startsAt = lessonAt(this.platform.clock)) {
    return this.platform.http().post('/api/v1/lessons').set(as(this.owner)).set(key()).send({ courseId: school.courseId, startsAt, minutes: 45, contractIds });
  }
}
