import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { Principal } from '../auth/principal';
import { districtPrefix } from '../auth/scope';
import { Clock } from '../clock/clock';
import { Db } from '../database/sql';
import { RequestContext } from '../context/request-context';
import { AuditEntryRow, AuditRepository } from './audit.repository';

export interface AuditRecord {
  action: string;
  targetType: string;
  targetId: string;
  reason?: string | null;
  districtCode?: string | null;
  details?: Record<string, unknown>;
  /** Defaults to the caller of the current request; jobs pass the system actor. */
  actor?: Pick<Principal, 'id' | 'role'> | { id: null; role: 'system' };
}

@Injectable()
export class AuditService {
  constructor(
    private readonly entries: AuditRepository,
    private readonly dataSource: DataSource,
    private readonly clock: Clock,
  ) {}

  /** Writes through the caller's transaction, so the entry exists exactly when the change does. */
  async record(db: Db, record: AuditRecord): Promise<void> {
    const actor = record.actor ?? RequestContext.principal ?? { id: null, role: 'system' as const };
    await this.entries.insert(db, {
      at: this.clock.now(),
      actorId: actor.id,
      actorRole: actor.role,
      action: record.action,
      targetType: record.targetType,
      targetId: record.targetId,
      reason: record.reason ?? null,
      requestId: RequestContext.requestId ?? null,
      districtCode: record.districtCode ?? null,
      details: record.details ?? {},
    });
  }

  /** Entries of the caller's scope, newest first: the admin sees all, a regulator its districts'. */
  async list(
    principal: Principal,
    filter: { targetId?: string; page: number; pageSize: number },
  ): Promise<{ items: AuditEntryRow[]; total: number; page: number; pageSize: number }> {
    const prefix = districtPrefix(principal);
    const { items, total } = await this.entries.page(this.dataSource.manager, {
      districtPattern: prefix === '' ? null : `${prefix ?? '-'}%`,
      targetId: filter.targetId,
      limit: filter.pageSize,
      offset: (filter.page - 1) * filter.pageSize,
    });
    return { items, total, page: filter.page, pageSize: filter.pageSize };
  }
}
