import { Injectable, Logger, OnApplicationBootstrap, OnModuleDestroy } from '@nestjs/common';
import { Clock } from '@app/core';
import { PublicRegisterService } from '@app/registry';
import etag from 'etag';
import { LRUCache } from 'lru-cache';
import type { Pool, PoolClient } from 'pg';
import { DataSource } from 'typeorm';
import type { PostgresDriver } from 'typeorm/driver/postgres/PostgresDriver';

/** A public answer as sent: its JSON and the ETag of that JSON. */
export interface CachedAnswer {
  body: string;
  etag: string;
}

const RETRY_LISTENING_AFTER_MS = 1_000;
/** What the cache may hold, counted as the heap really holds it (see answerCost). */
export const PUBLIC_ANSWER_CACHE_BYTES = 64 * 1024 * 1024;
/**
 * What one entry costs beyond its strings: the answer object, the LRU's slots (key and value arrays,
 * links, TTL start and size) and its Map entry; measured with many tiny answers (public-answer-cache.spec.ts).
 */
const ENTRY_OVERHEAD_BYTES = 200;

/** Bytes V8 keeps a string in: one byte a character when every character fits in Latin-1, two otherwise (Chinese names). */
const TWO_BYTE = /[\u0100-\uffff]/;
const stringBytes = (text: string) => 16 + (TWO_BYTE.test(text) ? 2 : 1) * text.length;

/**
 * An entry's real cost: its key (a search query may be long), its body and ETag, and the overhead above.
 * Counting the body's length only let a flood of distinct queries with small answers (no match) grow the
 * heap several times past the bound.
 */
export const answerCost = (answer: CachedAnswer, key: string) => stringBytes(key) + stringBytes(answer.body) + stringBytes(answer.etag) + ENTRY_OVERHEAD_BYTES;

/** The store of answers, bounded by what its entries cost; they expire after a minute. */
export function answerStore(maxBytes = PUBLIC_ANSWER_CACHE_BYTES): LRUCache<string, CachedAnswer> {
  return new LRUCache<string, CachedAnswer>({ maxSize: maxBytes, sizeCalculation: answerCost, ttl: 60_000 });
}

/**
 * Keeps the public register's answers in memory for as long as the register does not change.
 * Parents look up the same few names and institutions again and again; answering them from memory is
 * what keeps the public lookup cheap with 100,000 institutions (docs/performance.md).
 *
 * Correctness comes first: the database notifies every API process when a table behind a public answer
 * changes (whoever changed it: this process, another API process, the worker, a migration), and the
 * cache then forgets everything. While this process is not listening (not yet connected, or the
 * connection dropped), nothing is kept, so an answer can never outlive a change it was not told about.
 * Answers also expire after a minute and are keyed by today's date (lists depend on it).
 */
@Injectable()
export class PublicAnswerCache implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger(PublicAnswerCache.name);
  private readonly answers = answerStore();
  /** Bumped on every change: an answer computed across a change is not kept. */
  private generation = 0;
  private listener?: PoolClient;
  private retry?: NodeJS.Timeout;
  private closing = false;

  constructor(
    private readonly dataSource: DataSource,
    private readonly register: PublicRegisterService,
    private readonly clock: Clock,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    await this.listen();
  }

  onModuleDestroy(): void {
    this.closing = true;
    clearTimeout(this.retry);
    this.stopListening();
  }

  /** The cached answer for these key parts, or the answer `compute` gives (kept if nothing changed meanwhile). */
  async answer(keyParts: unknown[], compute: () => Promise<unknown>): Promise<CachedAnswer> {
    const key = `${this.clock.today()} ${JSON.stringify(keyParts)}`;
    const cached = this.answers.get(key);
    if (cached) return cached;
    const generation = this.generation;
    const body = JSON.stringify(await compute());
    const answer = { body, etag: etag(body, { weak: true }) };
    if (this.listener && generation === this.generation) this.answers.set(key, answer);
    return answer;
  }

  private forgetAll(): void {
    this.generation += 1;
    this.answers.clear();
  }

  /**
   * Takes a connection of its own out of the pool and keeps it for as long as it listens: LISTEN holds
   * for a session, so it cannot run on the pool's connections that every query borrows and hands back.
   * The registry owns the statement (its channel is the registry's triggers'); this connection reads no data.
   */
  private async listen(): Promise<void> {
    let client: PoolClient | undefined;
    try {
      const pool = (this.dataSource.driver as PostgresDriver).master as Pool;
      client = await pool.connect();
      const connected = client;
      connected.on('notification', () => this.forgetAll());
      connected.on('error', (error) => this.lost(connected, error));
      connected.on('end', () => this.lost(connected));
      await this.register.listenForChanges(client);
      // Shut down while connecting: hand the connection back, or the pool could never close.
      if (this.closing) return void client.release(true);
      this.forgetAll(); // whatever changed before LISTEN took effect
      this.listener = client;
    } catch (error) {
      client?.release(true);
      this.logger.warn(`not listening for register changes, answering without a cache: ${(error as Error).message}`);
      this.scheduleRetry();
    }
  }

  private lost(client: PoolClient, error?: Error): void {
    if (this.listener !== client) return;
    this.listener = undefined;
    this.forgetAll();
    client.release(error ?? true);
    if (!this.closing) {
      this.logger.warn(`lost the register-change listener, answering without a cache until it is back: ${error?.message ?? 'connection ended'}`);
      this.scheduleRetry();
    }
  }

  private scheduleRetry(): void {
    if (this.closing) return;
    this.retry = setTimeout(() => void this.listen(), RETRY_LISTENING_AFTER_MS);
    this.retry.unref();
  }

  private stopListening(): void {
    const client = this.listener;
    this.listener = undefined;
    this.forgetAll();
    client?.release(true);
  }
}
