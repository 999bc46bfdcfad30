// Adds up what node:test's spec reporter prints at the end of each run, across all Nx tasks of a phase.

// The spec reporter closes every run with lines like "ℹ pass 12"; Nx may prefix them with the task name.
const COUNT_LINE = /ℹ (pass|fail|skipped|todo|cancelled) (\d+)\s*$/;

export class TestTally {
  passed = 0;
  failed = 0;
  skipped = 0;

  /** Feeds one line of test output; returns true when it was a count line. */
  observe(line: string): boolean {
    const match = COUNT_LINE.exec(line);
    if (match === null) return false;
    const count = Number(match[2]);
    switch (match[1]) {
      case 'pass':
        this.passed += count;
        break;
      case 'fail':
      case 'cancelled':
        this.failed += count;
        break;
      default:
        this.skipped += count;
    }
    return true;
  }

  summaryLine(): string {
    const base = `${this.passed} passed, ${this.failed} failed`;
    return this.skipped > 0 ? `${base}, ${this.skipped} skipped` : base;
  }
}
