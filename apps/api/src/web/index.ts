import { PageReadsController } from './page-reads.controller';
import { WebController } from './web.controller';

/** The web pages and the reads they need; listed in ApiModule's controllers with one spread. */
export const WEB_CONTROLLERS = [PageReadsController, WebController];
