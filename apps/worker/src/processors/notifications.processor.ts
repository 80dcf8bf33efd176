import { Injectable } from '@nestjs/common';
import { DomainEvent, yuanText } from '@app/core';
import { NotificationDraft, NotificationsService } from '@app/core/notifications/notifications.service';
import { JobHandler } from '@app/jobs';
import { EnrolmentService } from '@app/registry';
import { DataSource } from 'typeorm';

/** Turns domain events into messages for the people concerned. */
@Injectable()
export class NotificationsProcessor implements JobHandler<'notifications'> {
  readonly queue = 'notifications' as const;

  constructor(
    private readonly notifications: NotificationsService,
    private readonly dataSource: DataSource,
    private readonly enrolment: EnrolmentService,
  ) {}

  readonly handlers: JobHandler<'notifications'>['handlers'] = {
    notify: async (event) => this.notifications.deliver(this.dataSource.manager, event.id, await this.draftsFor(event)),
  };

  private async toOwner(institutionId: string, draft: Omit<NotificationDraft, 'userId'>): Promise<NotificationDraft[]> {
    const owner = await this.enrolment.ownerOf(this.dataSource.manager, institutionId);
    return owner ? [{ ...draft, userId: owner }] : [];
  }

  private async draftsFor(event: DomainEvent): Promise<NotificationDraft[]> {
    switch (event.type) {
      case 'account.created':
        return [{ userId: event.payload.userId, kind: 'welcome', title: '账号已开通', body: '欢迎使用校外培训监管平台。' }];
      case 'risk.red':
        return (await this.notifications.regulatorsOf(event.payload.districtCode)).map((userId) => ({
          userId,
          kind: 'risk_red',
          title: '机构风险升为红色',
          body: `风险规则 ${event.payload.ruleCode} 触发红色预警，请处理预警。`,
          data: { alertId: event.payload.alertId, institutionId: event.payload.subjectInstitutionId, ruleCode: event.payload.ruleCode },
        }));
      case 'reconciliation.alert':
        return (await this.notifications.regulatorsOf(event.payload.districtCode)).map((userId) => ({
          userId,
          kind: 'reconciliation',
          title: '银行对账发现差异',
          body: `对账规则 ${event.payload.ruleCode} 发现差异，请处理预警。`,
          data: { alertId: event.payload.alertId, ruleCode: event.payload.ruleCode },
        }));
      case 'payment.received':
        return [
          {
            userId: event.payload.parentUserId,
            kind: 'payment.received',
            title: '付款已到账',
            body: `银行已确认收到 ${yuanText(event.payload.amountFen)}，款项存入监管账户，按课消逐步划转给机构。`,
            data: { contractId: event.payload.contractId, paymentId: event.payload.paymentId, amountFen: event.payload.amountFen },
          },
        ];
      case 'payment.returned':
        return [
          {
            userId: event.payload.parentUserId,
            kind: 'payment.returned',
            title: '付款将原路退回',
            body: `银行收到的 ${yuanText(event.payload.amountFen)} 未能存入（付款单已过期或机构暂停收费），将原路退回。`,
            data: {
              contractId: event.payload.contractId,
              paymentId: event.payload.paymentId,
              amountFen: event.payload.amountFen,
              reason: event.payload.reason,
            },
          },
        ];
      case 'refund.requested':
        return this.toOwner(event.payload.institutionId, {
          kind: 'refund.requested',
          title: '收到退费申请',
          body: '有家长申请退费，请在答复期限内处理，逾期视为同意。',
          data: { contractId: event.payload.contractId, refundRequestId: event.payload.refundRequestId },
        });
      case 'refund.ordered':
        return [
          {
            userId: event.payload.parentUserId,
            kind: 'refund.ordered',
            title: '监管部门已责令退费',
            body: `退费 ${yuanText(event.payload.amountFen)} 已从监管账户划出，银行将退回您的账户。`,
            data: { contractId: event.payload.contractId, refundRequestId: event.payload.refundRequestId, amountFen: event.payload.amountFen },
          },
          ...(await this.toOwner(event.payload.institutionId, {
            kind: 'refund.ordered',
            title: '监管部门责令退费',
            body: `监管部门对一份合同责令退费 ${yuanText(event.payload.amountFen)}${event.payload.clawbackFen ? `，其中 ${yuanText(event.payload.clawbackFen)} 从机构待结算款或风险准备金中追回` : ''}。`,
            data: { contractId: event.payload.contractId, refundRequestId: event.payload.refundRequestId, clawbackFen: event.payload.clawbackFen },
          })),
        ];
      default:
        return [];
    }
  }
}
