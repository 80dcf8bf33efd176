import { Injectable } from '@nestjs/common';
import { shanghaiDate } from '../calendar/shanghai-time';

/** The current instant and business date (Asia/Shanghai); a test replaces it to move time. */
@Injectable()
export class Clock {
  now(): Date {
    return new Date();
  }

  today(): string {
    return shanghaiDate(this.now());
  }
}
