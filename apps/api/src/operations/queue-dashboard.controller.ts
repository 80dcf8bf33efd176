import { Controller, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiOperation, ApiProperty, ApiTags } from '@nestjs/swagger';
import { CurrentUser, Principal, Roles } from '@app/core';
import { ApiProblems } from '../common/responses';
import { QUEUE_DASHBOARD_PATH } from './queue-dashboard';
import { QueueDashboardPasses } from './queue-dashboard-passes.service';

export class QueueDashboardCodeDto {
  @ApiProperty({ description: 'single use; only its hash is kept' }) code: string;
  @ApiProperty({ example: '/admin/queues?code=…', description: 'open this in the browser' }) url: string;
  @ApiProperty({ type: String, format: 'date-time', description: 'a minute from now' }) expiresAt: Date;
}

@ApiTags('Operations')
@Controller('api/v1/admin/queue-dashboard')
export class QueueDashboardController {
  constructor(private readonly passes: QueueDashboardPasses) {}

  @Post('codes')
  @Roles('admin')
  @ApiBearerAuth()
  @ApiOperation({ operationId: 'issueQueueDashboardCode', summary: 'A one-time code that opens the queue dashboard (/admin/queues) in a browser' })
  @ApiCreatedResponse({ type: QueueDashboardCodeDto })
  @ApiProblems(401, 403)
  async issue(@CurrentUser() principal: Principal): Promise<QueueDashboardCodeDto> {
    const { code, expiresAt } = await this.passes.issueCode(principal.id);
    return { code, url: `${QUEUE_DASHBOARD_PATH}?code=${code}`, expiresAt };
  }
}
