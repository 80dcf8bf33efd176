import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional, IsString, Matches, MaxLength, MinLength } from 'class-validator';
import { PageQueryDto } from '../common/page-query.dto';

export class DivisionQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ description: 'the children of this division (six digits)', example: '430100' })
  @IsOptional()
  @Matches(/^\d{6}$/, { message: 'parentCode must be six digits' })
  parentCode?: string;

  @ApiPropertyOptional({ enum: ['province', 'city', 'district'] })
  @IsOptional()
  @IsIn(['province', 'city', 'district'])
  level?: 'province' | 'city' | 'district';

  @ApiPropertyOptional({ description: 'part of a name, or the start of a code', example: '岳麓' })
  @IsOptional()
  @IsString()
  @MinLength(1)
  @MaxLength(50)
  q?: string;
}

export class ServeDistrictDto {
  @ApiPropertyOptional({ description: 'the English name; the Chinese name when absent', example: 'Yuelu' })
  @IsOptional()
  @IsString()
  @MinLength(1)
  @MaxLength(100)
  nameEn?: string;
}
