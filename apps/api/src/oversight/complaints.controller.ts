import { Body, Controller, Get, HttpCode, Param, ParseUUIDPipe, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiProperty, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { IsIn, IsNotEmpty, IsOptional, IsString, IsUUID, Matches, MaxLength } from 'class-validator';
import { CurrentUser, DomainError, Principal, Roles } from '@app/core';
import {
  COMPLAINT_CATEGORIES,
  COMPLAINT_STATUSES,
  COMPLAINT_TRANSITIONS,
  ComplaintAction,
  ComplaintCategory,
  ComplaintStatus,
  ComplaintsService,
} from '@app/oversight';
import { PageQueryDto } from '../common/page-query.dto';

class NewComplaintDto {
  @ApiPropertyOptional({ description: 'a registered institution' }) @IsOptional() @IsUUID() institutionId?: string;
  @ApiPropertyOptional({ description: 'for a name not in the register (with districtCode)' })
  @IsOptional()
  @IsString()
  @IsNotEmpty()
  @MaxLength(100)
  institutionName?: string;
  @ApiPropertyOptional({ example: '430104', description: 'where an unregistered institution operates' })
  @IsOptional()
  @Matches(/^\d{6}$/, { message: 'districtCode must be six digits' })
  districtCode?: string;
  @ApiProperty({ enum: COMPLAINT_CATEGORIES }) @IsIn(COMPLAINT_CATEGORIES) category: ComplaintCategory;
  @ApiProperty() @IsString() @IsNotEmpty() @MaxLength(4000) description: string;
  @ApiPropertyOptional() @IsOptional() @IsUUID() contractId?: string;
}

class ComplaintsQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ enum: COMPLAINT_STATUSES })
  @IsOptional()
  @IsIn(COMPLAINT_STATUSES)
  status?: ComplaintStatus;
}

class ComplaintTransitionDto {
  @ApiProperty({ enum: Object.keys(COMPLAINT_TRANSITIONS) }) @IsIn(Object.keys(COMPLAINT_TRANSITIONS)) to: ComplaintAction;
  @ApiProperty() @IsString() @IsNotEmpty() @MaxLength(4000) reply: string;
}

const complaintId = new ParseUUIDPipe({ exceptionFactory: () => new DomainError(404, 'COMPLAINT.NOT_FOUND', 'The complaint was not found.') });

@ApiTags('Oversight')
@ApiBearerAuth()
@Controller('api/v1/complaints')
export class ComplaintsController {
  constructor(private readonly complaints: ComplaintsService) {}

  @Post()
  @Roles('parent')
  file(@CurrentUser() parent: Principal, @Body() body: NewComplaintDto) {
    return this.complaints.file(parent, body);
  }

  @Get()
  @Roles('regulator', 'admin', 'parent')
  list(@CurrentUser() principal: Principal, @Query() query: ComplaintsQueryDto) {
    return this.complaints.list(principal, query);
  }

  @Post(':id/transition')
  @HttpCode(200)
  @Roles('regulator')
  transition(@CurrentUser() regulator: Principal, @Param('id', complaintId) id: string, @Body() body: ComplaintTransitionDto) {
    return this.complaints.transition(regulator, id, body.to, body.reply);
  }
}
