import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { EntityManager, Repository } from 'typeorm';
import { Principal } from '../auth/principal';
import { districtLikePattern } from '../auth/scope';
import { RequestContext } from '../context/request-context';
import { Clock } from '../clock/clock';
import { AuditEntry } from './audit-entry.entity';

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
    @InjectRepository(AuditEntry) private readonly entries: Repository<AuditEntry>,
    private readonly clock: Clock,
  ) {}

  /** Writes through the caller's transaction, so the entry exists exactly when the change does. */
  async record(manager: EntityManager, record: AuditRecord): Promise<void> {
    const actor = record.actor ?? RequestContext.principal ?? { id: null, role: 'system' as const };
    await manager.query(
      `INSERT INTO audit_log (actor_id, actor_role, action, target_type, target_id, reason, request_id, district_code, details, at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)`,
      [
        actor.id,
        actor.role,
        record.action,
        record.targetType,
        record.targetId,
        record.reason ?? null,
        RequestContext.requestId ?? null,
        record.districtCode ?? null,
        record.details ?? {},
        this.clock.now(),
      ],
    );
  }

  async list(principal: Principal, filter: { targetId?: string; page: number; pageSize: number }) {
    const query = this.entries.createQueryBuilder('entry').orderBy('entry.id', 'DESC');
    const pattern = districtLikePattern(principal);
    if (pattern && pattern !== '%') query.andWhere('entry.district_code LIKE :pattern', { pattern });
    if (filter.targetId) query.andWhere('entry.target_id = :targetId', { targetId: filter.targetId });
    const [items, total] = await query
      .skip((filter.page - 1) * filter.pageSize)
      .take(filter.pageSize)
      .getManyAndCount();
    return { items, total, page: filter.page, pageSize: filter.pageSize };
  }
}
