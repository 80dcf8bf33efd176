import { Client } from 'pg';
import { DEFAULT_POLICY } from '@app/registry';
import servedDivisions from '../../libs/core/src/reference/data/districts.json';

/**
 * The world of bench/risk, built in bulk SQL (generate_series, INSERT … SELECT) on one connection, so no
 * row passes through Node. Every draw is a hash of a salt and a row number (bench_pick), so the same
 * shape gives the same data on every run, relative to the moment of the load (`now`).
 *
 * Per institution (spread over the served districts of districts.json): two courses, four or five
 * teachers, `contractsPerInstitution` contracts paid in full (one payment each, over the last 10
 * weeks), their escrow accounts with posted balances set directly (credits = paid, debits = consumed
 * or refunded: only the risk scan reads them, no ledger_transfers are written), the institution's
 * custody / payable / reserve / refunds accounts in step with them, weekly payouts, the bank's
 * statement lines matched to payments and payouts, two lessons a week per course, refund requests,
 * complaints and three months of monthly reports.
 *
 * Some institutions are made to trip each rule (shares below, per institution): expired licence 2.5 %,
 * suspended 2 %, licence expiring within 30 days 4 % of the licensed, enrolment spike 3 %, stalled
 * 4 % (half never taught since selling, half not for 35+ days), a lesson ending after hours 2 %, a
 * subject lesson on a Saturday 5 % of subject institutions, a contract over the prepaid limit 2 %,
 * refund requests over the threshold 2.5 % (1.5 % twice over), complaints over the threshold 2.5 %
 * (1 % twice over), an unqualified teacher 3 % of subject institutions (30 % of the others, where it
 * is allowed), an overdue report 4 %, a payment missing from the bank statement 0.5 %.
 *
 * Timestamps that the rules compare with now() − N days stay at least an hour away from those
 * boundaries, so a second scan a minute later sees the same facts.
 */
export interface RiskWorldShape {
  institutions: number;
  contractsPerInstitution: number;
  /** The moment the data is relative to, and its Shanghai business date. */
  now: Date;
  today: string;
  /** With the bank's statement lines (the ESCROW_SHORTFALL rule reads them); default true. */
  bankLines: boolean;
}

export interface RiskWorld {
  institutions: number;
  byStatus: Record<string, number>;
  rows: Record<string, number>;
  steps: Record<string, number>;
  loadSeconds: number;
}

const round3 = (value: number) => Math.round(value * 1000) / 1000;

export async function buildRiskWorld(databaseUrl: string, shape: RiskWorldShape, log: (message: string) => void): Promise<RiskWorld> {
  const client = new Client({ connectionString: databaseUrl, application_name: 'bench-risk-seed' });
  await client.connect();
  const steps: Record<string, number> = {};
  const started = performance.now();
  const step = async (name: string, sql: string, params: unknown[] = []) => {
    const t = performance.now();
    const result = await client.query(sql, params);
    steps[name] = round3((steps[name] ?? 0) + (performance.now() - t) / 1000);
    return result;
  };
  const N = shape.institutions;
  const K = shape.contractsPerInstitution;
  const now = shape.now.toISOString();
  const districts = servedDivisions.districts.map((district) => district.code);

  try {
    await client.query(`SET synchronous_commit = off`);
    await client.query(`SET maintenance_work_mem = '256MB'`);
    await client.query(`SET work_mem = '64MB'`);
    // A deterministic draw in [0, m): the same salt and row number always give the same answer.
    await client.query(`CREATE FUNCTION bench_pick(salt text, n bigint, m int) RETURNS int LANGUAGE sql IMMUTABLE PARALLEL SAFE
                        AS $$ SELECT ((hashtext(salt || ':' || n)::bigint + 2147483648) % m)::int $$`);

    log(`institutions: ${N} over ${districts.length} districts`);
    await step(
      'institutions',
      `CREATE UNLOGGED TABLE bench_inst AS
       SELECT n, md5('bench-risk-institution-' || n)::uuid AS id, md5('bench-risk-owner-' || n)::uuid AS owner_id,
              ($2::text[])[1 + bench_pick('district', n, array_length($2::text[], 1))] AS district_code,
              CASE WHEN bench_pick('category', n, 100) < 35 THEN 'subject' ELSE 'non_subject' END AS category,
              CASE WHEN bench_pick('delivery', n, 100) < 12 THEN 'online' ELSE 'offline' END AS delivery,
              CASE WHEN s < 25 THEN 'expired' WHEN s < 45 THEN 'suspended' ELSE 'licensed' END AS status,
              bench_pick('expiring', n, 100) < 4 AS expiring,
              bench_pick('spike', n, 100) < 3 AS spike,
              st < 2 AS stalled_none, st >= 2 AND st < 4 AS stalled_old,
              bench_pick('late', n, 100) < 2 AS late_lesson,
              bench_pick('weekend', n, 100) < 5 AS weekend_lesson,
              bench_pick('overlimit', n, 100) < 2 AS over_limit,
              CASE WHEN r < 15 THEN 6 + r % 2 WHEN r < 40 THEN 3 + r % 2 WHEN r < 300 THEN 1 ELSE 0 END AS refunds_30d,
              bench_pick('old-refund', n, 100) < 15 AS old_refund,
              CASE WHEN c < 10 THEN 6 + c % 3 WHEN c < 35 THEN 3 + c % 2 WHEN c < 200 THEN 1 ELSE 0 END AS complaints_30d,
              bench_pick('dismissed', n, 100) < 5 AS dismissed_complaint,
              CASE WHEN bench_pick('old-complaints', n, 100) < 20 THEN 1 + bench_pick('old-complaints-n', n, 2) ELSE 0 END AS old_complaints,
              bench_pick('unqualified', n, 100) < CASE WHEN bench_pick('category', n, 100) < 35 THEN 3 ELSE 30 END AS unqualified,
              bench_pick('overdue', n, 100) < 4 AS overdue_report,
              bench_pick('shortfall', n, 1000) < 5 AS bank_shortfall
       FROM generate_series(1, $1::int) AS n,
            LATERAL (SELECT bench_pick('status', n, 1000) AS s, bench_pick('stalled', n, 100) AS st,
                            bench_pick('refunds', n, 1000) AS r, bench_pick('complaints', n, 1000) AS c) AS draw`,
      [N, districts],
    );
    await client.query(`ALTER TABLE bench_inst ADD PRIMARY KEY (n)`);

    await step(
      'users',
      `INSERT INTO users (id, username, password_hash, role, name, phone, created_at)
       SELECT owner_id, 'bench-risk-owner-' || n, '!', 'institution', '基准机构账号' || n, '138' || lpad(n::text, 8, '0'), now() FROM bench_inst`,
    );
    await step(
      'institutions',
      `INSERT INTO institutions (id, owner_user_id, name, uscc, district_code, address, category, delivery, legal_representative, premises_area_m2,
                                 capacity, phone, status, licence_number, licence_valid_from, licence_valid_until, created_at, updated_at)
       SELECT id, owner_id,
              (ARRAY['启航', '博雅', '星辰', '东方', '小天才', '书香', '未来', '梅溪湖', '岳麓', '智慧树'])[1 + bench_pick('name1', n, 10)]
                || CASE WHEN category = 'subject' THEN (ARRAY['学科', '英语', '数学', '作文'])[1 + bench_pick('name2', n, 4)]
                        ELSE (ARRAY['艺术中心', '编程', '围棋', '舞蹈', '书法', '钢琴'])[1 + bench_pick('name2', n, 6)] END
                || '培训学校' || n,
              'BR' || lpad(n::text, 16, '0'), district_code, '基准路' || n || '号', category, delivery, '张三', 200 + bench_pick('area', n, 800),
              50 + bench_pick('capacity', n, 400), '0731' || lpad(n::text, 8, '0'), status, 'BENCH-R-' || lpad(n::text, 6, '0'),
              valid_until - 3 * 365, valid_until, $1::timestamptz - interval '3 years', now()
       FROM (SELECT *, CASE WHEN status = 'expired' THEN $2::date - 1 - bench_pick('valid', n, 120)
                            WHEN status = 'licensed' AND expiring THEN $2::date + bench_pick('valid', n, 30)
                            ELSE $2::date + 31 + bench_pick('valid', n, 1000) END AS valid_until
             FROM bench_inst) AS i`,
      [now, shape.today],
    );
    const policy = DEFAULT_POLICY;
    await step(
      'district_policies',
      `INSERT INTO district_policies (district_code, max_prepaid_lessons, max_prepaid_months, max_prepaid_amount_fen, confirm_window_working_days,
                                      refund_response_working_days, settlement_cycle, retention_rate_bp, retention_days, guided_prices, report_due_day,
                                      latest_offline_end, latest_online_end, risk_thresholds, updated_at)
       SELECT code, $2, $3, $4, $5, $6, $7, $8, $9, '{}', $10, $11, $12, $13, now() FROM unnest($1::text[]) AS code`,
      [
        districts,
        policy.maxPrepaidLessons,
        policy.maxPrepaidMonths,
        policy.maxPrepaidAmountFen,
        policy.confirmWindowWorkingDays,
        policy.refundResponseWorkingDays,
        policy.settlementCycle,
        policy.retentionRateBp,
        policy.retentionDays,
        policy.reportDueDay,
        policy.latestOfflineEnd,
        policy.latestOnlineEnd,
        JSON.stringify(policy.riskThresholds),
      ],
    );

    log('courses and teachers');
    await step(
      'courses',
      `INSERT INTO courses (id, institution_id, name, subject, category, size_band, lesson_minutes, lesson_price_fen, created_at)
       SELECT md5('bench-risk-course-' || n || '-' || j)::uuid, id, subject || '班', subject, category, '10-35',
              (ARRAY[45, 60, 90])[1 + bench_pick('minutes', n * 2 + j, 3)], 4000 + 500 * bench_pick('price', n * 2 + j, 9), $1::timestamptz - interval '2 years'
       FROM bench_inst, generate_series(1, 2) AS j,
            LATERAL (SELECT CASE WHEN category = 'subject' THEN (ARRAY['数学', '英语', '语文', '物理'])[1 + bench_pick('subject', n * 2 + j, 4)]
                                 ELSE (ARRAY['美术', '钢琴', '编程', '围棋', '舞蹈'])[1 + bench_pick('subject', n * 2 + j, 5)] END AS subject) AS s`,
      [now],
    );
    await step(
      'teachers',
      `INSERT INTO teachers (institution_id, name, full_time, qualification_no, subjects, created_at)
       SELECT id, '教师' || n || '-' || t, t <= 2, CASE WHEN t = 5 THEN NULL ELSE 'QC' || lpad(n::text, 7, '0') || t END, '{}', now()
       FROM bench_inst, generate_series(1, 5) AS t
       WHERE t <= 4 OR unqualified`,
    );

    log(`contracts: ${N * K}, with parents, payments and escrow accounts`);
    // k counts down from K for the contracts that get a refund request (recent ones first, then an old one);
    // contract 1 is the over-limit one; contracts 1–12 are the spike's.
    await step(
      'contracts',
      `CREATE UNLOGGED TABLE bench_contract AS
       SELECT c, n, k, md5('bench-risk-contract-' || c)::uuid AS id, md5('bench-risk-parent-' || c)::uuid AS parent_id,
              i.id AS institution_id, i.district_code, md5('bench-risk-course-' || n || '-' || (1 + k % 2))::uuid AS course_id,
              CASE WHEN i.over_limit AND k = 1 THEN 72 ELSE 20 + bench_pick('lessons', c, 29) END AS lessons,
              refund_recent, refund_old, days_ago, 1 + bench_pick('hour', c, 22) AS hours,
              CASE WHEN refund_recent THEN bench_pick('refund-day', c, 28) WHEN refund_old THEN 31 + bench_pick('refund-day', c, days_ago - 31) END AS refund_days,
              i.stalled_none, i.bank_shortfall
       FROM bench_inst i, generate_series(1, $1::int) AS k,
            LATERAL (SELECT (i.n - 1) * $1::int + k AS c, k > $1::int - i.refunds_30d AS refund_recent,
                            i.old_refund AND k = $1::int - 8 AS refund_old) AS who,
            LATERAL (SELECT CASE WHEN refund_recent THEN 29 + bench_pick('day', c, 30)
                                 WHEN refund_old THEN 60 + bench_pick('day', c, 10)
                                 WHEN i.stalled_none THEN 31 + bench_pick('day', c, 29)
                                 WHEN i.over_limit AND k = 1 THEN bench_pick('day', c, 30)
                                 WHEN i.spike AND k <= 12 THEN bench_pick('day', c, 7)
                                 WHEN i.spike THEN 7 + bench_pick('day', c, 56)
                                 ELSE ((k - 1) * 7 + bench_pick('day', c, 7)) * 10 / $1::int END AS days_ago) AS d`,
      [K],
    );
    await client.query(`ALTER TABLE bench_contract ADD PRIMARY KEY (c)`);
    // Prices, dates, refund outcome and what was consumed (in lessons) before completion or refund.
    await step(
      'contracts',
      `CREATE UNLOGGED TABLE bench_contract2 AS
       SELECT b.*, co.lesson_price_fen AS price, b.lessons * co.lesson_price_fen AS total_fen,
              $1::timestamptz - make_interval(days => b.days_ago, hours => b.hours) AS created_at,
              CASE WHEN b.refund_days IS NULL THEN NULL
                   WHEN b.refund_days < 5 THEN 'requested'
                   WHEN bench_pick('refund-answer', b.c, 4) = 0 THEN 'rejected' ELSE 'accepted' END AS refund_status,
              CASE WHEN b.stalled_none THEN 0
                   WHEN b.days_ago >= 60 AND b.refund_days IS NULL THEN b.lessons
                   ELSE least(b.lessons - 1, (b.lessons * (b.days_ago - coalesce(b.refund_days, 0)) / 60)) END AS consumed
       FROM bench_contract b JOIN courses co ON co.id = b.course_id`,
      [now],
    );
    await step(
      'users',
      `INSERT INTO users (id, username, password_hash, role, name, phone, created_at)
       SELECT parent_id, '139' || lpad(c::text, 8, '0'), '!', 'parent', '基准家长' || c, '139' || lpad(c::text, 8, '0'), now() FROM bench_contract2`,
    );
    await step(
      'contracts',
      `INSERT INTO contracts (id, parent_user_id, institution_id, course_id, district_code, student_name, lessons, lesson_price_fen, total_fen,
                              start_date, end_date, status, paid_fen, created_at)
       SELECT id, parent_id, institution_id, course_id, district_code, '学生' || c, lessons, price, total_fen,
              (created_at AT TIME ZONE 'Asia/Shanghai')::date, (created_at AT TIME ZONE 'Asia/Shanghai')::date + 59,
              CASE WHEN refund_status = 'accepted' THEN 'refunded' WHEN days_ago >= 60 AND refund_days IS NULL THEN 'completed' ELSE 'active' END,
              total_fen, created_at
       FROM bench_contract2 ORDER BY c`,
    );
    await step(
      'payments',
      `INSERT INTO payments (id, contract_id, amount_fen, channel, external_ref, created_at)
       SELECT md5('bench-risk-payment-' || c)::uuid, id, total_fen, 'bank_transfer', 'BRP' || lpad(c::text, 9, '0'), created_at FROM bench_contract2 ORDER BY c`,
    );
    // Escrow: credited with the payment, debited by what was consumed (to payable) and by a refund (to refunds).
    await step(
      'ledger_accounts',
      `INSERT INTO ledger_accounts (id, code, institution_id, contract_id, debits_posted, credits_posted, debits_must_not_exceed_credits, credits_must_not_exceed_debits, created_at)
       SELECT md5('bench-risk-escrow-' || c)::uuid, 'escrow', institution_id, id,
              CASE WHEN refund_status = 'accepted' THEN total_fen ELSE consumed * price END, total_fen, true, false, created_at
       FROM bench_contract2 ORDER BY c`,
    );

    log('refund requests, weekly payouts, institution accounts, bank statement lines');
    await step(
      'refund_requests',
      `INSERT INTO refund_requests (id, contract_id, institution_id, reason, status, amount_fen, deemed_accepted_at, answer_reason, answered_at, created_at)
       SELECT md5('bench-risk-refund-' || c)::uuid, id, institution_id, '搬家，无法继续上课', refund_status,
              CASE WHEN refund_status = 'accepted' THEN (lessons - consumed) * price END,
              at + interval '7 days', CASE WHEN refund_status = 'rejected' THEN '课程已过半' END,
              CASE WHEN refund_status <> 'requested' THEN at + interval '2 days' END, at
       FROM bench_contract2, LATERAL (SELECT $1::timestamptz - make_interval(days => refund_days, hours => 1 + bench_pick('refund-hour', c, 22)) AS at) AS t
       WHERE refund_days IS NOT NULL`,
      [now],
    );
    await step(
      'payouts',
      `CREATE UNLOGGED TABLE bench_money AS
       SELECT i.n, i.id AS institution_id, i.district_code, sum(b.total_fen)::bigint AS paid,
              sum(b.consumed * b.price)::bigint AS consumed, sum(CASE WHEN b.refund_status = 'accepted' THEN (b.lessons - b.consumed) * b.price ELSE 0 END)::bigint AS refunded,
              floor(sum(b.consumed * b.price) / 10)::bigint AS weekly_payout
       FROM bench_inst i JOIN bench_contract2 b ON b.n = i.n GROUP BY i.n, i.id, i.district_code`,
    );
    await step(
      'payouts',
      `INSERT INTO payout_instructions (id, kind, institution_id, district_code, amount_fen, status, bank_ref, executed_at, created_at)
       SELECT md5('bench-risk-payout-' || n || '-' || w)::uuid, 'institution_payout', institution_id, district_code, weekly_payout, 'executed',
              'BRO' || lpad(n::text, 6, '0') || '-' || w, at + interval '1 hour', at
       FROM bench_money, generate_series(1, 8) AS w, LATERAL (SELECT $1::timestamptz - make_interval(days => 7 * w - 3, hours => 3) AS at) AS t
       WHERE weekly_payout > 0`,
      [now],
    );
    // custody: debited by payments, credited by payouts; payable: credited by consumption, debited by payouts;
    // refunds: credited by accepted refunds; reserve: empty.
    await step(
      'ledger_accounts',
      `INSERT INTO ledger_accounts (id, code, institution_id, debits_posted, credits_posted, debits_must_not_exceed_credits, credits_must_not_exceed_debits, created_at)
       SELECT md5('bench-risk-' || code || '-' || n)::uuid, code, institution_id,
              CASE code WHEN 'custody' THEN paid WHEN 'payable' THEN payouts ELSE 0 END,
              CASE code WHEN 'custody' THEN payouts WHEN 'payable' THEN consumed WHEN 'refunds' THEN refunded ELSE 0 END,
              code <> 'custody', code = 'custody', $1::timestamptz - interval '3 years'
       FROM (SELECT *, CASE WHEN weekly_payout > 0 THEN weekly_payout * 8 ELSE 0 END AS payouts FROM bench_money) AS m,
            unnest(ARRAY['custody', 'payable', 'reserve', 'refunds']) AS code`,
      [now],
    );
    if (shape.bankLines) {
      await step(
        'bank_statement_lines',
        `INSERT INTO bank_clients (id, name, district_code, api_key_hash, created_at)
         SELECT md5('bench-risk-bank-' || code)::uuid, '基准托管银行' || code, code, md5('bench-risk-bank-key-' || code), now() FROM unnest($1::text[]) AS code`,
        [servedDivisions.cities.map((city) => city.code)],
      );
      // Every payment's line, but one missing for the shortfall institutions; every payout's line.
      await step(
        'bank_statement_lines',
        `INSERT INTO bank_statement_lines (bank_client_id, district_code, date, amount_fen, direction, reference, matched_kind, matched_id, created_at)
         SELECT md5('bench-risk-bank-' || left(district_code, 4) || '00')::uuid, district_code, (created_at AT TIME ZONE 'Asia/Shanghai')::date,
                total_fen, 'in', 'BRP' || lpad(c::text, 9, '0'), 'payment', md5('bench-risk-payment-' || c)::uuid, created_at + interval '1 day'
         FROM bench_contract2 WHERE NOT (bank_shortfall AND k = 2) ORDER BY c`,
      );
      await step(
        'bank_statement_lines',
        `INSERT INTO bank_statement_lines (bank_client_id, district_code, date, amount_fen, direction, reference, matched_kind, matched_id, created_at)
         SELECT md5('bench-risk-bank-' || left(district_code, 4) || '00')::uuid, district_code, (executed_at AT TIME ZONE 'Asia/Shanghai')::date,
                amount_fen, 'out', bank_ref, 'payout', id, executed_at + interval '1 day'
         FROM payout_instructions`,
      );
    }

    log('lessons');
    // Two lessons a week per course over the last 10 weeks, between 16:00 and 20:00 Shanghai time, on
    // weekdays for subject courses (Mon/Wed, Tue/Thu) and Wed/Fri or Sat/Sun otherwise; none on a
    // public holiday, none in the future, none within 3 hours of now − 30 days. Stalled institutions:
    // none at all, or none in the last 5 weeks.
    await step(
      'lessons',
      `INSERT INTO lessons (id, institution_id, course_id, starts_at, minutes, created_at)
       SELECT md5('bench-risk-lesson-' || i.n || '-' || j || '-' || w || '-' || s)::uuid, i.id, md5('bench-risk-course-' || i.n || '-' || j)::uuid,
              x.starts_at, (SELECT co.lesson_minutes FROM courses co WHERE co.id = md5('bench-risk-course-' || i.n || '-' || j)::uuid), x.starts_at
       FROM bench_inst i, generate_series(1, 2) AS j, generate_series(0, 9) AS w, generate_series(0, 1) AS s,
            LATERAL (SELECT date_trunc('week', $2::date::timestamp)::date - 7 * w
                            + CASE WHEN i.category = 'subject' THEN (ARRAY[0, 2, 1, 3])[(j - 1) * 2 + s + 1] ELSE (ARRAY[2, 4, 5, 6])[(j - 1) * 2 + s + 1] END AS day) AS d,
            LATERAL (SELECT (d.day + time '16:00' + make_interval(mins => (ARRAY[0, 90, 150])[1 + bench_pick('slot', i.n * 2 + j, 3)])) AT TIME ZONE 'Asia/Shanghai' AS starts_at) AS x
       WHERE NOT i.stalled_none AND (NOT i.stalled_old OR w >= 5)
         AND x.starts_at < $1::timestamptz
         AND abs(extract(epoch FROM x.starts_at - ($1::timestamptz - interval '30 days'))) > 3 * 3600
         AND d.day NOT IN (SELECT unnest(holidays) FROM calendar_years)`,
      [now, shape.today],
    );
    // The rule breakers: a lesson from 20:30 to 21:30 on the Tuesday two weeks back; a subject lesson on
    // the Saturday nine days before this week's Monday.
    await step(
      'lessons',
      `INSERT INTO lessons (id, institution_id, course_id, starts_at, minutes, created_at)
       SELECT md5('bench-risk-late-lesson-' || n)::uuid, id, md5('bench-risk-course-' || n || '-1')::uuid, at, 60, at
       FROM bench_inst, LATERAL (SELECT ((date_trunc('week', $1::date::timestamp)::date - 13) + time '20:30') AT TIME ZONE 'Asia/Shanghai' AS at) AS t
       WHERE late_lesson AND NOT stalled_none AND NOT stalled_old
       UNION ALL
       SELECT md5('bench-risk-weekend-lesson-' || n)::uuid, id, md5('bench-risk-course-' || n || '-2')::uuid, at, 60, at
       FROM bench_inst, LATERAL (SELECT ((date_trunc('week', $1::date::timestamp)::date - 9) + time '10:00') AT TIME ZONE 'Asia/Shanghai' AS at) AS t
       WHERE weekend_lesson AND category = 'subject' AND NOT stalled_none AND NOT stalled_old`,
      [shape.today],
    );

    log('complaints and monthly reports');
    await step(
      'complaints',
      `INSERT INTO complaints (parent_user_id, institution_id, institution_name, district_code, category, description, contract_id, status, created_at, updated_at)
       SELECT md5('bench-risk-parent-' || b.c)::uuid, i.id, ins.name, i.district_code,
              (ARRAY['refund_refused', 'lessons_not_delivered', 'safety', 'other'])[1 + bench_pick('complaint-kind', i.n * 16 + m, 4)],
              '基准投诉：课程与宣传不符', md5('bench-risk-contract-' || b.c)::uuid, x.status, x.at, x.at
       FROM bench_inst i JOIN institutions ins ON ins.id = i.id,
            LATERAL (SELECT m, 'recent' AS kind FROM generate_series(1, i.complaints_30d) AS m
                     UNION ALL SELECT 10, 'dismissed' WHERE i.dismissed_complaint
                     UNION ALL SELECT 10 + m, 'old' FROM generate_series(1, i.old_complaints) AS m) AS q,
            LATERAL (SELECT CASE q.kind WHEN 'dismissed' THEN 'dismissed' WHEN 'old' THEN 'resolved'
                                 ELSE (ARRAY['open', 'in_progress', 'resolved'])[1 + bench_pick('complaint-status', i.n * 16 + q.m, 3)] END AS status,
                            $1::timestamptz - make_interval(days => CASE WHEN q.kind = 'old' THEN 40 + bench_pick('complaint-day', i.n * 16 + q.m, 300)
                                                                         ELSE bench_pick('complaint-day', i.n * 16 + q.m, 28) END,
                                                            hours => 1 + bench_pick('complaint-hour', i.n * 16 + q.m, 22)) AS at) AS x,
            LATERAL (SELECT (i.n - 1) * $2::int + 1 + (q.m % $2::int) AS c) AS b`,
      [now, K],
    );
    await step(
      'monthly_reports',
      `INSERT INTO monthly_reports (institution_id, district_code, month, students, new_contracts, lessons_delivered, prepaid_collected_fen, refunds_fen,
                                    teachers, full_time_teachers, status, late, filed_at, reviewed_at, created_at)
       SELECT i.id, i.district_code, x.month,
              CASE WHEN x.overdue THEN NULL ELSE 15 + bench_pick('students', i.n * 4 + m, 20) END,
              CASE WHEN x.overdue THEN NULL ELSE 3 + bench_pick('new', i.n * 4 + m, 10) END,
              CASE WHEN x.overdue THEN NULL ELSE 10 + bench_pick('delivered', i.n * 4 + m, 20) END,
              CASE WHEN x.overdue THEN NULL ELSE 100000 * (3 + bench_pick('collected', i.n * 4 + m, 20)) END,
              CASE WHEN x.overdue THEN NULL ELSE 0 END,
              CASE WHEN x.overdue THEN NULL ELSE 4 END, CASE WHEN x.overdue THEN NULL ELSE 2 END,
              CASE WHEN x.overdue THEN 'overdue' WHEN m = 1 THEN 'filed' ELSE 'accepted' END, false,
              CASE WHEN x.overdue THEN NULL ELSE x.first_after + 4 + time '10:00' END,
              CASE WHEN m > 1 THEN x.first_after + 12 + time '10:00' END,
              CASE WHEN x.overdue THEN x.first_after + $2::int + time '00:30' ELSE x.first_after + 4 + time '10:00' END
       FROM bench_inst i, generate_series(1, 3) AS m,
            LATERAL (SELECT to_char(date_trunc('month', $1::date) - make_interval(months => m), 'YYYY-MM') AS month,
                            (date_trunc('month', $1::date) - make_interval(months => m - 1))::date AS first_after,
                            i.overdue_report AND m = 1 AS overdue) AS x`,
      [shape.today, policy.reportDueDay],
    );

    log('VACUUM (ANALYZE)');
    for (const table of ['bench_contract2', 'bench_contract', 'bench_money', 'bench_inst']) await client.query(`DROP TABLE ${table}`);
    await client.query(`DROP FUNCTION bench_pick(text, bigint, int)`);
    await step('vacuumAnalyze', 'VACUUM (ANALYZE)');
    await client.query('CHECKPOINT').catch(() => undefined);

    const counts = await client.query<{ table: string; n: number }>(
      `SELECT 'institutions' AS table, count(*)::int AS n FROM institutions UNION ALL SELECT 'contracts', count(*)::int FROM contracts
       UNION ALL SELECT 'payments', count(*)::int FROM payments UNION ALL SELECT 'ledger_accounts', count(*)::int FROM ledger_accounts
       UNION ALL SELECT 'lessons', count(*)::int FROM lessons UNION ALL SELECT 'refund_requests', count(*)::int FROM refund_requests
       UNION ALL SELECT 'complaints', count(*)::int FROM complaints UNION ALL SELECT 'teachers', count(*)::int FROM teachers
       UNION ALL SELECT 'monthly_reports', count(*)::int FROM monthly_reports UNION ALL SELECT 'payout_instructions', count(*)::int FROM payout_instructions
       UNION ALL SELECT 'bank_statement_lines', count(*)::int FROM bank_statement_lines UNION ALL SELECT 'users', count(*)::int FROM users`,
    );
    const statuses = await client.query<{ status: string; n: number }>(`SELECT status, count(*)::int AS n FROM institutions GROUP BY status ORDER BY 2 DESC`);
    return {
      institutions: N,
      byStatus: Object.fromEntries(statuses.rows.map((row) => [row.status, row.n])),
      rows: Object.fromEntries(counts.rows.map((row) => [row.table, row.n])),
      steps,
      loadSeconds: round3((performance.now() - started) / 1000),
    };
  } finally {
    await client.end();
  }
}
