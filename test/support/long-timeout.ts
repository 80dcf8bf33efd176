// Integration and e2e tests boot real services; a minute covers the slowest on 2 cores.
jest.setTimeout(60_000);
