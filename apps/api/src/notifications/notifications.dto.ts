import { ApiProperty } from '@nestjs/swagger';
import { BooleanQueryField } from '../common/fields';
import { PageQueryDto } from '../common/page-query.dto';
import { PageOf } from '../common/responses';

export class NotificationQueryDto extends PageQueryDto {
  @BooleanQueryField('unread', 'only the ones not read yet')
  unread?: boolean;
}

export class NotificationDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ example: 'lesson.recorded', description: 'what happened; pages word each kind in the reader’s language' }) kind: string;
  @ApiProperty({ example: '新课时待确认' }) title: string;
  @ApiProperty() body: string;
  @ApiProperty({ type: String, format: 'date-time' }) at: Date;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) readAt: Date | null;
  @ApiProperty({
    type: 'object',
    additionalProperties: true,
    description: 'what the notice is about: for lesson.recorded, consumptionId, contractId, amountFen and autoConfirmAt',
  })
  data: Record<string, unknown>;
}

export class NotificationPageDto extends PageOf(NotificationDto) {}
