import { Controller, Get, HttpCode, Param, ParseUUIDPipe, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CurrentUser, DomainError, NotificationsService, Principal, Roles } from '@app/core';
import { ApiProblems } from '../common/responses';
import { NotificationDto, NotificationPageDto, NotificationQueryDto } from './notifications.dto';

const notificationId = new ParseUUIDPipe({ exceptionFactory: () => new DomainError(404, 'NOTIFICATION.NOT_FOUND', 'The notification was not found.') });

@ApiTags('Accounts')
@ApiBearerAuth()
@Controller('api/v1/notifications')
export class NotificationsController {
  constructor(private readonly notifications: NotificationsService) {}

  @Get()
  @Roles('admin', 'regulator', 'institution', 'parent')
  @ApiOperation({ operationId: 'listNotifications', summary: 'The caller’s own notifications, newest first' })
  @ApiOkResponse({ type: NotificationPageDto })
  @ApiProblems(400, 401, 403)
  list(@CurrentUser() principal: Principal, @Query() query: NotificationQueryDto): Promise<NotificationPageDto> {
    return this.notifications.listFor(principal.id, { unread: query.unread ?? false, page: query.page, pageSize: query.pageSize });
  }

  @Post(':id/read')
  @HttpCode(200)
  @Roles('admin', 'regulator', 'institution', 'parent')
  @ApiOperation({ operationId: 'markNotificationRead', summary: 'Mark one of the caller’s notifications read' })
  @ApiOkResponse({ type: NotificationDto })
  @ApiProblems(401, 403, 404)
  read(@CurrentUser() principal: Principal, @Param('id', notificationId) id: string): Promise<NotificationDto> {
    return this.notifications.markRead(principal.id, id);
  }
}
