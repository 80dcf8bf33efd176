import { Controller, Get } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Public } from '@app/core';
import { CatalogueService } from '@app/registry';
import { SubjectListDto } from './catalogue.dto';

@ApiTags('Reference data')
@Controller('api/v1/reference')
export class SubjectsController {
  constructor(private readonly catalogue: CatalogueService) {}

  /** The closed national list a subject-category course must name (docs/domain.md, "Courses and teachers"). */
  @Get('subjects')
  @Public()
  @ApiOperation({ operationId: 'listSubjects', summary: 'The national list of training subjects, subject-category and non-subject' })
  @ApiOkResponse({ type: SubjectListDto })
  async subjects(): Promise<SubjectListDto> {
    return { items: await this.catalogue.subjects() };
  }
}
