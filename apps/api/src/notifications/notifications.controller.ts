import { Controller, Get, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { CurrentUser, NotificationsService, Principal, Roles } from '@app/core';
import { PageQueryDto } from '../common/page-query.dto';

@ApiTags('Accounts')
@ApiBearerAuth()
@Controller('api/v1/notifications')
export class NotificationsController {
  constructor(private readonly notifications: NotificationsService) {}

  /** The caller's own notifications, newest first. */
  @Get()
  @Roles('admin', 'regulator', 'institution', 'parent')
  list(@CurrentUser() principal: Principal, @Query() query: PageQueryDto) {
    return this.notifications.listFor(principal.id, query.page, query.pageSize);
  }
}
