import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional, IsString, Matches, MaxLength, MinLength } from 'class-validator';
import { DivisionLevel } from '@app/core';
import { PageQueryDto } from '../common/page-query.dto';
import { PageOf } from '../common/responses';

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

export class DivisionDto {
  @ApiProperty({ example: '430104' }) code: string;
  @ApiProperty({ example: '岳麓区' }) name: string;
  @ApiProperty({ enum: ['province', 'city', 'district'] }) level: DivisionLevel;
  @ApiProperty({ type: String, nullable: true, example: '430100', description: 'the city of a district (its province for a 省直辖县), the province of a city' })
  parentCode: string | null;
  @ApiProperty({ description: 'whether the platform serves it (an institution may be registered there)' }) served: boolean;
}

export class DivisionPageDto extends PageOf(DivisionDto) {}

/** A city or district the platform serves. */
export class DistrictDto {
  @ApiProperty({ example: '430104' }) code: string;
  @ApiProperty({ example: '岳麓区' }) name: string;
  @ApiProperty({ example: 'Yuelu' }) nameEn: string;
  @ApiProperty({ type: String, nullable: true, example: '430100', description: 'the city of a district; null for a city' }) cityCode: string | null;
  @ApiProperty({ type: String, nullable: true, example: '湖南省' }) province: string | null;
}

export class ServedDistrictDto {
  @ApiProperty({ type: DistrictDto }) district: DistrictDto;
  @ApiProperty({ type: [String], example: ['430100', '430112'], description: 'the codes newly served by this request (none when it was served already)' })
  added: string[];
}
