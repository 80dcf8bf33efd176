import { Client } from 'pg';

/** The benchmarks' way to a PostgreSQL server: URLs of its databases, and one statement on the server. */
export function benchDatabase(serverUrl: string) {
  return {
    databaseUrl(name: string): string {
      const url = new URL(serverUrl);
      url.pathname = `/${name}`;
      return url.toString();
    },
    async onServer(sql: string): Promise<void> {
      const client = new Client({ connectionString: serverUrl });
      await client.connect();
      try {
        await client.query(sql);
      } finally {
        await client.end();
      }
    },
  };
}
