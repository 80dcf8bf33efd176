/** Runs a benchmark's main: exit 0 when it finishes, 1 with the error on stderr when it fails. */
export function runBench(main: () => Promise<void>): void {
  main().then(
    () => process.exit(0),
    (error: Error) => {
      console.error(error);
      process.exit(1);
    },
  );
}
