import { WebController } from './web.controller';

/** The web pages; listed in ApiModule's controllers with one spread. */
export const WEB_CONTROLLERS = [WebController];
