import { Injectable, Logger } from '@nestjs/common';
import { AccountsService, AppConfig, Clock, Principal, addDays, canSeeDistrict } from '@app/core';
import { ReductionService } from '@app/oversight';
import { CatalogueService, DistrictPolicyService, InstitutionsService, USCC_CHARSET, usccCheckCharacter } from '@app/registry';
import { DEMO_INSTITUTIONS, DEMO_PATHS } from './demo-institutions';
import { DEMO_LOGINS, DEMO_PASSWORD } from './demo-logins';
import { DemoHistoryService, DemoReporter, DemoSchool } from './demo-history.service';
import { runAs } from './run-as';

/** The register is made six months and ten days ago; the history runs from the next day to yesterday. */
const REGISTER_DAYS_AGO = 192;

/** The one course a demo institution files once licensed. */
type DemoCourse = Omit<DemoSchool, 'institutionId' | 'category'>;
/** The district whose life the history shows, and whose reduction reproduces the Yuelu report. */
const HISTORY_DISTRICT = '430104';

/** The paths whose institutions file monthly reports (docs/domain.md "Risk and reports"). */
const REPORTING_PATHS: ReadonlySet<string> = new Set(['licensed', 'frozen', 'suspended', 'enrolment_stopped', 'renewal_pending']);
/** When the institution whose renewal is pending was approved, for one year. */
const RENEWAL_APPROVED_DAYS_AGO = 305;

/**
 * Fills an empty database for `npm start` (docs/demo.md): demo accounts and a register in
 * every state made six months ago, then six months of the demo district's life (DemoHistoryService),
 * then the reduction baseline.
 */
@Injectable()
export class DemoDataService {
  private readonly logger = new Logger(DemoDataService.name);

  constructor(
    private readonly accounts: AccountsService,
    private readonly institutions: InstitutionsService,
    private readonly catalogue: CatalogueService,
    private readonly config: AppConfig,
    private readonly reduction: ReductionService,
    private readonly policies: DistrictPolicyService,
    private readonly history: DemoHistoryService,
    private readonly clock: Clock,
  ) {}

  async loadIfEmpty(): Promise<void> {
    if (!this.config.get('LOAD_DEMO_DATA')) return;
    // The configuration refuses LOAD_DEMO_DATA in production already; this guards a config built another way.
    if (this.config.get('NODE_ENV') === 'production') throw new Error('Demo accounts and data are never loaded when NODE_ENV=production.');
    if (await this.accounts.usernameTaken(DEMO_LOGINS[0].username)) return;
    const started = performance.now();
    const registerDay = this.clock.daysFromToday(-REGISTER_DAYS_AGO);
    const principals: Principal[] = [];
    for (const login of DEMO_LOGINS) {
      const user = await this.clock.asOf(registerDay, () =>
        this.accounts.createAccount({
          username: login.username,
          password: DEMO_PASSWORD,
          name: login.name,
          role: login.role,
          phone: 'phone' in login ? login.phone : null,
          districtCode: 'districtCode' in login ? login.districtCode : null,
        }),
      );
      principals.push({ id: user.id, role: user.role, name: user.name, districtCode: user.districtCode ?? undefined });
    }
    const owner = principals.find((principal) => principal.role === 'institution')!;
    const schools: DemoSchool[] = [];
    const reporters: DemoReporter[] = [];
    for (const [index, demo] of DEMO_INSTITUTIONS.entries()) {
      const regulator = principals.find((principal) => principal.role === 'regulator' && canSeeDistrict(principal, demo.districtCode))!;
      const madeOn = demo.path === 'renewal_pending' ? this.clock.daysFromToday(-RENEWAL_APPROVED_DAYS_AGO) : registerDay;
      const school = await this.clock.asOf(madeOn, () => this.loadInstitution(owner, regulator, demo, index));
      if (demo.path === 'renewal_pending')
        await this.clock.asOf(this.clock.daysFromToday(-1), () => runAs(owner, () => this.institutions.applyForRenewal(owner, school.institutionId)));
      if (REPORTING_PATHS.has(demo.path)) reporters.push({ institutionId: school.institutionId, districtCode: demo.districtCode, approvedOn: madeOn });
      if (demo.path === 'licensed' && demo.districtCode === HISTORY_DISTRICT && school.course)
        schools.push({ institutionId: school.institutionId, category: demo.category, ...school.course });
    }
    await this.history.live({
      firstDay: addDays(registerDay, 1),
      owner,
      regulator: principals.find((principal) => principal.role === 'regulator' && principal.districtCode === HISTORY_DISTRICT)!,
      demoParent: principals.find((principal) => principal.role === 'parent')!,
      parents: await this.history.createParents(registerDay),
      schools,
      reporters,
    });
    await this.reduction.loadDemoBaseline();
    const bank = await this.accounts.createBankClient('监管银行 长沙分行 (demo)', '430100');
    this.logger.log(
      `demo data loaded in ${((performance.now() - started) / 1000).toFixed(1)} s; the demo bank client's API key (shown once) is ${bank.apiKey}`,
    );
  }

  private async loadInstitution(
    owner: Principal,
    regulator: Principal,
    demo: (typeof DEMO_INSTITUTIONS)[number],
    index: number,
  ): Promise<{ institutionId: string; course?: DemoCourse }> {
    const first17 = `52${demo.districtCode}MJ${String(index + 1).padStart(6, '0')}${USCC_CHARSET[index % USCC_CHARSET.length]}`;
    const institution = await runAs(owner, () =>
      this.institutions.create(owner, {
        name: demo.name,
        uscc: first17 + usccCheckCharacter(first17),
        districtCode: demo.districtCode,
        address: `${demo.name}，示范路 ${index + 1} 号`,
        category: demo.category,
        delivery: demo.delivery,
        legalRepresentative: '周明',
        premisesAreaM2: 200 + index * 10,
        capacity: 60 + index * 5,
        phone: `0731-8888${String(1000 + index)}`,
      }),
    );
    // 双减: a district grants subject-training licences only once it opens them (closed by default).
    if (demo.category === 'subject') await this.openSubjectApprovals(regulator, demo.districtCode);
    let course: DemoCourse | undefined;
    for (const action of DEMO_PATHS[demo.path]) {
      if (action === 'expire') {
        await this.institutions.expireDue();
        continue;
      }
      const actor = action === 'submit' ? owner : regulator;
      // A licence to expire is approved for zero years, valid until yesterday, so the expiry job ends it as it ends any other;
      // the one whose renewal is pending, for one year (docs/demo.md).
      const options = demo.path === 'expired' ? { validYears: 0 } : demo.path === 'renewal_pending' ? { validYears: 1 } : {};
      await runAs(actor, () => this.institutions.transition(actor, institution.id, action, action === 'submit' ? null : '示范数据', options));
      if (action === 'approve') course = await this.fileCatalogue(owner, institution.id, demo, index);
    }
    if (demo.path === 'frozen') await runAs(regulator, () => this.institutions.setFrozen(regulator, institution.id, true, '示范数据：资金异常核查'));
    return { institutionId: institution.id, course };
  }

  private async fileCatalogue(
    owner: Principal,
    institutionId: string,
    demo: (typeof DEMO_INSTITUTIONS)[number],
    index: number,
  ): Promise<Omit<DemoSchool, 'institutionId' | 'category'>> {
    return runAs(owner, async () => {
      await this.catalogue.addTeacher(owner, institutionId, {
        name: `${demo.subject}老师${index + 1}`,
        fullTime: true,
        qualificationNo: demo.category === 'subject' ? `2019430${String(index).padStart(10, '0')}` : undefined,
        subjects: [demo.subject],
        backgroundCheckedAt: this.clock.daysFromToday(-30),
      });
      const course = await this.catalogue.addCourse(owner, institutionId, {
        name: `${demo.subject}${demo.category === 'subject' ? '同步提高班' : '兴趣班'}`,
        subject: demo.subject,
        sizeBand: '10-35',
        lessonMinutes: demo.delivery === 'online' ? 30 : 45,
        lessonPriceFen: 8000 + index * 500,
      });
      return { courseId: course.id, lessonPriceFen: course.lessonPriceFen, lessonMinutes: course.lessonMinutes };
    });
  }

  private async openSubjectApprovals(regulator: Principal, districtCode: string): Promise<void> {
    const policy = await this.policies.policyOf(districtCode);
    if (!policy.subjectApprovalsOpen) await runAs(regulator, () => this.policies.change(regulator, districtCode, { subjectApprovalsOpen: true }));
  }
}
