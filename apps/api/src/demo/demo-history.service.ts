import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { AccountsService, Clock, Principal, ReferenceDataService, WorkingDayCalendar, addDays } from '@app/core';
import { ComplaintsService, ReductionService, ReportsService, addMonths } from '@app/oversight';
import {
  BankService,
  ContractsService,
  LessonsService,
  PaymentOrdersService,
  ReceiptsService,
  RefundsService,
  SANDBOX_BANK_NAME,
  SettlementService,
} from '@app/tuition';
import { BULK_DAYS, DemoBulkPupilsService } from './demo-bulk-pupils.service';
import { runAs } from './run-as';
import { DEMO_CONTRACT_DAYS, DEMO_CONTRACT_LESSONS, DEMO_EVENTS, DEMO_PARENTS, DEMO_PUPILS } from './demo-pupils';

/** A demo school that teaches: its institution, its one course, the owner who records its roll calls. */
export interface DemoSchool {
  institutionId: string;
  courseId: string;
  lessonPriceFen: number;
  lessonMinutes: number;
  category: 'subject' | 'non_subject';
}

/** A licensed demo institution that files monthly reports from the month it was approved. */
export interface DemoReporter {
  institutionId: string;
  districtCode: string;
  approvedOn: string;
}

interface Enrolment {
  contractId: string;
  parent: Principal;
  school: number;
  startDate: string;
  endDate: string;
}

/** A roll call's lessons start at 18:00 (Shanghai), so they end long before the latest allowed hour. */
const LESSON_START = 'T18:00:00+08:00';

/**
 * Six months of life in the demo district, through the platform's own services, each step on the day it
 * happened (`Clock.asOf`): parents sign contracts and pay by payment orders that the sandbox bank
 * confirms, schools record weekly roll calls that parents confirm (or let the window confirm), one
 * lesson disputed, one refund, one complaint answered, weekly settlements with retained tranches paid
 * out by the bank, monthly reports filed and accepted, a reduction snapshot every day. What it writes
 * is what those services write, so every ledger invariant holds and no risk rule sees an artefact.
 */
@Injectable()
export class DemoHistoryService {
  constructor(
    private readonly accounts: AccountsService,
    private readonly contracts: ContractsService,
    private readonly orders: PaymentOrdersService,
    private readonly receipts: ReceiptsService,
    private readonly lessons: LessonsService,
    private readonly refunds: RefundsService,
    private readonly settlement: SettlementService,
    private readonly bank: BankService,
    private readonly complaints: ComplaintsService,
    private readonly reports: ReportsService,
    private readonly reduction: ReductionService,
    private readonly reference: ReferenceDataService,
    private readonly bulk: DemoBulkPupilsService,
    private readonly clock: Clock,
  ) {}

  /** The parents of the history, created on `day` (the demo parent is made with the other logins). */
  async createParents(day: string): Promise<Principal[]> {
    const parents: Principal[] = [];
    for (const parent of DEMO_PARENTS) {
      const user = await this.clock.asOf(day, () =>
        this.accounts.createAccount({
          username: parent.phone,
          password: randomUUID(),
          name: parent.name,
          role: 'parent',
          phone: parent.phone,
          districtCode: null,
        }),
      );
      parents.push({ id: user.id, role: 'parent', name: user.name });
    }
    return parents;
  }

  /** Lives the history from `firstDay` to yesterday. */
  async live(input: {
    firstDay: string;
    owner: Principal;
    regulator: Principal;
    demoParent: Principal;
    parents: Principal[];
    schools: DemoSchool[];
    reporters: DemoReporter[];
  }): Promise<void> {
    const { owner, schools } = input;
    const today = this.clock.today();
    const calendar = await this.reference.workingDayCalendar();
    const bank = await this.accounts.bankClientNamed(SANDBOX_BANK_NAME, input.regulator.districtCode!);
    const lessonDays = this.lessonDays(input.firstDay, today, schools, calendar);
    const enrolments: Enrolment[] = [];
    const confirmLater = new Map<string, Array<{ parent: Principal; consumptionId: string }>>();
    let disputed = false;
    const subjectSchools = schools.filter((school) => school.category === 'subject');
    let bulkDay = 0;

    for (let day = input.firstDay; day < today; day = addDays(day, 1)) {
      await this.clock.asOf(day, async () => {
        for (const pupil of DEMO_PUPILS.filter((candidate) => addDays(today, -candidate.startsDaysAgo) === day)) {
          const parent = pupil.parent === 'demo' ? input.demoParent : input.parents[pupil.parent];
          enrolments.push(await this.enrol(parent, bank, schools[pupil.school], pupil.school, pupil.student, day));
        }
        for (const { parent, consumptionId } of confirmLater.get(day) ?? []) await runAs(parent, () => this.lessons.confirm(parent, consumptionId));
        // Yesterday's roll calls are recorded today: a lesson is recorded once it has happened.
        for (const [school, days] of lessonDays.entries()) {
          if (!days.has(addDays(day, -1))) continue;
          const consumptions = await this.rollCall(owner, schools[school], school, addDays(day, -1), enrolments);
          for (const [index, consumption] of consumptions.entries()) {
            const parent = enrolments.find((enrolment) => enrolment.contractId === consumption.contractId)!.parent;
            if (!disputed && school === 0 && day >= addDays(today, -DEMO_EVENTS.disputeFromDaysAgo)) {
              disputed = true;
              await runAs(parent, () => this.lessons.dispute(parent, consumption.id, '当天孩子请假，没有上这节课'));
              continue;
            }
            // Two lessons in three are confirmed by the parent the next day; the rest wait for the window.
            const confirmOn = addDays(day, 1);
            if (index % 3 !== 2 && confirmOn < addDays(today, -7))
              confirmLater.set(confirmOn, [...(confirmLater.get(confirmOn) ?? []), { parent, consumptionId: consumption.id }]);
          }
        }
        if (day >= addDays(today, -BULK_DAYS)) await this.bulk.enrolDay(bulkDay++, subjectSchools, bank);
        await this.lessons.autoConfirmDue();
        await this.troubleOf(day, today, owner, enrolments);
        await this.settlement.runDueCycles(day);
        await this.payOutInstructions(bank);
        if (day.endsWith('-03')) await this.fileReports(owner, input.regulator, input.reporters, addMonths(day.slice(0, 7), -1));
        await this.reduction.takeSnapshots(day);
      });
    }
  }

  /** Each school's lesson days: one a week counting back from the day before yesterday; subject lessons only on working days. */
  private lessonDays(firstDay: string, today: string, schools: DemoSchool[], calendar: WorkingDayCalendar): Map<number, Set<string>> {
    const days = new Map<number, Set<string>>();
    schools.forEach((school, index) => {
      const set = new Set<string>();
      for (let day = addDays(today, -2); day > firstDay; day = addDays(day, -7)) {
        let lessonDay = day;
        while (school.category === 'subject' && !calendar.isWorkingDay(lessonDay)) lessonDay = addDays(lessonDay, -1);
        set.add(lessonDay);
      }
      days.set(index, set);
    });
    return days;
  }

  /** A contract of twelve lessons signed and paid on `day`: the order, then the sandbox bank's receipt for it. */
  private async enrol(parent: Principal, bank: Principal, school: DemoSchool, index: number, studentName: string, day: string): Promise<Enrolment> {
    const endDate = addDays(day, DEMO_CONTRACT_DAYS - 1);
    const contract = await runAs(parent, () =>
      this.contracts.create(parent, { courseId: school.courseId, studentName, lessons: DEMO_CONTRACT_LESSONS, startDate: day, endDate }),
    );
    const amountFen = DEMO_CONTRACT_LESSONS * school.lessonPriceFen;
    const order = await runAs(parent, () => this.orders.open(parent, contract.id, { amountFen, channel: 'bank_transfer' }, `demo-order-${contract.id}`));
    await runAs(bank, () =>
      this.receipts.receive(bank, { reference: order.reference, amountFen, bankRef: `SANDBOX-${order.reference}`, receivedAt: this.clock.now() }),
    );
    return { contractId: contract.id, parent, school: index, startDate: day, endDate };
  }

  /** The roll call of `lessonDay`: every pupil whose contract covers the day and has lessons left. */
  private async rollCall(owner: Principal, school: DemoSchool, index: number, lessonDay: string, enrolments: Enrolment[]) {
    const present = enrolments.filter((enrolment) => enrolment.school === index && enrolment.startDate <= lessonDay && lessonDay <= enrolment.endDate);
    const contractIds: string[] = [];
    for (const enrolment of present) {
      const contract = await this.contracts.get(owner, enrolment.contractId);
      if (contract.status === 'active' && contract.lessonsUsed < contract.lessons) contractIds.push(enrolment.contractId);
    }
    if (!contractIds.length) return [];
    const lesson = { courseId: school.courseId, startsAt: new Date(`${lessonDay}${LESSON_START}`), minutes: school.lessonMinutes, contractIds };
    return (await runAs(owner, () => this.lessons.record(owner, lesson, `demo-lesson-${school.courseId}-${lessonDay}`))).consumptions;
  }

  /** The history's trouble: a refund the school accepts, a complaint it answers (docs/demo.md). */
  private async troubleOf(day: string, today: string, owner: Principal, enrolments: Enrolment[]): Promise<void> {
    if (day === addDays(today, -DEMO_EVENTS.refundDaysAgo)) {
      const leaving = enrolments.filter((enrolment) => enrolment.startDate <= day && day <= enrolment.endDate).at(-1)!; // the newest pupil: most lessons left
      const request = await runAs(leaving.parent, () =>
        this.refunds.request(leaving.parent, leaving.contractId, '孩子转学，剩余课时申请退费', `demo-refund-${leaving.contractId}`),
      );
      await runAs(owner, () => this.refunds.accept(owner, request.id, '同意退还剩余课时费用'));
    }
    if (day === addDays(today, -DEMO_EVENTS.complaintDaysAgo)) {
      const unhappy = enrolments[enrolments.length - 2];
      const contract = await this.contracts.get(owner, unhappy.contractId);
      const complaint = await runAs(unhappy.parent, () =>
        this.complaints.file(unhappy.parent, {
          institutionId: contract.institutionId,
          category: 'other',
          description: '临时调整上课时间，没有提前通知家长',
          contractId: unhappy.contractId,
        }),
      );
      await runAs(owner, () => this.complaints.answer(owner, complaint.id, '已致歉，今后调课至少提前三天通知'));
    }
  }

  /** The sandbox bank carries out every payout and refund instruction the day it sees it. */
  private async payOutInstructions(bank: Principal): Promise<void> {
    const { items } = await this.bank.instructions(bank, 'pending');
    for (const instruction of items) {
      await runAs(bank, () => this.bank.acknowledge(bank, instruction.id, { bankRef: `SANDBOX-PAY-${instruction.id}`, executedAt: this.clock.now() }));
    }
  }

  /** Every reporting institution files `month`'s report as the platform pre-fills it; the district's regulator accepts its own district's. */
  private async fileReports(owner: Principal, regulator: Principal, reporters: DemoReporter[], month: string): Promise<void> {
    for (const reporter of reporters.filter((candidate) => candidate.approvedOn.slice(0, 7) <= month)) {
      const { institutionName: _name, ...filing } = await runAs(owner, () => this.reports.prefill(owner, month, reporter.institutionId));
      const report = await runAs(owner, () => this.reports.file(owner, filing));
      if (reporter.districtCode === regulator.districtCode) await runAs(regulator, () => this.reports.review(regulator, report.id, 'accept', null));
    }
  }
}
